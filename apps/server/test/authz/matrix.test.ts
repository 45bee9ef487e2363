import { readFileSync } from 'node:fs'
import { RESOURCE_PATHS } from '@policyboard/api'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { REDACTED } from '../../src/auth/redact.ts'
import { BACKENDS } from '../backends.ts'
import { flowRecord } from '../fixtures/flows.ts'
import { build, TEST_ADMIN_TOKEN, userToken } from '../helper.ts'

const boardYaml = readFileSync(new URL('../fixtures/board.yaml', import.meta.url), 'utf8')

type Role = 'anonymous' | 'viewer' | 'editorA' | 'editorAN' | 'admin'
type Level = 'public' | 'authenticated' | 'read' | 'write' | 'admin'

/**
 * The expected decision of every API route, written here independently of the server's
 * table: a route added without an entry here fails the enumeration test.
 */
function expectedLevels(): Map<string, Level> {
  const t = new Map<string, Level>()
  const s = (m: string, u: string, l: Level) => t.set(`${m} /api/v1${u}`, l)
  s('POST', '/auth/login', 'public')
  s('POST', '/auth/logout', 'authenticated')
  s('GET', '/me', 'authenticated')
  s('GET', '/tokens', 'authenticated')
  s('POST', '/tokens', 'authenticated')
  s('DELETE', '/tokens/:id', 'authenticated')
  for (const u of ['/users', '/audit', '/audit/export']) s('GET', u, 'admin')
  s('PUT', '/users/:name', 'admin')
  s('DELETE', '/users/:name', 'admin')
  for (const [kind, p] of Object.entries(RESOURCE_PATHS)) {
    const base = p.namespaced ? `/namespaces/:namespace/${p.plural}` : `/${p.plural}`
    const w: Level = ['Tier', 'GlobalNetworkSet', 'HostEndpoint'].includes(kind) ? 'admin' : 'write'
    if (p.namespaced) s('GET', `/${p.plural}`, 'read')
    s('GET', base, 'read')
    s('GET', `${base}/:name`, 'read')
    s('POST', base, w)
    s('PUT', `${base}/:name`, w)
    s('DELETE', `${base}/:name`, w)
  }
  s('POST', '/apply', 'write')
  s('GET', '/export', 'read')
  for (const u of ['/revisions', '/revisions/export', '/revisions/:id']) s('GET', u, 'read')
  s('POST', '/revisions/:id/rollback', 'write')
  for (const u of ['', '/namespaces', '/serviceaccounts', '/endpoints']) {
    s('GET', `/inventory${u}`, 'read')
    s('PUT', `/inventory${u}`, 'admin')
  }
  s('POST', '/flowlogs', 'admin')
  s('GET', '/flowlogs', 'read')
  s('GET', '/flowlogs/aggregate', 'read')
  s('GET', '/policies', 'read')
  s('GET', '/board', 'read')
  s('POST', '/policies/reorder', 'write')
  s('POST', '/simulate', 'read')
  s('GET', '/verdicts', 'read')
  s('POST', '/verdicts', 'read')
  s('POST', '/impact', 'read')
  s('POST', '/explain', 'read')
  s('GET', '/recommendations', 'read')
  s('GET', '/recommendations/default-deny', 'read')
  s('POST', '/recommendations/default-deny', 'write')
  s('GET', '/recommendations/:namespace', 'read')
  s('POST', '/recommendations/:namespace', 'write')
  s('POST', '/recommendations/:namespace/decision', 'write')
  s('GET', '/endpoints/:namespace/:name/policies', 'read')
  s('GET', '/lint', 'read')
  s('POST', '/lint', 'read')
  s('GET', '/lint/label-rules', 'read')
  s('PUT', '/lint/label-rules', 'admin')
  s('GET', '/lint', 'read')
  s('POST', '/lint', 'read')
  s('GET', '/lint/label-rules', 'read')
  s('PUT', '/lint/label-rules', 'admin')
  return t
}

/** Whether `role` passes the route-level guard of `level`. */
function passes(role: Role, level: Level): boolean {
  if (level === 'public') return true
  if (role === 'anonymous') return false
  if (level === 'authenticated' || level === 'read') return true
  if (level === 'write') return role !== 'viewer'
  return role === 'admin'
}

