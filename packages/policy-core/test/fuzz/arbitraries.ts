/**
 * fast-check arbitraries for the fuzz suites: valid resources of every kind, a mutator that
 * breaks them in the ways hand-written input breaks (dropped fields, wrong types, unknown
 * fields at any depth, bad selectors, CIDRs, ports and protocols, huge numbers, unicode,
 * deep nesting), and raw text soups. Shared with the server's API-body fuzz suite.
 */
import fc from 'fast-check'
import { ErrorCodes, PolicyError } from '../../src/index.ts'

/** A DNS label: the names and namespaces valid resources use. */
/**
 * How many inputs a fuzz property runs: the suite's figure, times `FUZZ_SCALE` (1 in the
 * test suite; `pnpm fuzz` raises it). The timeout grows with it.
 */
export const FUZZ_SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1) || 1)

export function fuzzRuns<T extends Record<string, number>>(targets: T): T {
  return Object.fromEntries(
    Object.entries(targets).map(([k, n]) => [k, Math.round(n * FUZZ_SCALE)]),
  ) as T
}

export const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/)

/** A label key and value Calico accepts. */
export const labelKey = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?$/)
export const labelValue = fc.oneof(
  fc.constant(''),
  fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?$/),
)
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 })

/** Valid selectors, from trivial to compound. */
export const validSelector = fc.oneof(
  fc.constant('all()'),
  fc.constant(''),
  labelKey.map((k) => `has(${k})`),
  fc.tuple(labelKey, labelValue).map(([k, v]) => `${k} == '${v}'`),
  fc.tuple(labelKey, labelValue).map(([k, v]) => `!has(${k}) || ${k} != "${v}"`),
  fc
    .tuple(labelKey, fc.array(labelValue, { maxLength: 3 }))
    .map(([k, vs]) => `${k} in {${vs.map((v) => `'${v}'`).join(', ')}}`),
  fc
    .tuple(labelKey, labelValue, labelKey)
    .map(([k, v, h]) => `(${k} starts with '${v}' && has(${h})) || ${h} not in {'x'}`),
)

const cidr4 = fc
  .tuple(fc.nat(255), fc.nat(255), fc.integer({ min: 16, max: 32 }))
  .map(([a, b, p]) => `10.${a}.${b}.0/${p}`)
const cidr6 = fc.integer({ min: 32, max: 128 }).map((p) => `fd00::/${p}`)
const cidr = fc.oneof(cidr4, cidr6)
const ip4 = fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `10.0.${a}.${b}`)
const port = fc.oneof(
  fc.integer({ min: 1, max: 65535 }),
  fc
    .tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1001, max: 65535 }))
    .map(([a, b]) => `${a}:${b}`),
  fc.constantFrom('http', 'dns-tcp', 'metrics'),
)

