import { EDGE_VERDICTS, type EdgeVerdict, type GraphViewState } from './graph-model.ts'
import { VERDICT_COLOURS, VERDICT_LABELS } from './to-flow.ts'

/** View toggle and filters (namespace, verdict, port), all written to the URL by `onChange`. */
export function GraphToolbar({
  state,
  namespaces,
  ports,
  onChange,
  nodeCount,
  edgeCount,
}: {
  state: GraphViewState
  namespaces: string[]
  ports: number[]
  onChange: (patch: Partial<GraphViewState>) => void
  nodeCount: number
  edgeCount: number
}) {
  const verdicts = EDGE_VERDICTS.filter(
    (v) => state.view === 'staged' || (v !== 'would-deny' && v !== 'would-allow'),
  )
  const toggleVerdict = (v: EdgeVerdict) =>
    onChange({
      verdicts: state.verdicts.includes(v)
        ? state.verdicts.filter((x) => x !== v)
        : [...state.verdicts, v],
    })
  return (
    <div className="graph-toolbar" role="toolbar" aria-label="Graph view">
      <fieldset className="segmented" aria-label="Policy view">
        <button
          type="button"
          aria-pressed={state.view === 'enforced'}
          className={state.view === 'enforced' ? 'is-on' : ''}
          onClick={() => onChange({ view: 'enforced', verdicts: [] })}
          data-testid="service-graph.view-enforced"
        >
          Enforced
        </button>
        <button
          type="button"
          aria-pressed={state.view === 'staged'}
          className={state.view === 'staged' ? 'is-on' : ''}
          onClick={() => onChange({ view: 'staged' })}
          data-testid="service-graph.view-staged"
        >
          Staged
        </button>
      </fieldset>
      <label className="graph-filter">
        Namespace
        <select
          value={state.namespaces.length === 1 ? state.namespaces[0] : ''}
          onChange={(e) =>
            onChange(
              e.target.value
                ? { namespaces: [e.target.value] }
                : { namespaces: [], expanded: undefined },
            )
          }
          data-testid="service-graph.namespace-filter"
        >
          <option value="">All</option>
          {namespaces.map((ns) => (
            <option key={ns} value={ns}>
              {ns}
            </option>
          ))}
        </select>
      </label>
      <label className="graph-filter">
        Port
        <select
          value={state.ports.length === 1 ? String(state.ports[0]) : ''}
          onChange={(e) => onChange({ ports: e.target.value ? [Number(e.target.value)] : [] })}
          data-testid="service-graph.port-filter"
        >
          <option value="">All</option>
          {ports.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="graph-verdict-filter" aria-label="Verdicts">
        {verdicts.map((v) => (
          <button
            key={v}
            type="button"
            className={`chip${state.verdicts.includes(v) ? ' is-active' : ''}`}
            aria-pressed={state.verdicts.includes(v)}
            onClick={() => toggleVerdict(v)}
            title={VERDICT_LABELS[v]}
          >
            <span className="graph-swatch" style={{ background: VERDICT_COLOURS[v] }} />
            {v.replace('-', ' ')}
          </button>
        ))}
      </fieldset>
      <div className="graph-toolbar-right">
        <button
          type="button"
          className="link-button"
          onClick={() => onChange({ expanded: namespaces })}
        >
          Expand all
        </button>
        <button type="button" className="link-button" onClick={() => onChange({ expanded: [] })}>
          Collapse all
        </button>
        <span className="muted small" data-testid="service-graph.counts">
          {nodeCount} nodes · {edgeCount} edges
        </span>
      </div>
    </div>
  )
}
