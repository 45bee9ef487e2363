/**
 * The flow explorer's filters (kept in the URL) and exports, as pure functions.
 */
import type { FlowLogQuery } from '@policyboard/api'

/** Filter keys, in the order the toolbar shows them. */
export const FILTER_KEYS = [
  'namespace',
  'name',
  'action',
  'reporter',
  'policy',
  'port',
  'protocol',
] as const

/** One filter key. */
export type FilterKey = (typeof FILTER_KEYS)[number]

/** The explorer's filters: a window ending now plus the API's record filters. */
export interface FlowFilters {
  /** `1h`, `6h`, `24h` or `7d`. */
  window: string
  values: Partial<Record<FilterKey, string>>
}

/** Windows offered, with the chart's bucket width for each. */
export const FLOW_WINDOWS: Readonly<Record<string, { seconds: number; bucket: string }>> = {
  '1h': { seconds: 3600, bucket: '5m' },
  '6h': { seconds: 6 * 3600, bucket: '15m' },
  '24h': { seconds: 86400, bucket: '1h' },
  '7d': { seconds: 7 * 86400, bucket: '6h' },
}

/** Filters from the URL's search params (unknown values dropped). */
export function filtersFromParams(params: URLSearchParams): FlowFilters {
  const w = params.get('window') ?? '24h'
  const values: FlowFilters['values'] = {}
  for (const k of FILTER_KEYS) {
    const v = params.get(k)?.trim()
    if (v) values[k] = v
  }
  return { window: FLOW_WINDOWS[w] ? w : '24h', values }
}

/** The URL's search params for filters (empty values left out, default window too). */
export function paramsFromFilters(f: FlowFilters): URLSearchParams {
  const p = new URLSearchParams()
  if (f.window !== '24h') p.set('window', f.window)
  for (const k of FILTER_KEYS) {
    const v = f.values[k]
    if (v) p.set(k, v)
  }
  return p
}

/** The API query of the filters at time `now` (UNIX seconds), leaving out `except`. */
export function apiQuery(
  f: FlowFilters,
  now: number,
  except?: FilterKey,
): Record<string, string | number> {
  const q: Record<string, string | number> = {
    from: now - (FLOW_WINDOWS[f.window]?.seconds ?? 86400),
  }
  for (const k of FILTER_KEYS) {
    const v = f.values[k]
    if (!v || k === except) continue
    if (k === 'port') {
      const n = Number(v)
      if (Number.isInteger(n)) q.port = n
    } else q[k] = k === 'protocol' ? v.toLowerCase() : v
  }
  return q satisfies Partial<FlowLogQuery> as Record<string, string | number>
}

/** Columns of the CSV export, in order. */
export const CSV_COLUMNS = [
  'start_time',
  'end_time',
  'action',
  'reporter',
  'source_type',
  'source_namespace',
  'source_name',
  'source_name_aggr',
  'source_ip',
  'dest_type',
  'dest_namespace',
  'dest_name',
  'dest_name_aggr',
  'dest_ip',
  'dest_port',
  'proto',
  'num_flows',
  'bytes_in',
  'bytes_out',
  'policies',
] as const

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return ''
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** Records as CSV with a header line (objects as JSON, quoted per RFC 4180). */
export function toCsv(records: readonly Record<string, unknown>[]): string {
  const lines = [CSV_COLUMNS.join(',')]
  for (const r of records) lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))
  return `${lines.join('\n')}\n`
}

/** Records as JSON lines. */
export function toJsonLines(records: readonly Record<string, unknown>[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('')
}

/** `ns/name` of a record side (aggregated name when the name was dropped). */
export function sideLabel(r: Record<string, unknown>, side: 'source' | 'dest'): string {
  const ns = String(r[`${side}_namespace`] ?? '-')
  const name = String(r[`${side}_name`] ?? '-')
  const aggr = String(r[`${side}_name_aggr`] ?? '-')
  const n = name !== '-' ? name : aggr
  const ip = r[`${side}_ip`]
  return `${ns !== '-' ? `${ns}/` : ''}${n}${typeof ip === 'string' && ip ? ` (${ip})` : ''}`
}

/** The policy parts of a record's hit strings (`shop/default.allow-web`), deduplicated. */
export function policiesOf(r: Record<string, unknown>): string[] {
  const p = (r.policies ?? {}) as Record<string, unknown>
  const out = new Set<string>()
  for (const list of Object.values(p)) {
    if (!Array.isArray(list)) continue
    for (const hit of list) {
      const parts = String(hit).split('|')
      if (parts[2] && parts[1] !== '__PROFILE__') out.add(parts[2])
    }
  }
  return [...out]
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 }

/** `15m` → 900. */
export function durationSeconds(text: string): number {
  return Number(text.slice(0, -1)) * (UNIT_SECONDS[text.at(-1) ?? 's'] ?? 1)
}
