import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { loadResources, validateResource } from './validate.ts'
import { printResources } from './yaml.ts'

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/)
const labelValue = fc.oneof(
  fc.constant(''),
  fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?$/),
)
const quoted = fc.stringMatching(/^[a-zA-Z0-9 :#\-!&|{}"]{0,12}$/).map((s) => s.replaceAll('"', ''))
const selector = fc.oneof(
  fc.constant('all()'),
  fc.constant(''),
  label.map((k) => `has(${k})`),
  fc.tuple(label, quoted).map(([k, v]) => `${k} == '${v}'`),
  fc.tuple(label, quoted).map(([k, v]) => `!has(${k}) || ${k} != "${v}"`),
  fc
    .tuple(label, fc.array(quoted, { maxLength: 3 }))
    .map(([k, vs]) => `${k} in {${vs.map((v) => `'${v}'`).join(', ')}}`),
)
const v4 = fc
  .tuple(fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 32 }))
  .map(([a, b, p]) => `10.${a}.${b}.0/${p}`)
const port = fc.oneof(
  fc.integer({ min: 1, max: 65535 }),
  fc
    .tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1001, max: 65535 }))
    .map(([a, b]) => `${a}:${b}`),
  fc.constantFrom('http', 'dns-tcp', 'metrics'),
)
const entity = fc.record(
  {
    nets: fc.array(v4, { minLength: 1, maxLength: 3 }),
    selector,
    namespaceSelector: fc.oneof(selector, fc.constant('global()')),
    ports: fc.array(port, { minLength: 1, maxLength: 4 }),
    notNets: fc.array(v4, { minLength: 1, maxLength: 2 }),
    notSelector: selector,
    serviceAccounts: fc.record(
      { names: fc.array(label, { minLength: 1, maxLength: 2 }), selector },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
)
const rule = fc.record(
  {
    action: fc.constantFrom('Allow', 'Deny', 'Log', 'Pass'),
    protocol: fc.constantFrom('TCP', 'UDP', 'SCTP', 6, 17),
    notProtocol: fc.constantFrom('UDPLite', 'ICMP', 1, 200),
    source: entity,
    destination: entity,
    metadata: fc.record({
      annotations: fc.dictionary(label, fc.string({ maxLength: 20 }), { maxKeys: 2 }),
    }),
  },
  { requiredKeys: ['action', 'protocol'] },
)
const policy = fc
  .record({
    global: fc.boolean(),
    name: label,
    tier: fc.constantFrom(undefined, 'default', 'security'),
    labels: fc.dictionary(label, labelValue, { maxKeys: 3 }),
    order: fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: undefined }),
    selector,
    ingress: fc.array(rule, { maxLength: 3 }),
    egress: fc.array(rule, { maxLength: 3 }),
  })
  .map((p) => ({
    apiVersion: 'projectcalico.org/v3',
    kind: p.global ? 'GlobalNetworkPolicy' : 'NetworkPolicy',
    metadata: { name: p.name, ...(p.global ? {} : { namespace: 'ns' }), labels: p.labels },
    spec: {
      ...(p.tier ? { tier: p.tier } : {}),
      ...(p.order !== undefined ? { order: p.order } : {}),
      selector: p.selector,
      ingress: p.ingress,
      egress: p.egress,
    },
  }))

describe('round trip (property)', () => {
  it('random valid policies validate, print and re-parse to equal objects', () => {
    fc.assert(
      fc.property(fc.array(policy, { minLength: 1, maxLength: 4 }), (raws) => {
        const resources = raws.map((raw) => {
          const r = validateResource(raw)
          if (!r.ok) throw new Error(r.errors.map(String).join('\n'))
          return r.value
        })
        const again = loadResources(printResources(resources))
        expect(again).toEqual({ ok: true, value: resources })
      }),
      { numRuns: 200 },
    )
  })
})
