import { describe, expect, it } from 'vitest'
import { compilePolicySet } from '../evaluator/compile.ts'
import { evaluateFlow } from '../evaluator/evaluate.ts'
import type { FlowLogRecord } from '../flowlog/types.ts'
import type { Endpoint, GlobalNetworkSet, Resource } from '../resources/types.ts'
import { changedPolicySet } from './change.ts'
import { computeImpact } from './compute.ts'
import { recordsToFlows } from './records.ts'
import type { FlowTuple, FlowTuplePeer } from './types.ts'

const CALICO = 'projectcalico.org/v3' as const

const endpoints: Endpoint[] = [
  {
    name: 'web-7d9f8c6b5-bcdfg',
    namespace: 'shop',
    labels: { app: 'web' },
    ips: ['10.0.1.1'],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  },
  {
    name: 'web-7d9f8c6b5-hjklm',
    namespace: 'shop',
    labels: { app: 'web' },
    ips: ['10.0.1.2'],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  },
  { name: 'db-0', namespace: 'shop', labels: { app: 'db' }, ips: ['10.0.2.1'] },
  // Same aggregated name as the web pods but another label set: members of one record may differ.
  {
    name: 'mixed-5f6d7c8b9-bcdfg',
    namespace: 'shop',
    labels: { app: 'mixed', tier: 'a' },
    ips: ['10.0.3.1'],
  },
  {
    name: 'mixed-5f6d7c8b9-hjklm',
    namespace: 'shop',
    labels: { app: 'mixed', tier: 'b' },
    ips: ['10.0.3.2'],
  },
]

const partners: GlobalNetworkSet = {
  apiVersion: CALICO,
  kind: 'GlobalNetworkSet',
  metadata: { name: 'partners', labels: { role: 'partner' } },
  spec: { nets: ['198.51.100.0/24'] },
}

const denyDbFromWeb: Resource = {
  apiVersion: CALICO,
  kind: 'StagedNetworkPolicy',
  metadata: { name: 'db-isolation', namespace: 'shop' },
  spec: {
    tier: 'default',
    selector: "app == 'db'",
    types: ['Ingress'],
    ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: "app == 'api'" } }],
  },
}

const mixedPolicy: Resource = {
  apiVersion: CALICO,
  kind: 'StagedNetworkPolicy',
  metadata: { name: 'mixed-egress', namespace: 'shop' },
  spec: {
    tier: 'default',
    selector: "tier == 'a'",
    types: ['Egress'],
    egress: [{ action: 'Deny' }],
  },
}

const egressNets: Resource = {
  apiVersion: CALICO,
  kind: 'StagedGlobalNetworkPolicy',
  metadata: { name: 'web-egress' },
  spec: {
    tier: 'default',
    selector: "app == 'web'",
    types: ['Egress'],
    egress: [
      { action: 'Allow', destination: { nets: ['10.0.0.0/8'] } },
      { action: 'Allow', destination: { nets: ['203.0.113.0/24'] } },
      { action: 'Allow', destination: { selector: "role == 'partner'" } },
    ],
  },
}

const resources: Resource[] = [partners, denyDbFromWeb, mixedPolicy, egressNets]
const inventory = { endpoints, networkSets: [partners] }

function peer(
  type: FlowTuplePeer['type'],
  namespace: string,
  aggr: string,
  extra: Partial<FlowTuplePeer> = {},
): FlowTuplePeer {
  return { type, namespace, name: '-', nameAggr: aggr, ip: null, ...extra }
}

function tuple(
  source: FlowTuplePeer,
  destination: FlowTuplePeer,
  port: number | null,
  count = 1,
  proto = 'tcp',
): FlowTuple {
  return { source, destination, proto, port, count }
}

const webAggr = peer('wep', 'shop', 'web-7d9f8c6b5-*', { labels: ['app=web'] })
const db = peer('wep', 'shop', 'db-0', { name: 'db-0' })

function model(rs: readonly Resource[]) {
  return compilePolicySet({ resources: rs, endpoints })
}

