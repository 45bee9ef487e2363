import { ErrorCodes, PolicyError, type Result } from '../errors.ts'
import { isIPAddress } from './address.ts'
import { parseHitString } from './hits.ts'
import type { FlowLogRecord } from './types.ts'

/** Checks one field's value; pushes problems with the field's path. */
type Check = (value: unknown, path: string, errors: PolicyError[]) => void

interface FieldSpec {
  required: boolean
  check: Check
}

function typeError(path: string, expected: string, value: unknown): PolicyError {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
  return new PolicyError(ErrorCodes.INVALID_TYPE, `expected ${expected}, got ${got}`, {
    field: path,
  })
}

function valueError(path: string, message: string): PolicyError {
  return new PolicyError(ErrorCodes.INVALID_VALUE, message, { field: path })
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0

const count: Check = (v, path, errors) => {
  if (!isCount(v)) errors.push(typeError(path, 'a non-negative integer', v))
}

const time: Check = (v, path, errors) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    errors.push(typeError(path, 'a UNIX time in seconds (non-negative number)', v))
  }
}

const text: Check = (v, path, errors) => {
  if (typeof v !== 'string') errors.push(typeError(path, 'a string', v))
}

const nonEmpty: Check = (v, path, errors) => {
  if (typeof v !== 'string') errors.push(typeError(path, 'a string', v))
  else if (v === '') errors.push(valueError(path, "expected a non-empty string ('-' for none)"))
}

function oneOf(values: readonly string[]): Check {
  return (v, path, errors) => {
    if (typeof v !== 'string' || !values.includes(v)) {
      const got = typeof v === 'string' ? `'${v}'` : v === null ? 'null' : typeof v
      errors.push(valueError(path, `expected one of ${values.join(', ')}, got ${got}`))
    }
  }
}

function nullable(check: Check): Check {
  return (v, path, errors) => {
    if (v !== null) check(v, path, errors)
  }
}

const port: Check = (v, path, errors) => {
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 65535) {
    errors.push(typeError(path, 'a port number 0–65535', v))
  }
}

const ip: Check = (v, path, errors) => {
  if (typeof v !== 'string') errors.push(typeError(path, 'an IP address string or null', v))
  else if (!isIPAddress(v))
    errors.push(valueError(path, `expected an IPv4 or IPv6 address, got '${v}'`))
}

const proto: Check = (v, path, errors) => {
  if (typeof v !== 'string') errors.push(typeError(path, "a protocol name such as 'tcp'", v))
  else if (!/^[a-z0-9-]+$/.test(v)) {
    errors.push(valueError(path, `expected a lowercase protocol name or number, got '${v}'`))
  }
}

function arrayOf(item: Check, what: string): Check {
  return (v, path, errors) => {
    if (!Array.isArray(v)) {
      errors.push(typeError(path, `an array of ${what}`, v))
      return
    }
    for (let i = 0; i < v.length; i++) item(v[i], `${path}[${i}]`, errors)
  }
}

function object(fields: Record<string, FieldSpec>, what: string): Check {
  return (v, path, errors) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      errors.push(typeError(path, what, v))
      return
    }
    checkFields(v as Record<string, unknown>, fields, path, errors)
  }
}

const label: Check = (v, path, errors) => {
  if (typeof v !== 'string') errors.push(typeError(path, "a 'key=value' string", v))
  else if (v.indexOf('=') <= 0) errors.push(valueError(path, `expected 'key=value', got '${v}'`))
}

/**
 * Hit strings already seen to be well formed. A flow-log stream repeats a few hundred distinct
 * strings millions of times, so remembering them makes their check a lookup. Bounded: cleared
 * when full.
 */
const KNOWN_GOOD_HITS = new Set<string>()
const KNOWN_GOOD_HITS_MAX = 20_000

const hit: Check = (v, path, errors) => {
  if (typeof v !== 'string') {
    errors.push(typeError(path, "a hit string '<index>|<tier>|<policy>|<action>|<ruleIndex>'", v))
    return
  }
  if (KNOWN_GOOD_HITS.has(v)) return
  const parsed = parseHitString(v)
  if (parsed instanceof PolicyError) errors.push(parsed.at({ field: path }))
  else {
    if (KNOWN_GOOD_HITS.size >= KNOWN_GOOD_HITS_MAX) KNOWN_GOOD_HITS.clear()
    KNOWN_GOOD_HITS.add(v)
  }
}

