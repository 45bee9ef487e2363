import { describe, expect, it } from 'vitest'
import type { FlowLogRecord } from './types.ts'
import { validateFlowLogRecord } from './validate.ts'

/** An allowed record aggregated at level 2, as Felix writes it. */
const ALLOWED: FlowLogRecord = {
  start_time: 1_764_201_600,
  end_time: 1_764_201_900,
  host: 'node-1',
  action: 'allow',
  reporter: 'dst',
  source_type: 'wep',
  source_namespace: 'storefront',
  source_name: '-',
  source_name_aggr: 'frontend-7d9c6b5f48-*',
  source_ip: null,
  source_port: null,
  source_labels: { labels: ['app=frontend', 'fw-zone=dmz'] },
  dest_type: 'wep',
  dest_namespace: 'storefront',
  dest_name: '-',
  dest_name_aggr: 'cartservice-5d844fc8b7-*',
  dest_ip: null,
  dest_port: 7070,
  dest_labels: { labels: ['app=cartservice'] },
  dest_service_namespace: 'storefront',
  dest_service_name: 'cartservice',
  dest_service_port: 'grpc',
  proto: 'tcp',
  policies: {
    enforced_policies: [
      '0|security|security.quarantine|pass|1',
      '1|app|storefront/app.cart|allow|0',
    ],
    pending_policies: [
      '0|security|security.quarantine|pass|1',
      '1|app|storefront/app.cart|allow|0',
    ],
  },
  bytes_in: 5120,
  bytes_out: 2048,
  packets_in: 40,
  packets_out: 32,
  num_flows: 3,
  num_flows_started: 2,
  num_flows_completed: 1,
}

/** A denied record at level 1: IPs kept, source port dropped, with Enterprise extras. */
const DENIED = {
  ...ALLOWED,
  action: 'deny',
  reporter: 'src',
  source_namespace: 'tenant-b',
  source_name: 'web-6b7f9c8d4-k2x9z',
  source_name_aggr: 'web-6b7f9c8d4-*',
  source_ip: '10.244.3.7',
  dest_ip: 'fd00:10:244::7',
  dest_port: 6379,
  process_name: '/usr/bin/redis-cli',
  process_id: '*',
  process_args: ['-h', 'redis-cart'],
  num_process_names: 1,
  nat_outgoing_ports: [40_001],
  original_source_ips: null,
  dest_domains: ['redis-cart.storefront.svc.cluster.local'],
  tcp_total_retransmissions: 2,
  '@timestamp': 1_764_201_900_123,
  cluster: 'cluster',
}

function errorsOf(raw: unknown, line?: number) {
  const r = validateFlowLogRecord(raw, line === undefined ? {} : { line })
  return r.ok
    ? []
    : r.errors.map((e) => ({ code: e.code, path: e.path, document: e.location.document }))
}

describe('validateFlowLogRecord', () => {
  it('accepts a level-2 allowed record and a level-1 denied record with Enterprise fields', () => {
    expect(validateFlowLogRecord(ALLOWED)).toEqual({ ok: true, value: ALLOWED })
    expect(errorsOf(DENIED)).toEqual([])
  })

  it('accepts null labels and policies, and ICMP without a port', () => {
    expect(
      errorsOf({ ...ALLOWED, source_labels: null, policies: null, proto: 'icmp', dest_port: null }),
    ).toEqual([])
  })

  const BAD: Array<[string, Record<string, unknown>, string, string]> = [
    ['an unknown top-level field', { ...ALLOWED, src_ip: '1.2.3.4' }, 'UNKNOWN_FIELD', 'src_ip'],
    [
      'an unknown field inside policies',
      { ...ALLOWED, policies: { enforced: [] } },
      'UNKNOWN_FIELD',
      'policies.enforced',
    ],
    [
      'an unknown field inside labels',
      { ...ALLOWED, dest_labels: { labels: [], extra: 1 } },
      'UNKNOWN_FIELD',
      'dest_labels.extra',
    ],
    ['action pass (never a verdict)', { ...ALLOWED, action: 'pass' }, 'INVALID_VALUE', 'action'],
    ['reporter in capitals', { ...ALLOWED, reporter: 'SRC' }, 'INVALID_VALUE', 'reporter'],
    ['an unknown endpoint type', { ...ALLOWED, dest_type: 'pod' }, 'INVALID_VALUE', 'dest_type'],
    ['a port as a string', { ...ALLOWED, dest_port: '80' }, 'INVALID_TYPE', 'dest_port'],
    ['a port out of range', { ...ALLOWED, source_port: 70_000 }, 'INVALID_TYPE', 'source_port'],
    ['a negative counter', { ...ALLOWED, bytes_in: -1 }, 'INVALID_TYPE', 'bytes_in'],
    ['a fractional counter', { ...ALLOWED, num_flows: 1.5 }, 'INVALID_TYPE', 'num_flows'],
    ['a malformed IP', { ...ALLOWED, source_ip: '10.0.0.300' }, 'INVALID_VALUE', 'source_ip'],
    ['an uppercase protocol', { ...ALLOWED, proto: 'TCP' }, 'INVALID_VALUE', 'proto'],
    ['a time as text', { ...ALLOWED, start_time: '2026-11-27' }, 'INVALID_TYPE', 'start_time'],
    [
      'end before start',
      { ...ALLOWED, end_time: ALLOWED.start_time - 1 },
      'INVALID_VALUE',
      'end_time',
    ],
    ['an empty namespace', { ...ALLOWED, dest_namespace: '' }, 'INVALID_VALUE', 'dest_namespace'],
    [
      'a label without =',
      { ...ALLOWED, source_labels: { labels: ['app'] } },
      'INVALID_VALUE',
      'source_labels.labels[0]',
    ],
    [
      'a bad hit string',
      { ...ALLOWED, policies: { pending_policies: ['0|app|x|allow|0', '1|app|app.x|maybe|0'] } },
      'INVALID_VALUE',
      'policies.pending_policies[0]',
    ],
    [
      'a hit list that is not an array',
      { ...ALLOWED, policies: { all_policies: '0|app|app.x|allow|0' } },
      'INVALID_TYPE',
      'policies.all_policies',
    ],
  ]
  it.each(BAD)('refuses %s', (_why, raw, code, path) => {
    expect(errorsOf(raw)).toContainEqual({ code, path, document: undefined })
  })

  it('reports every problem, a missing field with its name', () => {
    const { host: _h, proto: _p, ...rest } = ALLOWED
    const errs = errorsOf({ ...rest, action: 'drop' })
    expect(errs.map((e) => `${e.code} ${e.path}`).sort()).toEqual([
      'INVALID_VALUE action',
      'REQUIRED_FIELD host',
      'REQUIRED_FIELD proto',
    ])
  })

  it('reports both bad hit strings of a list', () => {
    const raw = { ...ALLOWED, policies: { pending_policies: ['bad', '1|app|app.x|maybe|0'] } }
    expect(errorsOf(raw).map((e) => e.path)).toEqual([
      'policies.pending_policies[0]',
      'policies.pending_policies[1]',
    ])
  })

  it('refuses values that are not objects', () => {
    for (const raw of [null, [], 'x', 3]) {
      expect(errorsOf(raw)).toEqual([{ code: 'INVALID_TYPE', path: '', document: undefined }])
    }
  })

  it('places errors at the line of a JSON-lines input', () => {
    expect(errorsOf({ ...ALLOWED, action: 'pass' }, 12)).toEqual([
      { code: 'INVALID_VALUE', path: 'action', document: 11 },
    ])
  })
})