describe('recordsToFlows', () => {
  it.each([
    ['a pod by name', db, { kind: 'endpoints', refs: ['shop/db-0'] }],
    [
      'pods by aggregated name',
      webAggr,
      { kind: 'endpoints', refs: ['shop/web-7d9f8c6b5-bcdfg', 'shop/web-7d9f8c6b5-hjklm'] },
    ],
    [
      'a pod by address',
      peer('wep', 'shop', 'x-*', { ip: '10.0.1.2' }),
      { kind: 'endpoints', refs: ['shop/web-7d9f8c6b5-hjklm'] },
    ],
    ['a private address', peer('net', '-', 'pvt'), { kind: 'net', class: 'pvt' }],
    [
      'a network set',
      peer('ns', '-', 'partners'),
      {
        kind: 'set',
        namespace: '',
        name: 'partners',
        nets: ['198.51.100.0/24'],
        ip: '198.51.100.0',
      },
    ],
  ])('maps %s', (_what, destination, expected) => {
    const [f] = recordsToFlows([tuple(webAggr, destination, 80)], inventory)
    expect(f?.uncertain).toBeUndefined()
    expect(f?.destination).toEqual(expected)
  })

  it.each([
    ['an unknown pod', peer('wep', 'shop', 'gone-*'), 'unknown-endpoint'],
    [
      'aggregated pods whose labels no pod has',
      peer('wep', 'shop', 'web-7d9f8c6b5-*', { labels: ['app=other'] }),
      'unknown-endpoint',
    ],
    ['an unknown network set', peer('ns', '-', 'nowhere'), 'unknown-endpoint'],
  ])('marks %s uncertain', (_what, destination, reason) => {
    const [f] = recordsToFlows([tuple(webAggr, destination, 80)], inventory)
    expect(f?.uncertain).toBe(reason)
    expect(f?.detail).toMatch(/not in the inventory/)
  })

  it('marks an unknown protocol uncertain', () => {
    const [f] = recordsToFlows([tuple(webAggr, db, null, 1, 'gre-ish')], inventory)
    expect(f?.uncertain).toBe('unsupported-protocol')
  })

  it('reads flow-log records, counting num_flows and grouping by aggregated workload', () => {
    const record: FlowLogRecord = {
      start_time: 0,
      end_time: 300,
      host: 'node-1',
      action: 'allow',
      reporter: 'dst',
      source_type: 'wep',
      source_namespace: 'shop',
      source_name: '-',
      source_name_aggr: 'web-7d9f8c6b5-*',
      source_ip: null,
      source_port: null,
      dest_type: 'wep',
      dest_namespace: 'shop',
      dest_name: 'db-0',
      dest_name_aggr: 'db-0',
      dest_ip: '10.0.2.1',
      dest_port: 5432,
      proto: 'tcp',
      bytes_in: 1,
      bytes_out: 1,
      packets_in: 1,
      packets_out: 1,
      num_flows: 7,
      num_flows_started: 7,
      num_flows_completed: 7,
    }
    const [f] = recordsToFlows([record], inventory)
    expect(f).toMatchObject({
      count: 7,
      port: 5432,
      group: { sourceWorkload: 'web-7d9f8c6b5-*', destinationWorkload: 'db-0', protocol: 'tcp' },
      destination: { kind: 'endpoints', refs: ['shop/db-0'] },
    })
  })
})

