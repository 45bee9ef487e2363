import type { Revision } from '@policyboard/api'
import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { type HistoryFilter, historyQueries } from '../../api/queries.ts'
import {
  Badge,
  Button,
  EmptyState,
  ErrorMessage,
  ErrorState,
  LoadingState,
} from '../../components/index.ts'
import { type Can, useCan } from '../auth/me.ts'
import { ImpactPreview } from '../impact/index.ts'
import { RevisionDiff } from './RevisionDiff.tsx'
import { useRollback } from './useRollback.ts'

const OP_TONE = { create: 'allow', update: 'info', delete: 'deny' } as const

function resourceKey(r: Revision): string {
  return `${r.kind}/${r.namespace ?? ''}/${r.name}`
}

/** Newest revision id of each resource in a newest-first list: those are current, nothing to roll back to. */
export function currentRevisionIds(items: readonly Revision[]): Set<number> {
  const seen = new Set<string>()
  const current = new Set<number>()
  for (const r of items) {
    const key = resourceKey(r)
    if (!seen.has(key)) {
      seen.add(key)
      current.add(r.id)
    }
  }
  return current
}

/**
 * Whether the user may roll back `r`: policies need write rights on their tier and namespace
 * (Kubernetes policies count as tier `default`); other kinds are left to admins here.
 */
function mayRollBack(can: Can, r: Revision): boolean {
  if (can.admin) return true
  if (!r.kind.includes('Policy')) return false
  return can.write(r.tier ?? 'default', r.namespace)
}

/** What the impact of rolling back to `r` compares, in words. */
export function rollbackImpactLabel(r: Revision): string {
  const what = `${r.kind} ${[r.namespace, r.name].filter(Boolean).join('/')}`
  if (!r.after)
    return `Rolling back to #${r.id}: the enforced policies now vs. with ${what} removed`
  const staged = r.kind.startsWith('Staged')
  return `Rolling back to #${r.id}: the enforced policies now vs. with ${what} as it was after #${r.id}${
    staged ? ', enforced (other staged policies left out)' : ''
  }`
}

/** Revisions newest first; selecting one shows its diff and offers a rollback to it. */
export function HistoryList({
  filter,
  compact = false,
  selected: selectedProp,
  onSelect,
}: {
  filter: HistoryFilter
  /** Fewer columns, for a panel inside another page. */
  compact?: boolean
  /** Controlled selection (the history page keeps it in the URL). */
  selected?: number | null
  onSelect?: (id: number | null) => void
}) {
  const history = useQuery(historyQueries.list(filter))
  const [localSelected, setLocalSelected] = useState<number | null>(null)
  const selected = selectedProp !== undefined ? selectedProp : localSelected
  const select = onSelect ?? setLocalSelected
  const rollback = useRollback()
  const [previewOf, setPreviewOf] = useState<number | null>(null)
  const can = useCan()
  const items = history.data?.items ?? []
  const current = useMemo(() => currentRevisionIds(items), [items])
  const chosen = items.find((r) => r.id === selected)

  if (history.isPending) return <LoadingState label="Loading history…" />
  if (history.isError) return <ErrorState error={history.error} onRetry={() => history.refetch()} />
  if (items.length === 0) return <EmptyState title="No changes recorded yet" />

  return (
    <div className={`history${compact ? ' history-compact' : ''}`}>
      <ol className="history-list" data-testid="history.list">
        {items.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              className={`history-item${r.id === selected ? ' is-selected' : ''}`}
              aria-pressed={r.id === selected}
              data-testid="history.item"
              onClick={() => select(r.id === selected ? null : r.id)}
            >
              <span className="history-id">#{r.id}</span>
              <Badge tone={OP_TONE[r.operation]}>
                {r.rollbackOf ? `rollback of #${r.rollbackOf}` : r.operation}
              </Badge>
              <span
                className="history-what"
                title={`${r.kind} ${[r.namespace, r.name].filter(Boolean).join('/')}`}
              >
                {r.kind} <strong>{[r.namespace, r.name].filter(Boolean).join('/')}</strong>
                {r.tier ? <span className="muted"> · tier {r.tier}</span> : null}
              </span>
              <span className="history-who muted">
                {r.actor} · <time dateTime={r.at}>{new Date(r.at).toLocaleString()}</time>
              </span>
              {current.has(r.id) ? <Badge tone="allow">current</Badge> : null}
            </button>
          </li>
        ))}
      </ol>
      {chosen ? (
        <div className="history-detail">
          <div className="history-detail-head">
            <strong>
              #{chosen.id} {chosen.operation} {chosen.kind}{' '}
              {[chosen.namespace, chosen.name].filter(Boolean).join('/')}
            </strong>
            <div className="history-actions">
              {current.has(chosen.id) ? null : (
                <Button
                  size="sm"
                  aria-expanded={previewOf === chosen.id}
                  data-testid="history.preview-impact"
                  onClick={() => setPreviewOf(previewOf === chosen.id ? null : chosen.id)}
                >
                  {previewOf === chosen.id ? 'Hide impact' : 'Preview impact'}
                </Button>
              )}
              {current.has(chosen.id) ? (
                <span className="muted">This is the current version.</span>
              ) : !mayRollBack(can, chosen) ? (
                <span className="muted" data-testid="history.no-rollback">
                  You cannot change this {chosen.kind}: rollback is for its tier's editors.
                </span>
              ) : (
                <Button
                  variant="primary"
                  size="sm"
                  data-testid="history.rollback"
                  disabled={rollback.isPending}
                  onClick={() => rollback.mutate(chosen.id, { onSuccess: () => select(null) })}
                >
                  {chosen.after ? 'Roll back to this version' : 'Roll back to deleted'}
                </Button>
              )}
            </div>
          </div>
          {rollback.error ? <ErrorMessage title="Rollback failed" error={rollback.error} /> : null}
          {previewOf === chosen.id && !current.has(chosen.id) ? (
            <div className="history-impact" data-testid="history.impact">
              <ImpactPreview
                change={{ type: 'revision', id: chosen.id }}
                label={rollbackImpactLabel(chosen)}
                compact
                collapsible
              />
            </div>
          ) : null}
          <RevisionDiff revision={chosen} />
        </div>
      ) : compact ? null : (
        <EmptyState title="Select a change">
          Its diff appears here, with a rollback to that version when it is not the current one.
        </EmptyState>
      )}
    </div>
  )
}
