import {
  classifyAddress,
  compilePolicySet,
  evaluateFlow,
  type Flow,
  type FlowLogRecord,
  type FlowResult,
  hitRefersTo,
  hitStrings,
  loadResources,
  nameAggr,
  PolicyError,
  type PolicyHitKind,
  parseHitString,
  type Resource,
  resourceKind,
  validateFlowLogRecord,
} from '@policyboard/policy-core'
import { describe, expect, it } from 'vitest'
import {
  demoCluster,
  demoConversations,
  EXPORT_INTERVAL,
  generateDemoFlows,
  iterateDemoFlows,
  STOREFRONT,
} from '../src/demo/index.ts'

const cluster = demoCluster()
const NOW = Date.UTC(2026, 10, 27, 12, 3, 17)
const OPTS = { now: NOW, hours: 6, count: 3_000, seed: 42 }
const flows = generateDemoFlows(OPTS, cluster)

describe('demo cluster', () => {
  it('is valid Calico YAML that loads to the same resources', () => {
    const loaded = loadResources(cluster.yaml)
    if (!loaded.ok) throw new Error(loaded.errors.map(String).join('\n'))
    expect(
      loaded.value.map(
        (r) => `${resourceKind(r)} ${r.metadata.namespace ?? ''}/${r.metadata.name}`,
      ),
    ).toEqual(
      cluster.resources.map(
        (r) => `${resourceKind(r)} ${r.metadata.namespace ?? ''}/${r.metadata.name}`,
      ),
    )
  })

  it('has tiers, enforced policies of each kind and the staged changes', () => {
    const kinds = cluster.resources.map(resourceKind)
    for (const k of [
      'Tier',
      'GlobalNetworkPolicy',
      'NetworkPolicy',
      'KubernetesNetworkPolicy',
      'GlobalNetworkSet',
      'NetworkSet',
      'StagedGlobalNetworkPolicy',
      'StagedNetworkPolicy',
    ]) {
      expect(kinds).toContain(k)
    }
    const deny = cluster.resources.find((r) => r.kind === 'StagedGlobalNetworkPolicy')
    expect(deny?.spec).toMatchObject({ tier: 'default', types: ['Ingress', 'Egress'] })
    expect(JSON.stringify(deny?.spec)).toContain('kube-system')
  })

  it('runs every storefront service with ReplicaSet pod names, one service account each', () => {
    const pods = cluster.endpoints.filter((e) => e.namespace === 'storefront')
    for (const svc of STOREFRONT) {
      const mine = pods.filter((p) => p.labels?.app === svc.app)
      expect(mine.length, svc.app).toBe(svc.replicas)
      for (const p of mine) {
        expect(nameAggr(p.name)).toMatch(new RegExp(`^${svc.app}-[a-z0-9]{10}-\\*$`))
        expect(p.serviceAccount).toBe(svc.app)
        expect(p.labels?.['fw-zone']).toBe(svc.zone)
        if (svc.port)
          expect(p.ports).toContainEqual({
            name: svc.port.name,
            port: svc.port.number,
            protocol: 'TCP',
          })
      }
    }
  })

  it('gives every pod a unique 10.244.x.y address and a known namespace and service account', () => {
    const ips = cluster.endpoints.map((e) => e.ips?.[0] ?? '')
    for (const ip of ips) expect(ip).toMatch(/^10\.244\.\d+\.\d+$/)
    expect(new Set(ips).size).toBe(ips.length)
    const namespaces = new Set(cluster.namespaces.map((n) => n.name))
    const sas = new Set(cluster.serviceAccounts.map((s) => `${s.namespace}/${s.name}`))
    for (const e of cluster.endpoints) {
      expect(namespaces).toContain(e.namespace)
      expect(sas).toContain(`${e.namespace}/${e.serviceAccount}`)
    }
    const dns = cluster.endpoints.filter((e) => e.labels?.['k8s-app'] === 'kube-dns')
    expect(dns.length).toBeGreaterThan(0)
    for (const d of dns) {
      expect(d.ports).toContainEqual({ name: 'dns', port: 53, protocol: 'UDP' })
      expect(d.ports).toContainEqual({ name: 'dns-tcp', port: 53, protocol: 'TCP' })
    }
  })
})

