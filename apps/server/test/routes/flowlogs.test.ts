import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../backends.ts'
import { flowRecord } from '../fixtures/flows.ts'
import { build } from '../helper.ts'

const boardYaml = readFileSync(new URL('../fixtures/board.yaml', import.meta.url), 'utf8')

const lines = (records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`

describe.each(BACKENDS)('flow logs on %s', (backend) => {
  it('ingests JSON lines and arrays, reports rejected lines, and is idempotent per batch', async () => {
    const app = await build(backend)
    const body = `${lines([flowRecord(), flowRecord({ action: 'deny', dest_port: 80 })])}{"start_time": "soon"}\nnot json\n`
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/flowlogs?batch=b1',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: body,
    })
    expect(res.statusCode, res.body).toBe(200)
    const out = res.json()
    expect(out).toMatchObject({ accepted: 2, duplicate: false, rejectedCount: 2 })
    expect(out.rejected.map((r: { line: number }) => r.line)).toEqual([3, 4])
    expect(out.rejected[1].errors[0].code).toBe('JSON_SYNTAX')

    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/flowlogs',
      headers: { 'content-type': 'application/x-ndjson', 'x-policyboard-batch': 'b1' },
      payload: body,
    })
    expect(again.json()).toMatchObject({ accepted: 0, duplicate: true })

    const arr = await app.inject({
      method: 'POST',
      url: '/api/v1/flowlogs',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify([flowRecord({ reporter: 'src' })]),
    })
    expect(arr.json()).toMatchObject({ accepted: 1, duplicate: false })
    const all = await app.inject({ method: 'GET', url: '/api/v1/flowlogs' })
    expect(all.json().items).toHaveLength(3)
  })

  it('queries with filters and keyset paging, and aggregates', async () => {
    const app = await build(backend)
    const now = Math.floor(Date.now() / 1000)
    const records = [
      ...Array.from({ length: 5 }, () => flowRecord()),
      flowRecord({
        action: 'deny',
        dest_port: 80,
        dest_name_aggr: 'api-*',
        dest_labels: { labels: ['app=api'] },
      }),
      flowRecord({ start_time: now - 90000, end_time: now - 89700, reporter: 'src' }),
    ]
    await app.inject({
      method: 'POST',
      url: '/api/v1/flowlogs',
      payload: lines(records),
      headers: { 'content-type': 'text/plain' },
    })
    const get = async (q: string) =>
      (await app.inject({ method: 'GET', url: `/api/v1/flowlogs?${q}` })).json()
    expect((await get('action=deny')).items).toHaveLength(1)
    expect((await get('port=80')).items).toHaveLength(1)
    expect((await get('name=api-*')).items).toHaveLength(1)
    expect((await get('labels=app=api')).items).toHaveLength(1)
    expect((await get('reporter=src')).items).toHaveLength(1)
    expect((await get(`from=${now - 3600}`)).items).toHaveLength(6)
    expect((await get('policy=shop/default.allow-web')).items).toHaveLength(7)
    expect((await get('protocol=udp')).items).toHaveLength(0)
    const p1 = await get('limit=4')
    expect(p1.items).toHaveLength(4)
    const p2 = await get(`limit=4&cursor=${p1.next}`)
    expect(p2.items).toHaveLength(3)
    expect(new Set([...p1.items, ...p2.items].map((i: { id: number }) => i.id)).size).toBe(7)

    const tuples = (
      await app.inject({ method: 'GET', url: '/api/v1/flowlogs/aggregate?by=tuple' })
    ).json().tuples
    expect(tuples[0]).toMatchObject({
      destination: { name: 'db-*' },
      port: 5432,
      allowed: 6,
      records: 6,
    })
    const buckets = (
      await app.inject({ method: 'GET', url: '/api/v1/flowlogs/aggregate?by=time&bucket=1h' })
    ).json().buckets
    expect(buckets.reduce((n: number, b: { records: number }) => n + b.records, 0)).toBe(7)
  })

  it('counts policy hits per rule from the hit strings, in the board list', async () => {
    const app = await build(backend)
    await app.inject({ method: 'POST', url: '/api/v1/apply', payload: { yaml: boardYaml } })
    // Three hours ago: inside a 24 h window, outside a 1 h one (counters are hourly).
    const end = Math.floor(Date.now() / 1000) - 3 * 3600
    const at = { start_time: end - 300, end_time: end }
    await app.inject({
      method: 'POST',
      url: '/api/v1/flowlogs',
      payload: lines([
        flowRecord(at),
        flowRecord({ ...at, num_flows: 3 }),
        flowRecord({
          ...at,
          action: 'deny',
          policies: { enforced_policies: ['0|security|security.block-bad|deny|0'] },
        }),
      ]),
      headers: { 'content-type': 'application/x-ndjson' },
    })
    const list = (await app.inject({ method: 'GET', url: '/api/v1/policies?window=24h' })).json()
    const byName = (kind: string, name: string) =>
      list.items.find((p: { kind: string; name: string }) => p.kind === kind && p.name === name)
    expect(byName('NetworkPolicy', 'allow-web').hits).toEqual({ allowed: 4, denied: 0, passed: 0 })
    expect(byName('NetworkPolicy', 'allow-web').ruleHits).toEqual([
      { direction: 'ingress', index: 0, allowed: 4, denied: 0, passed: 0 },
    ])
    expect(byName('StagedNetworkPolicy', 'allow-web').hits.denied).toBe(4)
    expect(byName('GlobalNetworkPolicy', 'block-bad').hits.denied).toBe(1)
    const old = (await app.inject({ method: 'GET', url: '/api/v1/policies?window=1h' })).json()
    expect(old.items.map((p: { hits: { allowed: number } }) => p.hits.allowed)).toEqual(
      old.items.map(() => 0),
    )
  })
})
