import type { LintFindingItem } from '@policyboard/api'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../backends.ts'
import { flowRecord } from '../fixtures/flows.ts'
import { build, expectValidationError, userToken } from '../helper.ts'

const policiesYaml = `apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: screen}
spec:
  tier: security
  order: 10
  selector: all()
  ingress:
    - action: Pass
    - action: Deny
      protocol: TCP
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop}
spec:
  order: 100
  selector: app == 'web'
  ingress:
    - action: Allow
      protocol: TCP
      destination: {ports: [80]}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: ghost, namespace: shop}
spec:
  order: 200
  selector: app == 'nobody'
  ingress:
    - action: Allow
`

const inventory = {
  namespaces: [{ name: 'shop', labels: { team: 'a' } }],
  serviceAccounts: [],
  endpoints: [
    { name: 'web-1', namespace: 'shop', labels: { app: 'web' }, ips: ['10.0.0.1'] },
    { name: 'db-1', namespace: 'shop', labels: { app: 'db', team: 'a' }, ips: ['10.0.0.3'] },
  ],
}

async function seeded(backend: (typeof BACKENDS)[number]): Promise<FastifyInstance> {
  const app = await build(backend)
  const applied = await app.inject({
    method: 'POST',
    url: '/api/v1/apply',
    payload: { yaml: policiesYaml },
  })
  expect(applied.statusCode, applied.body).toBe(200)
  const inv = await app.inject({ method: 'PUT', url: '/api/v1/inventory', payload: inventory })
  expect(inv.statusCode, inv.body).toBe(200)
  return app
}

