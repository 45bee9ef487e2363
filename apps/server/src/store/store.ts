import { ApiErrorCodes, type Inventory, type Revision } from '@policyboard/api'
import {
  BUILTIN_TIERS,
  bareName,
  type Endpoint,
  NAMESPACED_KINDS,
  type Namespace,
  type Resource,
  type ResourceKind,
  resourceKind,
  type ServiceAccount,
  validateResource,
} from '@policyboard/policy-core'
import { notFound, StoreError, staleVersion, ValidationFailure } from './errors.ts'
import type { SqlClient, SqlValue } from './sql.ts'

/** Names of the built-in tiers: present from the start, never deleted. */
export const BUILTIN_TIER_NAMES: ReadonlySet<string> = new Set(
  BUILTIN_TIERS.map((t) => t.metadata.name),
)

const POLICY_KINDS: ReadonlySet<ResourceKind> = new Set([
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
  'StagedKubernetesNetworkPolicy',
  'KubernetesNetworkPolicy',
])

/** Whether a kind is a policy (a card on the board). */
export function isPolicyResourceKind(kind: ResourceKind): boolean {
  return POLICY_KINDS.has(kind)
}

/** The tier of a policy (`spec.tier`, else `default`; Kubernetes kinds are always `default`). */
export function tierOf(r: Resource): string | undefined {
  const kind = resourceKind(r)
  if (!POLICY_KINDS.has(kind)) return undefined
  if (kind === 'KubernetesNetworkPolicy' || kind === 'StagedKubernetesNetworkPolicy')
    return 'default'
  return (r.spec as { tier?: string }).tier || 'default'
}

/** What a resource is stored under: kind, namespace ('' for cluster kinds) and its bare name. */
export interface ResourceId {
  kind: ResourceKind
  namespace: string
  name: string
}

/** The id of a resource (legacy tier prefixes normalised away, so both spellings are one policy). */
export function resourceIdOf(r: Resource): ResourceId {
  const kind = resourceKind(r)
  return {
    kind,
    namespace: NAMESPACED_KINDS.has(kind) ? (r.metadata.namespace ?? '') : '',
    name: bareName(r),
  }
}

/** Server-only metadata fields, never compared nor exported. */
const SERVER_FIELDS = [
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'managedFields',
  'selfLink',
]

/** The resource without server-only metadata (what is compared and exported). */
export function withoutServerFields<R extends Resource>(r: R): R {
  const metadata: Record<string, unknown> = { ...r.metadata }
  for (const f of SERVER_FIELDS) delete metadata[f]
  return { ...r, metadata } as R
}

/** A write's options: `expectedVersion` makes it conditional (409 when stale). */
export interface PutOptions {
  expectedVersion?: string | undefined
  /** `create`: refuse (409) when it exists; `update`: refuse (404) when it does not; `upsert` (default). */
  mode?: 'create' | 'update' | 'upsert'
  /** The revision this write restores (rollback). */
  rollbackOf?: number
}

/** What a put did. */
export interface PutResult {
  operation: 'create' | 'update' | 'unchanged'
  resource: Resource
  /** The stored resource before the write. */
  before: Resource | undefined
}

/** Filters of a resource listing. */
export interface ListFilter {
  kinds?: readonly ResourceKind[]
  namespace?: string
  tier?: string
}

/** Filters of the revision history (newest first). */
export interface RevisionFilter {
  kind?: ResourceKind
  namespace?: string
  name?: string
  tier?: string
  actor?: string
  /** ms since the epoch, inclusive. */
  since?: number
  /** ms since the epoch, exclusive. */
  until?: number
  beforeId?: number
  limit?: number
  /** Only revisions of these tiers (and of resources outside tiers); absent: every tier. */
  readableTiers?: readonly string[]
}

interface ResourceRow {
  kind: string
  namespace: string
  name: string
  resource_version: number
  body: string
}

interface RevisionRow {
  id: number
  at: number
  actor: string
  kind: string
  namespace: string
  name: string
  tier: string | null
  operation: string
  rollback_of: number | null
  before: string | null
  after: string | null
}

