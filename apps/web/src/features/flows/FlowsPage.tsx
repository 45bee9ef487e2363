import type { FlowLogPage } from '@policyboard/api'
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useSearchParams } from 'react-router'
import { apiFetch } from '../../api/client.ts'
import { Badge, Button, EmptyState, ErrorMessage, LoadingState } from '../../components/index.ts'
import { ExplainPanel } from './ExplainPanel.tsx'
import { FlowChart } from './FlowChart.tsx'
import {
  apiQuery,
  durationSeconds,
  FILTER_KEYS,
  type FilterKey,
  FLOW_WINDOWS,
  filtersFromParams,
  paramsFromFilters,
  policiesOf,
  sideLabel,
  toCsv,
  toJsonLines,
} from './flow-model.ts'
import { flowQueries } from './queries.ts'
import '../impact/impact.css'

const LABELS: Record<FilterKey, string> = {
  namespace: 'Namespace',
  name: 'Workload',
  action: 'Action',
  reporter: 'Reporter',
  policy: 'Policy',
  port: 'Port',
  protocol: 'Protocol',
}

const ROW_HEIGHT = 36
/** Most records an export fetches. */
const EXPORT_LIMIT = 100_000

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Autocomplete values for one filter, from the tuples matching the other filters. */
function useSuggestions(
  query: Record<string, string | number>,
  key: FilterKey,
  records: Record<string, unknown>[],
) {
  const tuples = useQuery({
    ...flowQueries.tuples(query),
    enabled: key !== 'action' && key !== 'reporter',
  })
  return useMemo(() => {
    if (key === 'action') return ['allow', 'deny']
    if (key === 'reporter') return ['src', 'dst']
    if (key === 'policy') return [...new Set(records.flatMap(policiesOf))].sort()
    const out = new Set<string>()
    for (const t of tuples.data?.tuples ?? []) {
      if (key === 'namespace') {
        for (const ns of [t.source.namespace, t.destination.namespace]) if (ns !== '-') out.add(ns)
      } else if (key === 'name') {
        out.add(t.source.name)
        out.add(t.destination.name)
      } else if (key === 'port' && t.port !== null) out.add(String(t.port))
      else if (key === 'protocol') out.add(t.proto)
    }
    return [...out].sort()
  }, [key, tuples.data, records])
}

function FilterInput({
  k,
  value,
  query,
  records,
  onChange,
}: {
  k: FilterKey
  value: string
  query: Record<string, string | number>
  records: Record<string, unknown>[]
  onChange: (v: string) => void
}) {
  const suggestions = useSuggestions(query, k, records)
  const [text, setText] = useState(value)
  useEffect(() => setText(value), [value])
  return (
    <label>
      {LABELS[k]}
      <input
        list={`flows-${k}-options`}
        value={text}
        aria-label={LABELS[k]}
        data-testid={`flows.filter-${k}`}
        onChange={(e) => {
          setText(e.target.value)
          // A pick from the list applies at once; typing applies on Enter or leaving the field.
          if (suggestions.includes(e.target.value)) onChange(e.target.value)
        }}
        onBlur={() => text !== value && onChange(text)}
        onKeyDown={(e) => e.key === 'Enter' && onChange(text)}
      />
      <datalist id={`flows-${k}-options`}>
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </label>
  )
}

