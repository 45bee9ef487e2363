import { describe, expect, it } from 'vitest'
import type { Backend } from '../backends.ts'
import { type Client, type HttpResult, prng, startReplicas } from './replicas.ts'

// 50 clients over real HTTP at once: 40 edit the same 20 policies (read, bump a counter
// annotation, write back with the version read, re-read and retry on 409) while 10 move
// policies around the same tier. Afterwards nothing may be lost or doubled: the counters, the
// orders, the board and the revision history must all tell the same story.

const TIER = 'race'
const POLICIES = 20
const EDITORS = 40
const EDITS_EACH = 5
const MOVERS = 10
const MOVES_EACH = 6
const COUNTER = 'policyboard.dev/counter'
/** A client that cannot land its write after this many conflicts is starved: fail loudly. */
const MAX_ATTEMPTS = 500

const GNP = '/globalnetworkpolicies'

interface Meta {
  name: string
  resourceVersion?: string
  annotations?: Record<string, string>
}
interface Policy {
  apiVersion: string
  kind: string
  metadata: Meta
  spec: { tier: string; order: number; selector: string } & Record<string, unknown>
}
interface Summary {
  kind: string
  name: string
  tier: string
  order: number | null
  resourceVersion: string
}
interface ErrorBody {
  code: string
  message: string
  currentResourceVersion?: string
}
interface Revision {
  id: number
  kind: string
  name: string
  tier?: string
  operation: 'create' | 'update' | 'delete'
  before: Policy | null
  after: Policy | null
}

/** A landed counter increment: the version the write produced and the value it wrote. */
interface Edit {
  name: string
  version: string
  counter: number
}
/** A refused write: what the client sent and what the 409 said was current. */
interface Conflict {
  name: string
  sent: string
  current: string | undefined
}

function nameOf(i: number): string {
  return `p${String(i).padStart(2, '0')}`
}

function policy(i: number): Policy {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: { name: nameOf(i), annotations: { [COUNTER]: '0' } },
    spec: {
      tier: TIER,
      order: (i + 1) * 10,
      selector: `app == 'a${i}'`,
      types: ['Ingress'],
      ingress: [{ action: 'Allow', source: { selector: `role == 'r${i}'` } }],
    },
  }
}

function counterOf(p: Policy | null | undefined): number {
  return Number(p?.metadata.annotations?.[COUNTER] ?? Number.NaN)
}

/** Every response of the run, by status, for the "no 5xx, nothing unexpected" check. */
class Tally {
  readonly statuses = new Map<number, number>()
  readonly unexpected: string[] = []