function fromRow(row: ResourceRow): Resource {
  const r = JSON.parse(row.body) as Resource
  r.metadata.resourceVersion = String(row.resource_version)
  return r
}

function parseBody(text: string | null): Resource | null {
  return text === null ? null : (JSON.parse(text) as Resource)
}

function revisionFromRow(row: RevisionRow): Revision {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    kind: row.kind as ResourceKind,
    ...(row.namespace ? { namespace: row.namespace } : {}),
    name: row.name,
    ...(row.tier ? { tier: row.tier } : {}),
    operation: row.operation as Revision['operation'],
    ...(row.rollback_of !== null ? { rollbackOf: row.rollback_of } : {}),
    before: parseBody(row.before),
    after: parseBody(row.after),
  }
}

/** Stable JSON (sorted keys) for comparing resources. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, o[k]]),
      )
    }
    return v
  })
}

function describe(id: ResourceId): string {
  return id.namespace ? `${id.kind} ${id.namespace}/${id.name}` : `${id.kind} ${id.name}`
}

/**
 * Writes of one transaction. Each change takes the next value of the global revision
 * counter as its revision id and the resource's `resourceVersion`.
 */
export class StoreWriter {
  readonly #tx: SqlClient
  readonly #actor: string
  readonly #at: number
  #revision: number

  /** @internal opened by `Store.write`. */
  constructor(tx: SqlClient, actor: string, at: number, revision: number) {
    this.#tx = tx
    this.#actor = actor
    this.#at = at
    this.#revision = revision
  }

  /** The transaction's SQL client. */
  get sql(): SqlClient {
    return this.#tx
  }

  /** The counter after this transaction's changes so far. */
  get revision(): number {
    return this.#revision
  }

