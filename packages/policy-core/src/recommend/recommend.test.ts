import { describe, expect, it } from 'vitest'
import { compilePolicySet } from '../evaluator/compile.ts'
import { evaluateFlow } from '../evaluator/evaluate.ts'
import type { Flow } from '../evaluator/types.ts'
import type { FlowLogRecord } from '../flowlog/types.ts'
import { loadResources, printResources } from '../resources/index.ts'
import type { Endpoint, NetworkPolicy, Resource } from '../resources/types.ts'
import { defaultDenyPolicy, findDefaultDeny, isDefaultDeny } from './default-deny.ts'
import { recommendationStatus } from './lifecycle.ts'
import { recommendationTierOrder, recommendPolicies } from './recommend.ts'
import { RECOMMENDATION_TIER } from './types.ts'

const NOW = Date.UTC(2026, 10, 1)

const endpoints: Endpoint[] = [
  { name: 'web-7d9f8-x7k2p', namespace: 'shop', labels: { app: 'web' }, ips: ['10.0.1.1'] },
  { name: 'web-7d9f8-b4c6d', namespace: 'shop', labels: { app: 'web' }, ips: ['10.0.1.2'] },
  { name: 'db-0', namespace: 'shop', labels: { app: 'db' }, ips: ['10.0.1.3'] },
  { name: 'api-0', namespace: 'other', labels: { app: 'api' }, ips: ['10.0.2.1'] },
  {
    name: 'bad-0',
    namespace: 'other',
    labels: { app: 'bad', quarantine: 'true' },
    ips: ['10.0.2.2'],
  },
  { name: 'dns-0', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ips: ['10.0.9.1'] },
]

const policiesYaml = `
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.quarantine}
spec:
  tier: security
  selector: quarantine == 'true'
  types: [Egress]
  egress: [{action: Deny}]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: partners, labels: {partner: 'true'}}
spec: {nets: [198.51.100.0/24]}
`

function resources(): Resource[] {
  const loaded = loadResources(policiesYaml)
  if (!loaded.ok) throw new Error(loaded.errors.map(String).join('\n'))
  return loaded.value
}

/** A record between two pods (or a pod and an address), allowed unless said otherwise. */
function record(
  src: { ns: string; aggr: string; type?: 'wep' | 'net' | 'ns'; ip?: string },
  dst: { ns: string; aggr: string; type?: 'wep' | 'net' | 'ns'; ip?: string },
  port: number,
  extra: Partial<FlowLogRecord> = {},
): FlowLogRecord {
  return {
    start_time: NOW / 1000 - 300,
    end_time: NOW / 1000,
    host: 'node-1',
    action: 'allow',
    reporter: 'src',
    source_type: src.type ?? 'wep',
    source_namespace: src.ns,
    source_name: '-',
    source_name_aggr: src.aggr,
    source_ip: src.ip ?? null,
    source_port: null,
    dest_type: dst.type ?? 'wep',
    dest_namespace: dst.ns,
    dest_name: '-',
    dest_name_aggr: dst.aggr,
    dest_ip: dst.ip ?? null,
    dest_port: port,
    proto: 'tcp',
    bytes_in: 1,
    bytes_out: 1,
    packets_in: 1,
    packets_out: 1,
    num_flows: 2,
    num_flows_started: 2,
    num_flows_completed: 2,
    ...extra,
  }
}