const entity = fc.record(
  {
    nets: fc.array(cidr4, { minLength: 1, maxLength: 2 }),
    selector: validSelector,
    namespaceSelector: validSelector,
    ports: fc.array(port, { minLength: 1, maxLength: 3 }),
    notNets: fc.array(cidr4, { minLength: 1, maxLength: 2 }),
    notSelector: validSelector,
    serviceAccounts: fc.record(
      { names: fc.array(dnsLabel, { minLength: 1, maxLength: 2 }), selector: validSelector },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
)

const rule = fc.record(
  {
    action: fc.constantFrom('Allow', 'Deny', 'Log', 'Pass'),
    protocol: fc.constantFrom('TCP', 'UDP', 'SCTP', 6, 17),
    source: entity,
    destination: entity,
    metadata: fc.record({ annotations: fc.dictionary(labelKey, fc.string({ maxLength: 10 })) }),
  },
  { requiredKeys: ['action', 'protocol'] },
)

const calicoPolicySpec = fc.record(
  {
    order: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    selector: validSelector,
    types: fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
    ingress: fc.array(rule, { maxLength: 3 }),
    egress: fc.array(rule, { maxLength: 3 }),
  },
  { requiredKeys: [] },
)

const calico = 'projectcalico.org/v3'

function meta(name: string, namespace?: string, l?: Record<string, string>) {
  return { name, ...(namespace ? { namespace } : {}), ...(l ? { labels: l } : {}) }
}

const k8sLabelSelector = fc.record(
  {
    matchLabels: labels,
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({
          key: labelKey,
          operator: fc.constantFrom('In', 'NotIn'),
          values: fc.array(labelValue, { minLength: 1, maxLength: 2 }),
        }),
        fc.record({ key: labelKey, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
)
const k8sPeer = fc.oneof(
  fc.record({ podSelector: k8sLabelSelector }),
  fc.record({ namespaceSelector: k8sLabelSelector, podSelector: k8sLabelSelector }),
  cidr4.map((c) => ({ ipBlock: { cidr: '10.0.0.0/8', except: [c] } })),
)
const k8sPorts = fc.array(
  fc.record(
    { protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'), port: fc.integer({ min: 1, max: 65535 }) },
    { requiredKeys: [] },
  ),
  { maxLength: 2 },
)
const k8sSpec = fc.record(
  {
    podSelector: k8sLabelSelector,
    policyTypes: fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
    ingress: fc.array(fc.record({ from: fc.array(k8sPeer, { maxLength: 2 }), ports: k8sPorts }), {
      maxLength: 2,
    }),
    egress: fc.array(fc.record({ to: fc.array(k8sPeer, { maxLength: 2 }), ports: k8sPorts }), {
      maxLength: 2,
    }),
  },
  { requiredKeys: ['podSelector'] },
)

/** Valid resources of every kind Policyboard reads, as plain objects (before validation). */
export const validResource: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc
    .tuple(
      dnsLabel,
      fc.record(
        {
          order: fc.integer({ min: 0, max: 10_000 }),
          defaultAction: fc.constantFrom('Deny', 'Pass'),
        },
        { requiredKeys: [] },
      ),
    )
    .map(([name, spec]) => ({ apiVersion: calico, kind: 'Tier', metadata: meta(name), spec })),
  fc
    .tuple(
      fc.constantFrom('NetworkPolicy', 'StagedNetworkPolicy'),
      dnsLabel,
      dnsLabel,
      labels,
      calicoPolicySpec,
    )
    .map(([kind, name, ns, l, spec]) => ({
      apiVersion: calico,
      kind,
      metadata: meta(name, ns, l),
      spec,
    })),
  fc
    .tuple(
      fc.constantFrom('GlobalNetworkPolicy', 'StagedGlobalNetworkPolicy'),
      dnsLabel,
      calicoPolicySpec,
      validSelector,
    )
    .map(([kind, name, spec, namespaceSelector]) => ({
      apiVersion: calico,
      kind,
      metadata: meta(name),
      spec: { ...spec, namespaceSelector },
    })),
  fc
    .tuple(fc.constantFrom('NetworkSet', 'GlobalNetworkSet'), dnsLabel, dnsLabel, fc.array(cidr))
    .map(([kind, name, ns, nets]) => ({
      apiVersion: calico,
      kind,
      metadata: meta(name, kind === 'NetworkSet' ? ns : undefined, { role: 'x' }),
      spec: { nets },
    })),
  fc
    .tuple(
      dnsLabel,
      dnsLabel,
      fc.array(ip4, { minLength: 1, maxLength: 2 }),
      fc.stringMatching(/^p[a-z0-9]{0,5}$/),
    )
    .map(([name, node, expectedIPs, portName]) => ({
      apiVersion: calico,
      kind: 'HostEndpoint',
      metadata: meta(name, undefined, { host: node }),
      spec: {
        node,
        interfaceName: 'eth0',
        expectedIPs,
        profiles: ['projectcalico-default-allow'],
        ports: [{ name: portName, port: 9100, protocol: 'TCP' }],
      },
    })),
  fc.tuple(dnsLabel, dnsLabel, k8sSpec).map(([name, ns, spec]) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(name, ns),
    spec,
  })),
  fc.tuple(dnsLabel, dnsLabel, k8sSpec).map(([name, ns, spec]) => ({
    apiVersion: calico,
    kind: 'StagedKubernetesNetworkPolicy',
    metadata: meta(name, ns),
    spec,
  })),
)

/** Selectors that are almost right. */
export const badSelector = fc.constantFrom(
  "app == 'x",
  'has(',
  '((((((',
  'a in {',
  "a in {'x',}",
  '&& b',
  '!',
  'all() all()',
  "a == 'x' |",
  'has(a) && ',
  ' app == "x"\n',
  "a.b/c/d == 'x'",
  "'x' == a",
  `${'('.repeat(300)}all()${')'.repeat(300)}`,
  `a in {${Array.from({ length: 3000 }, (_, i) => `'${i}'`).join(',')}}`,
  'x'.repeat(5000),
)

/** Values that are wrong in type or range wherever they land. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    0.5,
    -0,
    65536,
    2 ** 31,
    2 ** 53,
    -(2 ** 53) - 10,
    1e308,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NaN,
    '',
    ' ',
    '0',
    '-1',
    '65536',
    '1:0',
    '0:5',
    'a:b',
    '10:',
    '10.0.0.0/33',
    '300.1.1.1/8',
    '10.0.0.1/',
    '::/129',
    '1.2.3',
    'fd00::g/64',
    'FOO',
    'tcp ',
    'ICMPv7',
    'Allow ',
    'allow',
    'Ingress',
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    '\u0000',
    '\uD800',
    'é',
    '👩‍👩‍👧',
    '\u202Eevil',
    [],
    {},
    [null],
    { __proto__: null },
  ),
  badSelector,
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((b) => Number(b)),
  fc.integer({ min: 1, max: 200 }).map((depth) => nest(depth)),
  fc.jsonValue({ maxDepth: 2 }),
  fc.integer({ min: 50, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => i)),
)

/** An array (odd depth) or object (even depth) nested `depth` deep. */
export function nest(depth: number): unknown {
  let v: unknown = 'leaf'
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { deep: v }
  return v
}

/** One edit of a value: where (an index into its places, taken modulo) and what. */
export type Mutation =
  | { op: 'drop'; at: number }
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'add'; at: number; key: string; value: unknown }
  | { op: 'wrap'; at: number }

const unknownKey = fc.oneof(
  fc.constantFrom('extra', 'Selector', 'spec', 'metadata', '__proto__', 'constructor', 'a.b', ''),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 5 }),
)