async function setup(backend: (typeof BACKENDS)[number]) {
  const app = await build(backend)
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/apply',
    payload: { yaml: boardYaml },
  })
  expect(res.statusCode, res.body).toBe(200)
  const tokens: Record<Role, string | undefined> = {
    anonymous: undefined,
    admin: TEST_ADMIN_TOKEN,
    viewer: await userToken(app, 'viewer', [{ role: 'viewer' }]),
    editorA: await userToken(app, 'editor-a', [{ role: 'editor', tiers: ['security'] }]),
    editorAN: await userToken(app, 'editor-an', [
      { role: 'editor', tiers: ['security'], namespaces: ['shop'] },
    ]),
  }
  const as = (role: Role) => {
    const t = tokens[role]
    return { authorization: t ? `Bearer ${t}` : '' }
  }
  return { app, as }
}

function call(
  app: FastifyInstance,
  headers: Record<string, string>,
  method: string,
  url: string,
  payload?: unknown,
) {
  const h = headers.authorization ? headers : { cookie: '' }
  return app.inject({ method: method as 'GET', url, headers: h, ...(payload ? { payload } : {}) })
}

const gnp = (name: string, tier: string) => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'GlobalNetworkPolicy',
  metadata: { name },
  spec: { tier, order: 500, selector: 'all()', types: ['Ingress'] },
})
const np = (name: string, namespace: string, tier: string) => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec: { tier, order: 500, selector: 'all()', types: ['Ingress'] },
})