const flows: FlowLogRecord[] = [
  record({ ns: 'shop', aggr: 'web-7d9f8-*' }, { ns: 'shop', aggr: 'db-0' }, 5432),
  record({ ns: 'shop', aggr: 'web-7d9f8-*' }, { ns: 'shop', aggr: 'db-0' }, 5432, { num_flows: 3 }),
  record({ ns: 'other', aggr: 'api-0' }, { ns: 'shop', aggr: 'web-7d9f8-*' }, 8080),
  record({ ns: 'other', aggr: 'api-0' }, { ns: 'shop', aggr: 'web-7d9f8-*' }, 443),
  record(
    { ns: '-', aggr: 'pub', type: 'net', ip: '81.2.69.142' },
    { ns: 'shop', aggr: 'web-7d9f8-*' },
    8080,
  ),
  record(
    { ns: 'shop', aggr: 'web-7d9f8-*' },
    { ns: '-', aggr: 'partners', type: 'ns', ip: '198.51.100.7' },
    443,
  ),
  // Lateral movement: the quarantined pod is denied by the security tier.
  record({ ns: 'other', aggr: 'bad-0' }, { ns: 'shop', aggr: 'db-0' }, 5432, { action: 'deny' }),
  // Reported denied although the current policies would allow it: still never an allow rule.
  record({ ns: 'other', aggr: 'api-0' }, { ns: 'shop', aggr: 'db-0' }, 22, { action: 'deny' }),
  // Unknown pod.
  record({ ns: 'shop', aggr: 'ghost-*' }, { ns: 'shop', aggr: 'db-0' }, 5432),
  record({ ns: 'shop', aggr: 'web-7d9f8-*' }, { ns: 'kube-system', aggr: 'dns-0' }, 53, {
    proto: 'udp',
  }),
]

const inventory = { endpoints }

function enforce(list: readonly Resource[]): Resource[] {
  return list.map((r) => {
    if (r.kind !== 'StagedNetworkPolicy') return r
    const { stagedAction: _drop, ...spec } = r.spec
    const np: NetworkPolicy = { ...r, kind: 'NetworkPolicy', spec }
    return np
  })
}

