import type { ImpactChange, ImpactGroup } from '@policyboard/api'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Fragment, type ReactNode, useState } from 'react'
import { Badge, Button, ErrorMessage } from '../../components/index.ts'
import {
  CHANGE_LABELS,
  describeChange,
  peerLabel,
  portLabel,
  shownVerdict,
  UNCERTAIN_LABELS,
} from './impact-model.ts'
import { impactQueries } from './queries.ts'
import { TraceView } from './TraceView.tsx'
import './impact.css'

/** Props of `ImpactPreview`. */
export interface ImpactPreviewProps {
  /** What to compare with the enforced view: a staged policy, a draft, the staged set, a revision. */
  change: ImpactChange
  /** Initial window (`1h`, `24h`, `7d`); default `24h`. */
  window?: string
  /** Fewer controls and rows, for the editor's side panel and popovers. */
  compact?: boolean
  /** What is compared, in words; default a short description of `change`. */
  label?: ReactNode
  /** Show the counts only, with a button that expands the grouped rows. */
  collapsible?: boolean
}

const WINDOWS = ['1h', '24h', '7d'] as const
const NUMBER = new Intl.NumberFormat('en')

const TONE = {
  allowedToDenied: 'deny',
  deniedToAllowed: 'allow',
  unchanged: 'neutral',
  uncertain: 'warn',
} as const

function sideText(s: Record<string, string>): string {
  return s.endpoint ?? s.ip ?? '?'
}

function GroupTraces({
  change,
  window,
  group,
}: {
  change: ImpactChange
  window: string
  group: ImpactGroup
}) {
  const q = useQuery(
    impactQueries.preview(change, { window, onlyChanged: false, traces: group.id }),
  )
  if (q.isPending) return <div className="muted">Loading traces…</div>
  if (q.isError) return <ErrorMessage error={q.error} title="Could not load the traces" />
  const g = q.data.groups.find((x) => x.id === group.id)
  if (!g?.traces) {
    return (
      <div className="muted" data-testid="impact.no-traces">
        No flow of this group could be judged exactly:{' '}
        {group.uncertainDetails.join('; ') || 'see the reasons above'}.
      </div>
    )
  }
  const ex = g.example
  return (
    <div className="impact-traces">
      {ex ? (
        <div className="muted">
          Example flow judged: <code>{sideText(ex.source)}</code> →{' '}
          <code>{sideText(ex.destination)}</code> {String(ex.protocol).toLowerCase()}
          {ex.port !== undefined ? `/${ex.port}` : ''}
        </div>
      ) : null}
      <div className="trace-pair">
        <TraceView title="Now (enforced)" verdict={g.traces.before} testId="impact.trace-before" />
        <TraceView title="With the change" verdict={g.traces.after} testId="impact.trace-after" />
      </div>
    </div>
  )
}

/**
 * What a change would do to the stored flows: counts of allowed→denied and denied→allowed
 * flows, uncertain ones with their reasons, and groups by source and destination workload,
 * protocol and port, each expandable to both traces.
 */
