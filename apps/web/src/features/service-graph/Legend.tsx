import type { EdgeVerdict, GraphViewName } from './graph-model.ts'
import { VERDICT_COLOURS, VERDICT_LABELS } from './to-flow.ts'

const SHOWN: Record<GraphViewName, EdgeVerdict[]> = {
  enforced: ['allowed', 'denied', 'unknown'],
  staged: ['allowed', 'denied', 'would-deny', 'would-allow', 'unknown'],
}

/** What edge colours, dashes and widths mean in the current view. */
export function Legend({ view }: { view: GraphViewName }) {
  return (
    <aside className="graph-legend" aria-label="Legend" data-testid="service-graph.legend">
      <div className="graph-legend-title">
        {view === 'staged' ? 'Staged view' : 'Enforced view'}
      </div>
      {SHOWN[view].map((v) => (
        <div key={v} className="graph-legend-row">
          <svg width="34" height="10" aria-hidden="true">
            <line
              x1="1"
              y1="5"
              x2="33"
              y2="5"
              stroke={VERDICT_COLOURS[v]}
              strokeWidth="3"
              strokeDasharray={v === 'would-deny' || v === 'would-allow' ? '7 4' : undefined}
            />
          </svg>
          {VERDICT_LABELS[v]}
        </div>
      ))}
      <div className="graph-legend-row muted">Thicker line: more flows</div>
    </aside>
  )
}