describe('validateFlowLogRecord fast path', () => {
  // Each row corrupts one field of a valid record. Well-formed records are accepted without
  // building errors; every row here must still be refused, with its error at the field.
  const corruptions: Array<[field: string, value: unknown]> = [
    ['start_time', -1],
    ['start_time', '1764201600'],
    ['end_time', null],
    ['host', ''],
    ['host', 7],
    ['action', 'Allow'],
    ['reporter', 'both'],
    ['source_type', 'pod'],
    ['dest_type', null],
    ['source_namespace', ''],
    ['source_ip', '10.0.0.300'],
    ['dest_ip', 5],
    ['source_port', 70000],
    ['dest_port', 1.5],
    ['dest_port', '80'],
    ['dest_service_port_num', -1],
    ['source_labels', { labels: ['novalue'] }],
    ['source_labels', { labels: ['=b'] }],
    ['dest_labels', { labels: 'app=db' }],
    ['dest_labels', { labels: ['app=db'], extra: 1 }],
    ['dest_labels', {}],
    ['dest_labels', []],
    ['proto', 'TCP'],
    ['proto', ''],
    ['policies', { enforced_policies: ['not a hit'] }],
    ['policies', { enforced_policies: [1] }],
    ['policies', { pending_policies: 'x' }],
    ['policies', { other_policies: [] }],
    ['policies', []],
    ['bytes_in', -1],
    ['packets_out', 2.5],
    ['num_flows', '1'],
    ['process_id', 1.5],
    ['dest_domains', 'example.com'],
    ['unknown_field', 1],
  ]

  it.each(corruptions)('refuses %s = %j', (field, value) => {
    const result = validateFlowLogRecord({ ...ALLOWED, [field]: value })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      const fields = result.errors.map((e) => e.location.field ?? '')
      expect(
        fields.some((f) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`)),
        fields.join(),
      ).toBe(true)
    }
  })

  it('refuses a missing required field and an end before the start', () => {
    const { host: _, ...noHost } = ALLOWED
    expect(validateFlowLogRecord(noHost).ok).toBe(false)
    const backwards = validateFlowLogRecord({ ...ALLOWED, end_time: ALLOWED.start_time - 1 })
    expect(backwards.ok).toBe(false)
  })

  it('accepts nulls where Calico writes them, and the optional fields', () => {
    for (const extra of [
      { source_labels: null, dest_labels: null, policies: null, dest_port: null },
      { policies: { all_policies: ['0|default|default.allow|allow|0'] } },
      { process_name: 'nginx', process_id: '-', process_args: ['-g'], dest_domains: null },
      { source_ip: '10.0.0.1', dest_ip: 'fd00::1', dest_service_port_num: 443 },
    ]) {
      expect(validateFlowLogRecord({ ...ALLOWED, ...extra }).ok).toBe(true)
    }
  })
})