  /** Reads inside the transaction. */
  get(id: ResourceId): Promise<Resource | undefined> {
    return getResource(this.#tx, id)
  }

  /** Lists inside the transaction. */
  list(filter: ListFilter = {}): Promise<Resource[]> {
    return listResources(this.#tx, filter)
  }

  /**
   * Creates or replaces a resource. Unchanged content writes nothing. Whatever the caller,
   * nothing Calico would refuse is stored: the resource is validated again here, and an
   * invalid one fails the whole write.
   */
  async put(resource: Resource, options: PutOptions = {}): Promise<PutResult> {
    const id = resourceIdOf(resource)
    const checked = validateResource(withoutServerFields(resource))
    if (!checked.ok) throw new ValidationFailure(`${describe(id)} is not valid`, checked.errors)
    const before = await this.get(id)
    const mode = options.mode ?? 'upsert'
    if (before && mode === 'create') {
      throw new StoreError(ApiErrorCodes.ALREADY_EXISTS, 409, `${describe(id)} already exists`)
    }
    if (!before && mode === 'update') throw notFound(describe(id))
    if (
      options.expectedVersion !== undefined &&
      options.expectedVersion !== before?.metadata.resourceVersion
    ) {
      throw staleVersion(describe(id), options.expectedVersion, before?.metadata.resourceVersion)
    }
    const tier = tierOf(resource)
    if (tier !== undefined) {
      const t = await this.get({ kind: 'Tier', namespace: '', name: tier })
      if (!t) {
        throw new StoreError(
          ApiErrorCodes.TIER_NOT_FOUND,
          409,
          `tier ${tier} does not exist: create it first`,
        )
      }
    }
    const clean = withoutServerFields(resource)
    if (before && canonicalJson(withoutServerFields(before)) === canonicalJson(clean)) {
      return { operation: 'unchanged', resource: before, before }
    }
    const version = await this.#append(
      id,
      id.kind === 'Tier' ? id.name : (tier ?? (before ? tierOf(before) : undefined)),
      before ? 'update' : 'create',
      before,
      clean,
      options.rollbackOf,
    )
    const body = JSON.stringify(clean)
    if (before) {
      await this.#tx.run(
        'UPDATE pb_resources SET tier = ?, resource_version = ?, body = ? WHERE kind = ? AND namespace = ? AND name = ?',
        [tier ?? null, version, body, id.kind, id.namespace, id.name],
      )
    } else {
      await this.#tx.run(
        'INSERT INTO pb_resources (kind, namespace, name, tier, resource_version, body) VALUES (?, ?, ?, ?, ?, ?)',
        [id.kind, id.namespace, id.name, tier ?? null, version, body],
      )
    }
    const stored = JSON.parse(body) as Resource
    stored.metadata.resourceVersion = String(version)
    return { operation: before ? 'update' : 'create', resource: stored, before }
  }

  /** Deletes a resource; a tier that is built in or still has policies is refused (409). */
  async delete(
    id: ResourceId,
    options: { expectedVersion?: string | undefined; rollbackOf?: number } = {},
  ): Promise<Resource> {
    const before = await this.get(id)
    if (!before) throw notFound(describe(id))
    if (
      options.expectedVersion !== undefined &&
      options.expectedVersion !== before.metadata.resourceVersion
    ) {
      throw staleVersion(describe(id), options.expectedVersion, before.metadata.resourceVersion)
    }
    if (id.kind === 'Tier') {
      if (BUILTIN_TIER_NAMES.has(id.name)) {
        throw new StoreError(
          ApiErrorCodes.TIER_PROTECTED,
          409,
          `tier ${id.name} is built in and cannot be deleted`,
        )
      }
      const users = await this.#tx.get<{ n: number }>(
        'SELECT COUNT(*) AS n FROM pb_resources WHERE tier = ?',
        [id.name],
      )
      if ((users?.n ?? 0) > 0) {
        throw new StoreError(
          ApiErrorCodes.TIER_NOT_EMPTY,
          409,
          `tier ${id.name} still has ${users?.n} policies: delete or move them first`,
        )
      }
    }
    await this.#append(
      id,
      id.kind === 'Tier' ? id.name : tierOf(before),
      'delete',
      before,
      undefined,
      options.rollbackOf,
    )
    await this.#tx.run('DELETE FROM pb_resources WHERE kind = ? AND namespace = ? AND name = ?', [
      id.kind,
      id.namespace,
      id.name,
    ])
    return before
  }

  /** Bumps the counter for an inventory change (no revision row: the inventory is not a resource). */
  async bump(): Promise<number> {
    this.#revision += 1
    await this.#tx.run("UPDATE pb_counters SET value = ? WHERE name = 'revision'", [this.#revision])
    return this.#revision
  }

  async #append(
    id: ResourceId,
    tier: string | undefined,
    operation: 'create' | 'update' | 'delete',
    before: Resource | undefined,
    after: Resource | undefined,
    rollbackOf: number | undefined,
  ): Promise<number> {
    const version = await this.bump()
    await this.#tx.run(
      'INSERT INTO pb_revisions (id, at, actor, kind, namespace, name, tier, operation, rollback_of, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        version,
        this.#at,
        this.#actor,
        id.kind,
        id.namespace,
        id.name,
        tier ?? null,
        operation,
        rollbackOf ?? null,
        before ? JSON.stringify(withoutServerFields(before)) : null,
        after ? JSON.stringify(after) : null,
      ],
    )
    return version
  }
}

async function getResource(db: SqlClient, id: ResourceId): Promise<Resource | undefined> {
  const row = await db.get<ResourceRow>(
    'SELECT kind, namespace, name, resource_version, body FROM pb_resources WHERE kind = ? AND namespace = ? AND name = ?',
    [id.kind, id.namespace, id.name],
  )
  return row ? fromRow(row) : undefined
}

async function getRevision(db: SqlClient, id: number): Promise<Revision | undefined> {
  const row = await db.get<RevisionRow>('SELECT * FROM pb_revisions WHERE id = ?', [id])
  return row ? revisionFromRow(row) : undefined
}