const opt = (check: Check): FieldSpec => ({ required: false, check })
const req = (check: Check): FieldSpec => ({ required: true, check })

const labels = nullable(
  object({ labels: req(arrayOf(label, "'key=value' strings")) }, 'an object {labels: [...]}'),
)
const hitList = nullable(arrayOf(hit, 'hit strings'))
const policies = nullable(
  object(
    {
      all_policies: opt(hitList),
      enforced_policies: opt(hitList),
      pending_policies: opt(hitList),
    },
    'an object {enforced_policies, pending_policies, all_policies}',
  ),
)
const endpointType = oneOf(['wep', 'hep', 'ns', 'net'])
const processId: Check = (v, path, errors) => {
  if (typeof v !== 'string' && !Number.isInteger(v)) {
    errors.push(typeError(path, "a process id (integer, '-' or '*')", v))
  }
}
const stringList = arrayOf(text, 'strings')
const processArgs: Check = (v, path, errors) => {
  if (typeof v !== 'string') stringList(v, path, errors)
}

/** Every field of a record, with whether it is required and how it is checked. */
const RECORD_FIELDS: Record<string, FieldSpec> = {
  start_time: req(time),
  end_time: req(time),
  host: req(nonEmpty),
  action: req(oneOf(['allow', 'deny'])),
  reporter: req(oneOf(['src', 'dst'])),
  source_type: req(endpointType),
  source_namespace: req(nonEmpty),
  source_name: req(nonEmpty),
  source_name_aggr: req(nonEmpty),
  source_ip: req(nullable(ip)),
  source_port: req(nullable(port)),
  source_labels: opt(labels),
  dest_type: req(endpointType),
  dest_namespace: req(nonEmpty),
  dest_name: req(nonEmpty),
  dest_name_aggr: req(nonEmpty),
  dest_ip: req(nullable(ip)),
  dest_port: req(nullable(port)),
  dest_labels: opt(labels),
  dest_service_namespace: opt(text),
  dest_service_name: opt(text),
  dest_service_port: opt(text),
  dest_service_port_num: opt(nullable(port)),
  proto: req(proto),
  policies: opt(policies),
  bytes_in: req(count),
  bytes_out: req(count),
  packets_in: req(count),
  packets_out: req(count),
  num_flows: req(count),
  num_flows_started: req(count),
  num_flows_completed: req(count),
  process_name: opt(text),
  process_id: opt(processId),
  process_args: opt(processArgs),
  num_process_names: opt(count),
  num_process_ids: opt(count),
  num_process_args: opt(count),
  nat_outgoing_ports: opt(nullable(arrayOf(port, 'port numbers'))),
  original_source_ips: opt(nullable(arrayOf(ip, 'IP addresses'))),
  num_original_source_ips: opt(count),
  dest_domains: opt(nullable(arrayOf(text, 'domain names'))),
  http_requests_allowed_in: opt(count),
  http_requests_denied_in: opt(count),
  tcp_mean_send_congestion_window: opt(count),
  tcp_min_send_congestion_window: opt(count),
  tcp_mean_smooth_rtt: opt(count),
  tcp_max_smooth_rtt: opt(count),
  tcp_mean_min_rtt: opt(count),
  tcp_max_min_rtt: opt(count),
  tcp_mean_mss: opt(count),
  tcp_min_mss: opt(count),
  tcp_total_retransmissions: opt(count),
  tcp_lost_packets: opt(count),
  tcp_unrecovered_to: opt(count),
  cluster: opt(text),
  '@timestamp': opt((v, path, errors) => {
    if (typeof v !== 'string' && typeof v !== 'number') {
      errors.push(typeError(path, 'a time (number or string)', v))
    }
  }),
}

/** Field tables as entry lists, computed once per table (validation runs per ingested record). */
const ENTRIES = new WeakMap<Record<string, FieldSpec>, Array<[string, FieldSpec]>>()