/** A list of edits for {@link mutate}. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: nastyValue }),
    fc.record({
      op: fc.constant('add' as const),
      at: fc.nat(),
      key: unknownKey,
      value: nastyValue,
    }),
    fc.record({ op: fc.constant('wrap' as const), at: fc.nat() }),
  ),
  { minLength: 1, maxLength: 4 },
)

type Place = { parent: Record<string, unknown> | unknown[]; key: string | number }

function places(value: unknown, out: Place[] = []): Place[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push({ parent: value, key: i })
      places(v, out)
    })
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push({ parent: value as Record<string, unknown>, key: k })
      places(v, out)
    }
  }
  return out
}

function containers(value: unknown, out: Array<Record<string, unknown>> = []): typeof out {
  if (Array.isArray(value)) for (const v of value) containers(v, out)
  else if (value !== null && typeof value === 'object') {
    out.push(value as Record<string, unknown>)
    for (const v of Object.values(value)) containers(v, out)
  }
  return out
}

/** A deep copy of `value` with the edits applied (all in place on the copy). */
export function mutate(value: unknown, edits: readonly Mutation[]): unknown {
  const copy = structuredClone(value)
  for (const m of edits) {
    if (m.op === 'add') {
      const objects = containers(copy)
      const target = objects[m.at % Math.max(1, objects.length)]
      if (target)
        Object.defineProperty(target, m.key, {
          value: structuredClone(m.value),
          enumerable: true,
          configurable: true,
          writable: true,
        })
      continue
    }
    const all = places(copy)
    const p = all[m.at % Math.max(1, all.length)]
    if (!p) continue
    const parent = p.parent as Record<string | number, unknown>
    if (m.op === 'drop') {
      if (Array.isArray(p.parent)) p.parent.splice(p.key as number, 1)
      else delete parent[p.key]
    } else if (m.op === 'replace') parent[p.key] = structuredClone(m.value)
    else parent[p.key] = [parent[p.key]]
  }
  return copy
}

/** YAML-ish fragments to glue into token soups. */
export const yamlToken = fc.oneof(
  fc.constantFrom(
    '---\n',
    '...\n',
    '\n',
    '  ',
    '- ',
    ': ',
    '? ',
    '{',
    '}',
    '[',
    ']',
    ',',
    '&a ',
    '*a',
    '*b',
    '&b [*a,*a,*a,*a] ',
    '!!str ',
    '!!binary ',
    '!<tag:x> ',
    '%YAML 1.2\n',
    '%TAG ! tag:x,2000:\n',
    '|\n',
    '>-\n',
    '"',
    "'",
    '#',
    '\t',
    '\r\n',
    '\uFEFF',
    'apiVersion: projectcalico.org/v3\n',
    'apiVersion: networking.k8s.io/v1\n',
    'kind: NetworkPolicy\n',
    'kind: GlobalNetworkPolicy\n',
    'kind: List\n',
    'items:\n',
    'metadata:\n',
    'metadata: {name: a, namespace: b}\n',
    'spec:\n',
    '  selector: all()\n',
    '  ingress:\n',
    '  - action: Allow\n',
    'name: x\n',
    '<<: *a\n',
    'null',
    '~',
    '.inf',
    '.nan',
    '0x1F',
    '1e400',
    '99999999999999999999999',
    'true',
    'yes',
  ),
  fc.string({ maxLength: 6 }),
  dnsLabel,
)

/** Raw text: random strings, token soups, and deep flow collections. */
export const rawText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 200 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 100 }), weight: 4 },
  { arbitrary: fc.array(yamlToken, { maxLength: 40 }).map((t) => t.join('')), weight: 10 },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 400 }), fc.constantFrom('[', '{a: ', '- '))
      .map(([n, open]) =>
        open === '- '
          ? Array.from({ length: Math.min(n, 100) }, (_, i) => `${' '.repeat(i * 2)}- `).join('\n')
          : open.repeat(n),
      ),
    weight: 1,
  },
)

/** Checks the error contract every fuzz suite shares: a PolicyError with a code and a message. */
export function isWellFormedError(e: unknown): e is PolicyError {
  return (
    e instanceof PolicyError &&
    typeof e.code === 'string' &&
    e.code.length > 0 &&
    (Object.values(ErrorCodes) as string[]).includes(e.code) &&
    typeof e.message === 'string' &&
    e.message.length > 0
  )
}