async function lint(app: FastifyInstance, query = '', headers = {}): Promise<LintFindingItem[]> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/lint${query}`, headers })
  expect(res.statusCode, res.body).toBe(200)
  const body = res.json() as { findings: LintFindingItem[]; counts: Record<string, number> }
  const counted = { error: 0, warning: 0, info: 0 } as Record<string, number>
  for (const f of body.findings) counted[f.severity] = (counted[f.severity] ?? 0) + 1
  expect(body.counts).toEqual(counted)
  return body.findings
}

function codesOf(findings: LintFindingItem[], resource: string): string[] {
  return findings.filter((f) => f.resource === resource).map((f) => f.code)
}

describe.each(BACKENDS)('lint on %s', (backend) => {
  it('lints the stored policies with the inventory and the window hits', async () => {
    const app = await seeded(backend)
    const all = await lint(app)
    expect(codesOf(all, 'NetworkPolicy shop/ghost')).toContain('SELECTS_NOTHING')
    expect(codesOf(all, 'GlobalNetworkPolicy screen')).toContain('SHADOWED_RULE')
    // No flow stored yet: every enforced policy is unused.
    expect(codesOf(all, 'NetworkPolicy shop/allow-web')).toContain('UNUSED_POLICY')
    const shadowed = all.find((f) => f.code === 'SHADOWED_RULE')
    expect(shadowed).toMatchObject({
      kind: 'policy',
      tier: 'security',
      path: 'spec.ingress[1]',
      policy: { kind: 'GlobalNetworkPolicy', name: 'screen', tier: 'security' },
    })
    expect(shadowed?.fix.length).toBeGreaterThan(0)
    const ghost = all.find((f) => f.code === 'SELECTS_NOTHING')
    expect(ghost).toMatchObject({
      namespace: 'shop',
      policy: { kind: 'NetworkPolicy', namespace: 'shop', name: 'ghost', tier: 'default' },
    })

    // A flow hitting allow-web: the cache moves with the flow data and the finding goes.
    const lines = JSON.stringify(
      flowRecord({
        dest_port: 80,
        dest_name_aggr: 'web-*',
        policies: {
          enforced_policies: ['0|default|shop/default.allow-web|allow|0'],
          pending_policies: [],
        },
      }),
    )
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/flowlogs',
      payload: lines,
      headers: { 'content-type': 'application/x-ndjson' },
    })
    expect(posted.statusCode, posted.body).toBeLessThan(300)
    const after = await lint(app)
    expect(codesOf(after, 'NetworkPolicy shop/allow-web')).not.toContain('UNUSED_POLICY')
    expect(codesOf(after, 'NetworkPolicy shop/ghost')).toContain('UNUSED_POLICY')
  })

  it('filters by severity, kind, tier and namespace', async () => {
    const app = await seeded(backend)
    const all = await lint(app)
    const warnings = await lint(app, '?severity=warning')
    expect(warnings.length).toBeGreaterThan(0)
    expect(warnings.every((f) => f.severity !== 'info')).toBe(true)
    expect(warnings).toEqual(all.filter((f) => f.severity !== 'info'))
    const security = await lint(app, '?tier=security')
    expect(security.length).toBeGreaterThan(0)
    expect(security.every((f) => f.tier === 'security')).toBe(true)
    const shop = await lint(app, '?namespace=shop&kind=policy')
    expect(shop.map((f) => f.resource)).toContain('NetworkPolicy shop/ghost')
    expect(shop.every((f) => f.namespace === 'shop' && f.kind === 'policy')).toBe(true)
    const bad = await app.inject({ method: 'GET', url: '/api/v1/lint?severity=loud' })
    expectValidationError(bad, 'querystring.severity')
  })

  it('stores label rules, validates them with paths, and lints labels with them', async () => {
    const app = await seeded(backend)
    const empty = await app.inject({ method: 'GET', url: '/api/v1/lint/label-rules' })
    expect(empty.json()).toEqual({ rules: {}, text: '' })
    expect(await lint(app, '?kind=label')).toEqual([])

    const bad = await app.inject({
      method: 'PUT',
      url: '/api/v1/lint/label-rules',
      payload: { text: 'requireWorkloadLabels: [team, 3]\ncolour: blue\n' },
    })
    expectValidationError(bad, 'requireWorkloadLabels[1]', 'INVALID_TYPE')
    expectValidationError(bad, 'colour', 'UNKNOWN_FIELD')

    const text = 'requireWorkloadLabels: [team]\nrequireNamespaceLabels: [owner]\n'
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/lint/label-rules',
      payload: { text },
    })
    expect(put.statusCode, put.body).toBe(200)
    expect(put.json()).toEqual({
      rules: { requireWorkloadLabels: ['team'], requireNamespaceLabels: ['owner'] },
      text,
    })
    const got = await app.inject({ method: 'GET', url: '/api/v1/lint/label-rules' })
    expect(got.json().text).toBe(text)

    const labels = await lint(app, '?kind=label')
    const missing = labels.filter((f) => f.code === 'MISSING_REQUIRED_LABEL')
    expect(missing.map((f) => f.resource).sort()).toEqual(['Namespace shop', 'Pod shop/web-1'])
    expect(missing.every((f) => f.namespace === 'shop' && f.kind === 'label')).toBe(true)
    expect(await lint(app, '?kind=label&namespace=other')).toEqual([])
  })

  it('lints a draft against the stored set', async () => {
    const app = await seeded(backend)
    const draft = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-web', namespace: 'shop' },
      spec: {
        order: 100,
        selector: "app == 'web'",
        ingress: [{ action: 'Allow' }, { action: 'Allow', protocol: 'TCP' }],
      },
    }
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/lint',
      payload: { policy: draft },
    })
    expect(res.statusCode, res.body).toBe(200)
    const findings = res.json().findings as LintFindingItem[]
    expect(findings.every((f) => f.resource === 'NetworkPolicy shop/allow-web')).toBe(true)
    expect(findings.map((f) => `${f.code} ${f.path}`)).toContain('SHADOWED_RULE spec.ingress[1]')
    expect(findings.find((f) => f.code === 'SHADOWED_RULE')?.policy).toEqual({
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'allow-web',
      tier: 'default',
    })

    // The stored allow-web is unchanged: the draft was linted, not saved.
    const stored = await lint(app, '?namespace=shop')
    expect(codesOf(stored, 'NetworkPolicy shop/allow-web')).not.toContain('SHADOWED_RULE')

    const invalid = await app.inject({
      method: 'POST',
      url: '/api/v1/lint',
      payload: { policy: { ...draft, spec: { ...draft.spec, order: 'first' } } },
    })
    expectValidationError(invalid, 'spec.order')
  })

  it('leaves out findings about policies of tiers the caller cannot read', async () => {
    const app = await seeded(backend)
    const token = await userToken(app, 'viewer-default', [{ role: 'viewer', tiers: ['default'] }])
    const headers = { authorization: `Bearer ${token}` }
    const admin = await lint(app)
    expect(admin.some((f) => f.tier === 'security')).toBe(true)
    const viewer = await lint(app, '', headers)
    expect(viewer.some((f) => f.tier === 'security')).toBe(false)
    expect(viewer).toEqual(admin.filter((f) => f.tier === undefined || f.tier === 'default'))
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/lint/label-rules',
      payload: { text: 'requireWorkloadLabels: [team]\n' },
      headers,
    })
    expect(put.statusCode, put.body).toBe(403)
  })
})