describe('computeImpact', () => {
  const m = model(resources)
  const enforced = { model: m, view: 'enforced' as const }
  const staged = { model: m, view: 'staged' as const }

  it('counts allowed→denied flows of the staged view and keeps both traces', () => {
    const flows = recordsToFlows(
      [tuple(webAggr, db, 5432, 5), tuple(db, webAggr, 8080, 2)],
      inventory,
    )
    const r = computeImpact(enforced, staged, flows)
    // The expectation comes from the evaluator itself, for one member of the aggregate.
    const direct = evaluateFlow(m, {
      id: 'x',
      source: { endpoint: 'shop/web-7d9f8c6b5-bcdfg' },
      destination: { endpoint: 'shop/db-0' },
      protocol: 'tcp',
      port: 5432,
    })
    expect(direct.enforced.action).toBe('Allow')
    expect(direct.staged.action).toBe('Deny')
    expect(r.totals).toMatchObject({
      flows: 7,
      allowedToDenied: 5,
      deniedToAllowed: 0,
      unchanged: 2,
    })
    const [first] = r.groups
    expect(first?.change).toBe('allowedToDenied')
    expect(first?.key).toMatchObject({
      sourceWorkload: 'web-7d9f8c6b5-*',
      destinationWorkload: 'db-0',
      port: 5432,
    })
    expect(first?.example?.after.ingress?.decidedBy).toMatchObject({
      by: 'endOfTier',
      tier: 'default',
    })
    expect(first?.example?.before.ingress?.decidedBy).toMatchObject({ by: 'profile' })
  })

  it('leaves unchanged groups out when asked', () => {
    const flows = recordsToFlows([tuple(webAggr, db, 5432), tuple(db, webAggr, 8080)], inventory)
    const r = computeImpact(enforced, staged, flows, { onlyChanged: true })
    expect(r.groups.map((g) => g.change)).toEqual(['allowedToDenied'])
    expect(r.totals.unchanged).toBe(1)
  })

  it('judges a private address against nets that cover all or none of the private ranges', () => {
    // 10.0.0.0/8 covers only part of the private ranges: where the address lies decides.
    const flows = recordsToFlows([tuple(webAggr, peer('net', '-', 'pvt'), 443, 3)], inventory)
    const r = computeImpact(enforced, staged, flows)
    expect(r.totals.uncertain).toBe(3)
    expect(r.totals.uncertainByReason).toEqual({ 'address-dependent': 3 })
    expect(r.groups[0]?.uncertainDetails[0]).toMatch(/private address/)
  })

  it('judges a public address exactly when no rule splits public space', () => {
    const only = egressNets as Resource & { spec: { egress: unknown[] } }
    const narrowed: Resource = {
      ...only,
      spec: { ...only.spec, egress: [{ action: 'Allow', destination: { nets: ['10.0.0.0/8'] } }] },
    } as Resource
    const m2 = model([partners, narrowed])
    const flows = recordsToFlows([tuple(webAggr, peer('net', '-', 'pub'), 443, 4)], inventory)
    const r = computeImpact({ model: m2, view: 'enforced' }, { model: m2, view: 'staged' }, flows)
    expect(r.totals).toMatchObject({ allowedToDenied: 4, uncertain: 0 })
  })

  it('judges a network set by an address it owns', () => {
    const flows = recordsToFlows([tuple(webAggr, peer('ns', '-', 'partners'), 443, 2)], inventory)
    const r = computeImpact(enforced, staged, flows)
    // 198.51.100.0/24 lies wholly outside both nets rules; the selector rule allows partners.
    expect(r.totals).toMatchObject({ unchanged: 2, uncertain: 0 })
  })

  it('marks aggregated pods that are judged differently', () => {
    const mixed = peer('wep', 'shop', 'mixed-5f6d7c8b9-*', { labels: ['app=mixed'] })
    const flows = recordsToFlows([tuple(mixed, db, 5432, 6)], inventory)
    const m3 = model([mixedPolicy])
    const r = computeImpact({ model: m3, view: 'enforced' }, { model: m3, view: 'staged' }, flows)
    expect(r.totals.uncertainByReason).toEqual({ 'members-differ': 6 })
  })

  it('marks flows without a port uncertain only when a rule on the path tests ports', () => {
    const withPorts: Resource = {
      apiVersion: CALICO,
      kind: 'StagedNetworkPolicy',
      metadata: { name: 'db-port', namespace: 'shop' },
      spec: {
        selector: "app == 'db'",
        types: ['Ingress'],
        ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [5432] } }],
      },
    }
    const flows = recordsToFlows([tuple(webAggr, db, null, 2)], inventory)
    const m4 = model([withPorts])
    const r = computeImpact({ model: m4, view: 'enforced' }, { model: m4, view: 'staged' }, flows)
    expect(r.totals.uncertainByReason).toEqual({ 'no-port': 2 })
    const r2 = computeImpact(enforced, staged, flows)
    expect(r2.totals).toMatchObject({ allowedToDenied: 2, uncertain: 0 })
  })

  it('evaluates one member per alike group when addresses cannot matter', () => {
    const m5 = model([denyDbFromWeb])
    const flows = recordsToFlows([tuple(webAggr, db, 5432)], inventory)
    const r = computeImpact({ model: m5, view: 'enforced' }, { model: m5, view: 'staged' }, flows)
    expect(r.evaluations).toBe(1)
    expect(r.totals.allowedToDenied).toBe(1)
  })
})

