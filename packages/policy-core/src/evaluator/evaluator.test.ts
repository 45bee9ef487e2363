import { describe, expect, it } from 'vitest'
import type { Endpoint, Resource } from '../resources/types.ts'
import { compilePolicySet, workloadLabels } from './compile.ts'
import { evaluateFlow, evaluateFlows } from './evaluate.ts'
import { parseCIDR, parseIP, printCIDR } from './ip.ts'
import { hitStrings } from './trace.ts'

describe('ip', () => {
  it.each([
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['192.168.1.1', '192.168.1.1/32'],
    ['fd00::1:2/64', 'fd00::/64'],
    ['::ffff:1.2.3.4', '::ffff:102:304/128'],
    ['2001:db8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128'],
  ])('parseCIDR(%s) prints %s', (text, want) => {
    const c = parseCIDR(text)
    expect(c && printCIDR(c)).toBe(want)
  })
  it.each(['10.0.0.256', '01.2.3.4', '1.2.3', 'fd00:::1', '10.0.0.0/33', 'x'])(
    'rejects %s',
    (text) => {
      expect(parseCIDR(text)).toBeUndefined()
    },
  )
  it('parses IPv6 as a bigint', () => {
    expect(parseIP('::1')).toEqual({ family: 6, value: 1n })
  })
})

describe('workloadLabels', () => {
  it('writes implicit labels over pod labels, and drops pod labels posing as namespace or service-account labels', () => {
    const labels = workloadLabels(
      {
        name: 'a',
        namespace: 'x',
        serviceAccount: 'sa',
        labels: {
          'projectcalico.org/namespace': 'fake',
          'pcns.team': 'mine',
          'pcsa.trust': 'fake',
          'pcsa.extra': 'x',
          app: 'a',
        },
      },
      { team: 'blue', env: 'prod' },
      { trust: 'high' },
    )
    expect(labels).toEqual({
      app: 'a',
      'projectcalico.org/namespace': 'x',
      'projectcalico.org/orchestrator': 'k8s',
      'projectcalico.org/serviceaccount': 'sa',
      'pcns.team': 'blue',
      'pcns.env': 'prod',
      'pcns.kubernetes.io/metadata.name': 'x',
      'pcns.projectcalico.org/name': 'x',
      'pcsa.trust': 'high',
      'pcsa.projectcalico.org/name': 'sa',
    })
  })
  it('sets the service-account label whatever the length of the name (from the endpoint spec)', () => {
    const sa = 's'.repeat(200)
    expect(
      workloadLabels({ name: 'a', namespace: 'x', serviceAccount: sa }, {}, {}),
    ).toHaveProperty(['projectcalico.org/serviceaccount'], sa)
  })
})

const endpoints: Endpoint[] = [
  { name: 'a', namespace: 'x', labels: { app: 'a' }, ips: ['10.0.0.1'] },
  { name: 'b', namespace: 'x', labels: { app: 'b' }, ips: ['10.0.0.2'] },
]

function gnp(name: string, spec: Record<string, unknown>, kind = 'GlobalNetworkPolicy'): Resource {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind,
    metadata: { name },
    spec,
  } as unknown as Resource
}

