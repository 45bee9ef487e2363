import { describe, expect, it } from 'vitest'
import { BACKENDS, type Backend } from '../backends.ts'
import { type Client, prng, startReplicas } from './replicas.ts'

// Creates and deletes racing on the same names, and a tier deleted while policies are being
// created in it: every request gets a clean answer (never a 5xx from a unique key or a
// foreign key meeting another writer), and the history alternates create/delete per name.

const NAMES = ['q0', 'q1', 'q2', 'q3']
const CLIENTS = 30
const ROUNDS = 6
const GNP = '/globalnetworkpolicies'

interface Revision {
  id: number
  name: string
  operation: 'create' | 'update' | 'delete'
}

function gnp(name: string, tier: string, order: number) {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: { name },
    spec: { tier, order, selector: `app == '${name}'`, types: ['Ingress'], ingress: [] },
  }
}

function tier(name: string) {
  return { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name }, spec: {} }
}

async function churn(clients: Client[]): Promise<void> {
  const first = clients[0] as Client
  expect((await first.request('POST', '/tiers', tier('churn'))).status).toBe(201)
  const statuses: string[] = []
  let created = 0
  let deleted = 0
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const c = clients[i % clients.length] as Client
      const random = prng(300 + i)
      for (let r = 0; r < ROUNDS; r++) {
        const name = NAMES[Math.floor(random() * NAMES.length)] as string
        const post = await c.request('POST', GNP, gnp(name, 'churn', 10 + i))
        statuses.push(`POST ${post.status}`)
        if (post.status === 201) created += 1
        const got = await c.request('GET', `${GNP}/${name}`)
        statuses.push(`GET ${got.status}`)
        if (got.status !== 200) continue
        const version = (got.body as { metadata: { resourceVersion: string } }).metadata
          .resourceVersion
        const del = await c.request('DELETE', `${GNP}/${name}?resourceVersion=${version}`)
        statuses.push(`DELETE ${del.status}`)
        if (del.status === 200) deleted += 1
      }
    }),
  )
  const allowed = new Set(['POST 201', 'POST 409', 'GET 200', 'GET 404'])
  for (const s of ['200', '404', '409']) allowed.add(`DELETE ${s}`)
  expect(statuses.filter((s) => !allowed.has(s))).toEqual([])
  expect(created).toBeGreaterThan(0)
  expect(deleted).toBeGreaterThan(0)

  const res = await first.request(
    'GET',
    '/revisions?tier=churn&kind=GlobalNetworkPolicy&limit=1000',
  )
  const revs = (res.body as { items: Revision[] }).items.reverse()
  expect(revs.filter((r) => r.operation === 'create')).toHaveLength(created)
  expect(revs.filter((r) => r.operation === 'delete')).toHaveLength(deleted)
  for (const name of NAMES) {
    const ops = revs.filter((r) => r.name === name).map((r) => r.operation)
    // Strictly alternating, starting with a create.
    ops.forEach((op, k) => {
      expect(op, `${name} operation ${k}: ${ops.join(',')}`).toBe(k % 2 ? 'delete' : 'create')
    })
    const exists = (await first.request('GET', `${GNP}/${name}`)).status === 200
    expect(exists).toBe(ops.at(-1) === 'create')
  }
}

async function tierRace(clients: Client[]): Promise<void> {
  const first = clients[0] as Client
  const statuses: string[] = []
  for (let round = 0; round < 4; round++) {
    const name = `doomed${round}`
    expect((await first.request('POST', '/tiers', tier(name))).status).toBe(201)
    // Deleters start once the first create is answered, so creates land and meet deletes.
    let firstAnswer = () => {}
    const answered = new Promise<void>((resolve) => {
      firstAnswer = resolve
    })
    const creators = Array.from({ length: 12 }, async (_, i) => {
      const c = clients[i % clients.length] as Client
      const res = await c.request('POST', GNP, gnp(`${name}-${i}`, name, i))
      statuses.push(`POST ${res.status} ${(res.body as { code?: string }).code ?? ''}`)
      firstAnswer()
      // A policy that landed is removed again, so the tier can go.
      if (res.status === 201) {
        const del = await c.request('DELETE', `${GNP}/${name}-${i}`)
        statuses.push(`DELETE ${del.status}`)
      }
    })
    const deleters = Array.from({ length: 6 }, async (_, i) => {
      const c = clients[(i + 1) % clients.length] as Client
      await answered
      for (let k = 0; k < 200; k++) {
        const res = await c.request('DELETE', `/tiers/${name}`)
        statuses.push(`TIER ${res.status} ${(res.body as { code?: string }).code ?? ''}`)
        if (res.status === 200 || res.status === 404) break
      }
    })
    await Promise.all([...creators, ...deleters])
    // Creators remove what they made, so a deleter always gets through in the end.
    expect((await first.request('GET', `/tiers/${name}`)).status).toBe(404)
    // No policy may name the tier that is gone.
    const list = await first.request('GET', GNP)
    const orphans = (list.body as { items: Array<{ spec: { tier?: string } }> }).items.filter(
      (p) => p.spec.tier === name,
    )
    expect(orphans).toEqual([])
  }
  const allowed = [
    'POST 201 ',
    'POST 409 TIER_NOT_FOUND',
    'DELETE 200',
    'TIER 200 ',
    'TIER 404 NOT_FOUND',
    'TIER 409 TIER_NOT_EMPTY',
  ]
  expect(statuses.filter((s) => !allowed.includes(s))).toEqual([])
  // The race really ran: tiers were deleted, and creates both landed and were refused.
  expect(statuses).toContain('TIER 200 ')
  expect(statuses).toContain('POST 201 ')
}

async function both(backend: Backend, replicas: number): Promise<void> {
  const clients = await startReplicas(backend, replicas)
  await churn(clients)
  await tierRace(clients)
}

describe('concurrent creates and deletes over HTTP', () => {
  for (const backend of BACKENDS) {
    it(`${backend}: same-name creates/deletes alternate; a tier deleted under its creators leaves no orphan`, async () => {
      await both(backend, 1)
    })
  }

  it('postgres, two replicas: the same races split across both', async () => {
    await both('postgres', 2)
  })
})
