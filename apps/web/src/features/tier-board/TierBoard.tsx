import {
  type CollisionDetection,
  closestCenter,
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
  PointerSensor,
  pointerWithin,
  useSensor,
  useSensors,
} from '@dnd-kit/core'
import { horizontalListSortingStrategy, SortableContext } from '@dnd-kit/sortable'
import type { BoardResponse, BoardTier, PolicySummary } from '@policyboard/api'
import type { QueryKey } from '@tanstack/react-query'
import { type RefObject, useCallback, useEffect, useMemo, useState } from 'react'
import { useNavigate } from 'react-router'
import { ErrorMessage } from '../../components/index.ts'
import { useCan } from '../auth/me.ts'
import { policyEditHref, policyHref } from '../policy-detail/links.ts'
import {
  type BoardFocus,
  type FocusKey,
  isCollapsibleTier,
  moveFocus,
  parsePolicyId,
  planPolicyMove,
  planTierMove,
  policyId,
} from './board-model.ts'
import { PolicyCardGhost } from './PolicyCard.tsx'
import { TierColumn } from './TierColumn.tsx'
import { useMoveTier, useReorderPolicy } from './useBoardMutations.ts'

const FOCUS_KEYS: ReadonlySet<string> = new Set([
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'j',
  'k',
  'h',
  'l',
])

/** Policy drags hit the card under the pointer, else the column (end of tier); tier drags hit tiers. */
const collision: CollisionDetection = (args) => {
  const byType = (type: string) =>
    args.droppableContainers.filter((c) => c.data.current?.type === type)
  if (args.active.data.current?.type === 'tier') {
    return closestCenter({ ...args, droppableContainers: byType('tier') })
  }
  const cards = pointerWithin({ ...args, droppableContainers: byType('policy') })
  return cards.length ? cards : pointerWithin({ ...args, droppableContainers: byType('tier') })
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return Boolean(
    el && (el.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)),
  )
}

/** Props of `TierBoard`. */
export interface TierBoardProps {
  /** The sorted, unfiltered board (drag targets are computed on it). */
  board: BoardResponse
  /** The same board after filtering: what is shown. */
  shown: BoardResponse
  /** Query key of the board, for optimistic updates. */
  boardKey: QueryKey
  expanded: readonly string[]
  onToggleExpanded: (tier: string) => void
  onEditTier: (tier: BoardTier) => void
  onDeleteTier: (tier: BoardTier) => void
  onExportTier: (tier: BoardTier) => void
  filterRef: RefObject<HTMLInputElement | null>
}

