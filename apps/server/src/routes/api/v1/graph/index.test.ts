import type { Endpoint } from '@policyboard/policy-core'
import { describe, expect, it } from 'vitest'
import { build } from '../../../../../test/helper.ts'
import { commonLabels, membersOf } from './index.ts'

const endpoints: Endpoint[] = [
  {
    name: 'web-5d8f7b-x7k2p',
    namespace: 'shop',
    labels: { app: 'web', pod: 'a' },
    ips: ['10.0.0.1'],
  },
  {
    name: 'web-5d8f7b-qq4zt',
    namespace: 'shop',
    labels: { app: 'web', pod: 'b' },
    ips: ['10.0.0.2'],
  },
  { name: 'db-0', namespace: 'shop', labels: { app: 'db' }, ips: ['10.0.0.3'] },
  { name: 'node-1', kind: 'host', labels: { role: 'node' }, ips: ['10.1.0.1'] },
]

const inventory = {
  namespaces: [{ name: 'shop', labels: {} }],
  serviceAccounts: [],
  endpoints,
}

const yaml = `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: platform.dns}
spec: {tier: platform, order: 10, selector: all(), types: [Egress], egress: [{action: Pass}]}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: platform}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop}
spec: {order: 5, selector: app == 'web', types: [Ingress], ingress: [{action: Allow}]}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: allow-web-2, namespace: shop}
spec: {order: 1, selector: app == 'web', types: [Ingress], ingress: [{action: Allow}]}
---
apiVersion: projectcalico.org/v3
kind: StagedGlobalNetworkPolicy
metadata: {name: default-deny}
spec: {order: 2000, selector: all(), types: [Ingress, Egress], stagedAction: Set}
`

describe('membersOf and commonLabels', () => {
  it('finds the pods an aggregated name stands for and their shared labels', () => {
    const m = membersOf(endpoints, 'shop', 'web-5d8f7b-*')
    expect(m.map((e) => e.name)).toEqual(['web-5d8f7b-qq4zt', 'web-5d8f7b-x7k2p'])
    expect(commonLabels(m)).toEqual({ app: 'web' })
    expect(membersOf(endpoints, 'shop', 'db-0').map((e) => e.name)).toEqual(['db-0'])
    expect(membersOf(endpoints, '-', 'node-1').map((e) => e.name)).toEqual(['node-1'])
    expect(membersOf(endpoints, 'other', 'db-0')).toEqual([])
  })
})

describe('GET /api/v1/endpoints/:namespace/:name/policies', () => {
  it('lists the policies per direction and view in evaluation order', async () => {
    // An admin token, for a server that requires credentials.
    const token = 'graph-route-test-token-0123456789'
    const app = await build('sqlite', { POLICYBOARD_ADMIN_TOKEN: token })
    const headers = { authorization: `Bearer ${token}` }
    expect(
      (await app.inject({ method: 'PUT', url: '/api/v1/inventory', payload: inventory, headers }))
        .statusCode,
    ).toBe(200)
    const applied = await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      payload: { yaml },
      headers,
    })
    expect(applied.statusCode, applied.body).toBe(200)
    const res = await app.inject({ url: '/api/v1/endpoints/shop/web-5d8f7b-*/policies', headers })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body.members).toEqual(['shop/web-5d8f7b-qq4zt', 'shop/web-5d8f7b-x7k2p'])
    expect(body.labels).toEqual({ app: 'web' })
    const names = (tiers: Array<{ tier: string; policies: Array<{ name: string }> }>) =>
      tiers.map((t) => [t.tier, t.policies.map((p) => p.name)])
    expect(names(body.enforced.ingress)).toEqual([['default', ['allow-web-2', 'allow-web']]])
    expect(names(body.enforced.egress)).toEqual([['platform', ['platform.dns']]])
    expect(names(body.staged.ingress)).toEqual([
      ['default', ['allow-web-2', 'allow-web', 'default-deny']],
    ])
    expect(names(body.staged.egress)).toEqual([
      ['platform', ['platform.dns']],
      ['default', ['default-deny']],
    ])
    expect(
      (await app.inject({ url: '/api/v1/endpoints/shop/nope/policies', headers })).statusCode,
    ).toBe(404)
  })
})
