import type { DirectionPolicies, PolicyKind } from '@policyboard/api'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { Badge, Button, ErrorMessage, LoadingState } from '../../components/index.ts'
import { policyHref } from '../policy-detail/links.ts'
import type { GraphEdge, GraphModel, GraphNode, GraphViewName } from './graph-model.ts'
import { graphQueries } from './queries.ts'
import { VERDICT_COLOURS, VERDICT_LABELS } from './to-flow.ts'

function PolicyList({ title, tiers }: { title: string; tiers: DirectionPolicies['ingress'] }) {
  return (
    <div className="graph-policies">
      <h4>{title}</h4>
      {tiers.length === 0 ? (
        <div className="muted">No policy applies: profiles decide (allow).</div>
      ) : (
        <ol className="graph-tier-list">
          {tiers.map((t) => (
            <li key={t.tier}>
              <div className="graph-tier-name">
                tier <strong>{t.tier}</strong>
                <span className="muted">
                  {' '}
                  · then {t.defaultAction === 'Pass' ? 'pass' : 'deny'}
                </span>
              </div>
              <ol className="graph-policy-list">
                {t.policies.map((p) => (
                  <li key={`${p.kind}/${p.namespace ?? ''}/${p.name}`}>
                    <Link
                      className="mono"
                      to={policyHref({
                        kind: p.kind as PolicyKind,
                        ...(p.namespace ? { namespace: p.namespace } : {}),
                        name: p.name,
                      })}
                    >
                      {p.namespace ? `${p.namespace}/` : ''}
                      {p.name}
                    </Link>{' '}
                    {p.staged ? <Badge tone="staged">staged</Badge> : null}
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

function EndpointDetails({ node, view }: { node: GraphNode; view: GraphViewName }) {
  const ns = node.kind === 'host' ? '-' : (node.namespace ?? '-')
  const q = useQuery(graphQueries.endpointPolicies(ns, node.label))
  if (q.isPending) return <LoadingState label="Loading policies…" />
  if (q.isError) return <ErrorMessage error={q.error} title="Could not load the policies" />
  const d = q.data
  const policies = d[view]
  const labels = Object.entries(d.labels).sort(([a], [b]) => a.localeCompare(b))
  return (
    <>
      <section>
        <h3>Labels</h3>
        {labels.length === 0 ? (
          <div className="muted">No labels in common.</div>
        ) : (
          <ul className="graph-labels" data-testid="service-graph.labels">
            {labels.map(([k, v]) => (
              <li key={k} className="mono">
                {k}={v}
              </li>
            ))}
          </ul>
        )}
        <div className="muted small">
          {d.members.length} {d.members.length === 1 ? 'endpoint' : 'endpoints'}
          {d.members.length > 1 ? `; policies computed for ${d.judged}` : ''}
        </div>
      </section>
      <section data-testid="service-graph.policies">
        <h3>Policies in evaluation order ({view})</h3>
        <PolicyList title="Ingress" tiers={policies.ingress} />
        <PolicyList title="Egress" tiers={policies.egress} />
      </section>
    </>
  )
}

function FlowList({
  title,
  edges,
  other,
  onSelectEdge,
}: {
  title: string
  edges: GraphEdge[]
  other: (e: GraphEdge) => string
  onSelectEdge: (id: string) => void
}) {
  if (edges.length === 0) return null
  return (
    <div>
      <h4>{title}</h4>
      <ul className="graph-flow-list">
        {edges.map((e) => (
          <li key={e.id}>
            <button type="button" className="graph-flow-button" onClick={() => onSelectEdge(e.id)}>
              <span
                className="graph-swatch"
                style={{ background: VERDICT_COLOURS[e.verdict] }}
                title={VERDICT_LABELS[e.verdict]}
              />
              <span className="mono graph-flow-peer">{other(e)}</span>
              <span className="muted">
                {e.ports.slice(0, 3).join(', ')}
                {e.ports.length > 3 ? '…' : ''}
              </span>
              <span className="graph-flow-count">{e.count.toLocaleString()}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}

/** The side panel of a node: labels, policies per direction in evaluation order, and its flows. */
export function NodePanel({
  node,
  graph,
  view,
  onSelectEdge,
  onHideUnrelated,
  onDrill,
}: {
  node: GraphNode
  graph: GraphModel
  view: GraphViewName
  onSelectEdge: (id: string) => void
  onHideUnrelated: () => void
  onDrill: (namespace: string) => void
}) {
  const label = (id: string) => graph.nodes.find((n) => n.id === id)?.label ?? id
  const incoming = graph.edges.filter((e) => e.target === node.id)
  const outgoing = graph.edges.filter((e) => e.source === node.id)
  const isEndpoint = node.kind === 'workload' || node.kind === 'host'
  return (
    <div className="graph-panel-body" data-testid="service-graph.node-panel">
      <header className="graph-panel-head">
        <div className="muted small">
          {node.kind === 'namespace' ? 'namespace (collapsed)' : node.kind}
        </div>
        <h2 className="mono">{node.label}</h2>
        {node.namespace && node.kind !== 'namespace' ? (
          <div className="muted">namespace {node.namespace}</div>
        ) : null}
        <div className="graph-panel-actions">
          <Button size="sm" onClick={onHideUnrelated} data-testid="service-graph.hide-unrelated">
            Hide unrelated
          </Button>
          {node.kind === 'namespace' ? (
            <Button size="sm" onClick={() => onDrill(node.label)}>
              Open namespace
            </Button>
          ) : null}
        </div>
      </header>
      {isEndpoint ? <EndpointDetails node={node} view={view} /> : null}
      {node.kind === 'networkset' ? (
        <div className="muted">A network set: policies select it in rules; none apply to it.</div>
      ) : null}
      {node.kind === 'external' ? (
        <div className="muted">
          Addresses outside every network set ({node.label === 'pub' ? 'public' : 'private'}{' '}
          ranges).
        </div>
      ) : null}
      <section>
        <h3>Flows</h3>
        <FlowList
          title="Incoming"
          edges={incoming}
          other={(e) => label(e.source)}
          onSelectEdge={onSelectEdge}
        />
        <FlowList
          title="Outgoing"
          edges={outgoing}
          other={(e) => label(e.target)}
          onSelectEdge={onSelectEdge}
        />
        {incoming.length + outgoing.length === 0 ? (
          <div className="muted">No flows shown.</div>
        ) : null}
      </section>
    </div>
  )
}