/** The columns: drag cards and tiers, move with the keyboard, open with Enter, edit with `e`. */
export function TierBoard(props: TierBoardProps) {
  const { board, shown, boardKey, expanded, onToggleExpanded, filterRef } = props
  const navigate = useNavigate()
  const can = useCan()
  const reorder = useReorderPolicy(boardKey)
  const moveTier = useMoveTier(boardKey)
  const [focus, setFocus] = useState<BoardFocus | null>(null)
  const [dragging, setDragging] = useState<PolicySummary | null>(null)
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }))

  const collapsed = useCallback(
    (t: BoardTier) => isCollapsibleTier(t) && !expanded.includes(t.name),
    [expanded],
  )
  const sizes = useMemo(
    () => shown.tiers.map((t) => (collapsed(t) ? 0 : t.policies.length)),
    [shown, collapsed],
  )
  const totals = useMemo(
    () => new Map(board.tiers.map((t) => [t.name, t.policies.length])),
    [board],
  )
  const focused = focus ? shown.tiers[focus.tier]?.policies[focus.card] : undefined

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || isTyping(e.target) || document.querySelector('[role="dialog"]'))
        return
      if (e.key === '/') {
        e.preventDefault()
        filterRef.current?.focus()
        return
      }
      if (FOCUS_KEYS.has(e.key) && !e.altKey) {
        e.preventDefault()
        setFocus((f) => moveFocus(sizes, f, e.key as FocusKey))
        return
      }
      if (!focused) return
      if (e.key === 'Enter') {
        e.preventDefault()
        navigate(policyHref(focused))
      } else if (e.key === 'e') {
        e.preventDefault()
        navigate(policyEditHref(focused))
      } else if (
        e.altKey &&
        (e.key === 'ArrowUp' || e.key === 'ArrowDown') &&
        focus &&
        can.write(focused.tier, focused.namespace)
      ) {
        // Alt+↑/↓ moves the focused card: drag without a mouse.
        e.preventDefault()
        const full = board.tiers.find((t) => t.name === focused.tier)?.policies ?? []
        const from = full.findIndex((p) => policyId(p) === policyId(focused))
        const plan = planPolicyMove(
          board,
          focused,
          focused.tier,
          from + (e.key === 'ArrowUp' ? -1 : 1),
        )
        if (plan && from + (e.key === 'ArrowUp' ? -1 : 1) >= 0) {
          reorder.mutate(plan)
          setFocus({
            ...focus,
            card: Math.max(
              0,
              Math.min(focus.card + (e.key === 'ArrowUp' ? -1 : 1), (sizes[focus.tier] ?? 1) - 1),
            ),
          })
        }
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [sizes, focused, focus, navigate, filterRef, board, reorder, can])

  const onDragStart = (e: DragStartEvent) => {
    if (e.active.data.current?.type !== 'policy') return
    const id = String(e.active.id)
    setDragging(board.tiers.flatMap((t) => t.policies).find((p) => policyId(p) === id) ?? null)
  }

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragging(null)
    if (!over) return
    const overType = over.data.current?.type
    const overTier =
      overType === 'tier' ? String(over.id).slice(5) : String(over.data.current?.tier ?? '')
    if (active.data.current?.type === 'tier') {
      const to = board.tiers.findIndex((t) => t.name === overTier)
      const plan = planTierMove(board, String(active.id).slice(5), to)
      if (plan?.changes.length) moveTier.mutate(plan)
      return
    }
    const target = board.tiers.find((t) => t.name === overTier)
    if (!target) return
    // A card may land only in a tier the user can write (its own is checked by the card).
    const moved = parsePolicyId(String(active.id))
    if (!can.write(overTier, moved.namespace)) return
    const activeId = String(active.id)
    let index: number
    if (overType === 'tier') index = target.policies.filter((p) => policyId(p) !== activeId).length
    else index = target.policies.findIndex((p) => policyId(p) === String(over.id))
    if (index < 0) return
    const plan = planPolicyMove(board, parsePolicyId(activeId), overTier, index)
    if (plan) reorder.mutate(plan)
  }

  const tierIds = useMemo(() => shown.tiers.map((t) => `tier:${t.name}`), [shown])
  const error = reorder.error ?? moveTier.error

  return (
    <>
      {error ? (
        <div className="board-alert">
          <ErrorMessage title="The move was undone" error={error} />
        </div>
      ) : null}
      <DndContext
        sensors={sensors}
        collisionDetection={collision}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragging(null)}
      >
        <SortableContext id="tiers" items={tierIds} strategy={horizontalListSortingStrategy}>
          <div className="board" data-testid="tier-board">
            {shown.tiers.map((t, ti) => (
              <TierColumn
                key={t.name}
                tier={t}
                total={totals.get(t.name) ?? t.policies.length}
                focusedCard={focus?.tier === ti ? focus.card : null}
                isCollapsed={collapsed(t)}
                onToggleCollapsed={
                  isCollapsibleTier(t) ? () => onToggleExpanded(t.name) : undefined
                }
                onFocusCard={(card) =>
                  setFocus((f) => (f?.tier === ti && f.card === card ? f : { tier: ti, card }))
                }
                onEdit={() => props.onEditTier(t)}
                onDelete={() => props.onDeleteTier(t)}
                onExport={() => props.onExportTier(t)}
              />
            ))}
          </div>
        </SortableContext>
        <DragOverlay dropAnimation={null}>
          {dragging ? <PolicyCardGhost policy={dragging} /> : null}
        </DragOverlay>
      </DndContext>
    </>
  )
}
