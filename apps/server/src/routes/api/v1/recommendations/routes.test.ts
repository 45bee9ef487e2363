import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../../../../../test/backends.ts'
import { build } from '../../../../../test/helper.ts'

describe.each(BACKENDS)('recommendation routes on %s', (backend) => {
  it('computes, generates in place, accepts and dismisses, never enforcing', async () => {
    const app = await build(backend, { POLICYBOARD_DEMO: 'true' })
    const list = await app.inject({ method: 'GET', url: '/api/v1/recommendations' })
    expect(list.statusCode, list.body).toBe(200)
    const overview = list.json().namespaces as Array<{ namespace: string; rules: number }>
    expect(overview.map((n) => n.namespace)).toEqual(['monitoring', 'storefront', 'tenant-b'])
    expect(overview.find((n) => n.namespace === 'tenant-b')?.rules).toBeGreaterThan(0)

    const preview = await app.inject({ method: 'GET', url: '/api/v1/recommendations/tenant-b' })
    expect(preview.statusCode, preview.body).toBe(200)
    const body = preview.json()
    expect(body.states).toEqual({ 'tenant-b-recommendation': 'new' })
    expect(body.tier.metadata.name).toBe('namespace-isolation')
    expect(body.yaml).toContain('kind: StagedNetworkPolicy')
    expect(body.evidence.some((e: { count: number }) => e.count > 0)).toBe(true)
    expect(body.excluded.some((e: { reason: string }) => e.reason === 'denied')).toBe(true)

    const gen = await app.inject({ method: 'POST', url: '/api/v1/recommendations/tenant-b' })
    expect(gen.statusCode, gen.body).toBe(200)
    expect(gen.json().states).toEqual({ 'tenant-b-recommendation': 'learning' })
    const again = await app.inject({ method: 'POST', url: '/api/v1/recommendations/tenant-b' })
    expect(again.statusCode).toBe(200)
    const stored = await app.inject({
      method: 'GET',
      url: '/api/v1/stagednetworkpolicies?namespace=tenant-b',
    })
    const names = (stored.json().items as Array<{ metadata: { name: string } }>).map(
      (p) => p.metadata.name,
    )
    expect(names.filter((n) => n === 'tenant-b-recommendation')).toHaveLength(1)

    const accept = await app.inject({
      method: 'POST',
      url: '/api/v1/recommendations/tenant-b/decision',
      payload: { name: 'tenant-b-recommendation', stagedAction: 'Set' },
    })
    expect(accept.statusCode, accept.body).toBe(200)
    expect(accept.json().spec.stagedAction).toBe('Set')
    expect(accept.json().kind).toBe('StagedNetworkPolicy')
    const after = await app.inject({ method: 'POST', url: '/api/v1/recommendations/tenant-b' })
    expect(after.json().states).toEqual({ 'tenant-b-recommendation': 'accepted' })

    const dismiss = await app.inject({
      method: 'POST',
      url: '/api/v1/recommendations/tenant-b/decision',
      payload: { name: 'tenant-b-recommendation', stagedAction: 'Ignore' },
    })
    expect(dismiss.json().spec.stagedAction).toBe('Ignore')
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/recommendations/tenant-b/decision',
      payload: { name: 'nope', stagedAction: 'Set' },
    })
    expect(missing.statusCode).toBe(404)
  })

  it('walks the default-deny workflow: detect the staged deny, then enforce it', async () => {
    const app = await build(backend, { POLICYBOARD_DEMO: 'true' })
    const state = await app.inject({ method: 'GET', url: '/api/v1/recommendations/default-deny' })
    expect(state.statusCode, state.body).toBe(200)
    expect(state.json().found).toMatchObject({ enforced: false })
    expect(state.json().found.policy.metadata.name).toBe('default-deny')
    expect(state.json().namespaces).toEqual(['monitoring', 'storefront', 'tenant-b'])

    const enforce = await app.inject({
      method: 'POST',
      url: '/api/v1/recommendations/default-deny',
      payload: { action: 'enforce' },
    })
    expect(enforce.statusCode, enforce.body).toBe(200)
    expect(enforce.json().resource.kind).toBe('GlobalNetworkPolicy')
    expect(enforce.json().state.found).toMatchObject({ enforced: true })
    const staged = await app.inject({
      method: 'GET',
      url: '/api/v1/stagedglobalnetworkpolicies/default-deny',
    })
    expect(staged.statusCode).toBe(404)
  })

  it('stages the proposed default deny when none is stored', async () => {
    const app = await build(backend)
    const stage = await app.inject({
      method: 'POST',
      url: '/api/v1/recommendations/default-deny',
      payload: { action: 'stage' },
    })
    expect(stage.statusCode, stage.body).toBe(200)
    expect(stage.json().resource).toMatchObject({
      kind: 'StagedGlobalNetworkPolicy',
      spec: { tier: 'default', types: ['Ingress', 'Egress'] },
    })
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/recommendations/default-deny',
      payload: { action: 'burn' },
    })
    expect(bad.statusCode).toBe(400)
  })
})