async function listResources(db: SqlClient, filter: ListFilter): Promise<Resource[]> {
  const where: string[] = []
  const params: SqlValue[] = []
  if (filter.kinds) {
    if (filter.kinds.length === 0) return []
    where.push(`kind IN (${filter.kinds.map(() => '?').join(', ')})`)
    params.push(...filter.kinds)
  }
  if (filter.namespace !== undefined) {
    where.push('namespace = ?')
    params.push(filter.namespace)
  }
  if (filter.tier !== undefined) {
    where.push('tier = ?')
    params.push(filter.tier)
  }
  const rows = await db.all<ResourceRow>(
    `SELECT kind, namespace, name, resource_version, body FROM pb_resources${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY kind, namespace, name`,
    params,
  )
  return rows.map(fromRow)
}

/**
 * The store of resources, revisions, inventory and settings over one SQL client. The same
 * code runs on SQLite and PostgreSQL; it keeps no state another replica could not rebuild.
 */
export class Store {
  readonly db: SqlClient

  constructor(db: SqlClient) {
    this.db = db
  }

  /** Creates the built-in tiers when missing (idempotent). */
  async init(): Promise<void> {
    await this.write('system', async (w) => {
      for (const tier of BUILTIN_TIERS) {
        if (!(await w.get(resourceIdOf(tier))))
          await w.put(structuredClone(tier) as Resource, { mode: 'create' })
      }
    })
  }

  /** The global revision counter: bumped by every resource and inventory change. */
  async revision(): Promise<number> {
    const row = await this.db.get<{ value: number }>(
      "SELECT value FROM pb_counters WHERE name = 'revision'",
    )
    return row?.value ?? 0
  }

  /**
   * Runs `fn` in one write transaction. Writers are serialised (on PostgreSQL by locking the
   * counter row, so across replicas too).
   */
  write<T>(actor: string, fn: (w: StoreWriter) => Promise<T>, at: number = Date.now()): Promise<T> {
    return this.db.transaction(async (tx) => {
      const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : ''
      const row = await tx.get<{ value: number }>(
        `SELECT value FROM pb_counters WHERE name = 'revision'${lock}`,
      )
      return fn(new StoreWriter(tx, actor, at, row?.value ?? 0))
    })
  }

  /** One resource, by id. A legacy `tier.name` also finds the policy stored as `name` in that tier. */
  async get(id: ResourceId): Promise<Resource | undefined> {
    const found = await getResource(this.db, id)
    if (found || !id.name.includes('.')) return found
    const dot = id.name.indexOf('.')
    const other = await getResource(this.db, { ...id, name: id.name.slice(dot + 1) })
    return other && tierOf(other) === id.name.slice(0, dot) ? other : undefined
  }

  /** Resources matching a filter, ordered by kind, namespace and name. */
  list(filter: ListFilter = {}): Promise<Resource[]> {
    return listResources(this.db, filter)
  }

