import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../backends.ts'
import { build } from '../helper.ts'

const boardYaml = readFileSync(new URL('../fixtures/board.yaml', import.meta.url), 'utf8')

// Policies written in the legacy model (`<tier>.<name>`) beside bare ones, staged included.
const legacyYaml = `
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: app}
spec: {order: 200}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: app.cartservice, namespace: shop}
spec: {tier: app, order: 10, selector: app == 'cart', ingress: [{action: Allow}]}
---
apiVersion: projectcalico.org/v3
kind: StagedGlobalNetworkPolicy
metadata: {name: app.lockdown}
spec: {tier: app, order: 20, selector: all(), ingress: [{action: Deny}]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: guard}
spec: {tier: app, order: 30, selector: all(), egress: [{action: Pass}]}
`

describe.each(BACKENDS)('one identity per policy on %s', (backend) => {
  it('names board policies by their bare name, and finds their history by either name', async () => {
    const app = await build(backend)
    const applied = await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      payload: { yaml: legacyYaml },
    })
    expect(applied.statusCode, applied.body).toBe(200)
    const board = (await app.inject({ method: 'GET', url: '/api/v1/board' })).json() as {
      tiers: Array<{ name: string; policies: Array<{ kind: string; name: string }> }>
    }
    const names = board.tiers.find((t) => t.name === 'app')?.policies.map((p) => p.name)
    expect(names).toEqual(['cartservice', 'lockdown', 'guard'])

    const byBare = await app.inject({
      method: 'GET',
      url: '/api/v1/revisions?kind=NetworkPolicy&namespace=shop&name=cartservice',
    })
    const byLegacy = await app.inject({
      method: 'GET',
      url: '/api/v1/revisions?kind=NetworkPolicy&namespace=shop&name=app.cartservice',
    })
    const byTier = await app.inject({
      method: 'GET',
      url: '/api/v1/revisions?tier=app&name=app.lockdown',
    })
    expect(byBare.json().items).toHaveLength(1)
    expect(byBare.json().items[0]).toMatchObject({ name: 'cartservice', operation: 'create' })
    expect(byLegacy.json().items).toEqual(byBare.json().items)
    expect(byTier.json().items.map((r: { name: string }) => r.name)).toEqual(['lockdown'])
  })

  it('re-imports an export with either naming model as unchanged', async () => {
    const app = await build(backend)
    for (const yaml of [boardYaml, legacyYaml]) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/apply', payload: { yaml } })
      expect(res.statusCode, res.body).toBe(200)
    }
    const exports: Record<string, string> = {}
    for (const naming of ['legacy', 'v3.32', undefined]) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/export${naming ? `?naming=${naming}` : ''}`,
      })
      expect(res.statusCode, res.body).toBe(200)
      exports[naming ?? 'default'] = res.body
      const dry = await app.inject({
        method: 'POST',
        url: '/api/v1/apply?dryRun=true',
        payload: { yaml: res.body },
      })
      expect(dry.statusCode, dry.body).toBe(200)
      const results = dry.json().results as Array<{ name: string; action: string; diff: unknown[] }>
      expect(results.length).toBeGreaterThan(5)
      expect(results.filter((r) => r.action !== 'unchanged')).toEqual([])
    }
    // The two models really differ, and bare names are the default.
    expect(exports.legacy).toContain('name: app.guard')
    expect(exports.legacy).toContain('name: security.block-bad')
    expect(exports['v3.32']).toContain('name: guard')
    expect(exports['v3.32']).not.toContain('name: app.cartservice')
    expect(exports.default).toBe(exports['v3.32'])
  })

  it('applies a legacy rename for real without creating a second policy', async () => {
    const app = await build(backend)
    await app.inject({ method: 'POST', url: '/api/v1/apply', payload: { yaml: legacyYaml } })
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      payload: {
        yaml: legacyYaml
          .replace('app.cartservice', 'cartservice')
          .replace("selector: app == 'cart'", "selector: app == 'carts'"),
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    const results = res.json().results as Array<{ name: string; action: string; diff: unknown[] }>
    expect(results.map((r) => r.action)).toEqual(['unchanged', 'changed', 'unchanged', 'unchanged'])
    expect(results[1]?.diff).toEqual([
      { path: 'spec.selector', before: "app == 'cart'", after: "app == 'carts'" },
    ])
    const list = await app.inject({ method: 'GET', url: '/api/v1/namespaces/shop/networkpolicies' })
    expect(list.json().items.map((r: { metadata: { name: string } }) => r.metadata.name)).toEqual([
      'app.cartservice',
    ])
  })
})
