import { readFileSync } from 'node:fs'
import {
  compilePolicySet,
  evaluateFlow,
  loadResources,
  type Resource,
} from '@policyboard/policy-core'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../backends.ts'
import { flowRecord } from '../fixtures/flows.ts'
import { build, expectValidationError } from '../helper.ts'

const boardYaml = readFileSync(new URL('../fixtures/board.yaml', import.meta.url), 'utf8')

const lines = (records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`

const inventory = {
  namespaces: [{ name: 'shop' }],
  serviceAccounts: [],
  endpoints: [
    { name: 'web-7d9f8c6b5-bcdfg', namespace: 'shop', labels: { app: 'web' }, ips: ['10.0.1.1'] },
    { name: 'lb-6c8d9f7b4-hjklm', namespace: 'shop', labels: { app: 'lb' }, ips: ['10.0.2.1'] },
  ],
}

const lb = {
  source_name_aggr: 'lb-6c8d9f7b4-*',
  source_labels: { labels: ['app=lb'] },
  dest_name_aggr: 'web-7d9f8c6b5-*',
  dest_labels: { labels: ['app=web'] },
  policies: null,
}

/** lb → web on 443 (5 flows, denied now), lb → web on 80 (2), the internet → web on 80 (1). */
const records = [
  flowRecord({ ...lb, dest_port: 443, action: 'deny', num_flows: 5 }),
  flowRecord({ ...lb, dest_port: 80, num_flows: 2 }),
  flowRecord({
    ...lb,
    source_type: 'net',
    source_namespace: '-',
    source_name_aggr: 'pub',
    source_labels: null,
    dest_port: 80,
    num_flows: 1,
  }),
]

async function seeded(backend: (typeof BACKENDS)[number]) {
  const app = await build(backend)
  const applied = await app.inject({
    method: 'POST',
    url: '/api/v1/apply',
    payload: { yaml: boardYaml },
  })
  expect(applied.statusCode, applied.body).toBe(200)
  const inv = await app.inject({ method: 'PUT', url: '/api/v1/inventory', payload: inventory })
  expect(inv.statusCode, inv.body).toBe(200)
  const ingest = await app.inject({
    method: 'POST',
    url: '/api/v1/flowlogs',
    payload: lines(records),
    headers: { 'content-type': 'application/x-ndjson' },
  })
  expect(ingest.json()).toMatchObject({ accepted: 3 })
  return app
}

/** The evaluator's verdicts for lb → web on a port, computed here from the same YAML. */
function expected(port: number) {
  const loaded = loadResources(boardYaml)
  if (!loaded.ok) throw new Error('fixture does not load')
  const model = compilePolicySet({ resources: loaded.value as Resource[], ...inventory })
  return evaluateFlow(model, {
    id: 'x',
    source: { endpoint: 'shop/lb-6c8d9f7b4-hjklm' },
    destination: { endpoint: 'shop/web-7d9f8c6b5-bcdfg' },
    protocol: 'TCP',
    port,
  })
}

describe.each(BACKENDS)('impact on %s', (backend) => {
  it('previews the whole staged set: changed, unchanged and uncertain flows, grouped', async () => {
    const app = await seeded(backend)
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/impact',
      payload: { change: { type: 'staged-all' }, window: '24h' },
    })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    const e443 = expected(443)
    const e80 = expected(80)
    expect([e443.enforced.action, e443.staged.action]).toEqual(['Deny', 'Allow'])
    expect(e80.enforced.action).toBe(e80.staged.action)
    expect(body.totals).toMatchObject({
      flows: 8,
      deniedToAllowed: 5,
      allowedToDenied: 0,
      unchanged: 2,
      uncertain: 1,
      uncertainByReason: { 'address-dependent': 1 },
    })
    expect(body.view).toBe('staged')
    const first = body.groups[0]
    expect(first).toMatchObject({
      change: 'deniedToAllowed',
      sourceWorkload: 'lb-6c8d9f7b4-*',
      destinationWorkload: 'web-7d9f8c6b5-*',
      port: 443,
      before: 'Deny',
      after: 'Allow',
    })
    expect(first.traces).toBeUndefined()
    const uncertain = body.groups.find((g: { change: string }) => g.change === 'uncertain')
    expect(uncertain.uncertainDetails[0]).toMatch(/public address/)

    const traced = await app.inject({
      method: 'POST',
      url: '/api/v1/impact',
      payload: { change: { type: 'staged-all' }, onlyChanged: true, traces: first.id },
    })
    const tb = traced.json()
    expect(tb.groups.map((g: { change: string }) => g.change)).toEqual([
      'deniedToAllowed',
      'uncertain',
    ])
    expect(tb.groups[0].traces.after.ingress.decidedBy).toMatchObject({
      by: 'rule',
      policy: { kind: 'StagedNetworkPolicy', name: 'allow-web' },
    })
    expect(tb.groups[0].traces.before.ingress.decidedBy).toMatchObject({ by: 'endOfTier' })
  })

  it('previews one staged policy, a draft and a revision', async () => {
    const app = await seeded(backend)
    const one = await app.inject({
      method: 'POST',
      url: '/api/v1/impact',
      payload: {
        change: {
          type: 'staged',
          kind: 'StagedNetworkPolicy',
          namespace: 'shop',
          name: 'allow-web',
        },
      },
    })
    expect(one.json().totals.deniedToAllowed).toBe(5)

    const draft = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-web', namespace: 'shop' },
      spec: { order: 100, selector: "app == 'web'", ingress: [{ action: 'Deny' }] },
    }
    const d = await app.inject({
      method: 'POST',
      url: '/api/v1/impact',
      payload: { change: { type: 'draft', resource: draft } },
    })
    expect(d.statusCode, d.body).toBe(200)
    expect(d.json()).toMatchObject({
      view: 'enforced',
      totals: { allowedToDenied: 2, deniedToAllowed: 0 },
    })

    const revs = (
      await app.inject({ method: 'GET', url: '/api/v1/revisions?name=allow-web' })
    ).json()
    const created = revs.items.find((r: { kind: string }) => r.kind === 'NetworkPolicy')
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/impact',
      payload: { change: { type: 'revision', id: created.id } },
    })
    expect(r.statusCode, r.body).toBe(200)
    // The policy as created is the policy as stored: nothing changes.
    expect(r.json().totals).toMatchObject({ allowedToDenied: 0, deniedToAllowed: 0, unchanged: 7 })
  })

  it('previews exactly a chosen set of staged policies enforced together', async () => {
    const app = await seeded(backend)
    // A staged lockdown of port 80 on web, evaluated before allow-web.
    const lockdown = `
apiVersion: projectcalico.org/v3
kind: StagedGlobalNetworkPolicy
metadata: {name: lockdown}
spec:
  tier: default
  order: 50
  selector: app == 'web'
  types: [Ingress]
  ingress: [{action: Deny, protocol: TCP, destination: {ports: [80]}}]
`
    const put = await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      payload: { yaml: lockdown },
    })
    expect(put.statusCode, put.body).toBe(200)
    const LOCKDOWN = { kind: 'StagedGlobalNetworkPolicy', name: 'lockdown' }
    const ALLOW_WEB = { kind: 'StagedNetworkPolicy', namespace: 'shop', name: 'allow-web' }
    const preview = async (policies: unknown[]) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/impact',
        payload: { change: { type: 'staged-set', policies }, window: '24h' },
      })
      expect(res.statusCode, res.body).toBe(200)
      const body = res.json()
      const lbPort = (port: number) =>
        body.groups.find(
          (g: { sourceWorkload: string; port: number }) =>
            g.sourceWorkload === 'lb-6c8d9f7b4-*' && g.port === port,
        )?.change
      return { body, p80: lbPort(80), p443: lbPort(443) }
    }

    const alone = await preview([LOCKDOWN])
    expect(alone.body.view).toBe('staged')
    expect([alone.p80, alone.p443]).toEqual(['allowedToDenied', 'unchanged'])
    const both = await preview([LOCKDOWN, ALLOW_WEB])
    expect([both.p80, both.p443]).toEqual(['allowedToDenied', 'deniedToAllowed'])
    const onlyAllow = await preview([ALLOW_WEB])
    expect([onlyAllow.p80, onlyAllow.p443]).toEqual(['unchanged', 'deniedToAllowed'])
    const none = await preview([])
    expect(none.body.totals).toMatchObject({ allowedToDenied: 0, deniedToAllowed: 0 })
    // The whole staged set is the two together here; the set answer matches it.
    const all = await app.inject({
      method: 'POST',
      url: '/api/v1/impact',
      payload: { change: { type: 'staged-all' }, window: '24h' },
    })
    expect(both.body.totals).toEqual(all.json().totals)

    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/impact',
      payload: {
        change: {
          type: 'staged-set',
          policies: [LOCKDOWN, { kind: 'StagedNetworkPolicy', namespace: 'shop', name: 'x' }],
        },
      },
    })
    expectValidationError(missing, 'change.policies[1]', 'IMPACT_CHANGE')
  })

  it('refuses unknown staged policies and invalid drafts with their paths', async () => {
    const app = await seeded(backend)
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/impact',
      payload: {
        change: { type: 'staged', kind: 'StagedNetworkPolicy', namespace: 'shop', name: 'x' },
      },
    })
    expectValidationError(missing, 'change', 'IMPACT_CHANGE')
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/impact',
      payload: {
        change: {
          type: 'draft',
          resource: {
            apiVersion: 'projectcalico.org/v3',
            kind: 'NetworkPolicy',
            metadata: { name: 'x', namespace: 'shop' },
            spec: { selector: 'app ==' },
          },
        },
      },
    })
    expectValidationError(bad, 'spec.selector')
    const rev = await app.inject({
      method: 'POST',
      url: '/api/v1/impact',
      payload: { change: { type: 'revision', id: 99999 } },
    })
    expect(rev.statusCode).toBe(404)
  })

  it('explains a flow and a stored record, naming the deciding policy', async () => {
    const app = await seeded(backend)
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/explain',
      payload: {
        source: { endpoint: 'shop/lb-6c8d9f7b4-hjklm' },
        destination: { endpoint: 'shop/web-7d9f8c6b5-bcdfg' },
        protocol: 'TCP',
        port: 80,
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().enforced.ingress.decidedBy).toMatchObject({
      by: 'rule',
      policy: { kind: 'NetworkPolicy', name: 'allow-web' },
    })
    const rec = await app.inject({
      method: 'POST',
      url: '/api/v1/explain',
      payload: { record: records[0] },
    })
    expect(rec.statusCode, rec.body).toBe(200)
    expect(rec.json()).toMatchObject({
      flow: { destination: { endpoint: 'shop/web-7d9f8c6b5-bcdfg' }, port: 443 },
      enforced: { action: 'Deny' },
      staged: { action: 'Allow' },
    })
    const ip = await app.inject({
      method: 'POST',
      url: '/api/v1/explain',
      payload: {
        source: { ip: '203.0.113.9' },
        destination: { endpoint: 'shop/web-7d9f8c6b5-bcdfg' },
        protocol: 'TCP',
        port: 80,
      },
    })
    expect(ip.json().enforced.ingress.decidedBy).toMatchObject({
      by: 'rule',
      tier: 'security',
      policy: { name: 'block-bad' },
    })
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/explain',
      payload: {
        source: { endpoint: 'shop/nope' },
        destination: { ip: '1.1.1.1' },
        protocol: 'TCP',
      },
    })
    expectValidationError(unknown, 'source.endpoint')
  })

  it('refuses a partial record with the field it lacks, and explains one without a window', async () => {
    const app = await seeded(backend)
    const partial = await app.inject({
      method: 'POST',
      url: '/api/v1/explain',
      payload: { record: { proto: 'tcp', dest_port: 80 } },
    })
    expectValidationError(partial, 'record.source_type')
    const {
      start_time: _start,
      end_time: _end,
      ...windowless
    } = records[0] as unknown as Record<string, unknown>
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/explain',
      payload: { record: windowless },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().enforced.action).toBe('Deny')
  })
})