describe.each(BACKENDS)('authorization on %s', (backend) => {
  it('decides every route the app registers, and each role gets 401/403 exactly where expected', async () => {
    const { app, as } = await setup(backend)
    expect(app.undecidedRoutes).toEqual([])
    const expected = expectedLevels()
    const api = app.routeDecisions.filter((r) => r.url.startsWith('/api/v1') && r.method !== 'HEAD')
    const seen = new Set(api.map((r) => `${r.method} ${r.url}`))
    expect(
      [...seen].filter((k) => !expected.has(k)),
      'routes without an expected level',
    ).toEqual([])
    expect(
      [...expected.keys()].filter((k) => !seen.has(k)),
      'expected but missing',
    ).toEqual([])
    for (const r of api)
      expect(r.level, `${r.method} ${r.url}`).toBe(expected.get(`${r.method} ${r.url}`))

    const roles: Role[] = ['anonymous', 'viewer', 'editorA', 'editorAN', 'admin']
    for (const r of api) {
      // Concrete values for the path; bodies are empty (the guard runs before validation).
      const url = r.url
        .replace(':namespace', 'shop')
        .replace(':name', r.url.startsWith('/api/v1/users') ? 'nobody' : 'zz-none')
        .replace(':id', '999999')
      for (const role of roles) {
        if (r.method === 'POST' && r.url === '/api/v1/auth/logout' && role !== 'anonymous') continue
        const res = await call(app, as(role), r.method, url)
        const level = r.level as Level
        const what = `${role} ${r.method} ${url}: ${res.body}`
        if (passes(role, level)) {
          expect(res.statusCode, what).not.toBe(401)
          // Past the route guard, an editor may still be refused on the resource itself
          // (its tier or namespace), never by the route.
          if (res.statusCode === 403) {
            expect(level === 'write' && role.startsWith('editor'), what).toBe(true)
            expect(res.json().message, what).toMatch(/ in tier "/)
          }
        } else {
          expect(res.statusCode, what).toBe(role === 'anonymous' ? 401 : 403)
          expect(res.json().code, what).toBe(role === 'anonymous' ? 'UNAUTHORIZED' : 'FORBIDDEN')
        }
        expect(res.body, what).not.toMatch(/at .*\.ts:\d+|SELECT |INSERT /)
      }
    }
  }, 120_000)

  it('scopes editors to their tier and namespace, with Calico-style refusals', async () => {
    const { app, as } = await setup(backend)
    // Editor of tier security: any namespace in it, nothing elsewhere.
    let res = await call(
      app,
      as('editorA'),
      'POST',
      '/api/v1/globalnetworkpolicies',
      gnp('ea-1', 'security'),
    )
    expect(res.statusCode, res.body).toBe(201)
    res = await call(
      app,
      as('editorA'),
      'POST',
      '/api/v1/globalnetworkpolicies',
      gnp('ea-2', 'default'),
    )
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({
      code: 'FORBIDDEN',
      message: 'user "editor-a" cannot create globalnetworkpolicies in tier "default"',
    })
    // Limited to namespace shop: namespaced policies there only; no global policies.
    res = await call(
      app,
      as('editorAN'),
      'PUT',
      '/api/v1/namespaces/shop/networkpolicies/ean-1',
      np('ean-1', 'shop', 'security'),
    )
    expect(res.statusCode, res.body).toBe(201)
    res = await call(
      app,
      as('editorAN'),
      'PUT',
      '/api/v1/namespaces/shop/networkpolicies/ean-1',
      np('ean-1', 'shop', 'security'),
    )
    expect(res.statusCode, res.body).toBe(200)
    res = await call(
      app,
      as('editorAN'),
      'PUT',
      '/api/v1/namespaces/db/networkpolicies/ean-2',
      np('ean-2', 'db', 'security'),
    )
    expect(res.json()).toMatchObject({
      code: 'FORBIDDEN',
      message:
        'user "editor-an" cannot create networkpolicies in tier "security" and namespace "db"',
    })
    // Moving a policy out of its tier needs rights on the new tier too.
    res = await call(
      app,
      as('editorAN'),
      'PUT',
      '/api/v1/namespaces/shop/networkpolicies/ean-1',
      np('ean-1', 'shop', 'default'),
    )
    expect(res.json().message).toBe(
      'user "editor-an" cannot update networkpolicies in tier "default" and namespace "shop"',
    )
    res = await call(
      app,
      as('editorAN'),
      'POST',
      '/api/v1/globalnetworkpolicies',
      gnp('ean-3', 'security'),
    )
    expect(res.statusCode).toBe(403)
    // Kubernetes policies count as the default tier.
    res = await call(
      app,
      as('editorA'),
      'POST',
      '/api/v1/namespaces/shop/kubernetesnetworkpolicies',
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'knp-1', namespace: 'shop' },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      },
    )
    expect(res.json().message).toBe(
      'user "editor-a" cannot create kubernetesnetworkpolicies in tier "default" and namespace "shop"',
    )
    // Viewers are refused every write; tiers are admin only.
    res = await call(
      app,
      as('viewer'),
      'POST',
      '/api/v1/globalnetworkpolicies',
      gnp('v-1', 'security'),
    )
    expect(res.json()).toMatchObject({
      code: 'FORBIDDEN',
      message: 'user "viewer" cannot create globalnetworkpolicies',
    })
    res = await call(app, as('editorA'), 'DELETE', '/api/v1/tiers/security')
    expect(res.json().message).toBe('user "editor-a" cannot delete tiers')
    // Refusals are stored in the audit log.
    const audit = await call(app, as('admin'), 'GET', '/api/v1/audit?event=authz')
    const messages = audit.json().items.map((e: { detail: string }) => e.detail)
    expect(messages).toContain('user "editor-a" cannot delete tiers')
    expect(audit.json().items[0]).toMatchObject({ outcome: 'failure', event: 'authz' })
  })

  it('applies all or nothing: one refused document refuses the whole apply', async () => {
    const { app, as } = await setup(backend)
    const yaml = [gnp('ap-ok', 'security'), gnp('ap-bad', 'default')]
      .map((d) => JSON.stringify(d))
      .join('\n---\n')
    let res = await call(app, as('editorA'), 'POST', '/api/v1/apply', { yaml })
    expect(res.statusCode).toBe(403)
    expect(res.json().message).toBe(
      'document 1: user "editor-a" cannot create globalnetworkpolicies in tier "default"',
    )
    res = await call(app, as('admin'), 'GET', '/api/v1/globalnetworkpolicies/ap-ok')
    expect(res.statusCode).toBe(404)
    res = await call(app, as('editorA'), 'POST', '/api/v1/apply', {
      yaml: JSON.stringify(gnp('ap-ok', 'security')),
    })
    expect(res.statusCode, res.body).toBe(200)
    // Rollback needs write rights on the revision's tier.
    const revs = await call(app, as('admin'), 'GET', '/api/v1/revisions?tier=default&limit=1')
    const id = revs.json().items[0].id
    res = await call(app, as('editorA'), 'POST', `/api/v1/revisions/${id}/rollback`)
    expect(res.statusCode).toBe(403)
  })

  it('hides tiers a user cannot read from lists, board, export, history, and redacts traces', async () => {
    const { app, as } = await setup(backend)
    const onlyA = await userToken(app, 'reader-a', [{ role: 'viewer', tiers: ['security'] }])
    const h = { authorization: `Bearer ${onlyA}` }
    const board = (await call(app, h, 'GET', '/api/v1/board')).json()
    expect(board.tiers.map((t: { name: string }) => t.name)).toEqual(['security'])
    const policies = (await call(app, h, 'GET', '/api/v1/policies')).json()
    expect(new Set(policies.items.map((p: { tier: string }) => p.tier))).toEqual(
      new Set(['security']),
    )
    const list = (await call(app, h, 'GET', '/api/v1/globalnetworkpolicies')).json()
    for (const p of list.items) expect(p.spec.tier).toBe('security')
    const exported = (await call(app, h, 'GET', '/api/v1/export')).body
    expect(exported).toContain('tier: security')
    expect(exported).not.toMatch(/tier: (default|platform)/)
    const history = (await call(app, h, 'GET', '/api/v1/revisions?limit=1000')).json()
    for (const r of history.items) expect(['security', undefined]).toContain(r.tier)
    const me = (await call(app, h, 'GET', '/api/v1/me')).json()
    expect(me.tiers.find((t: { tier: string }) => t.tier === 'default')).toMatchObject({
      read: false,
      write: false,
    })
    expect(me.tiers.find((t: { tier: string }) => t.tier === 'security')).toMatchObject({
      read: true,
      write: false,
    })
    const dflt = (await call(app, as('admin'), 'GET', '/api/v1/globalnetworkpolicies'))
      .json()
      .items.find((p: { spec: { tier?: string } }) => (p.spec.tier ?? 'default') !== 'security')
    if (dflt) {
      const one = await call(app, h, 'GET', `/api/v1/globalnetworkpolicies/${dflt.metadata.name}`)
      expect(one.statusCode).toBe(403)
      expect(one.json().message).toMatch(
        /^user "reader-a" cannot get globalnetworkpolicies in tier "\S+" \(user cannot get tier\)$/,
      )
    }
    // Traces: flows judged by policies of other tiers keep their verdict, lose the names.
    const ingest = await app.inject({
      method: 'POST',
      url: '/api/v1/flowlogs',
      headers: {
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
        'content-type': 'application/x-ndjson',
      },
      payload: `${JSON.stringify(
        flowRecord({
          policies: {
            enforced_policies: ['0|default|shop/default.hidden-one|allow|0'],
            pending_policies: ['0|default|shop/default.hidden-one|allow|0'],
          },
        }),
      )}\n`,
    })
    expect(ingest.statusCode, ingest.body).toBe(200)
    const flows = (await call(app, h, 'GET', '/api/v1/flowlogs')).body
    expect(flows).not.toContain('hidden-one')
    const adminFlows = (await call(app, as('admin'), 'GET', '/api/v1/flowlogs')).body
    expect(adminFlows).toContain('hidden-one')
  })
})

