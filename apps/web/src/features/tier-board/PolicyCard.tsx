import { useSortable } from '@dnd-kit/sortable'
import type { PolicySummary } from '@policyboard/api'
import { memo } from 'react'
import { Link } from 'react-router'
import { Badge } from '../../components/index.ts'
import { ImpactLink } from '../impact/ImpactLink.tsx'
import { LintBadge } from '../lint/LintBadge.tsx'
import { policyHref } from '../policy-detail/links.ts'
import {
  appliesTo,
  formatCount,
  isMovable,
  kindFamily,
  policyId,
  ruleCounts,
  ruleSummary,
} from './board-model.ts'

const KIND_LABEL = { global: 'global', namespaced: 'namespaced', kubernetes: 'k8s' } as const

/** Props of `PolicyCard`. */
export interface PolicyCardProps {
  policy: PolicySummary
  /** Keyboard focus is on this card. */
  isFocused: boolean
  /** Drops are allowed in its tier (false in locked built-in tiers). */
  isDraggable: boolean
  onFocus: () => void
}

/** One policy: name, kind, staged marker, what it applies to, rules, endpoints and hits. */
export const PolicyCard = memo(function PolicyCard({
  policy: p,
  isFocused,
  isDraggable,
  onFocus,
}: PolicyCardProps) {
  const id = policyId(p)
  const movable = isDraggable && isMovable(p)
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id,
    data: { type: 'policy', tier: p.tier },
    disabled: !movable,
  })
  const staged = p.isStaged
  const style = {
    transform: transform ? `translate3d(${transform.x}px, ${transform.y}px, 0)` : undefined,
    transition,
  }
  return (
    <article
      ref={setNodeRef}
      style={style}
      className={`card${staged ? ' card-staged' : ''}${isFocused ? ' is-focused' : ''}${isDragging ? ' is-dragging' : ''}`}
      data-testid="tier-board.card"
      data-policy={id}
      data-name={p.name}
      aria-label={`${p.name}${p.namespace ? ` in ${p.namespace}` : ''}${staged ? ', staged' : ''}`}
      {...attributes}
      {...listeners}
      tabIndex={isFocused ? 0 : -1}
      onFocus={onFocus}
    >
      <PolicyCardContent policy={p} />
    </article>
  )
})

/** What a card shows, without drag behaviour (also used by the drag overlay). */
export function PolicyCardContent({ policy: p }: { policy: PolicySummary }) {
  const family = kindFamily(p.kind)
  const counts = ruleCounts(p.resource)
  const staged = p.isStaged
  return (
    <>
      <div className="card-head">
        <Link
          to={policyHref(p)}
          className="card-name"
          tabIndex={-1}
          onClick={(e) => e.stopPropagation()}
        >
          {p.name}
        </Link>
        <LintBadge policy={p} />
        {p.order !== null ? (
          <span className="card-order" title="order">
            {p.order}
          </span>
        ) : null}
      </div>
      <div className="card-badges">
        <Badge tone={family === 'kubernetes' ? 'info' : 'neutral'} title={p.kind}>
          {KIND_LABEL[family]}
        </Badge>
        {p.namespace ? <Badge title="namespace">{p.namespace}</Badge> : null}
        {staged ? (
          <Badge
            tone="staged"
            testId="tier-board.staged"
            title={`staged: ${p.stagedAction ?? 'Set'}`}
          >
            staged · {p.stagedAction ?? 'Set'}
          </Badge>
        ) : (
          <Badge title="enforced">enforced</Badge>
        )}
      </div>
      <div className="card-selector" title={appliesTo(p.resource)}>
        {appliesTo(p.resource)}
      </div>
      <div className="card-foot">
        <span className="card-rules">{ruleSummary(counts)}</span>
        {staged ? (
          <ImpactLink
            policy={{
              kind: p.kind,
              name: p.name,
              ...(p.namespace ? { namespace: p.namespace } : {}),
            }}
          />
        ) : null}
        <span className="card-endpoints" title="endpoints selected now">
          ⬡ {p.endpointCount}
        </span>
      </div>
      <div className="card-hits" title="hits over the window: allowed / denied / passed">
        <span className="hit hit-allow">{formatCount(p.hits.allowed)}</span>
        <span className="hit hit-deny">{formatCount(p.hits.denied)}</span>
        <span className="hit hit-pass">{formatCount(p.hits.passed)}</span>
      </div>
    </>
  )
}

/** A card as it looks while dragged. */
export function PolicyCardGhost({ policy }: { policy: PolicySummary }) {
  return (
    <article className={`card is-overlay${policy.isStaged ? ' card-staged' : ''}`}>
      <PolicyCardContent policy={policy} />
    </article>
  )
}
