import type { PolicyKind, PolicyRef } from '@policyboard/api'
import { printResource, type Resource } from '@policyboard/policy-core'
import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../api/client.ts'
import { boardQueries, policyQueries } from '../../api/queries.ts'
import {
  Badge,
  Button,
  EmptyState,
  ErrorState,
  LoadingState,
  YamlEditor,
} from '../../components/index.ts'
import { useCan } from '../auth/me.ts'
import { HistoryList } from '../history/HistoryList.tsx'
import { ImpactLink } from '../impact/ImpactLink.tsx'
import { useTheme } from '../theme/index.ts'
import {
  appliesTo,
  formatCount,
  policyId,
  ruleCounts,
  ruleSummary,
} from '../tier-board/board-model.ts'
import { ExportDialog } from '../yaml-io/ExportDialog.tsx'
import { policyEditHref } from './links.ts'

/** The tier a stored policy belongs to (Kubernetes policies and policies without one: `default`). */
function tierOfPolicy(r: Resource): string {
  const tier = (r.spec as { tier?: unknown } | undefined)?.tier
  return typeof tier === 'string' && tier ? tier : 'default'
}

/** `/policies/:kind/:namespace?/:name`: the stored policy, its numbers, YAML and history. */
export function PolicyDetailPage() {
  const params = useParams()
  const { kind, namespace, name = '' } = params
  const ref = useMemo<PolicyRef>(
    () => ({ kind: kind as PolicyKind, name, ...(namespace ? { namespace } : {}) }),
    [kind, namespace, name],
  )
  const policy = useQuery(policyQueries.detail(ref))
  const board = useQuery(boardQueries.detail('24h'))
  const { theme } = useTheme()
  const can = useCan()
  const [exporting, setExporting] = useState(false)
  const summary = useMemo(
    () => board.data?.tiers.flatMap((t) => t.policies).find((p) => policyId(p) === policyId(ref)),
    [board.data, ref],
  )
  const yamlText = useMemo(() => (policy.data ? printResource(policy.data) : ''), [policy.data])

  if (policy.isPending) return <LoadingState />
  if (policy.isError && policy.error instanceof ApiError && policy.error.status === 404) {
    return (
      <EmptyState title="No such policy" action={<Link to="/board">Back to the board</Link>}>
        There is no {ref.kind} {[ref.namespace, ref.name].filter(Boolean).join('/')}: it may have
        been deleted or renamed. Its history stays under History.
      </EmptyState>
    )
  }
  if (policy.isError) return <ErrorState error={policy.error} onRetry={() => policy.refetch()} />

  const display = [ref.namespace, ref.name].filter(Boolean).join('/')
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <div className="crumbs">
            <Link to="/board">Board</Link>
            {summary ? (
              <>
                {' / '}
                <Link to={`/tiers/${encodeURIComponent(summary.tier)}`}>{summary.tier}</Link>
              </>
            ) : null}
          </div>
          <h1>{display}</h1>
          <div className="page-badges">
            <Badge>{ref.kind}</Badge>
            {summary?.isStaged ? (
              <>
                <Badge tone="staged">staged · {summary.stagedAction ?? 'Set'}</Badge>
                <ImpactLink policy={ref} />
              </>
            ) : (
              <Badge tone="allow">enforced</Badge>
            )}
            {summary ? <Badge>order {summary.order ?? 'unset'}</Badge> : null}
          </div>
        </div>
        <div className="page-actions">
          <Button onClick={() => setExporting(true)}>Download YAML</Button>
          {can.write(tierOfPolicy(policy.data), ref.namespace) ? (
            <Link className="btn btn-primary" to={policyEditHref(ref)}>
              Edit
            </Link>
          ) : null}
        </div>
      </header>
      {summary ? (
        <section className="stats">
          <div className="stat">
            <span className="stat-label">Applies to</span>
            <span className="stat-value mono">{appliesTo(summary.resource)}</span>
          </div>
          <div className="stat">
            <span className="stat-label">Rules</span>
            <span className="stat-value">{ruleSummary(ruleCounts(summary.resource))}</span>
          </div>
          <div className="stat">
            <span className="stat-label">Endpoints now</span>
            <span className="stat-value">{summary.endpointCount}</span>
          </div>
          <div className="stat">
            <span className="stat-label">Hits (24h)</span>
            <span className="stat-value">
              <span className="hit hit-allow">{formatCount(summary.hits.allowed)}</span>{' '}
              <span className="hit hit-deny">{formatCount(summary.hits.denied)}</span>{' '}
              <span className="hit hit-pass">{formatCount(summary.hits.passed)}</span>
            </span>
          </div>
        </section>
      ) : null}
      <div className="split">
        <section className="panel">
          <h2>YAML</h2>
          <YamlEditor value={yamlText} readOnly theme={theme} ariaLabel="Policy YAML" />
        </section>
        <section className="panel">
          <h2>History</h2>
          <HistoryList
            filter={{
              kind: ref.kind,
              name: ref.name,
              ...(ref.namespace ? { namespace: ref.namespace } : {}),
            }}
            compact
          />
        </section>
      </div>
      {exporting ? (
        <ExportDialog
          scope={{
            kind: ref.kind,
            name: ref.name,
            ...(ref.namespace ? { namespace: ref.namespace } : {}),
          }}
          onClose={() => setExporting(false)}
        />
      ) : null}
    </div>
  )
}
