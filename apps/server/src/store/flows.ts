import type {
  FlowAggregateQuery,
  FlowLogQuery,
  FlowTimeBucket,
  FlowTupleAggregate,
  StoredFlowLog,
} from '@policyboard/api'
import { type FlowLogRecord, PolicyError, parseHitString } from '@policyboard/policy-core'
import type { SqlClient, SqlValue } from './sql.ts'

/** Width of a counter bucket (hit counters and flow tuples), seconds. */
export const BUCKET_SECONDS = 3600

/** The bucket a time falls in. */
export function bucketOf(seconds: number): number {
  return Math.floor(seconds / BUCKET_SECONDS) * BUCKET_SECONDS
}

/** Filters of the flow-log query and aggregations (times in UNIX seconds). */
export type FlowFilter = Omit<FlowLogQuery, 'limit' | 'cursor'>

/** Counted hits of one policy rule, over a window. */
export interface HitRow {
  view: 'enforced' | 'pending'
  tier: string
  kind: string
  staged: boolean
  namespace: string
  name: string
  direction: 'ingress' | 'egress'
  ruleIndex: number
  action: 'allow' | 'deny' | 'pass'
  count: number
}

/** One stored tuple (source, destination, protocol, port) with its flows by reporter and action. */
export interface TupleRow {
  source_type: string
  source_namespace: string
  source_name: string
  source_ip: string
  dest_type: string
  dest_namespace: string
  dest_name: string
  dest_ip: string
  proto: string
  dest_port: number
  source_labels: string
  dest_labels: string
  /** Flows reported by the source, by action. */
  src_allow: number
  src_deny: number
  dst_allow: number
  dst_deny: number
}

