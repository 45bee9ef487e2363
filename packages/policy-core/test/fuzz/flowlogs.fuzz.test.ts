/**
 * Fuzzing flow-log input: mutated Calico flow-log records through `validateFlowLogRecord`,
 * and random or edited hit strings through `parseHitString`. Neither throws; every error is
 * a well-formed PolicyError with a field path (records); a hit that parses names a known
 * kind and prints back to a hit that parses to the same thing.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type FlowLogRecord,
  formatHitString,
  PolicyError,
  type PolicyHit,
  parseHitString,
  validateFlowLogRecord,
} from '../../src/index.ts'
import {
  dnsLabel,
  FUZZ_SCALE,
  fuzzRuns,
  isWellFormedError,
  mutate,
  mutations,
  nastyValue,
} from './arbitraries.ts'

const TARGETS = fuzzRuns({ records: 20_000, hits: 25_000 })
const ran = { records: 0, hits: 0 }
const TIMEOUT = 120_000 * FUZZ_SCALE

const KINDS = [
  'GlobalNetworkPolicy',
  'NetworkPolicy',
  'KubernetesNetworkPolicy',
  'KubernetesClusterNetworkPolicy',
  'Profile',
]

const validHit = fc.oneof(
  fc
    .tuple(fc.nat(9), dnsLabel, dnsLabel, fc.constantFrom('allow', 'deny', 'pass'), fc.nat(5))
    .map(([i, tier, name, action, rule]) => `${i}|${tier}|${tier}.${name}|${action}|${rule}`),
  fc
    .tuple(fc.nat(9), dnsLabel, dnsLabel, dnsLabel)
    .map(([i, tier, ns, name]) => `${i}|${tier}|np:${ns}/${name}|allow|-1`),
  fc.tuple(fc.nat(9), dnsLabel).map(([i, ns]) => `${i}|default|${ns}/knp.default.x|deny|0`),
  fc.constant('2|__PROFILE__|pro:kns.shop|allow|0'),
  fc.constant('0|__PROFILE__|__PROFILE__.kns.shop|allow|-2'),
)

const hitPart = fc.oneof(
  fc.constantFrom(
    '',
    '|',
    '-1',
    '-2',
    '-3',
    '00',
    '1e3',
    ' 1',
    '9999999999999999999999',
    'allow',
    'pass',
    'Allow',
    '__PROFILE__',
    'default',
    'gnp:',
    'np:',
    'np:ns/',
    'np:/x',
    'knp:a/b',
    'sknp:a/b',
    'kcnp:x',
    'pro:',
    'constructor:x',
    'tostring:x',
    '__proto__:x',
    'staged:',
    'knp.default.',
    'ns/',
    '/',
    '.',
  ),
  dnsLabel,
  fc.string({ maxLength: 6 }),
)

const hitSoup = fc.oneof(
  fc.array(hitPart, { maxLength: 7 }).map((parts) => parts.join('|')),
  fc.array(hitPart, { maxLength: 7 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 40 }),
  fc
    .tuple(validHit, fc.nat(), fc.nat(3), hitPart)
    .map(
      ([h, at, del, ins]) =>
        h.slice(0, at % (h.length + 1)) + ins + h.slice((at % (h.length + 1)) + del),
    ),
)

const RECORD: FlowLogRecord = {
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
  source_labels: { labels: ['app=frontend'] },
  dest_type: 'wep',
  dest_namespace: 'storefront',
  dest_name: 'cart-1',
  dest_name_aggr: 'cartservice-5d844fc8b7-*',
  dest_ip: '10.244.3.7',
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
    pending_policies: ['0|security|security.quarantine|pass|1'],
  },
  bytes_in: 5120,
  bytes_out: 2048,
  packets_in: 40,
  packets_out: 32,
  num_flows: 3,
  num_flows_started: 2,
  num_flows_completed: 1,
  nat_outgoing_ports: [1024],
  original_source_ips: ['10.0.0.1'],
  dest_domains: ['example.com'],
  process_args: ['-v'],
}

function checkHit(text: string, wellFormed: boolean): void {
  const hit = parseHitString(text)
  if (hit instanceof PolicyError) {
    expect(isWellFormedError(hit), String(hit)).toBe(true)
    return
  }
  expect(KINDS, text).toContain(hit.kind)
  expect(['allow', 'deny', 'pass']).toContain(hit.action)
  expect(Number.isInteger(hit.index) && hit.index >= 0, text).toBe(true)
  // Printing back is only defined for names Calico can produce (DNS names, no ':' or '/').
  if (!wellFormed) return
  for (const naming of ['legacy', 'v3.32'] as const) {
    const again = parseHitString(formatHitString(hit, naming))
    expect(again instanceof PolicyError ? String(again) : undefined, text).toBeUndefined()
    const same = again as PolicyHit
    expect([same.kind, same.staged, same.action, same.index, same.ruleIndex]).toEqual([
      hit.kind,
      hit.staged,
      hit.action,
      hit.index,
      hit.ruleIndex,
    ])
  }
}

describe('flow-log records and hit strings (fuzz)', () => {
  it(
    'never throws on mutated records, and places every error at a field',
    () => {
      fc.assert(
        fc.property(
          fc.option(mutations, { freq: 8 }),
          fc.option(fc.nat(100_000), { nil: undefined }),
          fc.option(nastyValue, { freq: 30 }),
          (edits, line, whole) => {
            ran.records++
            const raw = whole ?? (edits ? mutate(RECORD, edits) : RECORD)
            const result = validateFlowLogRecord(raw, line === undefined ? {} : { line })
            if (result.ok) return
            expect(edits ?? whole, JSON.stringify(result.errors)).not.toBeNull()
            for (const e of result.errors) {
              expect(isWellFormedError(e), String(e)).toBe(true)
              if (typeof raw === 'object' && raw !== null && !Array.isArray(raw))
                expect(e.path.length, String(e)).toBeGreaterThan(0)
              if (line !== undefined) expect(e.location.document).toBe(line - 1)
            }
          },
        ),
        { numRuns: TARGETS.records },
      )
    },
    TIMEOUT,
  )

  it(
    'never throws on hit strings, and what parses prints back in both naming models',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            validHit.map((text) => ({ text, wellFormed: true })),
            hitSoup.map((text) => ({ text, wellFormed: false })),
          ),
          ({ text, wellFormed }) => {
            ran.hits++
            checkHit(text, wellFormed)
          },
        ),
        { numRuns: TARGETS.hits },
      )
    },
    TIMEOUT,
  )

  it('refuses a kind code that is an Object.prototype member (found by fuzzing)', () => {
    expect(parseHitString('0|default|constructor:x|allow|0')).toBeInstanceOf(PolicyError)
  })

  it('places an unknown empty key at a path (found by fuzzing)', () => {
    const result = validateFlowLogRecord({ ...RECORD, '': 1 })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(["['']"])
  })

  it('ran every generated input it was asked to', () => {
    // Last in the file: the properties above have all finished.
    for (const key of Object.keys(TARGETS) as Array<keyof typeof TARGETS>)
      expect(ran[key], key).toBeGreaterThanOrEqual(TARGETS[key])
  })
})