describe('recommendPolicies', () => {
  const out = recommendPolicies({
    resources: resources(),
    inventory,
    flows,
    namespace: 'shop',
    now: NOW,
  })
  const policy = out.policies[0]

  it('writes one Learn-staged policy for the namespace in the namespace-isolation tier', () => {
    expect(out.policies).toHaveLength(1)
    expect(policy?.metadata.name).toBe('shop-recommendation')
    expect(policy?.spec.tier).toBe(RECOMMENDATION_TIER)
    expect(policy?.spec.stagedAction).toBe('Learn')
    expect(policy?.spec.selector).toBe('projectcalico.org/namespace == "shop"')
    expect(policy?.metadata.labels?.['projectcalico.org/spec.stagedAction']).toBe('Learn')
    expect(policy?.metadata.annotations?.['policyrecommendation.tigera.io/status']).toBe('Learning')
    expect(policy?.spec.types).toEqual(['Egress', 'Ingress'])
    expect(out.states).toEqual({ 'shop-recommendation': 'new' })
  })

  it('creates the tier after the declared tiers when it is missing', () => {
    expect(out.tier?.metadata.name).toBe(RECOMMENDATION_TIER)
    expect(out.tier?.spec?.order).toBe(200)
    expect(recommendationTierOrder([])).toBe(100)
    const withTier = recommendPolicies({
      resources: [...resources(), { ...(out.tier as Resource) }],
      inventory,
      flows,
      namespace: 'shop',
      now: NOW,
    })
    expect(withTier.tier).toBeUndefined()
  })

  it('builds rules by namespace, network set and public nets, ports merged and sorted', () => {
    const ingress = policy?.spec.ingress ?? []
    const scopes = ingress.map(
      (r) => r.metadata?.annotations?.['policyrecommendation.tigera.io/scope'],
    )
    expect(scopes).toEqual(['Namespace', 'Namespace', 'Public'])
    expect(ingress[0]?.source?.namespaceSelector).toBe('projectcalico.org/name == "other"')
    expect(ingress[0]?.destination?.ports).toEqual([443, 8080])
    expect(ingress[1]?.source?.namespaceSelector).toBe('projectcalico.org/name == "shop"')
    expect(ingress[1]?.destination?.ports).toEqual([5432])
    expect(ingress[2]?.source?.notNets).toContain('10.0.0.0/8')
    const egress = policy?.spec.egress ?? []
    const set = egress.find((r) => r.destination?.namespaceSelector === 'global()')
    expect(set?.destination?.selector).toBe('partner == "true"')
    expect(set?.destination?.ports).toEqual([443])
    expect(egress.filter((r) => r.destination?.ports?.includes(53))).toHaveLength(2)
  })

  it('links every rule to the flows that justify it, with counts', () => {
    const dbRule = out.evidence.find((e) => e.direction === 'ingress' && e.peer === 'shop')
    expect(dbRule?.count).toBe(5)
    expect(dbRule?.flows[0]?.key.destinationWorkload).toBe('db-0')
    const dns = out.evidence.filter((e) => e.peer === 'kube-system/kube-dns')
    expect(dns.map((e) => e.count).sort()).toEqual([0, 2])
  })

  it('never turns denied flows into allow rules and reports them', () => {
    const denied = out.excluded.filter((e) => e.reason === 'denied')
    expect(denied.map((e) => e.key.sourceWorkload).sort()).toEqual(['api-0', 'bad-0'])
    expect(out.excluded.some((e) => e.reason === 'unknown')).toBe(true)
    const all = [...(policy?.spec.ingress ?? []), ...(policy?.spec.egress ?? [])]
    expect(all.some((r) => r.destination?.ports?.includes(22))).toBe(false)
  })

  it('allows every observed legitimate flow and still denies the others once enforced with a default deny', () => {
    const other = recommendPolicies({
      resources: resources(),
      inventory,
      flows,
      namespace: 'other',
      now: NOW,
    })
    const after = compilePolicySet({
      resources: [
        ...resources(),
        out.tier as Resource,
        ...enforce(out.policies),
        ...enforce(other.policies),
        { ...defaultDenyPolicy(), kind: 'GlobalNetworkPolicy' } as Resource,
      ],
      endpoints,
    })
    const judge = (s: string, d: string | { ip: string }, port: number, protocol = 'TCP') =>
      evaluateFlow(after, {
        id: '',
        source: { endpoint: s },
        destination: typeof d === 'string' ? { endpoint: d } : d,
        protocol,
        port,
      }).enforced.action
    expect(judge('shop/web-7d9f8-x7k2p', 'shop/db-0', 5432)).toBe('Allow')
    expect(judge('other/api-0', 'shop/web-7d9f8-b4c6d', 443)).toBe('Allow')
    expect(judge('shop/web-7d9f8-x7k2p', { ip: '198.51.100.7' }, 443)).toBe('Allow')
    expect(judge('shop/web-7d9f8-x7k2p', 'kube-system/dns-0', 53, 'UDP')).toBe('Allow')
    expect(judge('other/bad-0', 'shop/db-0', 5432)).toBe('Deny')
    expect(judge('other/api-0', 'shop/db-0', 22)).toBe('Deny')
    expect(judge('shop/web-7d9f8-x7k2p', 'shop/db-0', 22)).toBe('Deny')
  })

  it('regenerates in place and leaves accepted or dismissed policies as stored', () => {
    const again = recommendPolicies({
      resources: [...resources(), ...out.policies],
      inventory,
      flows,
      namespace: 'shop',
      now: NOW + 1000,
    })
    expect(again.policies.map((p) => p.metadata.name)).toEqual(['shop-recommendation'])
    expect(again.states['shop-recommendation']).toBe('learning')
    const accepted = { ...policy, spec: { ...policy?.spec, stagedAction: 'Set' } } as Resource
    const kept = recommendPolicies({
      resources: [...resources(), accepted],
      inventory,
      flows: [],
      namespace: 'shop',
      now: NOW,
    })
    expect(kept.states['shop-recommendation']).toBe('accepted')
    expect(kept.policies[0]).toBe(accepted)
  })

  it('writes rules Calico accepts for IPv4 and IPv6 peers alike, and they allow what was seen', () => {
    const v6 = [
      record(
        { ns: '-', aggr: 'pub', type: 'net', ip: '2001:db8::7' },
        { ns: 'shop', aggr: 'web-7d9f8-*' },
        8080,
      ),
      record(
        { ns: 'shop', aggr: 'web-7d9f8-*' },
        { ns: '-', aggr: 'pub', type: 'net', ip: '8.8.4.4' },
        443,
      ),
      record(
        { ns: 'shop', aggr: 'web-7d9f8-*' },
        { ns: '-', aggr: 'pvt', type: 'net', ip: '172.16.0.9' },
        9000,
      ),
      record(
        { ns: 'shop', aggr: 'web-7d9f8-*' },
        { ns: '-', aggr: 'mixed', type: 'ns', ip: '2001:db8:1::5' },
        6000,
      ),
    ]
    const mixedSet = loadResources(`
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: mixed}
spec: {nets: [203.0.113.0/24, '2001:db8:1::/64']}
`)
    if (!mixedSet.ok) throw new Error('fixture')
    const base = [...resources(), ...mixedSet.value]
    const rec = recommendPolicies({
      resources: base,
      inventory,
      flows: v6,
      namespace: 'shop',
      now: NOW,
    })
    // What a user exports must apply: every policy validates as Calico validates it.
    const printed = loadResources(printResources([rec.tier as Resource, ...rec.policies]))
    expect(printed.ok, JSON.stringify(printed)).toBe(true)
    const model = compilePolicySet({
      resources: [
        ...base,
        rec.tier as Resource,
        ...enforce(rec.policies),
        { ...defaultDenyPolicy(), kind: 'GlobalNetworkPolicy' } as Resource,
      ],
      endpoints,
    })
    const judge = (source: Flow['source'], destination: Flow['destination'], port: number) =>
      evaluateFlow(model, { id: '', source, destination, protocol: 'TCP', port }).enforced.action
    const web = { endpoint: 'shop/web-7d9f8-x7k2p' }
    expect(judge({ ip: '2001:db8::7' }, web, 8080)).toBe('Allow')
    expect(judge(web, { ip: '8.8.4.4' }, 443)).toBe('Allow')
    expect(judge(web, { ip: '172.16.0.9' }, 9000)).toBe('Allow')
    expect(judge(web, { ip: '2001:db8:1::5' }, 6000)).toBe('Allow')
    // Public IPv4 rules never reach private addresses (pods).
    expect(judge(web, { ip: '10.0.2.1' }, 443)).toBe('Deny')
  })

  describe('status life cycle', () => {
    const STATUS = 'policyrecommendation.tigera.io/status'
    const STAMP = 'policyrecommendation.tigera.io/lastUpdated'
    /** What the store gives back: the policies printed and read again. */
    function stored(list: readonly Resource[]): Resource[] {
      const loaded = loadResources(printResources(list))
      if (!loaded.ok) throw new Error(loaded.errors.map(String).join('\n'))
      return loaded.value
    }
    function regenerate(at: number, withFlows = flows, before = out.policies) {
      return recommendPolicies({
        resources: [...resources(), ...stored(before)],
        inventory,
        flows: withFlows,
        namespace: 'shop',
        now: at,
      }).policies[0]
    }

    it('keeps Learning for two intervals, then Stabilizing, then Stable, while rules stay the same', () => {
      expect(policy?.metadata.annotations?.[STATUS]).toBe('Learning')
      const stamp = new Date(NOW).toISOString()
      const at = (ms: number) => regenerate(NOW + ms)?.metadata.annotations
      expect(at(60_000)).toMatchObject({ [STATUS]: 'Learning', [STAMP]: stamp })
      expect(at(5 * 60_000)).toMatchObject({ [STATUS]: 'Learning', [STAMP]: stamp })
      expect(at(5 * 60_000 + 1)).toMatchObject({ [STATUS]: 'Stabilizing', [STAMP]: stamp })
      expect(at(10 * 60_000)).toMatchObject({ [STATUS]: 'Stabilizing', [STAMP]: stamp })
      expect(at(10 * 60_000 + 1)).toMatchObject({ [STATUS]: 'Stable', [STAMP]: stamp })
    })

    it('goes back to Learning with a new stamp when a new flow changes the rules; unchanged rules keep theirs', () => {
      const later = NOW + 60 * 60_000
      const extra = record({ ns: 'other', aggr: 'api-0' }, { ns: 'shop', aggr: 'db-0' }, 6379)
      const next = regenerate(later, [...flows, extra])
      expect(next?.metadata.annotations).toMatchObject({
        [STATUS]: 'Learning',
        [STAMP]: new Date(later).toISOString(),
      })
      const stamps = [...(next?.spec.ingress ?? []), ...(next?.spec.egress ?? [])].map(
        (r) => r.metadata?.annotations?.[STAMP],
      )
      // The new rule is stamped now; every other rule keeps the first stamp.
      expect(stamps.filter((s) => s === new Date(later).toISOString())).toHaveLength(1)
      expect(stamps.filter((s) => s === new Date(NOW).toISOString())).toHaveLength(
        stamps.length - 1,
      )
    })

    it('names the statuses by the age of the last change, with the engine timing', () => {
      expect(recommendationStatus(0)).toBe('Learning')
      expect(recommendationStatus(300_000)).toBe('Learning')
      expect(recommendationStatus(300_001)).toBe('Stabilizing')
      expect(recommendationStatus(600_001)).toBe('Stable')
      expect(recommendationStatus(3_000, { interval: 1_000, stabilization: 5_000 })).toBe(
        'Stabilizing',
      )
      expect(recommendationStatus(5_001, { interval: 1_000, stabilization: 5_000 })).toBe('Stable')
    })
  })

  it('writes one policy per workload on request', () => {
    const per = recommendPolicies({
      resources: resources(),
      inventory,
      flows,
      namespace: 'shop',
      perWorkload: true,
      now: NOW,
    })
    expect(per.policies.map((p) => p.metadata.name)).toEqual([
      'shop-db-recommendation',
      'shop-web-recommendation',
    ])
    const db = per.policies[0]
    expect(db?.spec.selector).toBe('app == "db"')
    expect(db?.spec.ingress?.[0]?.source?.selector).toBe('app == "web"')
  })

  it('says NoData for a namespace without flows', () => {
    const none = recommendPolicies({
      resources: [],
      inventory,
      flows: [],
      namespace: 'empty',
      now: NOW,
    })
    expect(none.policies[0]?.metadata.annotations?.['policyrecommendation.tigera.io/status']).toBe(
      'NoData',
    )
  })
})

describe('default deny', () => {
  it('stages a global default deny that excludes system namespaces and keeps DNS', () => {
    const p = defaultDenyPolicy()
    expect(p.kind).toBe('StagedGlobalNetworkPolicy')
    expect(p.spec.tier).toBe('default')
    expect(p.spec.namespaceSelector).toContain("'kube-system'")
    expect(p.spec.egress?.map((r) => r.protocol)).toEqual(['UDP', 'TCP'])
    expect(isDefaultDeny(p)).toBe(true)
  })

  it('finds the enforced one first, and ignores policies that allow more than DNS', () => {
    const staged = defaultDenyPolicy()
    const enforced = {
      ...defaultDenyPolicy({ name: 'deny-all' }),
      kind: 'GlobalNetworkPolicy',
    } as Resource
    expect(findDefaultDeny([staged])?.enforced).toBe(false)
    expect(findDefaultDeny([staged, enforced])?.policy.metadata.name).toBe('deny-all')
    const allowing = defaultDenyPolicy()
    allowing.spec.ingress = [{ action: 'Allow' }]
    expect(findDefaultDeny([allowing])).toBeUndefined()
  })
})
