import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { REDACTED } from '../../src/auth/redact.ts'
import { BACKENDS } from '../backends.ts'
import { build, userToken } from '../helper.ts'

/**
 * Per-resource checks beyond the route matrix: side effects of a reorder, the default-deny
 * workflow, lint and impact for tiers the caller cannot read.
 */

const tier = (name: string, order: number) => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'Tier',
  metadata: { name },
  spec: { order },
})
const np = (name: string, namespace: string, t: string, order?: number) => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec: {
    tier: t,
    ...(order === undefined ? {} : { order }),
    selector: 'all()',
    types: ['Ingress'],
    ingress: [{ action: 'Allow' }],
  },
})

async function apply(app: FastifyInstance, docs: unknown[]): Promise<void> {
  const yaml = docs.map((d) => JSON.stringify(d)).join('\n---\n')
  const res = await app.inject({ method: 'POST', url: '/api/v1/apply', payload: { yaml } })
  expect(res.statusCode, res.body).toBe(200)
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` })

describe.each(BACKENDS)('scoped authorization on %s', (backend) => {
  it('refuses a reorder whose respacing would renumber a policy the editor cannot write', async () => {
    const app = await build(backend)
    // Equal orders: moving c between a and b leaves no room, so the tier is respaced.
    await apply(app, [
      tier('security', 100),
      np('a', 'shop', 'security', 100),
      np('b', 'db', 'security', 100),
      np('c', 'shop', 'security', 100),
    ])
    const editor = await userToken(app, 'editor-an', [
      { role: 'editor', tiers: ['security'], namespaces: ['shop'] },
    ])
    const ref = (name: string, namespace: string) => ({ kind: 'NetworkPolicy', namespace, name })
    const orders = async () =>
      (await app.inject({ method: 'GET', url: '/api/v1/policies?tier=security' }))
        .json()
        .items.map((p: { name: string; order: number }) => `${p.name}:${p.order}`)
    const before = await orders()
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/policies/reorder',
      headers: bearer(editor),
      payload: { policy: ref('c', 'shop'), after: ref('a', 'shop'), before: ref('b', 'db') },
    })
    expect(refused.statusCode, refused.body).toBe(403)
    expect(refused.json()).toMatchObject({ code: 'FORBIDDEN' })
    expect(refused.json().message).toBe(
      'user "editor-an" cannot update networkpolicies in tier "security" and namespace "db": moving shop/c here renumbers NetworkPolicy db/b; nothing was moved',
    )
    // Nothing moved, not even the policies the editor may write.
    expect(await orders()).toEqual(before)
    // A move that fits between orders touches only the moved policy: allowed.
    const top = await app.inject({
      method: 'POST',
      url: '/api/v1/policies/reorder',
      headers: bearer(editor),
      payload: { policy: ref('c', 'shop'), after: null, before: ref('a', 'shop') },
    })
    expect(top.statusCode, top.body).toBe(200)
    expect(top.json().changed).toEqual([expect.objectContaining({ name: 'c', order: 50 })])
    // An editor of the whole tier may renumber b: the same move respaces a, b and c.
    const wide = await userToken(app, 'editor-a', [{ role: 'editor', tiers: ['security'] }])
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/policies/reorder',
      headers: bearer(wide),
      payload: { policy: ref('c', 'shop'), after: ref('a', 'shop'), before: ref('b', 'db') },
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(
      ok
        .json()
        .changed.map((c: { name: string; order: number }) => c.name)
        .sort(),
    ).toEqual(['a', 'b', 'c'])
    // The refusal is audited.
    const audit = await app.inject({ method: 'GET', url: '/api/v1/audit?event=authz' })
    expect(audit.json().items.map((e: { detail: string }) => e.detail)).toContain(
      refused.json().message,
    )
  })

  it('leaves a default deny of an unreadable tier out of the default-deny state', async () => {
    const app = await build(backend)
    const deny = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'StagedGlobalNetworkPolicy',
      metadata: { name: 'secret.deny-everything' },
      spec: {
        tier: 'secret',
        order: 10,
        selector: 'all()',
        types: ['Ingress', 'Egress'],
        stagedAction: 'Set',
      },
    }
    await apply(app, [tier('secret', 50), tier('security', 100), deny])
    const admin = (
      await app.inject({ method: 'GET', url: '/api/v1/recommendations/default-deny' })
    ).json()
    expect(admin.found?.policy.metadata.name).toBe('secret.deny-everything')
    const reader = await userToken(app, 'reader', [{ role: 'viewer', tiers: ['security'] }])
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/recommendations/default-deny',
      headers: bearer(reader),
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().found).toBeUndefined()
    expect(res.body).not.toContain('deny-everything')
    expect(res.body).not.toContain('secret')
    // A viewer of every tier sees it whole, as admins do.
    const viewer = await userToken(app, 'viewer', [{ role: 'viewer' }])
    const all = await app.inject({
      method: 'GET',
      url: '/api/v1/recommendations/default-deny',
      headers: bearer(viewer),
    })
    expect(all.json().found.policy.metadata.name).toBe('secret.deny-everything')
    // An editor of the default tier who cannot read `secret` stages the proposed deny; the
    // step's answer does not carry the hidden one either.
    const editor = await userToken(app, 'editor-d', [{ role: 'editor', tiers: ['default'] }])
    const step = await app.inject({
      method: 'POST',
      url: '/api/v1/recommendations/default-deny',
      headers: bearer(editor),
      payload: { action: 'stage' },
    })
    expect(step.statusCode, step.body).toBe(200)
    expect(step.json().resource.metadata.name).toBe('default-deny')
    expect(step.body).not.toContain('deny-everything')
  })

  it('leaves lint findings of unreadable tiers out entirely, not redacted', async () => {
    const app = await build(backend)
    await apply(app, [
      tier('secret', 50),
      tier('security', 100),
      tier('hidden-empty', 200),
      // ORDER_UNSET and an allow-all rule in the unreadable tier.
      np('secret.hidden-first', 'shop', 'secret', 10),
      np('secret.hidden-unordered', 'shop', 'secret'),
      // The same problems in the readable tier.
      np('security.with-order', 'shop', 'security', 10),
      np('security.without-order', 'shop', 'security'),
    ])
    const adminBody = (await app.inject({ method: 'GET', url: '/api/v1/lint' })).body
    expect(adminBody).toContain('secret.hidden-unordered')
    expect(adminBody).toContain('hidden-empty')
    const reader = await userToken(app, 'reader', [{ role: 'viewer', tiers: ['security'] }])
    const res = await app.inject({ method: 'GET', url: '/api/v1/lint', headers: bearer(reader) })
    expect(res.statusCode).toBe(200)
    const body = res.json() as {
      findings: Array<{ tier?: string; resource: string; message: string }>
      counts: { error: number; warning: number; info: number }
    }
    expect(body.findings.some((f) => f.resource.includes('security.without-order'))).toBe(true)
    for (const f of body.findings) expect([undefined, 'security']).toContain(f.tier)
    expect(res.body).not.toContain(REDACTED)
    expect(res.body).not.toMatch(/secret|hidden-empty/)
    const n = body.counts.error + body.counts.warning + body.counts.info
    expect(n).toBe(body.findings.length)
    // Asking for the hidden tier by name yields nothing.
    const byTier = await app.inject({
      method: 'GET',
      url: '/api/v1/lint?tier=secret',
      headers: bearer(reader),
    })
    expect(byTier.json().findings).toEqual([])
  })

  it('refuses an impact request whose staged set names a policy of an unreadable tier', async () => {
    const app = await build(backend)
    const staged = (name: string, t: string) => ({
      apiVersion: 'projectcalico.org/v3',
      kind: 'StagedNetworkPolicy',
      metadata: { name, namespace: 'shop' },
      spec: { tier: t, order: 10, selector: 'all()', types: ['Ingress'], stagedAction: 'Set' },
    })
    await apply(app, [
      tier('secret', 50),
      tier('security', 100),
      staged('security.visible', 'security'),
      staged('secret.invisible', 'secret'),
    ])
    const reader = await userToken(app, 'reader', [{ role: 'viewer', tiers: ['security'] }])
    const set = (names: string[]) => ({
      change: {
        type: 'staged-set',
        policies: names.map((name) => ({ kind: 'StagedNetworkPolicy', namespace: 'shop', name })),
      },
      window: '24h',
    })
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/impact',
      headers: bearer(reader),
      payload: set(['security.visible']),
    })
    expect(ok.statusCode, ok.body).toBe(200)
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/impact',
      headers: bearer(reader),
      payload: set(['security.visible', 'secret.invisible']),
    })
    expect(refused.statusCode, refused.body).toBe(403)
    expect(refused.json()).toMatchObject({
      code: 'FORBIDDEN',
      message:
        'user "reader" cannot get stagednetworkpolicies in tier "secret" and namespace "shop" (user cannot get tier)',
    })
    // The admin may preview the same set.
    const admin = await app.inject({
      method: 'POST',
      url: '/api/v1/impact',
      payload: set(['security.visible', 'secret.invisible']),
    })
    expect(admin.statusCode, admin.body).toBe(200)
  })
})