describe('demo flow logs', () => {
  it('writes exactly count valid records, aligned to export windows inside the range', () => {
    expect(flows).toHaveLength(OPTS.count)
    const end = Math.floor(NOW / 1000 / EXPORT_INTERVAL) * EXPORT_INTERVAL
    for (const [i, r] of flows.entries()) {
      const v = validateFlowLogRecord(r, { line: i + 1 })
      if (!v.ok) throw new Error(v.errors.map(String).join('\n'))
      expect(r.end_time - r.start_time).toBe(EXPORT_INTERVAL)
      expect(r.start_time % EXPORT_INTERVAL).toBe(0)
      expect(r.start_time).toBeGreaterThanOrEqual(end - OPTS.hours * 3600)
      expect(r.end_time).toBeLessThanOrEqual(end)
    }
    const starts = flows.map((r) => r.start_time)
    expect(starts).toEqual([...starts].sort((a, b) => a - b))
  })

  it('is deterministic for a seed and differs across seeds', () => {
    expect(generateDemoFlows(OPTS, cluster)).toEqual(flows)
    expect(generateDemoFlows({ ...OPTS, seed: 43 }, cluster)).not.toEqual(flows)
    const streamed: FlowLogRecord[] = []
    for (const r of iterateDemoFlows(OPTS)) streamed.push(r)
    expect(streamed).toEqual(flows)
  })

  it('aggregates allowed records at level 2 and denied ones at level 1', () => {
    for (const r of flows) {
      expect(r.source_port).toBeNull()
      if (r.action === 'allow') {
        expect([r.source_ip, r.dest_ip]).toEqual([null, null])
        expect([r.source_name, r.dest_name]).toEqual(['-', '-'])
      } else {
        expect(r.source_ip).not.toBeNull()
        expect(r.dest_ip).not.toBeNull()
        expect(r.packets_in === 0 || r.packets_out === 0).toBe(true)
      }
    }
  })

  it('names only endpoints and network sets of the inventory', () => {
    const sets = new Map(
      cluster.resources
        .filter((r) => r.kind === 'NetworkSet' || r.kind === 'GlobalNetworkSet')
        .map((r) => [`${r.metadata.namespace ?? '-'}/${r.metadata.name}`, r]),
    )
    for (const r of flows) {
      for (const side of ['source', 'dest'] as const) {
        const type = r[`${side}_type`]
        const ns = r[`${side}_namespace`]
        const name = r[`${side}_name`]
        const aggr = r[`${side}_name_aggr`]
        const ip = r[`${side}_ip`]
        if (type === 'wep') {
          const pods = cluster.endpoints.filter(
            (e) =>
              e.namespace === ns && nameAggr(e.name) === aggr && (name === '-' || e.name === name),
          )
          expect(pods.length, `${ns}/${aggr}`).toBeGreaterThan(0)
          if (ip !== null) expect(pods.map((p) => p.ips?.[0])).toContain(ip)
        } else if (type === 'ns') {
          expect(sets.has(`${ns}/${aggr}`), `${ns}/${aggr}`).toBe(true)
        } else {
          expect(type).toBe('net')
          expect(['pub', 'pvt']).toContain(aggr)
          if (ip !== null) expect(classifyAddress(ip)).toBe(aggr)
        }
      }
    }
  })

  it('contains every kind of traffic, from both reporters', () => {
    const has = (pred: (r: FlowLogRecord) => boolean) => flows.some(pred)
    expect(
      has(
        (r) => r.dest_name_aggr.startsWith('coredns-') && r.dest_port === 53 && r.proto === 'udp',
      ),
    ).toBe(true)
    expect(has((r) => r.source_name_aggr === 'prometheus-k8s-0' && r.dest_port === 9464)).toBe(true)
    expect(
      has(
        (r) =>
          r.source_name_aggr.startsWith('paymentservice-') &&
          r.dest_type === 'ns' &&
          r.dest_name_aggr === 'payment-gateway',
      ),
    ).toBe(true)
    expect(
      has(
        (r) =>
          r.source_name_aggr.startsWith('frontend-') &&
          r.dest_type === 'net' &&
          r.dest_name_aggr === 'pub',
      ),
    ).toBe(true)
    expect(
      has(
        (r) =>
          r.source_type === 'net' &&
          r.source_name_aggr === 'pub' &&
          r.dest_name_aggr.startsWith('frontend-'),
      ),
    ).toBe(true)
    expect(
      has(
        (r) =>
          r.source_type === 'ns' && r.source_name_aggr === 'threat-feed' && r.action === 'deny',
      ),
    ).toBe(true)
    expect(has((r) => r.reporter === 'src')).toBe(true)
    expect(has((r) => r.reporter === 'dst')).toBe(true)
    expect(demoConversations(cluster).length).toBeGreaterThan(40)
  })

  it('contains the lateral-movement attempts, denied', () => {
    const denied = flows.filter((r) => r.action === 'deny')
    const find = (src: string, dst: string, reporter: 'src' | 'dst') =>
      denied.find(
        (r) =>
          r.reporter === reporter &&
          r.source_name_aggr.startsWith(src) &&
          r.dest_name_aggr.startsWith(dst),
      )
    const webToRedis = find('web-', 'redis-cart-', 'dst')
    expect(webToRedis?.source_namespace).toBe('tenant-b')
    expect(webToRedis?.policies?.enforced_policies?.at(-1)).toBe(
      '2|app|storefront/app.redis-cart|deny|-1',
    )
    expect(
      find('loadgenerator-', 'paymentservice-', 'src')?.policies?.enforced_policies?.at(-1),
    ).toBe('2|app|storefront/app.loadgenerator|deny|-1')
    expect(find('debug-shell', 'cartservice-', 'src')?.policies?.enforced_policies).toEqual([
      '0|security|security.quarantine|deny|0',
    ])
    // Denied at the source: no destination record for the connection that never left.
    expect(find('loadgenerator-', 'paymentservice-', 'dst')).toBeUndefined()
  })

  it('shows flows the staged policies would newly deny', () => {
    const newlyDenied = flows.filter(
      (r) => r.action === 'allow' && r.policies?.pending_policies?.at(-1)?.includes('|deny|'),
    )
    const pairs = new Set(newlyDenied.map((r) => `${r.source_name_aggr} -> ${r.dest_name_aggr}`))
    expect([...pairs].some((p) => p.startsWith('web-') && p.endsWith('db-0'))).toBe(true)
    expect(
      [...pairs].some(
        (p) => p.startsWith('recommendationservice-') && p.includes('productcatalogservice-'),
      ),
    ).toBe(true)
  })

  it('names only policies and profiles that exist, in hit strings that parse', () => {
    const policies = cluster.resources.filter((r) => /Policy$/.test(r.kind))
    const kindOf = (r: Resource): { kind: PolicyHitKind; staged: boolean } => {
      const k = resourceKind(r)
      const staged = k.startsWith('Staged')
      const base = (staged ? k.slice(6) : k) as PolicyHitKind
      return { kind: base, staged }
    }
    for (const r of flows) {
      for (const s of [
        ...(r.policies?.enforced_policies ?? []),
        ...(r.policies?.pending_policies ?? []),
      ]) {
        const hit = parseHitString(s)
        if (hit instanceof PolicyError) throw new Error(`${s}: ${hit.message}`)
        if (hit.kind === 'Profile') {
          expect(hit.name).toMatch(/^kns\./)
          continue
        }
        const found = policies.some((p) => {
          const spec = p.spec as { tier?: string }
          return hitRefersTo(hit, {
            ...kindOf(p),
            tier: spec.tier ?? 'default',
            name: p.metadata.name,
            ...(p.metadata.namespace ? { namespace: p.metadata.namespace } : {}),
          })
        })
        expect(found, s).toBe(true)
      }
    }
  })

  it('agrees with the evaluator on every record (verdict and enforced hits)', () => {
    const loaded = loadResources(cluster.yaml)
    if (!loaded.ok) throw new Error('demo YAML does not load')
    const model = compilePolicySet({
      resources: loaded.value,
      namespaces: cluster.namespaces,
      serviceAccounts: cluster.serviceAccounts,
      endpoints: cluster.endpoints,
    })
    const setAddress = new Map<string, string>()
    for (const r of loaded.value) {
      if (r.kind === 'NetworkSet' || r.kind === 'GlobalNetworkSet') {
        const first = (r.spec.nets?.[0] ?? '').split('/')[0] as string
        setAddress.set(`${r.metadata.namespace ?? '-'}/${r.metadata.name}`, first)
      }
    }
    const side = (r: FlowLogRecord, s: 'source' | 'dest'): Flow['source'] => {
      const ip = r[`${s}_ip`]
      const ns = r[`${s}_namespace`]
      const aggr = r[`${s}_name_aggr`]
      switch (r[`${s}_type`]) {
        case 'wep': {
          const pod = cluster.endpoints.find(
            (e) =>
              e.namespace === ns && (ip === null ? nameAggr(e.name) === aggr : e.ips?.[0] === ip),
          )
          return { endpoint: `${ns}/${pod?.name}` }
        }
        case 'ns':
          return { ip: ip ?? (setAddress.get(`${ns}/${aggr}`) as string) }
        default:
          return { ip: ip ?? (aggr === 'pvt' ? '10.99.0.1' : '8.8.8.8') }
      }
    }
    const memo = new Map<string, FlowResult>()
    for (const r of flows) {
      const flow: Flow = {
        id: '',
        source: side(r, 'source'),
        destination: side(r, 'dest'),
        protocol: r.proto.toUpperCase(),
        ...(r.dest_port === null ? {} : { port: r.dest_port }),
      }
      const key = JSON.stringify(flow)
      let result = memo.get(key)
      if (!result) {
        result = evaluateFlow(model, flow, { pending: true })
        memo.set(key, result)
      }
      const trace = r.reporter === 'src' ? result.enforced.egress : result.enforced.ingress
      const pending = r.reporter === 'src' ? result.pending?.egress : result.pending?.ingress
      expect(trace, key).toBeDefined()
      if (!trace || !pending) continue
      expect(r.action, key).toBe(trace.action === 'Allow' ? 'allow' : 'deny')
      expect(r.policies?.enforced_policies, key).toEqual(hitStrings(trace, 'legacy'))
      expect(r.policies?.pending_policies, key).toEqual(hitStrings(pending, 'legacy'))
      // A destination record exists only when the source let the connection out.
      if (r.reporter === 'dst' && result.enforced.egress) {
        expect(result.enforced.egress.action).toBe('Allow')
      }
    }
  })
})