describe('evaluateFlow traces', () => {
  const resources: Resource[] = [
    {
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: 'sec' },
      spec: { order: 10 },
    },
    gnp('sec.guard', {
      tier: 'sec',
      selector: "app == 'b'",
      ingress: [
        { action: 'Log' },
        { action: 'Deny', protocol: 'TCP', destination: { ports: [22] } },
      ],
    }),
    gnp('open', {
      selector: "app == 'b'",
      order: 5,
      ingress: [{ action: 'Allow', protocol: 'TCP' }],
    }),
    gnp(
      'later',
      { stagedAction: 'Set', selector: "app == 'b'", order: 1, ingress: [{ action: 'Deny' }] },
      'StagedGlobalNetworkPolicy',
    ),
  ]
  const model = compilePolicySet({ resources, endpoints })
  const flow = {
    id: 'f',
    source: { endpoint: 'x/a' },
    destination: { endpoint: 'x/b' },
    protocol: 'TCP',
    port: 22,
  }

  it('records the matching rule, the Log rule and the tier end', () => {
    const r = evaluateFlow(model, flow)
    expect(r.enforced.action).toBe('Deny')
    const ingress = r.enforced.ingress
    expect(ingress?.tiers).toHaveLength(1)
    expect(ingress?.tiers[0]?.logged?.[0]?.ruleIndex).toBe(0)
    expect(ingress?.tiers[0]?.match).toMatchObject({ ruleIndex: 1, action: 'Deny' })
    expect(ingress?.decidedBy).toMatchObject({ by: 'rule', tier: 'sec', ruleIndex: 1 })
    expect(r.enforced.egress?.decidedBy).toEqual({
      by: 'profile',
      profile: 'kns.x',
      ruleIndex: 0,
      action: 'Allow',
    })
  })

  it('ends a Deny tier with no match as end-of-tier deny, and reaches the next tier otherwise', () => {
    const r = evaluateFlow(model, { ...flow, port: 80 })
    // sec: Log only, no Deny match → end of tier sec (Deny)
    expect(r.enforced.ingress?.tiers[0]?.ended).toBe('EndOfTierDeny')
    expect(r.enforced.ingress?.decidedBy).toMatchObject({ by: 'endOfTier', tier: 'sec' })
  })

  it('evaluates staged policies only in the staged and pending views', () => {
    const passAll = compilePolicySet({
      resources: [
        gnp('open', { selector: "app == 'b'", order: 5, ingress: [{ action: 'Allow' }] }),
        gnp(
          'later',
          { stagedAction: 'Set', selector: "app == 'b'", order: 1, ingress: [{ action: 'Deny' }] },
          'StagedGlobalNetworkPolicy',
        ),
      ],
      endpoints,
    })
    const r = evaluateFlow(passAll, { ...flow, port: 80 }, { pending: true })
    expect(r.enforced.action).toBe('Allow')
    expect(r.staged.action).toBe('Deny')
    expect(r.pending?.action).toBe('Deny')
    expect(hitStrings(r.enforced.ingress ?? fail(), 'legacy')).toEqual([
      '0|default|default.open|allow|0',
    ])
    expect(hitStrings(r.staged.ingress ?? fail(), 'legacy')).toEqual([
      '0|default|default.staged:later|deny|0',
    ])
    expect(hitStrings(r.staged.ingress ?? fail(), 'v3.32')).toEqual(['0|default|sgnp:later|deny|0'])
  })

  it('shares verdicts between flows of the same tuple in a batch', () => {
    const out = evaluateFlows(model, [flow, { ...flow, id: 'g' }])
    expect(out[0]?.id).toBe('f')
    expect(out[1]?.id).toBe('g')
    expect(out[0]?.enforced).toBe(out[1]?.enforced)
  })

  it('throws a located error for an unknown endpoint', () => {
    expect(() => evaluateFlow(model, { ...flow, destination: { endpoint: 'x/zz' } })).toThrow(
      /x\/zz/,
    )
  })
})

function fail(): never {
  throw new Error('missing trace')
}

describe('hitStrings', () => {
  const model = compilePolicySet({
    resources: [
      {
        apiVersion: 'projectcalico.org/v3',
        kind: 'Tier',
        metadata: { name: 't1' },
        spec: { order: 1 },
      },
      gnp('t1.pass', {
        tier: 't1',
        selector: 'all()',
        types: ['Ingress', 'Egress'],
        ingress: [{ action: 'Pass' }],
        egress: [{ action: 'Pass' }],
      }),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny-b', namespace: 'x' },
        spec: { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'] },
      },
    ],
    endpoints,
  })
  const r = evaluateFlow(model, {
    id: 'f',
    source: { endpoint: 'x/a' },
    destination: { endpoint: 'x/b' },
    protocol: 'TCP',
    port: 80,
  })
  it('writes pass, end-of-tier (-1) and profile hits in the legacy model', () => {
    expect(hitStrings(r.enforced.ingress ?? fail(), 'legacy')).toEqual([
      '0|t1|t1.pass|pass|0',
      '1|default|x/knp.default.deny-b|deny|-1',
    ])
    expect(hitStrings(r.enforced.egress ?? fail(), 'legacy')).toEqual([
      '0|t1|t1.pass|pass|0',
      '1|__PROFILE__|__PROFILE__.kns.x|allow|0',
    ])
  })
  it('writes kind codes in the v3.32 model', () => {
    expect(hitStrings(r.enforced.ingress ?? fail(), 'v3.32')).toEqual([
      '0|t1|gnp:t1.pass|pass|0',
      '1|default|knp:x/deny-b|deny|-1',
    ])
    expect(hitStrings(r.enforced.egress ?? fail(), 'v3.32')[1]).toBe(
      '1|__PROFILE__|pro:kns.x|allow|0',
    )
  })
})
