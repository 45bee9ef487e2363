import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../backends.ts'
import { build, expectValidationError, userToken } from '../helper.ts'

const boardYaml = readFileSync(new URL('../fixtures/board.yaml', import.meta.url), 'utf8')

const gnp = (order: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'GlobalNetworkPolicy',
  metadata: { name: 'guard' },
  spec: { tier: 'default', order, selector: 'all()', ingress: [{ action: 'Allow' }], ...extra },
})

describe.each(BACKENDS)('resources API on %s', (backend) => {
  it('lists the built-in tiers and refuses to delete them', async () => {
    const app = await build(backend)
    const res = await app.inject({ method: 'GET', url: '/api/v1/tiers' })
    expect(res.statusCode).toBe(200)
    expect(
      res
        .json()
        .items.map((t: { metadata: { name: string } }) => t.metadata.name)
        .sort(),
    ).toEqual(['default', 'kube-admin', 'kube-baseline'])
    const del = await app.inject({ method: 'DELETE', url: '/api/v1/tiers/kube-admin' })
    expect(del.statusCode).toBe(409)
    expect(del.json().code).toBe('TIER_PROTECTED')
  })

  it('creates, reads, replaces with resourceVersion, refuses stale writes, deletes', async () => {
    const app = await build(backend)
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/globalnetworkpolicies',
      payload: gnp(10),
      headers: { 'x-policyboard-actor': 'alice' },
    })
    expect(created.statusCode, created.body).toBe(201)
    const v1 = created.json().metadata.resourceVersion as string
    expect(created.json().spec.types).toEqual(['Ingress'])

    const dup = await app.inject({
      method: 'POST',
      url: '/api/v1/globalnetworkpolicies',
      payload: gnp(10),
    })
    expect(dup.statusCode).toBe(409)

    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/globalnetworkpolicies/guard',
      payload: { ...gnp(20), metadata: { name: 'guard', resourceVersion: v1 } },
    })
    expect(put.statusCode, put.body).toBe(200)
    const stale = await app.inject({
      method: 'PUT',
      url: '/api/v1/globalnetworkpolicies/guard',
      payload: { ...gnp(30), metadata: { name: 'guard', resourceVersion: v1 } },
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json()).toMatchObject({
      code: 'CONFLICT',
      currentResourceVersion: put.json().metadata.resourceVersion,
    })

    const got = await app.inject({ method: 'GET', url: '/api/v1/globalnetworkpolicies/guard' })
    expect(got.json().spec.order).toBe(20)

    const staleDelete = await app.inject({
      method: 'DELETE',
      url: `/api/v1/globalnetworkpolicies/guard?resourceVersion=${v1}`,
    })
    expect(staleDelete.statusCode).toBe(409)
    const del = await app.inject({ method: 'DELETE', url: '/api/v1/globalnetworkpolicies/guard' })
    expect(del.statusCode).toBe(200)
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/globalnetworkpolicies/guard' })).statusCode,
    ).toBe(404)
  })

  it('validates bodies with Calico field paths and refuses unknown fields', async () => {
    const app = await build(backend)
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/globalnetworkpolicies',
      payload: gnp(1, { ingress: [{ action: 'Allow', source: { selektor: 'x' } }] }),
    })
    expectValidationError(bad, 'spec.ingress[0].source.selektor', 'UNKNOWN_FIELD')
    const wrongKind = await app.inject({
      method: 'POST',
      url: '/api/v1/hostendpoints',
      payload: gnp(1),
    })
    expectValidationError(wrongKind, 'kind')
    const inv = await app.inject({
      method: 'PUT',
      url: '/api/v1/inventory/namespaces',
      payload: [{ name: 'shop', lables: {} }],
    })
    expectValidationError(inv, '[0].lables', 'UNKNOWN_FIELD')
  })

  it('namespaced paths fill and check the namespace', async () => {
    const app = await build(backend)
    const body = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkSet',
      metadata: { name: 'partners' },
      spec: { nets: ['198.51.100.0/24'] },
    }
    const res = await app.inject({
      method: 'PUT',
      url: '/api/v1/namespaces/shop/networksets/partners',
      payload: body,
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().metadata.namespace).toBe('shop')
    const other = await app.inject({
      method: 'PUT',
      url: '/api/v1/namespaces/bank/networksets/partners',
      payload: { ...body, metadata: { name: 'partners', namespace: 'shop' } },
    })
    expectValidationError(other, 'metadata.namespace')
    const all = await app.inject({ method: 'GET', url: '/api/v1/networksets' })
    expect(all.json().items).toHaveLength(1)
  })

  it('refuses to delete a tier that still has policies', async () => {
    const app = await build(backend)
    await app.inject({ method: 'POST', url: '/api/v1/apply', payload: { yaml: boardYaml } })
    const res = await app.inject({ method: 'DELETE', url: '/api/v1/tiers/security' })
    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('TIER_NOT_EMPTY')
  })

  it('applies all or nothing, with a dry run reporting field diffs', async () => {
    const app = await build(backend)
    const dry = await app.inject({
      method: 'POST',
      url: '/api/v1/apply?dryRun=true',
      headers: { 'content-type': 'text/yaml' },
      payload: boardYaml,
    })
    expect(dry.statusCode, dry.body).toBe(200)
    expect(dry.json().dryRun).toBe(true)
    expect(dry.json().results.map((r: { action: string }) => r.action)).toEqual(
      Array(6).fill('created'),
    )
    expect((await app.inject({ method: 'GET', url: '/api/v1/tiers/security' })).statusCode).toBe(
      404,
    )

    const real = await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      payload: { yaml: boardYaml },
    })
    expect(real.statusCode, real.body).toBe(200)
    const changed = boardYaml.replace('order: 10\n', 'order: 15\n')
    const dry2 = await app.inject({
      method: 'POST',
      url: '/api/v1/apply?dryRun=true',
      payload: { yaml: changed },
    })
    const results = dry2.json().results as Array<{ name: string; action: string; diff: unknown[] }>
    expect(results.filter((r) => r.action === 'changed')).toEqual([
      expect.objectContaining({
        name: 'block-bad',
        diff: [{ path: 'spec.order', before: 10, after: 15 }],
      }),
    ])
    expect(results.filter((r) => r.action === 'unchanged')).toHaveLength(5)

    // One bad document fails the whole apply: nothing is written.
    const bad = `${changed}---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: x}\nspec: {tier: nowhere}\n`
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      payload: { yaml: bad },
    })
    expect(refused.statusCode).toBe(409)
    const gnpNow = await app.inject({
      method: 'GET',
      url: '/api/v1/globalnetworkpolicies/block-bad',
    })
    expect(gnpNow.json().spec.order).toBe(10)

    const invalid = await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      payload: {
        yaml: `${boardYaml}---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: Bad_Name}\n`,
      },
    })
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json().errors[0]).toMatchObject({ document: 6, path: 'metadata.name' })
  })

  it('exports YAML that applies back unchanged, with file names', async () => {
    const app = await build(backend)
    await app.inject({ method: 'POST', url: '/api/v1/apply', payload: { yaml: boardYaml } })
    const board = await app.inject({ method: 'GET', url: '/api/v1/export' })
    expect(board.statusCode).toBe(200)
    expect(board.headers['content-disposition']).toBe('attachment; filename="board.yaml"')
    expect(board.body).not.toContain('resourceVersion')
    const back = await app.inject({
      method: 'POST',
      url: '/api/v1/apply?dryRun=true',
      headers: { 'content-type': 'application/yaml' },
      payload: board.body,
    })
    expect(back.statusCode, back.body).toBe(200)
    expect(new Set(back.json().results.map((r: { action: string }) => r.action))).toEqual(
      new Set(['unchanged']),
    )

    const tier = await app.inject({ method: 'GET', url: '/api/v1/export?tier=security' })
    expect(tier.headers['content-disposition']).toBe('attachment; filename="tier-security.yaml"')
    expect(tier.body).toContain('block-bad')
    expect(tier.body).not.toContain('allow-web')
    const legacy = await app.inject({
      method: 'GET',
      url: '/api/v1/export?tier=security&naming=legacy',
    })
    expect(legacy.body).toContain('name: security.block-bad')
    const stagedOnly = await app.inject({
      method: 'GET',
      url: '/api/v1/export?namespace=shop&staged=only',
    })
    expect(stagedOnly.body).toContain('kind: StagedNetworkPolicy')
    expect(stagedOnly.body).not.toContain('kind: NetworkPolicy')
    const one = await app.inject({
      method: 'GET',
      url: '/api/v1/export?kind=NetworkPolicy&namespace=shop&name=allow-web',
    })
    expect(one.headers['content-disposition']).toBe(
      'attachment; filename="networkpolicy-shop-allow-web.yaml"',
    )
  })

  it('keeps history with actors, filters it, rolls back and exports it', async () => {
    const app = await build(backend)
    const alice = await userToken(app, 'alice', [{ role: 'admin' }])
    const bob = await userToken(app, 'bob', [{ role: 'admin' }])
    await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      payload: { yaml: boardYaml },
      // Revisions record the authenticated user; a claimed actor header is ignored.
      headers: { authorization: `Bearer ${alice}`, 'x-policyboard-actor': 'mallory' },
    })
    const first = await app.inject({
      method: 'GET',
      url: '/api/v1/revisions?kind=GlobalNetworkPolicy&name=block-bad',
    })
    const createdRev = first.json().items[0]
    expect(createdRev).toMatchObject({
      actor: 'alice',
      operation: 'create',
      tier: 'security',
      before: null,
    })
    await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      payload: { yaml: boardYaml.replace('order: 10\n', 'order: 99\n') },
      headers: { authorization: `Bearer ${bob}` },
    })
    const bobs = await app.inject({ method: 'GET', url: '/api/v1/revisions?actor=bob' })
    expect(bobs.json().items).toHaveLength(1)
    const rb = await app.inject({
      method: 'POST',
      url: `/api/v1/revisions/${createdRev.id}/rollback`,
    })
    expect(rb.statusCode, rb.body).toBe(200)
    expect(rb.json().revision).toMatchObject({
      actor: 'admin',
      rollbackOf: createdRev.id,
      operation: 'update',
    })
    const now = await app.inject({ method: 'GET', url: '/api/v1/globalnetworkpolicies/block-bad' })
    expect(now.json().spec.order).toBe(10)
    const tierHistory = await app.inject({ method: 'GET', url: '/api/v1/revisions?tier=security' })
    expect(tierHistory.json().items.length).toBe(4)
    const paged = await app.inject({ method: 'GET', url: '/api/v1/revisions?limit=2' })
    expect(paged.json().items).toHaveLength(2)
    const page2 = await app.inject({
      method: 'GET',
      url: `/api/v1/revisions?limit=2&beforeId=${paged.json().next}`,
    })
    expect(page2.json().items[0].id).toBeLessThan(paged.json().items[1].id)
    const yaml = await app.inject({
      method: 'GET',
      url: '/api/v1/revisions/export?format=yaml&tier=security',
    })
    expect(yaml.headers['content-type']).toContain('yaml')
    expect(yaml.body).toContain('actor: bob')
    const json = await app.inject({ method: 'GET', url: '/api/v1/revisions/export' })
    expect(JSON.parse(json.body).length).toBeGreaterThan(6)
  })

  it('answers health, docs and unknown routes', async () => {
    const app = await build(backend)
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' })
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200)
    expect(
      (await app.inject({ method: 'GET', url: '/api/docs/json' })).json().paths['/api/v1/apply'],
    ).toBeDefined()
    const missing = await app.inject({ method: 'GET', url: '/api/v1/nothing' })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().code).toBe('NOT_FOUND')
  })
})