describe('changedPolicySet', () => {
  const enforcedWeb: Resource = {
    apiVersion: CALICO,
    kind: 'NetworkPolicy',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: "app == 'web'", types: ['Ingress'], ingress: [{ action: 'Allow' }] },
  }
  const stored = [...resources, enforcedWeb]

  it('enforces one staged policy and leaves the other staged policies out', () => {
    const r = changedPolicySet(stored, {
      type: 'staged',
      kind: 'StagedNetworkPolicy',
      namespace: 'shop',
      name: 'db-isolation',
    })
    expect(r.ok && r.value.view).toBe('staged')
    const names = r.ok ? r.value.resources.map((x) => x.metadata.name) : []
    expect(names).toEqual(['partners', 'web', 'db-isolation'])
  })

  it('refuses a staged policy that is not stored', () => {
    const r = changedPolicySet(stored, {
      type: 'staged',
      kind: 'StagedNetworkPolicy',
      namespace: 'shop',
      name: 'nope',
    })
    expect(r.ok).toBe(false)
    expect(r.ok ? '' : r.errors[0]?.code).toBe('IMPACT_CHANGE')
  })

  it('lays an enforced draft over the stored policy of the same name', () => {
    const draft: Resource = {
      ...enforcedWeb,
      spec: { ...enforcedWeb.spec, ingress: [{ action: 'Deny' }] },
    } as Resource
    const r = changedPolicySet(stored, { type: 'draft', resource: draft })
    expect(r.ok && r.value.view).toBe('enforced')
    const web = r.ok ? r.value.resources.filter((x) => x.metadata.name === 'web') : []
    expect(web).toEqual([draft])
  })

  it('removes the resource for a revision that deleted it', () => {
    const r = changedPolicySet(stored, {
      type: 'revision',
      resource: null,
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'web',
    })
    expect(r.ok && r.value.resources.some((x) => x.metadata.name === 'web')).toBe(false)
  })

  describe('a chosen set of staged policies', () => {
    const defaultDeny: Resource = {
      apiVersion: CALICO,
      kind: 'StagedGlobalNetworkPolicy',
      metadata: { name: 'default-deny' },
      spec: { tier: 'default', order: 2000, selector: 'all()', types: ['Ingress'] },
    }
    const allowDb: Resource = {
      apiVersion: CALICO,
      kind: 'StagedNetworkPolicy',
      metadata: { name: 'allow-db', namespace: 'shop' },
      spec: {
        tier: 'default',
        order: 100,
        selector: "app == 'db'",
        types: ['Ingress'],
        ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: "app == 'web'" } }],
      },
    }
    // A staged policy in another tier, written with the legacy `<tier>.` prefix.
    const legacyGuard: Resource = {
      apiVersion: CALICO,
      kind: 'StagedGlobalNetworkPolicy',
      metadata: { name: 'security.guard' },
      spec: {
        tier: 'security',
        selector: 'all()',
        types: ['Egress'],
        egress: [{ action: 'Pass' }],
      },
    }
    const all = [...stored, defaultDeny, allowDb, legacyGuard]
    const DENY = { kind: 'StagedGlobalNetworkPolicy', name: 'default-deny' }
    const ALLOW = { kind: 'StagedNetworkPolicy', namespace: 'shop', name: 'allow-db' }

    it('keeps every enforced resource and exactly the chosen staged policies', () => {
      const r = changedPolicySet(all, { type: 'staged-set', policies: [DENY, ALLOW] })
      expect(r.ok && r.value).toMatchObject({ view: 'staged', unchanged: false })
      const names = r.ok ? r.value.resources.map((x) => `${x.kind}/${x.metadata.name}`) : []
      expect(names).toEqual([
        'GlobalNetworkSet/partners',
        'NetworkPolicy/web',
        'StagedGlobalNetworkPolicy/default-deny',
        'StagedNetworkPolicy/allow-db',
      ])
    })

    it('accepts bare and legacy-prefixed names for one policy', () => {
      for (const name of ['guard', 'security.guard']) {
        const r = changedPolicySet(all, {
          type: 'staged-set',
          policies: [{ kind: 'StagedGlobalNetworkPolicy', name }],
        })
        const staged = r.ok ? r.value.resources.filter((x) => x.kind.startsWith('Staged')) : []
        expect(staged).toEqual([legacyGuard])
      }
    })

    it('with no policy, leaves every staged policy out', () => {
      const r = changedPolicySet(all, { type: 'staged-set', policies: [] })
      expect(r.ok && r.value.resources.some((x) => x.kind.startsWith('Staged'))).toBe(false)
    })

    it('names each policy that is not stored, or not staged, by its index', () => {
      const r = changedPolicySet(all, {
        type: 'staged-set',
        policies: [
          DENY,
          { kind: 'StagedNetworkPolicy', namespace: 'shop', name: 'nope' },
          { kind: 'NetworkPolicy', namespace: 'shop', name: 'web' },
        ],
      })
      expect(r.ok).toBe(false)
      const errors = r.ok ? [] : r.errors
      expect(errors.map((e) => [e.code, e.location?.field])).toEqual([
        ['IMPACT_CHANGE', 'change.policies[1]'],
        ['IMPACT_CHANGE', 'change.policies[2]'],
      ])
    })

    it('previews a default deny alone, then with the allow policy accepted beside it', () => {
      const flows = recordsToFlows([tuple(webAggr, db, 5432, 3)], inventory)
      const before = { model: model(all), view: 'enforced' as const }
      const judge = (policies: Array<typeof DENY | typeof ALLOW>) => {
        const r = changedPolicySet(all, { type: 'staged-set', policies })
        if (!r.ok) throw new Error('set refused')
        return computeImpact(before, { model: model(r.value.resources), view: 'staged' }, flows)
          .totals
      }
      // The default deny alone blocks web → db; with the allow accepted, nothing changes.
      expect(judge([DENY])).toMatchObject({ allowedToDenied: 3, unchanged: 0 })
      expect(judge([DENY, ALLOW])).toMatchObject({ allowedToDenied: 0, unchanged: 3 })
    })
  })

  it('uses the staged view of the stored set for all staged policies', () => {
    const r = changedPolicySet(stored, { type: 'staged-all' })
    expect(r.ok && r.value).toMatchObject({ view: 'staged', unchanged: true })
  })
})
