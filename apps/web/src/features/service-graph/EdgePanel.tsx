import type { ExplainRequest } from '@policyboard/api'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { Badge, ErrorMessage, LoadingState } from '../../components/index.ts'
import { explainQueries, TraceView } from '../impact/index.ts'
import type { EdgeFlow, GraphEdge, GraphModel, GraphViewName } from './graph-model.ts'
import { VERDICT_COLOURS, VERDICT_LABELS } from './to-flow.ts'

/** The explain request for one aggregated tuple: a flow-log record naming both sides as stored. */
function explainRequest(f: EdgeFlow): ExplainRequest {
  return {
    record: {
      // A record without a time window is taken for a tuple; these fields say it is a record.
      start_time: 0,
      end_time: 0,
      host: '-',
      action: f.enforced === 'Deny' ? 'deny' : 'allow',
      reporter: 'dst',
      source_port: null,
      source_type: f.source.type,
      source_namespace: f.source.namespace,
      source_name: '-',
      source_name_aggr: f.source.name,
      source_ip: null,
      dest_type: f.destination.type,
      dest_namespace: f.destination.namespace,
      dest_name: '-',
      dest_name_aggr: f.destination.name,
      dest_ip: null,
      proto: f.proto,
      dest_port: f.port,
      num_flows: f.count,
    },
  }
}

function FlowTrace({ flow, view }: { flow: EdgeFlow; view: GraphViewName }) {
  const q = useQuery(explainQueries.detail(explainRequest(flow)))
  if (q.isPending) return <LoadingState label="Tracing…" />
  if (q.isError) return <ErrorMessage error={q.error} title="Could not explain this flow" />
  const first = view === 'staged' ? q.data.staged : q.data.enforced
  const second = view === 'staged' ? q.data.enforced : q.data.staged
  return (
    <div className="graph-traces" data-testid="service-graph.trace">
      {q.data.uncertain ? <div className="muted small">{q.data.uncertain.detail}</div> : null}
      <TraceView title={view === 'staged' ? 'Staged view' : 'Enforced view'} verdict={first} />
      <TraceView
        title={view === 'staged' ? 'Enforced view' : 'Staged view'}
        verdict={second}
        testId="trace.other"
      />
    </div>
  )
}

/** The side panel of an edge: its tuples with verdicts, and the traces that decided them. */
export function EdgePanel({
  edge,
  graph,
  view,
}: {
  edge: GraphEdge
  graph: GraphModel
  view: GraphViewName
}) {
  const [index, setIndex] = useState(0)
  const label = (id: string) => graph.nodes.find((n) => n.id === id)?.label ?? id
  const flows = [...edge.flows].sort((a, b) => b.count - a.count)
  const selected = flows[Math.min(index, flows.length - 1)]
  return (
    <div className="graph-panel-body" data-testid="service-graph.edge-panel">
      <header className="graph-panel-head">
        <div className="muted small">flows</div>
        <h2 className="mono graph-edge-title">
          {label(edge.source)} <span className="muted">→</span> {label(edge.target)}
        </h2>
        <div className="muted">{edge.count.toLocaleString()} flows</div>
      </header>
      <section>
        <h3>By protocol and port</h3>
        <ul className="graph-flow-list">
          {flows.map((f, i) => (
            <li
              key={`${f.source.namespace}/${f.source.name}>${f.destination.namespace}/${f.destination.name}/${f.proto}/${f.port}`}
            >
              <button
                type="button"
                className={`graph-flow-button${f === selected ? ' is-active' : ''}`}
                onClick={() => setIndex(i)}
                data-testid="service-graph.edge-flow"
              >
                <span className="graph-swatch" style={{ background: VERDICT_COLOURS[f.verdict] }} />
                <span className="mono graph-flow-peer">
                  {f.source.name} → {f.destination.name}
                </span>
                <span className="mono">{f.port === null ? f.proto : `${f.proto}/${f.port}`}</span>
                <span className="graph-flow-count">{f.count.toLocaleString()}</span>
              </button>
              {f === selected ? (
                <div className="graph-flow-verdicts">
                  <Badge tone={f.enforced === 'Allow' ? 'allow' : 'deny'}>
                    enforced {f.enforced}
                  </Badge>{' '}
                  <Badge
                    tone={f.staged === 'Allow' ? 'allow' : f.staged === 'Deny' ? 'deny' : 'neutral'}
                  >
                    staged {f.staged}
                  </Badge>{' '}
                  <span className="muted small">{VERDICT_LABELS[f.verdict]}</span>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      {selected ? (
        <section>
          <h3>Trace</h3>
          <FlowTrace key={flows.indexOf(selected)} flow={selected} view={view} />
        </section>
      ) : null}
    </div>
  )
}
