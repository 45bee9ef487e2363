import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { Link, useParams } from 'react-router'
import { boardQueries } from '../../api/queries.ts'
import { Badge, Button, EmptyState, ErrorState, LoadingState } from '../../components/index.ts'
import { useCan } from '../auth/me.ts'
import { HistoryList } from '../history/HistoryList.tsx'
import { policyHref } from '../policy-detail/links.ts'
import { ExportDialog } from '../yaml-io/ExportDialog.tsx'
import {
  appliesTo,
  formatCount,
  isBuiltInTier,
  policyId,
  ruleCounts,
  ruleSummary,
  sortBoard,
} from './board-model.ts'
import { TierDialog } from './TierDialog.tsx'

/** `/tiers/:name`: one tier's settings, its policies in order, and its history. */
export function TierPage() {
  const { name = '' } = useParams()
  const board = useQuery(boardQueries.detail('24h'))
  const sorted = useMemo(() => (board.data ? sortBoard(board.data) : undefined), [board.data])
  const tier = sorted?.tiers.find((t) => t.name === name)
  const [editing, setEditing] = useState(false)
  const can = useCan()
  const [exporting, setExporting] = useState(false)

  if (board.isPending) return <LoadingState />
  if (board.isError) return <ErrorState error={board.error} onRetry={() => board.refetch()} />
  if (!tier || !sorted) {
    return (
      <EmptyState
        title={`No tier named ${name}`}
        action={<Link to="/board">Back to the board</Link>}
      />
    )
  }
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <div className="crumbs">
            <Link to="/board">Board</Link> / tier
          </div>
          <h1>{tier.name}</h1>
          <div className="page-badges">
            <Badge>order {tier.order ?? 'unset'}</Badge>
            <Badge tone={tier.defaultAction === 'Pass' ? 'pass' : 'deny'}>
              end: {tier.defaultAction}
            </Badge>
            {isBuiltInTier(tier) ? <Badge>built-in</Badge> : null}
          </div>
        </div>
        <div className="page-actions">
          <Button onClick={() => setExporting(true)}>Download YAML</Button>
          {!isBuiltInTier(tier) && can.admin ? (
            <Button variant="primary" onClick={() => setEditing(true)}>
              Edit tier
            </Button>
          ) : null}
        </div>
      </header>
      <section className="panel">
        <h2>Policies in evaluation order</h2>
        {tier.policies.length === 0 ? (
          <EmptyState title="No policies in this tier" />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>#</th>
                <th>Name</th>
                <th>Kind</th>
                <th>Order</th>
                <th>Applies to</th>
                <th>Rules</th>
                <th className="num">Endpoints</th>
                <th className="num">Allowed / denied / passed (24h)</th>
              </tr>
            </thead>
            <tbody>
              {tier.policies.map((p, i) => (
                <tr key={policyId(p)} className={p.isStaged ? 'row-staged' : ''}>
                  <td>{i + 1}</td>
                  <td>
                    <Link to={policyHref(p)}>
                      {p.namespace ? `${p.namespace}/${p.name}` : p.name}
                    </Link>
                    {p.isStaged ? (
                      <Badge tone="staged">staged · {p.stagedAction ?? 'Set'}</Badge>
                    ) : null}
                  </td>
                  <td>{p.kind}</td>
                  <td>{p.order ?? '—'}</td>
                  <td className="mono">{appliesTo(p.resource)}</td>
                  <td>{ruleSummary(ruleCounts(p.resource))}</td>
                  <td className="num">{p.endpointCount}</td>
                  <td className="num">
                    {formatCount(p.hits.allowed)} / {formatCount(p.hits.denied)} /{' '}
                    {formatCount(p.hits.passed)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel">
        <h2>History of this tier</h2>
        <HistoryList filter={{ tier: tier.name }} compact />
      </section>
      {editing ? (
        <TierDialog tier={tier} tiers={sorted.tiers} onClose={() => setEditing(false)} />
      ) : null}
      {exporting ? (
        <ExportDialog scope={{ tier: tier.name }} onClose={() => setExporting(false)} />
      ) : null}
    </div>
  )
}
