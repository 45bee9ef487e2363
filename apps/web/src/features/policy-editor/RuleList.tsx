import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core'
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable'
import type { ReactNode } from 'react'

/** Props of {@link RuleList}. */
export interface RuleListProps {
  /** `ingress` or `egress`: prefixes the sortable ids and test ids. */
  direction: 'ingress' | 'egress'
  /** How many rules there are. */
  count: number
  /** One-line summary of rule `i`, shown in its header. */
  summary: (i: number) => string
  /** The body of rule `i`. */
  render: (i: number) => ReactNode
  onMove: (from: number, to: number) => void
  onRemove: (i: number) => void
  onDuplicate: (i: number) => void
  onAdd: () => void
}

/** An ordered rule list: drag a rule by its handle (or use ↑/↓) to reorder it. */
export function RuleList({
  direction,
  count,
  summary,
  render,
  onMove,
  onRemove,
  onDuplicate,
  onAdd,
}: RuleListProps) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  )
  const ids = Array.from({ length: count }, (_, i) => `${direction}-${i}`)
  const onDragEnd = (e: DragEndEvent) => {
    if (!e.over || e.active.id === e.over.id) return
    onMove(ids.indexOf(String(e.active.id)), ids.indexOf(String(e.over.id)))
  }
  const title = direction === 'ingress' ? 'Ingress rules' : 'Egress rules'
  return (
    <section className="pe-section" data-testid={`policy-editor.${direction}`} aria-label={title}>
      <header className="pe-section-header">
        <h3>{title}</h3>
        <button type="button" className="btn btn-secondary btn-sm" onClick={onAdd}>
          + Add {direction} rule
        </button>
      </header>
      {count === 0 ? <p className="pe-hint">No {direction} rules.</p> : null}
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <SortableContext items={ids} strategy={verticalListSortingStrategy}>
          <ol className="pe-rules">
            {ids.map((id, i) => (
              <SortableRule
                key={id}
                id={id}
                index={i}
                count={count}
                label={`${direction} rule ${i + 1}`}
                summary={summary(i)}
                onUp={() => onMove(i, i - 1)}
                onDown={() => onMove(i, i + 1)}
                onRemove={() => onRemove(i)}
                onDuplicate={() => onDuplicate(i)}
              >
                {render(i)}
              </SortableRule>
            ))}
          </ol>
        </SortableContext>
      </DndContext>
    </section>
  )
}

function SortableRule({
  id,
  index,
  count,
  label,
  summary,
  children,
  onUp,
  onDown,
  onRemove,
  onDuplicate,
}: {
  id: string
  index: number
  count: number
  label: string
  summary: string
  children: ReactNode
  onUp: () => void
  onDown: () => void
  onRemove: () => void
  onDuplicate: () => void
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id,
  })
  const style = {
    transform: transform
      ? `translate3d(${Math.round(transform.x)}px, ${Math.round(transform.y)}px, 0)`
      : undefined,
    transition,
  }
  return (
    <li
      ref={setNodeRef}
      style={style}
      className={`pe-rule${isDragging ? ' pe-dragging' : ''}`}
      data-testid="policy-editor.rule"
      aria-label={label}
    >
      <details open>
        <summary className="pe-rule-header">
          <button
            type="button"
            className="pe-drag-handle"
            aria-label={`Drag ${label}`}
            title="Drag to reorder"
            {...attributes}
            {...listeners}
          >
            ⠿
          </button>
          <span className="pe-rule-index">{index + 1}</span>
          <span className="pe-rule-summary">{summary}</span>
          <span className="pe-rule-tools">
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              aria-label={`Move ${label} up`}
              disabled={index === 0}
              onClick={onUp}
            >
              ↑
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              aria-label={`Move ${label} down`}
              disabled={index === count - 1}
              onClick={onDown}
            >
              ↓
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              aria-label={`Duplicate ${label}`}
              onClick={onDuplicate}
            >
              Copy
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              aria-label={`Remove ${label}`}
              onClick={onRemove}
            >
              ×
            </button>
          </span>
        </summary>
        {children}
      </details>
    </li>
  )
}
