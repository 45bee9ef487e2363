import type { Recommendation } from '@policyboard/api'
import { RECOMMENDATION_ANNOTATIONS, RECOMMENDATION_TIER } from '@policyboard/policy-core'
import { useQuery } from '@tanstack/react-query'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { Badge, Button, EmptyState, ErrorMessage, LoadingState } from '../../components/index.ts'
import { useCan } from '../auth/me.ts'
import { ImpactPreview } from '../impact/index.ts'
import {
  recommendationQueries,
  useDecideRecommendation,
  useGenerateRecommendation,
} from './queries.ts'
import { deniedFlows, flowText, ruleRows } from './recommendation-model.ts'
import './recommendations.css'

const STATE_TONE = {
  new: 'neutral',
  learning: 'warn',
  accepted: 'allow',
  dismissed: 'deny',
} as const

function StateBadge({ state }: { state: string }) {
  const tone = STATE_TONE[state as keyof typeof STATE_TONE] ?? 'neutral'
  return (
    <Badge tone={tone} testId="recommendations.state">
      {state}
    </Badge>
  )
}

const STATUS_HINT: Record<string, string> = {
  NoData: 'no stored flows touch the namespace yet',
  Learning: 'its rules changed within the last two processing intervals',
  Stabilizing: 'its rules have not changed for two processing intervals',
  Stable: 'its rules have not changed for the whole stabilisation period',
}

/** The engine's status annotation, with when the rules last changed. */
function StatusBadge({ policy }: { policy: Recommendation['policies'][number] }) {
  const annotations = policy.metadata.annotations ?? {}
  const status = annotations[RECOMMENDATION_ANNOTATIONS.status]
  if (!status) return null
  const changed = annotations[RECOMMENDATION_ANNOTATIONS.lastUpdated]
  const hint = `${status}: ${STATUS_HINT[status] ?? ''}${
    changed ? ` (rules last changed ${new Date(changed).toLocaleString()})` : ''
  }`
  return (
    <span title={hint}>
      <Badge tone={status === 'Stable' ? 'allow' : 'neutral'} testId="recommendations.status">
        {status}
      </Badge>
    </span>
  )
}

