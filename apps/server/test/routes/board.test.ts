import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../backends.ts'
import { flowRecord } from '../fixtures/flows.ts'
import { build } from '../helper.ts'

const boardYaml = readFileSync(new URL('../fixtures/board.yaml', import.meta.url), 'utf8')

const inventory = {
  namespaces: [{ name: 'shop', labels: { team: 'a' } }],
  serviceAccounts: [],
  endpoints: [
    { name: 'web-1', namespace: 'shop', labels: { app: 'web' }, ips: ['10.0.0.1'] },
    { name: 'web-2', namespace: 'shop', labels: { app: 'web' }, ips: ['10.0.0.2'] },
    { name: 'db-1', namespace: 'shop', labels: { app: 'db' }, ips: ['10.0.0.3'] },
  ],
}

const orderedGnps = `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: a}
spec: {tier: default, order: 10, selector: all()}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: b}
spec: {tier: default, order: 20, selector: all()}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: c}
spec: {tier: default, order: 20, selector: all()}
`

describe.each(BACKENDS)('board on %s', (backend) => {
  it('gives tiers and policies in evaluation order with endpoint counts', async () => {
    const app = await build(backend)
    await app.inject({ method: 'POST', url: '/api/v1/apply', payload: { yaml: boardYaml } })
    await app.inject({ method: 'PUT', url: '/api/v1/inventory', payload: inventory })
    const res = await app.inject({ method: 'GET', url: '/api/v1/board' })
    expect(res.statusCode, res.body).toBe(200)
    const tiers = res.json().tiers as Array<{
      name: string
      isBuiltin: boolean
      policies: Array<{
        kind: string
        name: string
        endpointCount: number
        isStaged: boolean
        stagedAction?: string
      }>
    }>
    expect(tiers.map((t) => t.name)).toEqual(['security', 'kube-admin', 'default', 'kube-baseline'])
    expect(tiers[0]?.isBuiltin).toBe(false)
    const def = tiers[2]?.policies ?? []
    expect(def.map((p) => [p.kind, p.name, p.endpointCount])).toEqual([
      ['NetworkPolicy', 'allow-web', 2],
      ['StagedNetworkPolicy', 'allow-web', 2],
      ['KubernetesNetworkPolicy', 'default-deny', 3],
    ])
    expect(def[1]).toMatchObject({ isStaged: true, stagedAction: 'Set' })
    expect(tiers[0]?.policies[0]?.endpointCount).toBe(3)

    const stagedOnly = await app.inject({ method: 'GET', url: '/api/v1/policies?staged=only' })
    expect(stagedOnly.json().items.map((p: { kind: string }) => p.kind)).toEqual([
      'StagedNetworkPolicy',
    ])
    const byTier = await app.inject({
      method: 'GET',
      url: '/api/v1/policies?tier=security&kind=GlobalNetworkPolicy',
    })
    expect(byTier.json().items).toHaveLength(1)
  })

  it('reorders between neighbours, keeping other orders when a value fits', async () => {
    const app = await build(backend)
    await app.inject({ method: 'POST', url: '/api/v1/apply', payload: { yaml: orderedGnps } })
    const ref = (name: string) => ({ kind: 'GlobalNetworkPolicy', name })
    // Move c to the top: before a (order 10) → 5; nothing else changes.
    const top = await app.inject({
      method: 'POST',
      url: '/api/v1/policies/reorder',
      payload: { policy: ref('c'), after: null, before: ref('a') },
    })
    expect(top.statusCode, top.body).toBe(200)
    expect(top.json().changed).toEqual([expect.objectContaining({ name: 'c', order: 5 })])
    // Between a (10) and b (20) → 15.
    const mid = await app.inject({
      method: 'POST',
      url: '/api/v1/policies/reorder',
      payload: { policy: ref('c'), after: ref('a'), before: ref('b') },
    })
    expect(mid.json().changed).toEqual([expect.objectContaining({ name: 'c', order: 15 })])
    // Stale neighbours are refused.
    const stale = await app.inject({
      method: 'POST',
      url: '/api/v1/policies/reorder',
      payload: { policy: ref('a'), after: ref('b'), before: ref('c') },
    })
    expect(stale.statusCode).toBe(409)
    // Stale resourceVersion is refused.
    const staleVersion = await app.inject({
      method: 'POST',
      url: '/api/v1/policies/reorder',
      payload: { policy: ref('a'), resourceVersion: '1', after: null, before: ref('c') },
    })
    expect(staleVersion.statusCode).toBe(409)
    const list = await app.inject({ method: 'GET', url: '/api/v1/policies?tier=default' })
    expect(list.json().items.map((p: { name: string }) => p.name)).toEqual(['a', 'c', 'b'])
  })

  it('respaces a tier when no order fits between equal neighbours', async () => {
    const app = await build(backend)
    await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      payload: {
        yaml: `${orderedGnps}---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: d}\nspec: {tier: default, order: 1, selector: all()}\n`,
      },
    })
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/policies/reorder',
      payload: {
        policy: { kind: 'GlobalNetworkPolicy', name: 'd' },
        after: { kind: 'GlobalNetworkPolicy', name: 'b' },
        before: { kind: 'GlobalNetworkPolicy', name: 'c' },
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    const list = await app.inject({ method: 'GET', url: '/api/v1/policies?tier=default' })
    expect(
      list.json().items.map((p: { name: string; order: number }) => [p.name, p.order]),
    ).toEqual([
      ['a', 10],
      ['b', 20],
      ['d', 30],
      ['c', 40],
    ])
  })

  it('judges stored flows under both views and previews proposed changes', async () => {
    const app = await build(backend)
    await app.inject({ method: 'POST', url: '/api/v1/apply', payload: { yaml: boardYaml } })
    await app.inject({ method: 'PUT', url: '/api/v1/inventory', payload: inventory })
    const lines = [
      flowRecord({ dest_port: 80, dest_name_aggr: 'web-*', source_name_aggr: 'db-*' }),
      flowRecord({
        dest_port: 443,
        dest_name_aggr: 'web-*',
        source_name_aggr: 'db-*',
        action: 'deny',
        num_flows: 2,
      }),
      flowRecord({ dest_port: 5432, source_name_aggr: 'web-*', dest_name_aggr: 'db-*' }),
      flowRecord({
        dest_port: 22,
        source_type: 'net',
        source_namespace: '-',
        source_name_aggr: 'pub',
        source_ip: null,
      }),
    ]
      .map((r) => JSON.stringify(r))
      .join('\n')
    await app.inject({
      method: 'POST',
      url: '/api/v1/flowlogs',
      payload: lines,
      headers: { 'content-type': 'application/x-ndjson' },
    })
    const res = await app.inject({ method: 'GET', url: '/api/v1/verdicts' })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    // web:80 allowed in both; web:443 denied now, allowed by the staged copy; db:5432 denied by the KNP.
    expect(body.summary).toMatchObject({
      tuples: 4,
      flows: 5,
      deniedToAllowed: 2,
      allowedToDenied: 0,
      unchanged: 2,
      unknown: 1,
    })
    const t443 = body.items.find((t: { port: number }) => t.port === 443)
    expect(t443).toMatchObject({ enforced: 'Deny', staged: 'Allow', count: 2 })

    const changed = await app.inject({ method: 'GET', url: '/api/v1/verdicts?changedOnly=true' })
    expect(changed.json().items).toHaveLength(1)

    // Proposed: delete the staged copy's effect by staging a deny-all for web.
    const proposal = await app.inject({
      method: 'POST',
      url: '/api/v1/verdicts',
      payload: {
        yaml: 'apiVersion: projectcalico.org/v3\nkind: StagedNetworkPolicy\nmetadata: {name: allow-web, namespace: shop}\nspec: {stagedAction: Delete}\n',
      },
    })
    expect(proposal.statusCode, proposal.body).toBe(200)
    expect(proposal.json().summary).toMatchObject({ deniedToAllowed: 0 })
  })

  it('simulates a scenario like the CLI', async () => {
    const app = await build(backend)
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/simulate',
      payload: {
        endpoints: [
          { name: 'a', namespace: 'x', labels: { app: 'a' } },
          { name: 'b', namespace: 'y', labels: { app: 'b' } },
        ],
        resources:
          'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: deny-b}\nspec: {selector: "app == \'b\'", ingress: [{action: Deny}]}\n',
        flows: [
          {
            id: 'f',
            source: { endpoint: 'x/a' },
            destination: { endpoint: 'y/b' },
            protocol: 'TCP',
            port: 80,
          },
        ],
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().flows[0]).toMatchObject({
      id: 'f',
      enforced: { action: 'Deny' },
      staged: { action: 'Deny' },
    })
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/simulate',
      payload: { flows: [{ id: 1 }] },
    })
    expect(bad.statusCode).toBe(400)
  })
})

describe('demo seeding', () => {
  it('loads the demo cluster into an empty store once, and never over user data', async () => {
    const app = await build('sqlite', { POLICYBOARD_DEMO: 'true' })
    const board = (await app.inject({ method: 'GET', url: '/api/v1/board' })).json()
    const policies = board.tiers.flatMap((t: { policies: unknown[] }) => t.policies)
    expect(policies.length).toBeGreaterThan(3)
    const flows = (await app.inject({ method: 'GET', url: '/api/v1/flowlogs?limit=5' })).json()
    expect(flows.items).toHaveLength(5)
    expect(await app.store.getMeta('seeded')).toContain('"demo":true')
  })

  it('does not seed a store that holds user data', async () => {
    const app = await build('sqlite')
    await app.inject({ method: 'POST', url: '/api/v1/apply', payload: { yaml: boardYaml } })
    const { seedDemo } = await import('../../src/services/seed.ts')
    expect(await seedDemo(app.store, app.flows)).toBe('user-data')
    expect(await seedDemo(app.store, app.flows)).toBe('already-decided')
  })
})