function checkFields(
  obj: Record<string, unknown>,
  fields: Record<string, FieldSpec>,
  prefix: string,
  errors: PolicyError[],
): void {
  let entries = ENTRIES.get(fields)
  if (!entries) {
    entries = Object.entries(fields)
    ENTRIES.set(fields, entries)
  }
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue
    if (!Object.hasOwn(fields, key)) {
      // A key that is not a plain word (e.g. '') is bracketed, so the path is never empty.
      const field = /^[\w@-]+$/.test(key)
        ? prefix
          ? `${prefix}.${key}`
          : key
        : `${prefix}['${key}']`
      errors.push(new PolicyError(ErrorCodes.UNKNOWN_FIELD, `unknown field '${key}'`, { field }))
    }
  }
  for (const [key, spec] of entries) {
    if (obj[key] === undefined) {
      if (spec.required) {
        errors.push(
          new PolicyError(ErrorCodes.REQUIRED_FIELD, `expected field '${key}'`, {
            field: prefix ? `${prefix}.${key}` : key,
          }),
        )
      }
      continue
    }
    spec.check(obj[key], prefix ? `${prefix}.${key}` : key, errors)
  }
}

/** How the fast path checks a field (see `isPlainValidRecord`). */
const Fast = {
  Time: 0,
  NonEmpty: 1,
  Text: 2,
  Action: 3,
  Reporter: 4,
  EndpointType: 5,
  NullableIp: 6,
  NullablePort: 7,
  OptionalNullablePort: 8,
  Labels: 9,
  Proto: 10,
  Policies: 11,
  Count: 12,
  /** Anything else known: left to the full check. */
  Other: 13,
} as const

/** Set in a `FAST_FIELDS` value when the field is required. */
const REQUIRED_BIT = 32

/**
 * The fast check of each field (a `Fast` kind), with `REQUIRED_BIT` for a required one: one
 * lookup per field of a record.
 */
const FAST_FIELDS = new Map<string, number>()
let REQUIRED_COUNT = 0
for (const [key, spec] of Object.entries(RECORD_FIELDS)) {
  if (spec.required) REQUIRED_COUNT++
  let kind: number = Fast.Other
  if (spec.check === time) kind = Fast.Time
  else if (spec.check === nonEmpty) kind = Fast.NonEmpty
  else if (spec.check === text) kind = Fast.Text
  else if (spec.check === count) kind = Fast.Count
  else if (spec.check === labels) kind = Fast.Labels
  else if (spec.check === policies) kind = Fast.Policies
  else if (spec.check === proto) kind = Fast.Proto
  else if (key === 'action') kind = Fast.Action
  else if (key === 'reporter') kind = Fast.Reporter
  else if (key === 'source_type' || key === 'dest_type') kind = Fast.EndpointType
  else if (key === 'source_ip' || key === 'dest_ip') kind = Fast.NullableIp
  else if (key === 'source_port' || key === 'dest_port') kind = Fast.NullablePort
  else if (key === 'dest_service_port_num') kind = Fast.OptionalNullablePort
  FAST_FIELDS.set(key, spec.required ? kind | REQUIRED_BIT : kind)
}

const PROTO_RE = /^[a-z0-9-]+$/
const isPort = (v: unknown): boolean =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535

/** Addresses already seen to be well formed (few distinct ones repeat); bounded like hits. */
const KNOWN_GOOD_IPS = new Set<string>()

function isGoodIp(v: unknown): boolean {
  if (v === null) return true
  if (typeof v !== 'string') return false
  if (KNOWN_GOOD_IPS.has(v)) return true
  if (!isIPAddress(v)) return false
  if (KNOWN_GOOD_IPS.size >= KNOWN_GOOD_HITS_MAX) KNOWN_GOOD_IPS.clear()
  KNOWN_GOOD_IPS.add(v)
  return true
}

function isGoodHitList(v: unknown): boolean {
  if (v === null) return true
  if (!Array.isArray(v)) return false
  for (let i = 0; i < v.length; i++) {
    const s = v[i]
    if (typeof s !== 'string') return false
    if (KNOWN_GOOD_HITS.has(s)) continue
    if (parseHitString(s) instanceof PolicyError) return false
    if (KNOWN_GOOD_HITS.size >= KNOWN_GOOD_HITS_MAX) KNOWN_GOOD_HITS.clear()
    KNOWN_GOOD_HITS.add(s)
  }
  return true
}

