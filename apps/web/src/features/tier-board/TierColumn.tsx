import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable'
import type { BoardTier } from '@policyboard/api'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useMemo, useRef } from 'react'
import { Link } from 'react-router'
import { Badge, Icon } from '../../components/index.ts'
import { useCan } from '../auth/me.ts'
import { acceptsPolicies, isBuiltInTier, policyId } from './board-model.ts'
import { PolicyCard } from './PolicyCard.tsx'

/** Columns longer than this render only the cards in view. */
const VIRTUALIZE_ABOVE = 40
/** Estimated card height with its gap, in px (measured after render). */
const CARD_ESTIMATE = 124

/** Props of `TierColumn`. */
export interface TierColumnProps {
  /** The tier with its policies already filtered. */
  tier: BoardTier
  /** Policies in the tier before filtering. */
  total: number
  /** Index of the keyboard-focused card in this column, if any. */
  focusedCard: number | null
  isCollapsed: boolean
  onToggleCollapsed?: () => void
  onFocusCard: (index: number) => void
  onEdit: () => void
  onDelete: () => void
  onExport: () => void
}

/** One tier: a header with its settings and actions, its cards in evaluation order. */
export const TierColumn = memo(function TierColumn(props: TierColumnProps) {
  const { tier, total, focusedCard, isCollapsed, onToggleCollapsed, onFocusCard } = props
  const builtIn = isBuiltInTier(tier)
  const droppable = acceptsPolicies(tier)
  const can = useCan()
  // Tiers are cluster configuration: moving, editing and deleting them is for admins.
  const tierActions = !builtIn && can.admin
  const sortable = useSortable({
    id: `tier:${tier.name}`,
    data: { type: 'tier' },
    disabled: !tierActions,
  })
  const ids = useMemo(() => tier.policies.map(policyId), [tier.policies])
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtual = tier.policies.length > VIRTUALIZE_ABOVE
  const virtualizer = useVirtualizer({
    count: virtual ? tier.policies.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => CARD_ESTIMATE,
    overscan: 6,
    // Until the column is measured, assume a screenful so the first paint has cards.
    initialRect: { width: 288, height: 800 },
    getItemKey: (i) => ids[i] ?? i,
  })

  useEffect(() => {
    if (focusedCard === null) return
    if (virtual) virtualizer.scrollToIndex(focusedCard, { align: 'auto' })
    const id = ids[focusedCard]
    const raf = requestAnimationFrame(() => {
      // A refetch re-runs this effect: never pull focus back from the filter or a dialog.
      const active = document.activeElement
      if (active && active !== document.body && !active.closest('[data-testid="tier-board"]'))
        return
      const el = [
        ...(scrollRef.current?.querySelectorAll<HTMLElement>('[data-policy]') ?? []),
      ].find((e) => e.dataset.policy === id)
      el?.focus({ preventScroll: virtual })
      if (!virtual) el?.scrollIntoView?.({ block: 'nearest' })
    })
    return () => cancelAnimationFrame(raf)
  }, [focusedCard, ids, virtual, virtualizer])

  const style = {
    transform: sortable.transform ? `translate3d(${sortable.transform.x}px, 0, 0)` : undefined,
    transition: sortable.transition,
  }

  if (isCollapsed) {
    return (
      <section
        ref={sortable.setNodeRef}
        style={style}
        className="column column-collapsed"
        data-testid="tier-board.column"
        data-tier={tier.name}
        aria-label={`Tier ${tier.name} (collapsed)`}
      >
        <button
          type="button"
          className="column-expand"
          onClick={onToggleCollapsed}
          title={`Show tier ${tier.name}`}
        >
          <span className="column-expand-name">{tier.name}</span>
          <span className="column-count">{total}</span>
        </button>
      </section>
    )
  }

  const cards = (index: number) => {
    const p = tier.policies[index]
    if (!p) return null
    return (
      <PolicyCard
        policy={p}
        isFocused={focusedCard === index}
        isDraggable={droppable && can.write(tier.name, p.namespace)}
        onFocus={() => onFocusCard(index)}
      />
    )
  }

  return (
    <section
      ref={sortable.setNodeRef}
      style={style}
      className={`column${builtIn ? ' column-builtin' : ''}${sortable.isDragging ? ' is-dragging' : ''}`}
      data-testid="tier-board.column"
      data-tier={tier.name}
      aria-label={`Tier ${tier.name}`}
    >
      <header className="column-head">
        <div className="column-title">
          {builtIn ? (
            <span
              className="column-grip is-locked"
              title="built-in tier: fixed order"
              aria-hidden="true"
            >
              <Icon name="lock" size={12} />
            </span>
          ) : !tierActions ? null : (
            <button
              type="button"
              className="column-grip"
              aria-label={`Drag tier ${tier.name}`}
              data-testid="tier-board.tier-handle"
              {...sortable.attributes}
              {...sortable.listeners}
            >
              <Icon name="grip" />
            </button>
          )}
          <Link to={`/tiers/${encodeURIComponent(tier.name)}`} className="column-name">
            {tier.name}
          </Link>
          <span className="column-count" title="policies shown / in tier">
            {tier.policies.length === total ? total : `${tier.policies.length}/${total}`}
          </span>
        </div>
        <div className="column-meta">
          <span title="tier order">order {tier.order ?? '—'}</span>
          <Badge
            tone={tier.defaultAction === 'Pass' ? 'pass' : 'deny'}
            title="default action at end of tier"
          >
            end: {tier.defaultAction}
          </Badge>
          {builtIn ? <Badge>built-in</Badge> : null}
          <span className="column-actions">
            {onToggleCollapsed ? (
              <button
                type="button"
                className="icon-btn"
                onClick={onToggleCollapsed}
                aria-label={`Collapse tier ${tier.name}`}
              >
                <Icon name="collapse" />
              </button>
            ) : null}
            <button
              type="button"
              className="icon-btn"
              onClick={props.onExport}
              aria-label={`Download tier ${tier.name}`}
              title="Download YAML"
            >
              <Icon name="download" />
            </button>
            {tierActions ? (
              <>
                <button
                  type="button"
                  className="icon-btn"
                  onClick={props.onEdit}
                  aria-label={`Edit tier ${tier.name}`}
                  title="Edit tier"
                >
                  <Icon name="edit" />
                </button>
                <button
                  type="button"
                  className="icon-btn danger"
                  onClick={props.onDelete}
                  aria-label={`Delete tier ${tier.name}`}
                  title="Delete tier"
                >
                  <Icon name="trash" />
                </button>
              </>
            ) : null}
          </span>
        </div>
      </header>
      <SortableContext id={`tier:${tier.name}`} items={ids} strategy={verticalListSortingStrategy}>
        <div ref={scrollRef} className="column-body" data-testid="tier-board.column-body">
          {tier.policies.length === 0 ? (
            <div className="column-empty">{total === 0 ? 'No policies' : 'No match'}</div>
          ) : virtual ? (
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((v) => (
                <div
                  key={v.key}
                  data-index={v.index}
                  ref={virtualizer.measureElement}
                  className="virtual-row"
                  style={{ position: 'absolute', top: v.start, left: 0, right: 0 }}
                >
                  {cards(v.index)}
                </div>
              ))}
            </div>
          ) : (
            tier.policies.map((p, i) => (
              <div key={policyId(p)} className="virtual-row">
                {cards(i)}
              </div>
            ))
          )}
        </div>
      </SortableContext>
    </section>
  )
})