function Evidence({ rec }: { rec: Recommendation }) {
  const rows = ruleRows(rec)
  const denied = deniedFlows(rec)
  return (
    <section className="rec-section" aria-label="Evidence">
      <h2>Evidence</h2>
      <table className="rec-table" data-testid="recommendations.evidence">
        <thead>
          <tr>
            <th>Rule</th>
            <th>Peer</th>
            <th>Protocol / ports</th>
            <th>Flows</th>
            <th>Observed</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.policy}-${r.direction}-${r.ruleIndex}`}>
              <td>
                <code>
                  {r.direction}[{r.ruleIndex}]
                </code>
              </td>
              <td>
                <Badge tone="neutral">{r.scope}</Badge> {r.peer}
              </td>
              <td>
                {r.protocol} {r.ports}
              </td>
              <td>{r.count}</td>
              <td className="rec-flows">
                {r.flows.length === 0 ? (
                  <span className="muted">none: kept so that name resolution works</span>
                ) : (
                  r.flows.slice(0, 4).map((f) => (
                    <div key={flowText(f)}>
                      <code>{flowText(f)}</code> <span className="muted">×{f.count}</span>
                    </div>
                  ))
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Never allowed</h3>
      {denied.length === 0 ? (
        <p className="muted">No flow of this namespace was denied.</p>
      ) : (
        <ul className="rec-denied" data-testid="recommendations.denied">
          {denied.map((f) => (
            <li key={flowText(f)}>
              <Badge tone="deny">denied</Badge> <code>{flowText(f)}</code>{' '}
              <span className="muted">
                ×{f.count}, {f.decidedBy}: denied flows (lateral movement) never become allow rules
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function Detail({ namespace, perWorkload }: { namespace: string; perWorkload: boolean }) {
  const q = useQuery(recommendationQueries.detail(namespace, perWorkload))
  const generate = useGenerateRecommendation()
  const decide = useDecideRecommendation()
  const can = useCan()
  const writable = can.write(RECOMMENDATION_TIER, namespace)
  if (q.isPending) return <LoadingState label="Learning from the stored flows…" />
  if (q.isError) return <ErrorMessage error={q.error} title="Cannot recommend" />
  const rec = q.data
  const stored = rec.policies.filter((p) => rec.states[p.metadata.name] !== 'new')
  const first = rec.policies[0]
  const firstState = first ? rec.states[first.metadata.name] : undefined
  return (
    <div className="rec-detail" data-testid="recommendations.detail">
      {writable ? null : (
        <p className="muted" data-testid="recommendations.no-write">
          Read only: staging, accepting and dismissing need write rights on tier "
          {RECOMMENDATION_TIER}" in namespace "{namespace}".
        </p>
      )}
      {writable ? (
        <div className="page-actions">
          <Button
            variant={stored.length ? 'secondary' : 'primary'}
            onClick={() => generate.mutate({ namespace, perWorkload })}
            disabled={generate.isPending}
            data-testid="recommendations.generate"
          >
            {stored.length ? 'Regenerate' : 'Stage recommendation'}
          </Button>
          {rec.policies.map((p) => {
            const state = rec.states[p.metadata.name]
            if (state === 'new') return null
            return (
              <span key={p.metadata.name} className="rec-decide">
                <Button
                  variant="primary"
                  disabled={decide.isPending || state === 'accepted'}
                  onClick={() =>
                    decide.mutate({ namespace, name: p.metadata.name, stagedAction: 'Set' })
                  }
                >
                  Accept {rec.policies.length > 1 ? p.metadata.name : ''}
                </Button>
                <Button
                  variant="ghost"
                  disabled={decide.isPending || state === 'dismissed'}
                  onClick={() =>
                    decide.mutate({ namespace, name: p.metadata.name, stagedAction: 'Ignore' })
                  }
                >
                  Dismiss {rec.policies.length > 1 ? p.metadata.name : ''}
                </Button>
              </span>
            )
          })}
        </div>
      ) : null}
      {generate.isError ? <ErrorMessage error={generate.error} title="Cannot stage" /> : null}
      {decide.isError ? <ErrorMessage error={decide.error} title="Cannot decide" /> : null}
      <p className="muted">
        Staged in tier <code>namespace-isolation</code> with <code>stagedAction: Learn</code>, never
        enforced. Accept sets <code>Set</code> (the board shows it as staged, ready to enforce);
        dismiss sets <code>Ignore</code>.
        {firstState === 'accepted' ? (
          <>
            {' '}
            <Link to={`/policies/StagedNetworkPolicy/${namespace}/${first?.metadata.name}`}>
              Open the accepted policy
            </Link>
            .
          </>
        ) : null}
      </p>
      <div className="rec-states">
        {rec.policies.map((p) => (
          <span key={p.metadata.name}>
            <code>{p.metadata.name}</code> <StateBadge state={rec.states[p.metadata.name] ?? ''} />{' '}
            <StatusBadge policy={p} />
          </span>
        ))}
      </div>
      <section className="rec-section" aria-label="Proposed YAML">
        <h2>Proposed YAML</h2>
        <pre className="rec-yaml" data-testid="recommendations.yaml">
          {rec.yaml}
        </pre>
      </section>
      <Evidence rec={rec} />
      <section className="rec-section" aria-label="Impact preview">
        <h2>Impact preview</h2>
        {first && firstState !== 'new' ? (
          <ImpactPreview
            change={{
              type: 'staged',
              kind: 'StagedNetworkPolicy',
              namespace,
              name: first.metadata.name,
            }}
            compact
          />
        ) : first ? (
          <ImpactPreview change={{ type: 'draft', resource: first as never }} compact />
        ) : null}
      </section>
    </div>
  )
}

/** `/recommendations/:namespace?`: staged policies that isolate each namespace, from its flows. */
export function RecommendationsPage() {
  const { namespace } = useParams()
  const [params, setParams] = useSearchParams()
  const perWorkload = params.get('perWorkload') === 'true'
  const navigate = useNavigate()
  const list = useQuery(recommendationQueries.list())
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Recommendations</h1>
          <div className="muted">
            Policies that allow what each namespace was seen doing, and nothing else. Only allowed
            flows that no earlier policy decides become rules; denied flows never do.
          </div>
        </div>
      </header>
      <div className="rec-layout">
        <nav className="rec-list" aria-label="Namespaces">
          {list.isPending ? <LoadingState label="Loading namespaces…" /> : null}
          {list.isError ? <ErrorMessage error={list.error} title="Cannot list namespaces" /> : null}
          {list.data?.namespaces.map((n) => (
            <button
              key={n.namespace}
              type="button"
              className={`rec-ns${n.namespace === namespace ? ' is-active' : ''}`}
              onClick={() => navigate(`/recommendations/${n.namespace}`)}
              data-testid="recommendations.namespace"
            >
              <strong>{n.namespace}</strong>
              <span className="muted">
                {n.rules} rule{n.rules === 1 ? '' : 's'} · {n.allowedFlows} flows · {n.deniedFlows}{' '}
                denied
              </span>
              {n.policies.map((p) => (
                <StateBadge key={p.name} state={p.state} />
              ))}
            </button>
          ))}
        </nav>
        <div className="rec-main">
          {namespace ? (
            <>
              <label className="rec-toggle">
                <input
                  type="checkbox"
                  checked={perWorkload}
                  onChange={(e) =>
                    setParams(e.target.checked ? { perWorkload: 'true' } : {}, { replace: true })
                  }
                />{' '}
                One policy per workload
              </label>
              <Detail namespace={namespace} perWorkload={perWorkload} />
            </>
          ) : (
            <EmptyState title="Pick a namespace">
              Each namespace gets a staged policy in the <code>namespace-isolation</code> tier.
            </EmptyState>
          )}
        </div>
      </div>
    </div>
  )
}