export function ImpactPreview({
  change,
  window: initialWindow = '24h',
  compact = false,
  label,
  collapsible = false,
}: ImpactPreviewProps) {
  const [window, setWindow] = useState(initialWindow)
  const [onlyChanged, setOnlyChanged] = useState(true)
  const [applied, setApplied] = useState(true)
  const [open, setOpen] = useState<string | null>(null)
  const [expanded, setExpanded] = useState(!collapsible)
  // The last answer stays on screen while the next change (an edited draft) is replayed.
  const q = useQuery({
    ...impactQueries.preview(change, { window, onlyChanged }),
    placeholderData: keepPreviousData,
  })
  const data = q.data
  const t = data?.totals
  return (
    <section
      className={`impact${compact ? ' impact-compact' : ''}`}
      data-testid="impact.preview"
      aria-busy={q.isFetching}
    >
      <div className="impact-toolbar">
        <span className="muted" data-testid="impact.label">
          {label ?? (
            <>
              Replaying stored flows through <strong>{describeChange(change)}</strong>
            </>
          )}
        </span>
        <label>
          Window{' '}
          <select value={window} onChange={(e) => setWindow(e.target.value)} aria-label="Window">
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                last {w}
              </option>
            ))}
          </select>
        </label>
        <label className="impact-toggle">
          <input
            type="checkbox"
            checked={onlyChanged}
            onChange={(e) => setOnlyChanged(e.target.checked)}
          />{' '}
          Only changed flows
        </label>
        <label className="impact-toggle">
          <input type="checkbox" checked={applied} onChange={(e) => setApplied(e.target.checked)} />{' '}
          Changes applied
        </label>
        {q.isFetching ? (
          <span
            className="impact-progress"
            role="progressbar"
            aria-label="Replaying flows"
            data-testid="impact.progress"
          >
            <span className="spinner" aria-hidden="true" /> Replaying flows…
          </span>
        ) : null}
      </div>
      {q.isError ? <ErrorMessage error={q.error} title="Could not compute the preview" /> : null}
      {t ? (
        <div className="impact-totals" data-testid="impact.totals">
          <div className="impact-total impact-deny" data-testid="impact.allowed-to-denied">
            <span className="impact-num">{NUMBER.format(t.allowedToDenied)}</span>
            <span>allowed → denied</span>
          </div>
          <div className="impact-total impact-allow" data-testid="impact.denied-to-allowed">
            <span className="impact-num">{NUMBER.format(t.deniedToAllowed)}</span>
            <span>denied → allowed</span>
          </div>
          <div className="impact-total" data-testid="impact.unchanged">
            <span className="impact-num">{NUMBER.format(t.unchanged)}</span>
            <span>unchanged</span>
          </div>
          <div className="impact-total impact-warn" data-testid="impact.uncertain">
            <span className="impact-num">{NUMBER.format(t.uncertain)}</span>
            <span>uncertain</span>
            {Object.entries(t.uncertainByReason).map(([reason, n]) => (
              <span key={reason} className="impact-reason">
                {NUMBER.format(n ?? 0)} {UNCERTAIN_LABELS[reason] ?? reason}
              </span>
            ))}
          </div>
        </div>
      ) : null}
      {data ? (
        <div className="muted impact-meta">
          {NUMBER.format(t?.flows ?? 0)} flows in {NUMBER.format(data.tuples)} stored tuples,{' '}
          {NUMBER.format(data.evaluations)} evaluations, {data.elapsedMs} ms
        </div>
      ) : null}
      {data && data.groups.length === 0 ? (
        <div className="state state-empty" data-testid="impact.empty">
          <strong>{t?.flows ? 'No flow changes verdict' : 'No stored flows in this window'}</strong>
        </div>
      ) : null}
      {data && data.groups.length > 0 && collapsible ? (
        <Button
          size="sm"
          onClick={() => setExpanded(!expanded)}
          aria-expanded={expanded}
          data-testid="impact.expand"
        >
          {expanded ? 'Hide' : 'Show'} {NUMBER.format(data.groups.length)} group
          {data.groups.length === 1 ? '' : 's'} {expanded ? '▾' : '▸'}
        </Button>
      ) : null}
      {data && data.groups.length > 0 && expanded ? (
        <table className="impact-table" data-testid="impact.groups">
          <thead>
            <tr>
              <th>Source</th>
              <th>Destination</th>
              <th>Port</th>
              <th>Change</th>
              <th className="num">Flows</th>
              <th>{applied ? 'Verdict after' : 'Verdict now'}</th>
            </tr>
          </thead>
          <tbody>
            {data.groups.slice(0, compact ? 50 : data.groups.length).map((g) => {
              const changed = g.counts.allowedToDenied + g.counts.deniedToAllowed
              const shown = shownVerdict(g, applied)
              const isOpen = open === g.id
              return (
                <Fragment key={g.id}>
                  <tr
                    className={`impact-row${isOpen ? ' is-open' : ''}`}
                    data-testid="impact.group"
                    data-change={g.change}
                  >
                    <td>
                      <button
                        type="button"
                        className="impact-expand"
                        aria-expanded={isOpen}
                        onClick={() => setOpen(isOpen ? null : g.id)}
                      >
                        {isOpen ? '▾' : '▸'}
                      </button>
                      <span className="mono">{peerLabel(g.sourceNamespace, g.sourceWorkload)}</span>
                    </td>
                    <td className="mono">
                      {peerLabel(g.destinationNamespace, g.destinationWorkload)}
                    </td>
                    <td className="mono">{portLabel(g.protocol, g.port)}</td>
                    <td>
                      <Badge tone={TONE[g.change]}>{CHANGE_LABELS[g.change]}</Badge>
                      {g.counts.uncertain > 0 && g.change !== 'uncertain' ? (
                        <Badge tone="warn">{NUMBER.format(g.counts.uncertain)} uncertain</Badge>
                      ) : null}
                    </td>
                    <td className="num">
                      {NUMBER.format(
                        g.change === 'uncertain'
                          ? g.counts.uncertain
                          : g.change === 'unchanged'
                            ? g.counts.unchanged
                            : changed,
                      )}
                    </td>
                    <td>
                      {shown ? (
                        <Badge tone={shown === 'Allow' ? 'allow' : 'deny'}>{shown}</Badge>
                      ) : (
                        <span className="muted" title={g.uncertainDetails.join('\n')}>
                          {Object.keys(g.uncertainReasons)
                            .map((r) => UNCERTAIN_LABELS[r] ?? r)
                            .join(', ')}
                        </span>
                      )}
                    </td>
                  </tr>
                  {isOpen ? (
                    <tr className="impact-detail">
                      <td colSpan={6}>
                        {g.uncertainDetails.length ? (
                          <ul className="impact-uncertain">
                            {g.uncertainDetails.map((d) => (
                              <li key={d}>Uncertain: {d}</li>
                            ))}
                          </ul>
                        ) : null}
                        <GroupTraces change={change} window={window} group={g} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              )
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}
