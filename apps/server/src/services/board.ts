import { gzipSync } from 'node:zlib'
import type { BoardTier, PolicyKind, PolicySummary, RuleHits } from '@policyboard/api'
import {
  appliedTiers,
  bareName,
  type CompiledModel,
  compilePolicySet,
  type Resource,
  type ResourceKind,
  resourceKind,
  type Tier,
} from '@policyboard/policy-core'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { BUCKET_SECONDS, bucketOf, type FlowStore, type HitRow } from '../store/flows.ts'
import { BUILTIN_TIER_NAMES, isPolicyResourceKind, type Store, tierOf } from '../store/index.ts'

/** Kubernetes policies sit at this order in the default tier. */
const KUBERNETES_ORDER = 1000

/** A compiled view of the store at one revision. */
export interface Snapshot {
  revision: number
  resources: Resource[]
  model: CompiledModel | undefined
  /** Endpoints each policy applies to, by policy key. */
  endpointCounts: Map<string, number>
}

/** `Kind|namespace|bare name`: how policies are matched to hits and compiled refs. */
export function policyKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}|${namespace ?? ''}|${name}`
}

function stripTier(tier: string, name: string): string {
  return name.startsWith(`${tier}.`) ? name.slice(tier.length + 1) : name
}

/** The effective order of a policy (Kubernetes kinds: 1000), or null when unset. */
export function policyOrder(r: Resource): number | null {
  const kind = resourceKind(r)
  if (kind === 'KubernetesNetworkPolicy' || kind === 'StagedKubernetesNetworkPolicy')
    return KUBERNETES_ORDER
  return (r.spec as { order?: number }).order ?? null
}

/** Calico's sort: by order (unset last), then by name. */
export function compareByOrder(
  a: { order: number | null; name: string },
  b: { order: number | null; name: string },
): number {
  const oa = a.order ?? Number.POSITIVE_INFINITY
  const ob = b.order ?? Number.POSITIVE_INFINITY
  return oa === ob ? a.name.localeCompare(b.name) : oa < ob ? -1 : 1
}

const HIT_KIND: Record<string, ResourceKind> = {
  'NetworkPolicy|0': 'NetworkPolicy',
  'NetworkPolicy|1': 'StagedNetworkPolicy',
  'GlobalNetworkPolicy|0': 'GlobalNetworkPolicy',
  'GlobalNetworkPolicy|1': 'StagedGlobalNetworkPolicy',
  'KubernetesNetworkPolicy|0': 'KubernetesNetworkPolicy',
  'KubernetesNetworkPolicy|1': 'StagedKubernetesNetworkPolicy',
}

function countEndpoints(model: CompiledModel): Map<string, number> {
  const byPolicy = new Map<number, number>()
  for (const ep of model.endpoints) {
    const seen = new Set<number>()
    for (const view of ['enforced', 'pending'] as const) {
      for (const egress of [false, true]) {
        for (const vt of appliedTiers(model, ep.identity, view, egress)) {
          for (const p of vt.policies) seen.add(p.id)
        }
      }
    }
    for (const id of seen) byPolicy.set(id, (byPolicy.get(id) ?? 0) + 1)
  }
  const out = new Map<string, number>()
  for (const p of model.policies) {
    const key = policyKey(p.ref.kind, p.ref.namespace, stripTier(p.ref.tier, p.ref.name))
    out.set(key, (out.get(key) ?? 0) + (byPolicy.get(p.id) ?? 0))
  }
  return out
}

/** A small map that forgets its oldest entries. */
class Lru<V> {
  readonly #max: number
  readonly #map = new Map<string, V>()
  constructor(max: number) {
    this.#max = max
  }
  get(key: string): V | undefined {
    return this.#map.get(key)
  }
  set(key: string, value: V): void {
    this.#map.set(key, value)
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as string)
  }
}

/**
 * What the board shows, computed from the store and cached by the store's revision counter
 * and the flow data's version, both read per request: a write on any replica invalidates
 * every replica's cache.
 */
export class BoardService {
  readonly #store: Store
  readonly #flows: FlowStore
  #snapshot: Promise<Snapshot> | undefined
  #snapshotRevision = -1
  readonly #summaries = new Lru<Promise<PolicySummary[]>>(16)
  readonly #json = new Lru<Promise<string>>(64)
  readonly #gzip = new Map<string, Buffer>()

  constructor(store: Store, flows: FlowStore) {
    this.#store = store
    this.#flows = flows
  }

  /** The compiled policy set at the current revision (rebuilt when the revision moved). */
  async snapshot(): Promise<Snapshot> {
    return this.#snapshotAt(await this.#store.revision())
  }

  #snapshotAt(revision: number): Promise<Snapshot> {
    if (!this.#snapshot || this.#snapshotRevision !== revision) {
      this.#snapshotRevision = revision
      this.#snapshot = this.#build(revision)
      this.#snapshot.catch(() => {
        this.#snapshot = undefined
      })
    }
    return this.#snapshot
  }

  async #build(revision: number): Promise<Snapshot> {
    const [resources, inventory] = await Promise.all([this.#store.list(), this.#store.inventory()])
    let model: CompiledModel | undefined
    try {
      model = compilePolicySet({ resources, ...inventory })
    } catch {
      model = undefined
    }
    return { revision, resources, model, endpointCounts: model ? countEndpoints(model) : new Map() }
  }

  /** Every policy with its counts, in board order, over the window ending at `now`. */
  async summaries(
    windowSeconds: number,
    now: number,
  ): Promise<{ items: PolicySummary[]; revision: number; from: number; to: number; key: string }> {
    // Both counters in one read: this runs on every board request.
    const counters = await this.#store.db.all<{ name: string; value: number }>(
      "SELECT name, value FROM pb_counters WHERE name IN ('revision', 'flows')",
    )
    const counter = (name: string) => Number(counters.find((c) => c.name === name)?.value ?? 0)
    const snap = await this.#snapshotAt(counter('revision'))
    const flowsVersion = counter('flows')
    // Counters are hourly: the window is widened to whole hours, and the cache key moves
    // once an hour at most (or on any write, on any replica).
    const from = bucketOf(now - windowSeconds)
    const to = bucketOf(now) + BUCKET_SECONDS
    const key = `${snap.revision}|${flowsVersion}|${from}|${to}`
    let cached = this.#summaries.get(key)
    if (!cached) {
      cached = this.#flows.hits(from, to).then((hits) => buildSummaries(snap, hits))
      this.#summaries.set(key, cached)
      cached.catch(() => undefined)
    }
    return { items: await cached, revision: snap.revision, from, to, key }
  }

  /**
   * A serialised response cached under `key` (a summaries key plus the request's filters):
   * the board's list is read far more often than it changes.
   */
  async json(key: string, build: () => Promise<unknown>): Promise<string> {
    let cached = this.#json.get(key)
    if (!cached) {
      cached = build().then((v) => JSON.stringify(v))
      this.#json.set(key, cached)
      cached.catch(() => undefined)
    }
    return cached
  }

  /**
   * The gzip form of a serialised response from `json`, compressed once per body: the
   * cached string is the same object on every request, so looking it up hashes it once.
   */
  gzip(text: string): Buffer {
    let zipped = this.#gzip.get(text)
    if (!zipped) {
      zipped = gzipSync(text, { level: 6 })
      this.#gzip.set(text, zipped)
      if (this.#gzip.size > 64) this.#gzip.delete(this.#gzip.keys().next().value as string)
    }
    return zipped
  }

  /** Tiers in evaluation order with their policies (already in order). */
  async board(items: PolicySummary[]): Promise<BoardTier[]> {
    const snap = await this.snapshot()
    const tiers = snap.resources
      .filter((r): r is Tier => resourceKind(r) === 'Tier')
      .map((t) => ({ t, order: t.spec.order ?? null, name: t.metadata.name }))
      .sort(compareByOrder)
    const byTier = new Map<string, PolicySummary[]>()
    for (const p of items) {
      const list = byTier.get(p.tier) ?? []
      list.push(p)
      byTier.set(p.tier, list)
    }
    return tiers.map(({ t }) => ({
      name: t.metadata.name,
      order: t.spec.order ?? null,
      defaultAction: t.spec.defaultAction === 'Pass' ? 'Pass' : 'Deny',
      isBuiltin: BUILTIN_TIER_NAMES.has(t.metadata.name),
      resourceVersion: t.metadata.resourceVersion ?? '0',
      policies: byTier.get(t.metadata.name) ?? [],
    }))
  }
}

function buildSummaries(snap: Snapshot, hits: HitRow[]): PolicySummary[] {
  const totals = new Map<string, { allowed: number; denied: number; passed: number }>()
  const rules = new Map<string, Map<string, RuleHits>>()
  for (const h of hits) {
    const kind = HIT_KIND[`${h.kind}|${h.staged ? 1 : 0}`]
    if (!kind) continue
    // Enforced policies count enforced hits; staged ones count their pending (as-if-enforced) hits.
    if ((h.view === 'pending') !== h.staged) continue
    const key = policyKey(kind, h.namespace || undefined, h.name)
    const t = totals.get(key) ?? { allowed: 0, denied: 0, passed: 0 }
    const field = h.action === 'allow' ? 'allowed' : h.action === 'deny' ? 'denied' : 'passed'
    t[field] += h.count
    totals.set(key, t)
    const perRule = rules.get(key) ?? new Map<string, RuleHits>()
    const rk = `${h.direction}|${h.ruleIndex}`
    const r = perRule.get(rk) ?? {
      direction: h.direction,
      index: h.ruleIndex,
      allowed: 0,
      denied: 0,
      passed: 0,
    }
    r[field] += h.count
    perRule.set(rk, r)
    rules.set(key, perRule)
  }
  const tierOrder = new Map<string, number | null>()
  for (const r of snap.resources) {
    if (resourceKind(r) === 'Tier') tierOrder.set(r.metadata.name, (r as Tier).spec.order ?? null)
  }
  const items: PolicySummary[] = []
  for (const r of snap.resources) {
    const kind = resourceKind(r)
    if (!isPolicyResourceKind(kind)) continue
    const tier = tierOf(r) ?? 'default'
    const name = bareName(r)
    const key = policyKey(kind, r.metadata.namespace, name)
    const staged = kind.startsWith('Staged')
    const stagedAction = staged
      ? ((r.spec as { stagedAction?: string }).stagedAction ?? 'Set')
      : undefined
    items.push({
      kind: kind as PolicyKind,
      ...(r.metadata.namespace ? { namespace: r.metadata.namespace } : {}),
      // The bare name: with kind and namespace, the one identity revisions and links use.
      name,
      tier,
      order: policyOrder(r),
      isStaged: staged,
      ...(stagedAction ? { stagedAction } : {}),
      endpointCount: snap.endpointCounts.get(key) ?? 0,
      hits: totals.get(key) ?? { allowed: 0, denied: 0, passed: 0 },
      ruleHits: [...(rules.get(key)?.values() ?? [])].sort(
        (a, b) => a.direction.localeCompare(b.direction) || a.index - b.index,
      ),
      resourceVersion: r.metadata.resourceVersion ?? '0',
      resource: r,
    })
  }
  const tierRank = (t: string) => tierOrder.get(t) ?? Number.POSITIVE_INFINITY
  return items.sort(
    (a, b) =>
      tierRank(a.tier) - tierRank(b.tier) ||
      a.tier.localeCompare(b.tier) ||
      compareByOrder(a, b) ||
      (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
      a.kind.localeCompare(b.kind),
  )
}

/** Bodies smaller than this are sent as they are (compression would not pay). */
const COMPRESS_MIN_BYTES = 16 * 1024

/**
 * An `onSend` hook for routes that send `BoardService.json` bodies: a large JSON string goes
 * out gzip-compressed when the client accepts it, from a cache of compressed bodies, so a
 * 1 MiB board list costs one compression per change instead of one per request.
 */
export function compressCachedJson(board: BoardService) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (typeof payload !== 'string' || payload.length < COMPRESS_MIN_BYTES) return payload
    if (reply.getHeader('content-encoding')) return payload
    reply.header('vary', 'accept-encoding')
    const accepted = request.headers['accept-encoding']
    if (typeof accepted !== 'string' || !/\bgzip\b/.test(accepted)) return payload
    reply.header('content-encoding', 'gzip')
    return board.gzip(payload)
  }
}