describe('redaction', () => {
  it('replaces names of unreadable tiers in references and hit strings, keeping verdicts', async () => {
    const { redactPolicies } = await import('../../src/auth/redact.ts')
    const out = redactPolicies(
      {
        action: 'Deny',
        hits: [
          '0|secret|shop/secret.deny-all|deny|0',
          '1|open|shop/open.a|allow|0',
          '2|__PROFILE__|__PROFILE__.kns.shop|allow|0',
        ],
        decidedBy: {
          by: 'rule',
          tier: 'secret',
          policy: {
            kind: 'NetworkPolicy',
            name: 'deny-all',
            namespace: 'shop',
            tier: 'secret',
            staged: false,
          },
          action: 'Deny',
        },
      },
      (t) => t !== 'secret',
    ) as Record<string, unknown>
    expect(out).toEqual({
      action: 'Deny',
      hits: [
        `0|secret|${REDACTED}|deny|0`,
        '1|open|shop/open.a|allow|0',
        '2|__PROFILE__|__PROFILE__.kns.shop|allow|0',
      ],
      decidedBy: {
        by: 'rule',
        tier: 'secret',
        policy: {
          kind: 'NetworkPolicy',
          name: REDACTED,
          namespace: REDACTED,
          tier: 'secret',
          staged: false,
        },
        action: 'Deny',
      },
    })
  })
})