  /** Revisions, newest first. */
  async revisions(filter: RevisionFilter = {}): Promise<Revision[]> {
    const where: string[] = []
    const params: SqlValue[] = []
    const eq = (col: string, v: string | number | undefined) => {
      if (v === undefined) return
      where.push(`${col} = ?`)
      params.push(v)
    }
    eq('kind', filter.kind)
    eq('namespace', filter.namespace)
    eq('name', filter.name)
    eq('tier', filter.tier)
    eq('actor', filter.actor)
    if (filter.since !== undefined) {
      where.push('at >= ?')
      params.push(filter.since)
    }
    if (filter.until !== undefined) {
      where.push('at < ?')
      params.push(filter.until)
    }
    if (filter.beforeId !== undefined) {
      where.push('id < ?')
      params.push(filter.beforeId)
    }
    if (filter.readableTiers !== undefined) {
      const t = filter.readableTiers
      where.push(
        t.length ? `(tier IS NULL OR tier IN (${t.map(() => '?').join(', ')}))` : 'tier IS NULL',
      )
      params.push(...t)
    }
    params.push(filter.limit ?? 100)
    const rows = await this.db.all<RevisionRow>(
      `SELECT * FROM pb_revisions${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      params,
    )
    return rows.map(revisionFromRow)
  }

  /** One revision by id. */
  revisionById(id: number): Promise<Revision | undefined> {
    return getRevision(this.db, id)
  }

  /**
   * Restores the resource of revision `id` to its state after that revision (deleting it when
   * the revision was a delete). The rollback is itself a new revision; restoring a state the
   * resource already has is refused (409).
   */
  async rollback(id: number, actor: string): Promise<Revision> {
    return this.write(actor, async (w) => {
      const rev = await getRevision(w.sql, id)
      if (!rev) throw notFound(`revision ${id}`)
      const target: ResourceId = { kind: rev.kind, namespace: rev.namespace ?? '', name: rev.name }
      const start = w.revision
      if (rev.after) await w.put(rev.after, { rollbackOf: id })
      else if (await w.get(target)) await w.delete(target, { rollbackOf: id })
      if (w.revision === start) {
        throw new StoreError(
          ApiErrorCodes.CONFLICT,
          409,
          `${describe(target)} already matches revision ${id}`,
        )
      }
      const written = await getRevision(w.sql, w.revision)
      if (!written) throw new Error('rollback revision missing')
      return written
    })
  }

  /** The whole inventory. */
  async inventory(): Promise<Inventory> {
    const rows = await this.db.all<{ type: string; body: string }>(
      'SELECT type, body FROM pb_inventory ORDER BY type, namespace, name',
    )
    const inv: Inventory = { namespaces: [], serviceAccounts: [], endpoints: [] }
    for (const row of rows) {
      const body = JSON.parse(row.body)
      if (row.type === 'namespace') inv.namespaces.push(body as Namespace)
      else if (row.type === 'serviceaccount') inv.serviceAccounts.push(body as ServiceAccount)
      else inv.endpoints.push(body as Endpoint)
    }
    return inv
  }

  /** Replaces the given lists of the inventory (lists not given are kept). One revision bump. */
  async replaceInventory(actor: string, inv: Partial<Inventory>): Promise<number> {
    return this.write(actor, async (w) => {
      const lists: Array<[string, Array<{ name: string; namespace?: string }> | undefined]> = [
        ['namespace', inv.namespaces],
        ['serviceaccount', inv.serviceAccounts],
        ['endpoint', inv.endpoints],
      ]
      for (const [type, items] of lists) {
        if (!items) continue
        await w.sql.run('DELETE FROM pb_inventory WHERE type = ?', [type])
        const rows = new Map<string, [string, string, string, string]>()
        for (const item of items) {
          const ns = type === 'namespace' ? '' : (item.namespace ?? '')
          rows.set(`${ns}/${item.name}`, [type, ns, item.name, JSON.stringify(item)])
        }
        await w.sql.insertMany('INSERT INTO pb_inventory (type, namespace, name, body)', [
          ...rows.values(),
        ])
      }
      return w.bump()
    })
  }

  /** A setting of the store (e.g. `seeded`). */
  async getMeta(key: string): Promise<string | undefined> {
    const row = await this.db.get<{ value: string }>('SELECT value FROM pb_meta WHERE key = ?', [
      key,
    ])
    return row?.value
  }

  /** Sets a setting. */
  async setMeta(key: string, value: string): Promise<void> {
    await this.db.run(
      'INSERT INTO pb_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    )
  }

  /** Sets a setting only if it is absent; true when this call set it (first writer wins, across replicas). */
  async claimMeta(key: string, value: string): Promise<boolean> {
    const n = await this.db.run(
      'INSERT INTO pb_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
      [key, value],
    )
    return n > 0
  }

  /** Whether the store holds no user data (only built-in tiers, no inventory, no flows). */
  async isEmpty(): Promise<boolean> {
    const r = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM pb_resources')
    const i = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM pb_inventory')
    const f = await this.db.get<{ id: number }>('SELECT id FROM pb_flowlogs LIMIT 1')
    return (r?.n ?? 0) <= BUILTIN_TIERS.length && (i?.n ?? 0) === 0 && !f
  }
}