  note(what: string, res: HttpResult, allowed: readonly number[]): void {
    this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1)
    if (!allowed.includes(res.status)) {
      this.unexpected.push(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`)
    }
  }
}

/** Seeds the tier and its policies through the API. */
async function seed(c: Client): Promise<void> {
  const tier = await c.request('POST', '/tiers', {
    apiVersion: 'projectcalico.org/v3',
    kind: 'Tier',
    metadata: { name: TIER },
    spec: { order: 50 },
  })
  expect(tier.status, JSON.stringify(tier.body)).toBe(201)
  for (let i = 0; i < POLICIES; i++) {
    const res = await c.request('POST', GNP, policy(i))
    expect(res.status, JSON.stringify(res.body)).toBe(201)
  }
}

/** One editor: `EDITS_EACH` increments, each retried (re-read, re-applied) until it lands. */
async function editor(
  c: Client,
  seedValue: number,
  tally: Tally,
  edits: Edit[],
  conflicts: Conflict[],
): Promise<void> {
  const random = prng(seedValue)
  for (let e = 0; e < EDITS_EACH; e++) {
    const name = nameOf(Math.floor(random() * POLICIES))
    for (let attempt = 1; ; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`${name}: no write landed in ${MAX_ATTEMPTS}`)
      const read = await c.request('GET', `${GNP}/${name}`)
      tally.note(`GET ${name}`, read, [200])
      if (read.status !== 200) break
      const current = read.body as Policy
      const sent = current.metadata.resourceVersion as string
      const next = counterOf(current) + 1
      const body: Policy = {
        ...current,
        metadata: {
          ...current.metadata,
          annotations: { ...current.metadata.annotations, [COUNTER]: String(next) },
        },
      }
      const put = await c.request('PUT', `${GNP}/${name}`, body)
      tally.note(`PUT ${name}`, put, [200, 409])
      if (put.status === 200) {
        const written = put.body as Policy
        edits.push({ name, version: written.metadata.resourceVersion as string, counter: next })
        break
      }
      if (put.status !== 409) break
      conflicts.push({ name, sent, current: (put.body as ErrorBody).currentResourceVersion })
    }
  }
}

/**
 * One mover: reads the tier in board order, checks it is whole and strictly ordered, and
 * moves a random policy to a random place with the version it read.
 */
async function mover(
  c: Client,
  seedValue: number,
  tally: Tally,
  moved: Array<{ name: string; version: string }>,
  badReads: string[],
): Promise<number> {
  const random = prng(seedValue)
  let landed = 0
  for (let m = 0; m < MOVES_EACH; m++) {
    const list = await c.request('GET', `/policies?tier=${TIER}`)
    tally.note('GET policies', list, [200])
    if (list.status !== 200) continue
    const items = (list.body as { items: Summary[] }).items
    const problem = tierProblem(items)
    if (problem) badReads.push(problem)
    const pick = items[Math.floor(random() * items.length)]
    if (!pick) continue
    const others = items.filter((p) => p.name !== pick.name)
    const at = Math.floor(random() * (others.length + 1))
    const ref = (p: Summary | undefined) => (p ? { kind: p.kind, name: p.name } : null)
    const res = await c.request('POST', '/policies/reorder', {
      policy: { kind: pick.kind, name: pick.name },
      resourceVersion: pick.resourceVersion,
      after: ref(others[at - 1]),
      before: ref(others[at]),
    })
    tally.note(`reorder ${pick.name}`, res, [200, 409])
    if (res.status === 200) {
      landed += 1
      const out = res.body as { changed: Array<{ name: string; resourceVersion: string }> }
      for (const ch of out.changed) moved.push({ name: ch.name, version: ch.resourceVersion })
    } else if (res.status === 409) {
      const body = res.body as ErrorBody
      // A stale version names the current one; stale neighbours only say so.
      if (body.message.includes('was modified') && body.currentResourceVersion === undefined) {
        badReads.push(`reorder 409 without the current version: ${body.message}`)
      }
    }
  }
  return landed
}

/** What is wrong with a read of the tier (every policy once, orders set and strictly rising), or ''. */
function tierProblem(items: readonly Summary[]): string {
  const names = items.map((p) => p.name)
  if (items.some((p) => p.tier !== TIER)) return `policies of other tiers: ${names.join(',')}`
  if (new Set(names).size !== POLICIES || names.length !== POLICIES) {
    return `expected ${POLICIES} distinct policies, got ${names.join(',')}`
  }
  for (let i = 1; i < items.length; i++) {
    const a = items[i - 1]?.order
    const b = items[i]?.order
    if (typeof a !== 'number' || typeof b !== 'number' || !(a < b)) {
      return `orders not strictly rising: ${items.map((p) => `${p.name}=${p.order}`).join(',')}`
    }
  }
  return ''
}

/** Every revision of the tier's policies, oldest first (paged through the API). */
async function history(c: Client): Promise<Revision[]> {
  const out: Revision[] = []
  let before: number | undefined
  for (;;) {
    const q = `/revisions?tier=${TIER}&kind=GlobalNetworkPolicy&limit=1000${before ? `&beforeId=${before}` : ''}`
    const res = await c.request('GET', q)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const page = res.body as { items: Revision[]; next?: number }
    out.push(...page.items)
    if (page.next === undefined) break
    before = page.next
  }
  return out.reverse()
}

/** The policy without server-only metadata (what revisions store). */
function content(p: Policy | null): unknown {
  if (!p) return null
  const { resourceVersion: _, ...metadata } = p.metadata
  return { ...p, metadata }
}

async function race(backend: Backend, replicas: number): Promise<void> {
  const clients = await startReplicas(backend, replicas)
  const first = clients[0] as Client
  await seed(first)
  const tally = new Tally()
  const edits: Edit[] = []
  const conflicts: Conflict[] = []
  const moved: Array<{ name: string; version: string }> = []
  const badReads: string[] = []
  // Clients are spread over the replicas; all start at once.
  const on = (i: number) => clients[i % clients.length] as Client
  const results = await Promise.all([
    ...Array.from({ length: EDITORS }, (_, i) => editor(on(i), 1000 + i, tally, edits, conflicts)),
    ...Array.from({ length: MOVERS }, (_, i) =>
      mover(on(EDITORS + i), 2000 + i, tally, moved, badReads),
    ),
  ])
  const movesLanded = results.reduce<number>((n, r) => n + (r ?? 0), 0)

  // No 5xx and nothing but 200 and the expected 409s; every edit landed.
  expect(tally.unexpected).toEqual([])
  expect(badReads).toEqual([])
  expect(edits).toHaveLength(EDITORS * EDITS_EACH)
  // The run really contended: writes were refused, and moves landed among the edits.
  expect(conflicts.length).toBeGreaterThan(0)
  expect(movesLanded).toBeGreaterThan(0)

  // Every 409 carried the version that was current, newer than the one sent.
  for (const c of conflicts) {
    expect(c.current, `409 on ${c.name} without currentResourceVersion`).toBeDefined()
    expect(Number(c.current)).toBeGreaterThan(Number(c.sent))
  }

  // No lost update: each counter equals the number of increments that landed on it.
  const landed = new Map<string, number>()
  for (const e of edits) landed.set(e.name, (landed.get(e.name) ?? 0) + 1)
  const finals = new Map<string, Policy>()
  for (let i = 0; i < POLICIES; i++) {
    const name = nameOf(i)
    const res = await first.request('GET', `${GNP}/${name}`)
    expect(res.status).toBe(200)
    const p = res.body as Policy
    finals.set(name, p)
    expect(counterOf(p), `counter of ${name}`).toBe(landed.get(name) ?? 0)
  }

  // Orders are distinct, and the board (through every replica) lists the tier in that order.
  const byOrder = [...finals.values()].sort((a, b) => a.spec.order - b.spec.order)
  expect(new Set(byOrder.map((p) => p.spec.order)).size).toBe(POLICIES)
  for (const c of clients) {
    const board = await c.request('GET', '/board')
    expect(board.status).toBe(200)
    const tiers = (board.body as { tiers: Array<{ name: string; policies: Summary[] }> }).tiers
    const shown = tiers.find((t) => t.name === TIER)?.policies ?? []
    expect(tierProblem(shown)).toBe('')
    expect(shown.map((p) => [p.name, p.order, p.resourceVersion])).toEqual(
      byOrder.map((p) => [p.metadata.name, p.spec.order, p.metadata.resourceVersion]),
    )
  }

  // History: exactly one revision per landed write (create, each edit, each moved policy),
  // each revision starting from the state the previous one left.
  const revs = await history(first)
  expect(new Set(revs.map((r) => r.id)).size).toBe(revs.length)
  for (let i = 0; i < POLICIES; i++) {
    const name = nameOf(i)
    const own = revs.filter((r) => r.name === name)
    const expected = [
      ...edits.filter((e) => e.name === name).map((e) => e.version),
      ...moved.filter((m) => m.name === name).map((m) => m.version),
    ]
    expect(own.filter((r) => r.operation === 'create')).toHaveLength(1)
    const updates = own.filter((r) => r.operation === 'update').map((r) => String(r.id))
    expect(updates.sort()).toEqual(expected.sort())
    for (let k = 1; k < own.length; k++) {
      const prev = own[k - 1] as Revision
      const cur = own[k] as Revision
      expect(cur.before, `revision ${cur.id} of ${name} follows ${prev.id}`).toEqual(prev.after)
      const step = counterOf(cur.after) - counterOf(cur.before)
      const isEdit = edits.some((e) => e.version === String(cur.id))
      expect(step, `counter step of revision ${cur.id}`).toBe(isEdit ? 1 : 0)
    }
    // The last revision is the stored state.
    const last = own.at(-1) as Revision
    const final = finals.get(name) as Policy
    expect(String(last.id)).toBe(final.metadata.resourceVersion)
    expect(last.after).toEqual(content(final))
    // A 409's current version was a real version of that policy.
    const ids = new Set(own.map((r) => String(r.id)))
    for (const c of conflicts.filter((x) => x.name === name)) {
      expect(ids.has(c.current as string), `409 named ${c.current} for ${name}`).toBe(true)
    }
  }
  // Each edit's revision records the counter value it wrote.
  const byId = new Map(revs.map((r) => [String(r.id), r]))
  for (const e of edits) expect(counterOf(byId.get(e.version)?.after)).toBe(e.counter)
}

describe('concurrent writers over HTTP', () => {
  it('sqlite: 50 clients editing and reordering one tier lose nothing', async () => {
    await race('sqlite', 1)
  })

  it('postgres: 50 clients editing and reordering one tier lose nothing', async () => {
    await race('postgres', 1)
  })

  it('postgres, two replicas on one schema: 50 clients split across both lose nothing', async () => {
    await race('postgres', 2)
  })
})