function labelText(labels: FlowLogRecord['source_labels']): string {
  const list = labels?.labels ?? []
  return list.length ? `\n${list.join('\n')}\n` : ''
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** Parsed hit strings: records repeat the same few strings, so each is parsed once. */
const hitCache = new Map<string, ReturnType<typeof parseHitString>>()

function parseHit(s: string): ReturnType<typeof parseHitString> {
  let hit = hitCache.get(s)
  if (hit === undefined) {
    hit = parseHitString(s)
    if (hitCache.size > 100_000) hitCache.clear()
    hitCache.set(s, hit)
  }
  return hit
}

function policyName(tier: string, name: string): string {
  return name.startsWith(`${tier}.`) ? name.slice(tier.length + 1) : name
}

/** Rows prepared for one ingest transaction, with counters pre-aggregated in memory. */
class Batch {
  rows: SqlValue[][] = []
  hits = new Map<string, SqlValue[]>()
  tuples = new Map<string, SqlValue[]>()

  /** Adds a validated record; `text` is its JSON as received, stored as is when given. */
  add(r: FlowLogRecord, text?: string): void {
    const weight = r.num_flows > 0 ? r.num_flows : 1
    const bucket = bucketOf(r.end_time)
    const direction = r.reporter === 'dst' ? 'ingress' : 'egress'
    const views: Array<['enforced' | 'pending', string[] | undefined]> = [
      ['enforced', r.policies?.enforced_policies ?? r.policies?.all_policies],
      ['pending', r.policies?.pending_policies],
    ]
    for (const [view, list] of views) {
      for (const s of list ?? []) {
        const hit = parseHit(s)
        if (hit instanceof PolicyError) continue
        const name = policyName(hit.tier, hit.name)
        const ns = hit.namespace ?? ''
        const key = `${bucket}|${view}|${hit.tier}|${hit.kind}|${hit.staged ? 1 : 0}|${ns}|${name}|${direction}|${hit.ruleIndex}|${hit.action}`
        const row = this.hits.get(key)
        if (row) row[10] = (row[10] as number) + weight
        else {
          this.hits.set(key, [
            bucket,
            view,
            hit.tier,
            hit.kind,
            hit.staged ? 1 : 0,
            ns,
            name,
            direction,
            hit.ruleIndex,
            hit.action,
            weight,
          ])
        }
      }
    }
    // Addresses only identify unknown networks; pods and sets are identified by name.
    const srcIp = r.source_type === 'net' ? (r.source_ip ?? '') : ''
    const dstIp = r.dest_type === 'net' ? (r.dest_ip ?? '') : ''
    const port = r.dest_port ?? -1
    const tkey = `${bucket}|${r.source_type}|${r.source_namespace}|${r.source_name_aggr}|${srcIp}|${r.dest_type}|${r.dest_namespace}|${r.dest_name_aggr}|${dstIp}|${r.proto}|${port}|${r.reporter}|${r.action}`
    const t = this.tuples.get(tkey)
    if (t) {
      t[14] = (t[14] as number) + weight
      t[15] = (t[15] as number) + 1
    } else {
      this.tuples.set(tkey, [
        bucket,
        r.source_type,
        r.source_namespace,
        r.source_name_aggr,
        srcIp,
        r.dest_type,
        r.dest_namespace,
        r.dest_name_aggr,
        dstIp,
        r.proto,
        port,
        `${r.reporter}:${r.action}`,
        labelText(r.source_labels),
        labelText(r.dest_labels),
        weight,
        1,
      ])
    }
    this.rows.push([
      r.start_time,
      r.end_time,
      r.action,
      r.reporter,
      r.source_type,
      r.source_namespace,
      r.source_name,
      r.source_name_aggr,
      r.dest_type,
      r.dest_namespace,
      r.dest_name,
      r.dest_name_aggr,
      r.dest_port,
      r.proto,
      weight,
      text ?? JSON.stringify(r),
    ])
  }
}

const FLOW_COLUMNS =
  'start_time, end_time, action, reporter, source_type, source_namespace, source_name, source_name_aggr, dest_type, dest_namespace, dest_name, dest_name_aggr, dest_port, proto, num_flows, record'

/**
 * The flow-log store: records, per-policy hit counters and per-tuple counts, all fed at
 * ingest so that no request re-scans every record. Kept behind its own interface so that a
 * time-partitioned or columnar flow store can replace it.
 */
export class FlowStore {
  readonly db: SqlClient

  constructor(db: SqlClient) {
    this.db = db
  }

  /** Version of the flow data: bumped by every ingest and prune (cache key). */
  async version(): Promise<number> {
    const row = await this.db.get<{ value: number }>(
      "SELECT value FROM pb_counters WHERE name = 'flows'",
    )
    return row?.value ?? 0
  }

  /**
   * Claims a batch id. False when the id was already used (the batch is a duplicate).
   */
  async claimBatch(batch: string): Promise<boolean> {
    const n = await this.db.run(
      'INSERT INTO pb_flow_batches (batch, at, accepted, complete) VALUES (?, ?, 0, 0) ON CONFLICT (batch) DO NOTHING',
      [batch, Date.now()],
    )
    return n > 0
  }

  /** Records the outcome of a batch. */
  async completeBatch(batch: string, accepted: number): Promise<void> {
    await this.db.run('UPDATE pb_flow_batches SET accepted = ?, complete = 1 WHERE batch = ?', [
      accepted,
      batch,
    ])
  }

  /**
   * Inserts validated records in one transaction, with their hit counters and tuple counts.
   * `texts[i]`, when given, is record i's JSON as received (stored instead of re-serialising).
   */
  async insert(records: readonly FlowLogRecord[], texts?: readonly string[]): Promise<void> {
    if (records.length === 0) return
    const batch = new Batch()
    for (const [i, r] of records.entries()) batch.add(r, texts?.[i])
    await this.db.transaction(async (tx) => {
      await tx.insertMany(`INSERT INTO pb_flowlogs (${FLOW_COLUMNS})`, batch.rows)
      await tx.insertMany(
        'INSERT INTO pb_policy_hits (bucket, view, tier, kind, staged, namespace, name, direction, rule_index, action, count)',
        [...batch.hits.values()],
        'ON CONFLICT (bucket, view, tier, kind, staged, namespace, name, direction, rule_index, action) DO UPDATE SET count = pb_policy_hits.count + excluded.count',
      )
      await tx.insertMany(
        'INSERT INTO pb_flow_tuples (bucket, source_type, source_namespace, source_name, source_ip, dest_type, dest_namespace, dest_name, dest_ip, proto, dest_port, action, source_labels, dest_labels, flows, records)',
        [...batch.tuples.values()],
        'ON CONFLICT (bucket, source_type, source_namespace, source_name, source_ip, dest_type, dest_namespace, dest_name, dest_ip, proto, dest_port, action) DO UPDATE SET flows = pb_flow_tuples.flows + excluded.flows, records = pb_flow_tuples.records + excluded.records, source_labels = excluded.source_labels, dest_labels = excluded.dest_labels',
      )
      await tx.run("UPDATE pb_counters SET value = value + 1 WHERE name = 'flows'")
    })
  }

  /** Records matching a filter, newest first, `limit` at a time after `cursor` (an id). */
  async query(q: FlowLogQuery): Promise<{ items: StoredFlowLog[]; next?: number }> {
    const { where, params } = flowWhere(q)
    if (q.cursor !== undefined) {
      where.push('id < ?')
      params.push(q.cursor)
    }
    const limit = q.limit ?? 100
    const rows = await this.db.all<{ id: number; record: string }>(
      `SELECT id, record FROM pb_flowlogs${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      [...params, limit],
    )
    const items = rows.map((r) => ({
      id: r.id,
      record: JSON.parse(r.record) as Record<string, unknown>,
    }))
    const last = items.at(-1)
    return { items, ...(items.length === limit && last ? { next: last.id } : {}) }
  }

  /** Records grouped by (source, destination, protocol, port), most flows first. */
  async aggregateByTuple(q: FlowAggregateQuery): Promise<FlowTupleAggregate[]> {
    const { where, params } = flowWhere(q)
    const rows = await this.db.all<{
      source_type: string
      source_namespace: string
      source_name_aggr: string
      dest_type: string
      dest_namespace: string
      dest_name_aggr: string
      proto: string
      dest_port: number | null
      allowed: number
      denied: number
      records: number
    }>(
      `SELECT source_type, source_namespace, source_name_aggr, dest_type, dest_namespace, dest_name_aggr, proto, dest_port,
        SUM(CASE WHEN action = 'allow' THEN num_flows ELSE 0 END) AS allowed,
        SUM(CASE WHEN action = 'deny' THEN num_flows ELSE 0 END) AS denied,
        COUNT(*) AS records
       FROM pb_flowlogs${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
       GROUP BY source_type, source_namespace, source_name_aggr, dest_type, dest_namespace, dest_name_aggr, proto, dest_port
       ORDER BY records DESC LIMIT ?`,
      [...params, q.limit ?? 1000],
    )
    return rows.map((r) => ({
      source: { type: r.source_type, namespace: r.source_namespace, name: r.source_name_aggr },
      destination: { type: r.dest_type, namespace: r.dest_namespace, name: r.dest_name_aggr },
      proto: r.proto,
      port: r.dest_port,
      allowed: Number(r.allowed),
      denied: Number(r.denied),
      records: Number(r.records),
    }))
  }

  /** Records grouped by time bucket of `width` seconds (by window end). */
  async aggregateByTime(q: FlowAggregateQuery, width: number): Promise<FlowTimeBucket[]> {
    const { where, params } = flowWhere(q)
    const rows = await this.db.all<{
      start: number
      allowed: number
      denied: number
      records: number
    }>(
      `SELECT (end_time / ${width}) * ${width} AS start,
        SUM(CASE WHEN action = 'allow' THEN num_flows ELSE 0 END) AS allowed,
        SUM(CASE WHEN action = 'deny' THEN num_flows ELSE 0 END) AS denied,
        COUNT(*) AS records
       FROM pb_flowlogs${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
       GROUP BY (end_time / ${width}) ORDER BY start LIMIT ?`,
      [...params, q.limit ?? 10000],
    )
    return rows.map((r) => ({
      start: Number(r.start),
      allowed: Number(r.allowed),
      denied: Number(r.denied),
      records: Number(r.records),
    }))
  }

  /** Hit counters over buckets `[from, to)`, summed per policy rule. */
  async hits(from: number, to: number): Promise<HitRow[]> {
    const rows = await this.db.all<{
      view: string
      tier: string
      kind: string
      staged: number
      namespace: string
      name: string
      direction: string
      rule_index: number
      action: string
      count: number
    }>(
      `SELECT view, tier, kind, staged, namespace, name, direction, rule_index, action, SUM(count) AS count
       FROM pb_policy_hits WHERE bucket >= ? AND bucket < ?
       GROUP BY view, tier, kind, staged, namespace, name, direction, rule_index, action`,
      [bucketOf(from), to],
    )
    return rows.map((r) => ({
      view: r.view as HitRow['view'],
      tier: r.tier,
      kind: r.kind,
      staged: Number(r.staged) === 1,
      namespace: r.namespace,
      name: r.name,
      direction: r.direction as HitRow['direction'],
      ruleIndex: Number(r.rule_index),
      action: r.action as HitRow['action'],
      count: Number(r.count),
    }))
  }

  /** Stored tuples over buckets `[from, to)`, with flows by reporter and action. */
  async tuples(from: number, to: number, namespace?: string): Promise<TupleRow[]> {
    const params: SqlValue[] = [bucketOf(from), to]
    let nsWhere = ''
    if (namespace !== undefined) {
      nsWhere = ' AND (source_namespace = ? OR dest_namespace = ?)'
      params.push(namespace, namespace)
    }
    const rows = await this.db.all<TupleRow>(
      `SELECT source_type, source_namespace, source_name, source_ip, dest_type, dest_namespace, dest_name, dest_ip, proto, dest_port,
        MAX(source_labels) AS source_labels, MAX(dest_labels) AS dest_labels,
        SUM(CASE WHEN action = 'src:allow' THEN flows ELSE 0 END) AS src_allow,
        SUM(CASE WHEN action = 'src:deny' THEN flows ELSE 0 END) AS src_deny,
        SUM(CASE WHEN action = 'dst:allow' THEN flows ELSE 0 END) AS dst_allow,
        SUM(CASE WHEN action = 'dst:deny' THEN flows ELSE 0 END) AS dst_deny
       FROM pb_flow_tuples WHERE bucket >= ? AND bucket < ?${nsWhere}
       GROUP BY source_type, source_namespace, source_name, source_ip, dest_type, dest_namespace, dest_name, dest_ip, proto, dest_port`,
      params,
    )
    return rows.map((r) => ({
      ...r,
      dest_port: Number(r.dest_port),
      src_allow: Number(r.src_allow),
      src_deny: Number(r.src_deny),
      dst_allow: Number(r.dst_allow),
      dst_deny: Number(r.dst_deny),
    }))
  }

  /** Deletes records (and counters) whose window ended before `cutoff` (UNIX seconds). */
  async prune(cutoff: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const n = await tx.run('DELETE FROM pb_flowlogs WHERE end_time < ?', [cutoff])
      await tx.run('DELETE FROM pb_policy_hits WHERE bucket < ?', [bucketOf(cutoff)])
      await tx.run('DELETE FROM pb_flow_tuples WHERE bucket < ?', [bucketOf(cutoff)])
      await tx.run('DELETE FROM pb_flow_batches WHERE at < ?', [cutoff * 1000])
      if (n > 0) await tx.run("UPDATE pb_counters SET value = value + 1 WHERE name = 'flows'")
      return n
    })
  }

  /** Whether any record is stored. */
  async isEmpty(): Promise<boolean> {
    return !(await this.db.get('SELECT id FROM pb_flowlogs LIMIT 1'))
  }
}

function flowWhere(q: FlowFilter): { where: string[]; params: SqlValue[] } {
  const where: string[] = []
  const params: SqlValue[] = []
  if (q.from !== undefined) {
    where.push('end_time >= ?')
    params.push(q.from)
  }
  if (q.to !== undefined) {
    where.push('start_time < ?')
    params.push(q.to)
  }
  if (q.namespace !== undefined) {
    where.push('(source_namespace = ? OR dest_namespace = ?)')
    params.push(q.namespace, q.namespace)
  }
  if (q.name !== undefined) {
    where.push('(source_name = ? OR source_name_aggr = ? OR dest_name = ? OR dest_name_aggr = ?)')
    params.push(q.name, q.name, q.name, q.name)
  }
  // Labels and hit strings are matched in the stored record text (`"app=web"`, `|ns/policy|`).
  for (const label of (q.labels ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    where.push("record LIKE ? ESCAPE '\\'")
    params.push(`%${escapeLike(JSON.stringify(label))}%`)
  }
  if (q.action !== undefined) {
    where.push('action = ?')
    params.push(q.action)
  }
  if (q.reporter !== undefined) {
    where.push('reporter = ?')
    params.push(q.reporter)
  }
  if (q.policy !== undefined) {
    where.push("record LIKE ? ESCAPE '\\'")
    params.push(`%|${escapeLike(q.policy)}|%`)
  }
  if (q.port !== undefined) {
    where.push('dest_port = ?')
    params.push(q.port)
  }
  if (q.protocol !== undefined) {
    where.push('proto = ?')
    params.push(q.protocol.toLowerCase())
  }
  return { where, params }
}