function isGoodLabels(v: unknown): boolean {
  if (v === null) return true
  if (typeof v !== 'object' || Array.isArray(v)) return false
  let seen = false
  for (const key in v) {
    if (key !== 'labels') return false
    seen = true
  }
  const list = (v as { labels?: unknown }).labels
  if (!seen || !Array.isArray(list)) return false
  for (let i = 0; i < list.length; i++) {
    const l = list[i]
    if (typeof l !== 'string' || l.indexOf('=') <= 0) return false
  }
  return true
}

function isGoodPolicies(v: unknown): boolean {
  if (v === null) return true
  if (typeof v !== 'object' || Array.isArray(v)) return false
  const p = v as Record<string, unknown>
  for (const key in p) {
    if (key !== 'enforced_policies' && key !== 'pending_policies' && key !== 'all_policies') {
      return false
    }
    if (p[key] !== undefined && !isGoodHitList(p[key])) return false
  }
  return true
}

/**
 * The fast path of validation: true only when the record is certainly valid, checked without
 * allocating. False means "not sure": the full check then runs and reports every problem,
 * so error reports are exactly those of the field table. Ingestion validates millions of
 * records, nearly all well formed, so this path decides throughput.
 */
function isPlainValidRecord(rec: Record<string, unknown>): boolean {
  let required = 0
  for (const key in rec) {
    const field = FAST_FIELDS.get(key)
    if (field === undefined) return false
    const v = rec[key]
    if (v === undefined) return false
    if (field >= REQUIRED_BIT) required++
    switch (field & (REQUIRED_BIT - 1)) {
      case Fast.Time:
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return false
        break
      case Fast.NonEmpty:
        if (typeof v !== 'string' || v === '') return false
        break
      case Fast.Text:
        if (typeof v !== 'string') return false
        break
      case Fast.Count:
        if (!isCount(v)) return false
        break
      case Fast.Action:
        if (v !== 'allow' && v !== 'deny') return false
        break
      case Fast.Reporter:
        if (v !== 'src' && v !== 'dst') return false
        break
      case Fast.EndpointType:
        if (v !== 'wep' && v !== 'hep' && v !== 'ns' && v !== 'net') return false
        break
      case Fast.NullableIp:
        if (!isGoodIp(v)) return false
        break
      case Fast.NullablePort:
      case Fast.OptionalNullablePort:
        if (v !== null && !isPort(v)) return false
        break
      case Fast.Labels:
        if (!isGoodLabels(v)) return false
        break
      case Fast.Proto:
        if (typeof v !== 'string' || !PROTO_RE.test(v)) return false
        break
      case Fast.Policies:
        if (!isGoodPolicies(v)) return false
        break
      default:
        return false
    }
  }
  return required === REQUIRED_COUNT && (rec.end_time as number) >= (rec.start_time as number)
}

/**
 * Checks that a parsed JSON value is a Calico flow-log record: every required field present
 * with its type, enums spelled as Calico spells them, hit strings well formed, and no field
 * Calico does not write (an unknown field is refused with its path, never dropped).
 *
 * @param where `line` (1-based) of a JSON-lines input; errors then carry `document: line - 1`.
 * @returns the record, or every problem found.
 */
export function validateFlowLogRecord(
  raw: unknown,
  where: { line?: number } = {},
): Result<FlowLogRecord> {
  if (
    typeof raw === 'object' &&
    raw !== null &&
    !Array.isArray(raw) &&
    isPlainValidRecord(raw as Record<string, unknown>)
  ) {
    return { ok: true, value: raw as FlowLogRecord }
  }
  const errors: PolicyError[] = []
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push(typeError('', 'a flow-log record (JSON object)', raw))
  } else {
    const rec = raw as Record<string, unknown>
    checkFields(rec, RECORD_FIELDS, '', errors)
    if (errors.length === 0 && (rec.end_time as number) < (rec.start_time as number)) {
      errors.push(valueError('end_time', 'expected end_time at or after start_time'))
    }
  }
  if (errors.length) {
    const line = where.line
    const located = line === undefined ? errors : errors.map((e) => e.at({ document: line - 1 }))
    return { ok: false, errors: located }
  }
  return { ok: true, value: raw as FlowLogRecord }
}