/** `/flows`: stored flow logs with filters in the URL, a volume chart, export and "explain". */
export function FlowsPage() {
  const [params, setParams] = useSearchParams()
  const filters = filtersFromParams(params)
  const [now, setNow] = useState(() => Math.floor(Date.now() / 60000) * 60 + 60)
  const query = apiQuery(filters, now)
  const records = useInfiniteQuery(flowQueries.records(query))
  const timeline = useQuery(
    flowQueries.timeline(query, FLOW_WINDOWS[filters.window]?.bucket ?? '1h'),
  )
  const rows = useMemo(() => (records.data?.pages ?? []).flatMap((p) => p.items), [records.data])
  const recordList = useMemo(() => rows.map((r) => r.record), [rows])
  const [selected, setSelected] = useState<number | null>(null)
  const [exporting, setExporting] = useState(false)
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items.at(-1)?.index ?? 0
  useEffect(() => {
    if (lastIndex >= rows.length - 20 && records.hasNextPage && !records.isFetchingNextPage) {
      void records.fetchNextPage()
    }
  }, [lastIndex, rows.length, records])

  const set = (k: FilterKey | 'window', v: string) => {
    setSelected(null)
    setParams(() => {
      const next = paramsFromFilters(filters)
      if (v) next.set(k, v)
      else next.delete(k)
      if (k === 'window' && v === '24h') next.delete('window')
      return next
    })
  }

  async function exportAs(format: 'jsonl' | 'csv') {
    setExporting(true)
    try {
      const out: Record<string, unknown>[] = []
      let cursor: number | undefined
      do {
        const page = await apiFetch<FlowLogPage>('/api/v1/flowlogs', {
          query: { ...query, limit: 1000, ...(cursor ? { cursor } : {}) },
        })
        out.push(...page.items.map((i) => i.record))
        cursor = page.next
      } while (cursor && out.length < EXPORT_LIMIT)
      if (format === 'csv') download('flows.csv', toCsv(out), 'text/csv')
      else download('flows.jsonl', toJsonLines(out), 'application/x-ndjson')
    } finally {
      setExporting(false)
    }
  }

  const selectedRecord = selected !== null ? rows.find((r) => r.id === selected)?.record : undefined
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Flow logs</h1>
          <div className="muted">
            Stored flow-log records, newest first. Filters live in the URL.
          </div>
        </div>
      </header>
      <div className="flows-filters" data-testid="flows.filters">
        <label>
          Window
          <select
            value={filters.window}
            aria-label="Window"
            onChange={(e) => set('window', e.target.value)}
          >
            {Object.keys(FLOW_WINDOWS).map((w) => (
              <option key={w} value={w}>
                last {w}
              </option>
            ))}
          </select>
        </label>
        {FILTER_KEYS.map((k) => (
          <FilterInput
            key={k}
            k={k}
            value={filters.values[k] ?? ''}
            query={apiQuery(filters, now, k)}
            records={recordList}
            onChange={(v) => set(k, v)}
          />
        ))}
        <Button size="sm" onClick={() => setNow(Math.floor(Date.now() / 1000) + 60)}>
          Refresh
        </Button>
        {Object.keys(filters.values).length ? (
          <Button size="sm" variant="ghost" onClick={() => setParams(new URLSearchParams())}>
            Clear filters
          </Button>
        ) : null}
      </div>
      {timeline.data?.buckets ? (
        <FlowChart
          buckets={timeline.data.buckets}
          from={Number(query.from)}
          to={now}
          step={durationSeconds(FLOW_WINDOWS[filters.window]?.bucket ?? '1h')}
        />
      ) : null}
      <div className="flows-actions">
        <span className="muted" data-testid="flows.count">
          {rows.length}
          {records.hasNextPage ? '+' : ''} records
        </span>
        <Button
          size="sm"
          disabled={exporting || rows.length === 0}
          onClick={() => void exportAs('jsonl')}
        >
          Export JSON lines
        </Button>
        <Button
          size="sm"
          disabled={exporting || rows.length === 0}
          onClick={() => void exportAs('csv')}
        >
          Export CSV
        </Button>
      </div>
      {selectedRecord ? (
        <ExplainPanel record={selectedRecord} onClose={() => setSelected(null)} />
      ) : null}
      {records.isPending ? <LoadingState label="Loading flow logs…" /> : null}
      {records.isError ? (
        <ErrorMessage error={records.error} title="Could not load flow logs" />
      ) : null}
      {records.isSuccess && rows.length === 0 ? (
        <EmptyState title="No flow logs match">Widen the window or clear a filter.</EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <section className="flows-table" aria-label="Flow logs" data-testid="flows.table">
          <div className="flows-headrow">
            <span>Time</span>
            <span>Action</span>
            <span>Reporter</span>
            <span>Source</span>
            <span>Destination</span>
            <span>Port</span>
            <span>Flows</span>
            <span />
          </div>
          <div className="flows-scroll" ref={scrollRef}>
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((v) => {
                const row = rows[v.index]
                if (!row) return null
                const r = row.record
                return (
                  <div
                    key={row.id}
                    className="flows-row"
                    data-testid="flows.row"
                    style={{
                      position: 'absolute',
                      top: 0,
                      left: 0,
                      right: 0,
                      transform: `translateY(${v.start}px)`,
                    }}
                  >
                    <span className="mono">
                      {new Date(Number(r.end_time) * 1000)
                        .toISOString()
                        .slice(5, 19)
                        .replace('T', ' ')}
                    </span>
                    <span>
                      <Badge tone={r.action === 'allow' ? 'allow' : 'deny'}>
                        {String(r.action)}
                      </Badge>
                    </span>
                    <span>{String(r.reporter)}</span>
                    <span className="mono" title={sideLabel(r, 'source')}>
                      {sideLabel(r, 'source')}
                    </span>
                    <span className="mono" title={sideLabel(r, 'dest')}>
                      {sideLabel(r, 'dest')}
                    </span>
                    <span className="mono">
                      {String(r.proto)}
                      {r.dest_port !== null && r.dest_port !== undefined
                        ? `/${String(r.dest_port)}`
                        : ''}
                    </span>
                    <span>{String(r.num_flows)}</span>
                    <span>
                      <Button
                        size="sm"
                        variant="ghost"
                        data-testid="flows.explain"
                        onClick={() => setSelected(row.id)}
                      >
                        Explain
                      </Button>
                    </span>
                  </div>
                )
              })}
            </div>
          </div>
        </section>
      ) : null}
    </div>
  )
}
