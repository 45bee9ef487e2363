import {
  compilePolicySet,
  defaultDenyPolicy,
  evaluateFlow,
  type Flow,
  type GlobalNetworkPolicy,
  type NetworkPolicy,
  type Resource,
  recommendPolicies,
  type StagedNetworkPolicy,
} from '@policyboard/policy-core'
import { describe, expect, it } from 'vitest'
import { demoCluster, demoConversations, generateDemoFlows } from '../../../../demo/index.ts'

const NOW = Date.UTC(2026, 10, 20)

function enforced(p: StagedNetworkPolicy): NetworkPolicy {
  const { stagedAction: _a, ...spec } = p.spec
  return { ...p, kind: 'NetworkPolicy', spec }
}

describe('recommendations on the demo cluster', () => {
  const cluster = demoCluster()
  const flows = generateDemoFlows({ now: NOW, hours: 6, count: 4000, seed: 11 }, cluster)
  const inventory = {
    namespaces: cluster.namespaces,
    serviceAccounts: cluster.serviceAccounts,
    endpoints: cluster.endpoints,
  }
  const namespaces = ['storefront', 'tenant-b', 'monitoring']
  const results = namespaces.map((namespace) =>
    recommendPolicies({
      resources: cluster.resources,
      inventory: cluster,
      flows,
      namespace,
      now: NOW,
    }),
  )
  // Enforce every recommendation and the staged default deny; drop the demo's other staged
  // policies so that only this change is judged.
  const stagedDeny = defaultDenyPolicy()
  const { stagedAction: _a, ...denySpec } = stagedDeny.spec
  const deny: GlobalNetworkPolicy = { ...stagedDeny, kind: 'GlobalNetworkPolicy', spec: denySpec }
  const base = cluster.resources.filter((r) => !r.kind.startsWith('Staged'))
  const after = compilePolicySet({
    resources: [
      ...base,
      results[0]?.tier as Resource,
      ...results.flatMap((r) => r.policies.map(enforced)),
      deny,
    ],
    ...inventory,
  })
  const before = compilePolicySet({ resources: base, ...inventory })
  const judged = demoConversations(cluster).flatMap((c) => {
    const sides = (s: (typeof c)['source']) =>
      'pods' in s
        ? s.pods.map((p) => ({ endpoint: `${p.namespace}/${p.name}` }))
        : s.ips.map((ip) => ({ ip }))
    return sides(c.source).flatMap((source) =>
      sides(c.destination).map((destination) => {
        const flow: Flow = { id: c.id, source, destination, protocol: c.proto, port: c.port }
        return {
          kind: c.kind,
          id: `${c.id} ${JSON.stringify(source)}->${JSON.stringify(destination)}`,
          before: evaluateFlow(before, flow).enforced.action,
          after: evaluateFlow(after, flow).enforced.action,
        }
      }),
    )
  })

  it('writes staged Learn policies with rules only for traffic no earlier tier decides', () => {
    for (const r of results) {
      expect(r.policies).toHaveLength(1)
      expect(r.policies[0]?.spec.stagedAction).toBe('Learn')
    }
    const tenant = results[1]?.evidence.filter((e) => e.count > 0) ?? []
    expect(tenant.map((e) => `${e.direction} ${e.scope} ${e.peer}`).sort()).toEqual([
      'egress Namespace tenant-b',
      'egress Public pub',
      'ingress Namespace tenant-b',
      'ingress Public pub',
    ])
    // The storefront's own call graph is decided in the app tier, before namespace-isolation.
    expect(results[0]?.evidence.filter((e) => e.count > 0)).toEqual([])
  })

  it('when enforced with the default deny, allows every legitimate flow and denies every lateral-movement attempt', () => {
    const legit = judged.filter((j) => j.before === 'Allow')
    expect(legit.length).toBeGreaterThan(50)
    expect(legit.filter((j) => j.after !== 'Allow').map((j) => j.id)).toEqual([])
    const lateral = judged.filter((j) => j.kind === 'lateral')
    expect(lateral.length).toBeGreaterThan(5)
    expect(lateral.filter((j) => j.after !== 'Deny').map((j) => j.id)).toEqual([])
    // Every flow denied before stays denied: nothing observed as denied became an allow.
    expect(
      judged.filter((j) => j.before === 'Deny' && j.after === 'Allow').map((j) => j.id),
    ).toEqual([])
  })

  it('the default deny alone would block legitimate flows that the recommendations then allow', () => {
    const denyOnly = compilePolicySet({ resources: [...base, deny], ...inventory })
    const blocked = demoConversations(cluster).filter((c) => {
      if (!('pods' in c.source)) return false
      const pod = c.source.pods[0]
      const dst = 'pods' in c.destination ? c.destination.pods[0] : undefined
      const flow: Flow = {
        id: c.id,
        source: { endpoint: `${pod?.namespace}/${pod?.name}` },
        destination: dst
          ? { endpoint: `${dst.namespace}/${dst.name}` }
          : { ip: (c.destination as { ips: string[] }).ips[0] as string },
        protocol: c.proto,
        port: c.port,
      }
      return (
        evaluateFlow(before, flow).enforced.action === 'Allow' &&
        evaluateFlow(denyOnly, flow).enforced.action === 'Deny'
      )
    })
    expect(blocked.map((c) => c.id).sort()).toEqual(
      expect.arrayContaining([expect.stringContaining('tenant-b/web')]),
    )
    expect(blocked.length).toBeGreaterThan(0)
  })
})
