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

/** Flow-log columns stored per record besides its id: its window, key, weight and text. */
const FLOW_COLUMNS = 'start_time, end_time, flow_key, num_flows, record'
const FLOW_WIDTH = 5
/** Columns of a flow key (`pb_flow_keys`): what repeats over many records. */
const KEY_COLUMNS =
  'action, reporter, source_type, source_namespace, source_name, source_name_aggr, dest_type, dest_namespace, dest_name, dest_name_aggr, dest_port, proto'
const KEY_INSERT = `INSERT INTO pb_flow_keys (${KEY_COLUMNS}) VALUES (${KEY_COLUMNS.split(',')
  .map(() => '?')
  .join(', ')}) ON CONFLICT (${KEY_COLUMNS}) DO NOTHING`
const KEY_SELECT = `SELECT id FROM pb_flow_keys WHERE ${KEY_COLUMNS.split(',')
  .map((c) => `${c.trim()} = ?`)
  .join(' AND ')}`
/** Rows per SQLite INSERT statement (one prepared statement, reused). */
const SQLITE_ROWS_PER_INSERT = 128
/** PostgreSQL's parameter limit per statement is 65,535; stay below it. */
const PG_ROWS_PER_INSERT = Math.floor(60_000 / FLOW_WIDTH)

const HIT_HEAD =
  'INSERT INTO pb_policy_hits (bucket, view, tier, kind, staged, namespace, name, direction, rule_index, action, count)'
const HIT_TAIL =
  'ON CONFLICT (bucket, view, tier, kind, staged, namespace, name, direction, rule_index, action) DO UPDATE SET count = pb_policy_hits.count + excluded.count'
const TUPLE_HEAD =
  'INSERT INTO pb_flow_tuples (bucket, source_type, source_namespace, source_name, source_ip, dest_type, dest_namespace, dest_name, dest_ip, proto, dest_port, action, source_labels, dest_labels, flows, records)'
const TUPLE_TAIL =
  'ON CONFLICT (bucket, source_type, source_namespace, source_name, source_ip, dest_type, dest_namespace, dest_name, dest_ip, proto, dest_port, action) DO UPDATE SET flows = pb_flow_tuples.flows + excluded.flows, records = pb_flow_tuples.records + excluded.records, source_labels = excluded.source_labels, dest_labels = excluded.dest_labels'

/** Numbers per record in `FlowChunkData.numbers` (start, end, port, weight). */
const NUMBERS_PER_RECORD = 4
/** Strings per record in `FlowChunkData.refs`. */
const STRINGS_PER_RECORD = 11
/** Records a chunk makes room for at first (it grows past it). */
const INITIAL_CAPACITY = 5000

/**
 * A `FlowChunk` packed as plain, structured-clonable data, so that it can be built in one
 * thread and committed in another cheaply: the records' texts as one string, their numbers
 * in a typed array, and their other column strings (a few distinct values repeated over
 * thousands of records) as indexes into a table of the distinct ones.
 */
export interface FlowChunkData {
  /** Every record's text, one after the other. */
  texts: string
  /** Where each record's text ends in `texts`. */
  textEnds: Uint32Array
  /** `start_time`, `end_time`, `dest_port` (NaN for null) and weight of each record. */
  numbers: Float64Array
  /** Distinct column strings. */
  strings: string[]
  /** Per record, the indexes in `strings` of its string columns, in `FLOW_COLUMNS` order. */
  refs: Uint32Array
  /** Each record's line. */
  lines: number[]
  /** Lines refused by validation. */
  rejectedLines: number[]
  /** Hit-counter rows (see `FlowChunk.hitRows`). */
  hitRows: SqlValue[][]
  /** Tuple-count rows (see `FlowChunk.tupleRows`). */
  tupleRows: SqlValue[][]
}

/** Slots of a hit string's counts: view (enforced, pending) × direction (egress, ingress). */
const VIEWS = ['enforced', 'enforced', 'pending', 'pending'] as const
const DIRECTIONS = ['egress', 'ingress', 'egress', 'ingress'] as const

/**
 * Validated records prepared for one ingest transaction: their column values, packed as they
 * are added (numbers in a typed array, column strings by index into a table of the distinct
 * ones, texts kept as given), and their hit counters and tuple counts aggregated in memory,
 * so that a transaction of thousands of records upserts each counter once.
 */
export class FlowChunk {
  /** Each record's line in its body (0 when the record did not come from a body). */
  readonly lines: number[]
  /** Lines refused by validation. */
  readonly rejectedLines: number[]
  #numbers: Float64Array
  #refs: Uint32Array
  /** Distinct column strings, and their indexes (while records are added). */
  readonly #strings: string[]
  readonly #index = new Map<string, number>()
  /** Record texts as added; or, for a chunk built from data, all of them in one string. */
  readonly #texts: string[] = []
  #joined: string | undefined
  #textEnds: Uint32Array | undefined
  /** Flow counts by bucket, then by raw hit string: 4 slots (see `VIEWS`, `DIRECTIONS`). */
  readonly #hits = new Map<number, Map<string, number[]>>()
  readonly #tuples = new Map<string, SqlValue[]>()
  /** Counter rows prepared elsewhere (`fromData`): the chunk then takes no more records. */
  readonly #prepared: { hitRows: SqlValue[][]; tupleRows: SqlValue[][] } | undefined

  constructor(data?: FlowChunkData) {
    this.lines = data?.lines ?? []
    this.rejectedLines = data?.rejectedLines ?? []
    this.#numbers = data?.numbers ?? new Float64Array(INITIAL_CAPACITY * NUMBERS_PER_RECORD)
    this.#refs = data?.refs ?? new Uint32Array(INITIAL_CAPACITY * STRINGS_PER_RECORD)
    this.#strings = data?.strings ?? []
    this.#joined = data?.texts
    this.#textEnds = data?.textEnds
    this.#prepared = data ? { hitRows: data.hitRows, tupleRows: data.tupleRows } : undefined
  }

  /**
   * A chunk from its plain data (built by `toData`, e.g. in an ingest worker): committed as
   * it is, without re-aggregating its records.
   */
  static fromData(data: FlowChunkData): FlowChunk {
    return new FlowChunk(data)
  }

  /** The chunk as plain, structured-clonable data: its rows and aggregated counter rows. */
  toData(): FlowChunkData {
    const size = this.size
    let texts = this.#joined
    let textEnds = this.#textEnds
    if (texts === undefined || textEnds === undefined) {
      textEnds = new Uint32Array(size)
      let end = 0
      for (let r = 0; r < size; r++) {
        end += (this.#texts[r] as string).length
        textEnds[r] = end
      }
      texts = this.#texts.join('')
    }
    return {
      texts,
      textEnds,
      numbers: this.#numbers.subarray(0, size * NUMBERS_PER_RECORD),
      strings: this.#strings,
      refs: this.#refs.subarray(0, size * STRINGS_PER_RECORD),
      lines: this.lines,
      rejectedLines: this.rejectedLines,
      hitRows: this.hitRows(),
      tupleRows: this.tupleRows(),
    }
  }

  /** Number of records added. */
  get size(): number {
    return this.lines.length
  }

  /** Record `i`'s stored text. */
  text(i: number): string {
    const joined = this.#joined
    const ends = this.#textEnds
    if (joined !== undefined && ends !== undefined) {
      return joined.slice(i === 0 ? 0 : (ends[i - 1] as number), ends[i] as number)
    }
    return this.#texts[i] as string
  }

  /**
   * Record `i`'s key within this chunk: equal for records of equal key columns (the chunk's
   * own string indexes and the port).
   */
  keyOf(i: number): string {
    const r = this.#refs
    const k = i * STRINGS_PER_RECORD
    return `${r[k]},${r[k + 1]},${r[k + 2]},${r[k + 3]},${r[k + 4]},${r[k + 5]},${r[k + 6]},${r[k + 7]},${r[k + 8]},${r[k + 9]},${r[k + 10]},${this.#numbers[i * NUMBERS_PER_RECORD + 2]}`
  }

  /** Record `i`'s key columns, in `KEY_COLUMNS` order (a null port is -1). */
  keyColumns(i: number): SqlValue[] {
    const r = this.#refs
    const strings = this.#strings
    const k = i * STRINGS_PER_RECORD
    const out: SqlValue[] = []
    for (let c = 0; c < 10; c++) out.push(strings[r[k + c] as number] as string)
    const port = this.#numbers[i * NUMBERS_PER_RECORD + 2] as number
    out.push(Number.isNaN(port) ? -1 : port, strings[r[k + 10] as number] as string)
    return out
  }

  /**
   * Writes record `i`'s column values (`FLOW_WIDTH`, in `FLOW_COLUMNS` order) into `out` from
   * `at`, so that inserts fill one reused parameter array; `key` is its flow key's id.
   */
  row(i: number, key: number, out: SqlValue[], at: number): void {
    const numbers = this.#numbers
    const n = i * NUMBERS_PER_RECORD
    out[at] = numbers[n] as number
    out[at + 1] = numbers[n + 1] as number
    out[at + 2] = key
    out[at + 3] = numbers[n + 3] as number
    out[at + 4] = this.text(i)
  }

  #ref(s: string): number {
    let i = this.#index.get(s)
    if (i === undefined) {
      i = this.#strings.length
      this.#strings.push(s)
      this.#index.set(s, i)
    }
    return i
  }

  /** Adds a validated record; `text` is its JSON as received, stored as is when given. */
  add(r: FlowLogRecord, text?: string, line = 0): void {
    if (this.#prepared) throw new Error('a chunk built from prepared data takes no more records')
    const weight = r.num_flows > 0 ? r.num_flows : 1
    const bucket = bucketOf(r.end_time)
    const ingress = r.reporter === 'dst' ? 1 : 0
    const p = r.policies
    if (p) {
      let byHit: Map<string, number[]> | undefined
      const enforced = p.enforced_policies ?? p.all_policies
      const pending = p.pending_policies
      if (enforced?.length || pending?.length) {
        byHit = this.#hits.get(bucket)
        if (!byHit) {
          byHit = new Map()
          this.#hits.set(bucket, byHit)
        }
      }
      if (byHit && enforced) countHits(byHit, enforced, ingress, weight)
      if (byHit && pending) countHits(byHit, pending, 2 + ingress, weight)
    }
    // Addresses only identify unknown networks; pods and sets are identified by name.
    const srcIp = r.source_type === 'net' ? (r.source_ip ?? '') : ''
    const dstIp = r.dest_type === 'net' ? (r.dest_ip ?? '') : ''
    const port = r.dest_port ?? -1
    const tkey = `${bucket}|${r.source_type}|${r.source_namespace}|${r.source_name_aggr}|${srcIp}|${r.dest_type}|${r.dest_namespace}|${r.dest_name_aggr}|${dstIp}|${r.proto}|${port}|${r.reporter}|${r.action}`
    const t = this.#tuples.get(tkey)
    if (t) {
      t[14] = (t[14] as number) + weight
      t[15] = (t[15] as number) + 1
    } else {
      this.#tuples.set(tkey, [
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
    const i = this.lines.length
    if ((i + 1) * NUMBERS_PER_RECORD > this.#numbers.length) {
      const numbers = new Float64Array(this.#numbers.length * 2)
      numbers.set(this.#numbers)
      this.#numbers = numbers
      const refs = new Uint32Array(this.#refs.length * 2)
      refs.set(this.#refs)
      this.#refs = refs
    }
    const n = i * NUMBERS_PER_RECORD
    const numbers = this.#numbers
    numbers[n] = r.start_time
    numbers[n + 1] = r.end_time
    numbers[n + 2] = r.dest_port ?? Number.NaN
    numbers[n + 3] = weight
    const k = i * STRINGS_PER_RECORD
    const refs = this.#refs
    refs[k] = this.#ref(r.action)
    refs[k + 1] = this.#ref(r.reporter)
    refs[k + 2] = this.#ref(r.source_type)
    refs[k + 3] = this.#ref(r.source_namespace)
    refs[k + 4] = this.#ref(r.source_name)
    refs[k + 5] = this.#ref(r.source_name_aggr)
    refs[k + 6] = this.#ref(r.dest_type)
    refs[k + 7] = this.#ref(r.dest_namespace)
    refs[k + 8] = this.#ref(r.dest_name)
    refs[k + 9] = this.#ref(r.dest_name_aggr)
    refs[k + 10] = this.#ref(r.proto)
    this.#texts.push(text ?? JSON.stringify(r))
    this.lines.push(line)
  }

  /** Counts a line refused by validation (for the batch's progress). */
  reject(line: number): void {
    this.rejectedLines.push(line)
  }

  /** Hit-counter rows, one per counter key (distinct hit strings may name the same rule). */
  hitRows(): SqlValue[][] {
    if (this.#prepared) return this.#prepared.hitRows
    const rows = new Map<string, SqlValue[]>()
    for (const [bucket, byHit] of this.#hits) {
      for (const [s, counts] of byHit) {
        const hit = parseHit(s)
        if (hit instanceof PolicyError) continue
        const name = policyName(hit.tier, hit.name)
        const ns = hit.namespace ?? ''
        for (let slot = 0; slot < 4; slot++) {
          const n = counts[slot] as number
          if (n === 0) continue
          const view = VIEWS[slot] as string
          const direction = DIRECTIONS[slot] as string
          const key = `${bucket}|${view}|${hit.tier}|${hit.kind}|${hit.staged ? 1 : 0}|${ns}|${name}|${direction}|${hit.ruleIndex}|${hit.action}`
          const row = rows.get(key)
          if (row) row[10] = (row[10] as number) + n
          else {
            rows.set(key, [
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
              n,
            ])
          }
        }
      }
    }
    return [...rows.values()]
  }

  /** Tuple-count rows, one per tuple key. */
  tupleRows(): SqlValue[][] {
    if (this.#prepared) return this.#prepared.tupleRows
    return [...this.#tuples.values()]
  }
}

function countHits(byHit: Map<string, number[]>, list: string[], slot: number, weight: number) {
  for (let i = 0; i < list.length; i++) {
    const s = list[i] as string
    let counts = byHit.get(s)
    if (!counts) {
      counts = [0, 0, 0, 0]
      byHit.set(s, counts)
    }
    counts[slot] = (counts[slot] as number) + weight
  }
}

/** The stored progress of an ingest batch (its id given by the client). */
export interface BatchProgress {
  /** Every line of the batch has been processed and committed. */
  complete: boolean
  /** Lines up to this one (1-based) are committed: a retry resumes after it. */
  lastLine: number
  /** Records of the batch stored so far. */
  accepted: number
  /** Records of the batch refused so far. */
  rejected: number
}

/** Where a chunk belongs in its batch: committed with the rows, in the same transaction. */
export interface ChunkProgress {
  batch: string
  /** The last line the chunk covers (accepted or rejected). */
  lastLine: number
  /** The chunk ends the batch. */
  complete: boolean
}

function placeholders(rows: number, width: number, dialect: SqlClient['dialect']): string {
  const groups: string[] = []
  let n = 0
  for (let i = 0; i < rows; i++) {
    const g: string[] = []
    for (let j = 0; j < width; j++) g.push(dialect === 'postgres' ? `$${++n}` : '?')
    groups.push(`(${g.join(', ')})`)
  }
  return groups.join(', ')
}

const insertSql = new Map<string, string>()

/**
 * `INSERT INTO pb_flowlogs … VALUES` for `rows` rows. The full-size and one-row statements are
 * cached (the others are one-offs: a transaction's remainder).
 */
function flowInsertSql(rows: number, dialect: SqlClient['dialect']): string {
  const key = `${dialect}|${rows}`
  let sql = insertSql.get(key)
  if (!sql) {
    sql = `INSERT INTO pb_flowlogs (${FLOW_COLUMNS}) VALUES ${placeholders(rows, FLOW_WIDTH, dialect)}`
    const per = dialect === 'postgres' ? PG_ROWS_PER_INSERT : SQLITE_ROWS_PER_INSERT
    if (rows === 1 || rows === per) insertSql.set(key, sql)
  }
  return sql
}

/** A batch's progress row. */
interface BatchRow {
  complete: number
  last_line: number
  accepted: number
  rejected: number
}

function progressOf(row: BatchRow | undefined): BatchProgress {
  return {
    complete: Number(row?.complete ?? 0) === 1,
    lastLine: Number(row?.last_line ?? 0),
    accepted: Number(row?.accepted ?? 0),
    rejected: Number(row?.rejected ?? 0),
  }
}

/** Reused parameter arrays of the SQLite multi-row INSERT (one per row count). */
const sqliteParams = new Map<number, SqlValue[]>()

/**
 * Inserts a chunk's flow-log rows: by COPY where the database has it (PostgreSQL), else with
 * multi-row INSERTs (SQLite: through one prepared statement, its parameters filled into one
 * reused array).
 */
async function insertFlowRows(tx: SqlClient, chunk: FlowChunk, keys: Float64Array): Promise<void> {
  const total = chunk.size
  if (total === 0) return
  const flat = () => {
    const values: SqlValue[] = new Array(total * FLOW_WIDTH)
    for (let i = 0; i < total; i++) chunk.row(i, keys[i] as number, values, i * FLOW_WIDTH)
    return values
  }
  if (tx.copyFrom) return tx.copyFrom('pb_flowlogs', FLOW_COLUMNS, flat(), FLOW_WIDTH)
  if (tx.dialect === 'postgres') {
    const values = flat()
    for (let i = 0; i < total; i += PG_ROWS_PER_INSERT) {
      const rows = Math.min(PG_ROWS_PER_INSERT, total - i)
      await tx.run(
        flowInsertSql(rows, tx.dialect),
        values.slice(i * FLOW_WIDTH, (i + rows) * FLOW_WIDTH),
      )
    }
    return
  }
  const per = SQLITE_ROWS_PER_INSERT
  let i = 0
  for (const rows of [per, 1]) {
    let params = sqliteParams.get(rows)
    if (!params) {
      params = new Array(rows * FLOW_WIDTH).fill(null)
      sqliteParams.set(rows, params)
    }
    const sql = flowInsertSql(rows, tx.dialect)
    // The remainder goes row by row through one statement, not a statement per size.
    for (; i + rows <= total; i += rows) {
      for (let j = 0; j < rows; j++) {
        chunk.row(i + j, keys[i + j] as number, params, j * FLOW_WIDTH)
      }
      await tx.run(sql, params)
    }
  }
}

/**
 * The flow-log store: records, per-policy hit counters and per-tuple counts, all fed at
 * ingest so that no request re-scans every record. Kept behind its own interface so that a
 * time-partitioned or columnar flow store can replace it.
 */
export class FlowStore {
  readonly db: SqlClient
  /**
   * Committed flow keys' ids by their columns (joined by NUL). Keys are never deleted, so an
   * id once committed stays valid; ids found in a transaction join it after the commit.
   */
  readonly #keys = new Map<string, number>()

  constructor(db: SqlClient) {
    this.db = db
  }

  /**
   * The flow key id of each record of a chunk, creating the keys not stored yet; the ids
   * found are added to `found` (known once the transaction commits).
   */
  async #keyIds(tx: SqlClient, chunk: FlowChunk, found: Map<string, number>) {
    const ids = new Float64Array(chunk.size)
    const local = new Map<string, number>()
    for (let i = 0; i < chunk.size; i++) {
      const k = chunk.keyOf(i)
      let id = local.get(k)
      if (id === undefined) {
        const cols = chunk.keyColumns(i)
        const name = cols.join('\u0000')
        id = this.#keys.get(name) ?? found.get(name)
        if (id === undefined) {
          await tx.run(KEY_INSERT, cols)
          const row = await tx.get<{ id: number | string }>(KEY_SELECT, cols)
          id = Number(row?.id)
          found.set(name, id)
        }
        local.set(k, id)
      }
      ids[i] = id
    }
    return ids
  }

  /** Version of the flow data: bumped by every ingest and prune (cache key). */
  async version(): Promise<number> {
    const row = await this.db.get<{ value: number }>(
      "SELECT value FROM pb_counters WHERE name = 'flows'",
    )
    return row?.value ?? 0
  }

  /**
   * Opens a batch: creates its progress row when the id is new, and returns its progress. A
   * complete batch is a duplicate; an incomplete one (its earlier stream failed midway)
   * resumes after `lastLine`.
   */
  async openBatch(batch: string): Promise<BatchProgress> {
    await this.db.run(
      'INSERT INTO pb_flow_batches (batch, at, accepted, complete) VALUES (?, ?, 0, 0) ON CONFLICT (batch) DO NOTHING',
      [batch, Date.now()],
    )
    const row = await this.db.get<BatchRow>(
      'SELECT complete, last_line, accepted, rejected FROM pb_flow_batches WHERE batch = ?',
      [batch],
    )
    return progressOf(row)
  }

  /**
   * Inserts validated records in one transaction, with their hit counters and tuple counts.
   * `texts[i]`, when given, is record i's JSON as received (stored instead of re-serialising).
   */
  async insert(records: readonly FlowLogRecord[], texts?: readonly string[]): Promise<void> {
    if (records.length === 0) return
    const chunk = new FlowChunk()
    for (let i = 0; i < records.length; i++) chunk.add(records[i] as FlowLogRecord, texts?.[i])
    await this.commit(chunk)
  }

  /**
   * Commits a chunk in one transaction: its records, counters, the data version and, for a
   * batch, its progress. Lines the batch already committed (another stream of the same batch
   * got there first) are left out; a batch already complete commits nothing.
   * @returns the batch's progress after the commit (for a batch).
   */
  async commit(chunk: FlowChunk, progress?: ChunkProgress): Promise<BatchProgress | undefined> {
    const found = new Map<string, number>()
    const after = await this.#commit(chunk, progress, found)
    for (const [name, id] of found) this.#keys.set(name, id)
    return after
  }

  async #commit(
    chunk: FlowChunk,
    progress: ChunkProgress | undefined,
    found: Map<string, number>,
  ): Promise<BatchProgress | undefined> {
    return this.db.transaction(async (tx) => {
      let part = chunk
      let rejected = chunk.rejectedLines.length
      let before: BatchProgress | undefined
      if (progress) {
        before = progressOf(
          await tx.get<BatchRow>(
            `SELECT complete, last_line, accepted, rejected FROM pb_flow_batches WHERE batch = ?${tx.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
            [progress.batch],
          ),
        )
        if (before.complete) return before
        // Lines are ascending: only a chunk starting at or before the stored line overlaps.
        const from = before.lastLine
        if ((chunk.lines[0] ?? Number.POSITIVE_INFINITY) <= from) {
          // Rare (two streams of one batch at once): rebuilt from the stored texts, so that
          // a chunk does not keep its parsed records alive.
          part = new FlowChunk()
          for (let i = 0; i < chunk.size; i++) {
            const line = chunk.lines[i] as number
            const text = chunk.text(i)
            if (line > from) part.add(JSON.parse(text) as FlowLogRecord, text, line)
          }
        }
        if (from > 0) rejected = chunk.rejectedLines.filter((l) => l > from).length
      }
      await insertFlowRows(tx, part, await this.#keyIds(tx, part, found))
      await tx.insertMany(HIT_HEAD, part.hitRows(), HIT_TAIL)
      await tx.insertMany(TUPLE_HEAD, part.tupleRows(), TUPLE_TAIL)
      if (part.size > 0) {
        await tx.run("UPDATE pb_counters SET value = value + 1 WHERE name = 'flows'")
      }
      if (!progress || !before) return undefined
      const after: BatchProgress = {
        complete: progress.complete,
        lastLine: Math.max(before.lastLine, progress.lastLine),
        accepted: before.accepted + part.size,
        rejected: before.rejected + rejected,
      }
      await tx.run(
        'UPDATE pb_flow_batches SET complete = ?, last_line = ?, accepted = ?, rejected = ? WHERE batch = ?',
        [after.complete ? 1 : 0, after.lastLine, after.accepted, after.rejected, progress.batch],
      )
      return after
    })
  }

  /** Records matching a filter, newest first, `limit` at a time after `cursor` (an id). */
  async query(q: FlowLogQuery): Promise<{ items: StoredFlowLog[]; next?: number }> {
    const { where, params, keyed } = flowWhere(q)
    if (q.cursor !== undefined) {
      where.push('f.id < ?')
      params.push(q.cursor)
    }
    const limit = q.limit ?? 100
    const rows = await this.db.all<{ id: number; record: string }>(
      `SELECT f.id, f.record FROM ${keyed ? FROM_KEYED : 'pb_flowlogs f'}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY f.id DESC LIMIT ?`,
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
      `SELECT k.source_type, k.source_namespace, k.source_name_aggr, k.dest_type, k.dest_namespace, k.dest_name_aggr, k.proto, k.dest_port,
        SUM(CASE WHEN k.action = 'allow' THEN f.num_flows ELSE 0 END) AS allowed,
        SUM(CASE WHEN k.action = 'deny' THEN f.num_flows ELSE 0 END) AS denied,
        COUNT(*) AS records
       FROM ${FROM_KEYED}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
       GROUP BY k.source_type, k.source_namespace, k.source_name_aggr, k.dest_type, k.dest_namespace, k.dest_name_aggr, k.proto, k.dest_port
       ORDER BY records DESC LIMIT ?`,
      [...params, q.limit ?? 1000],
    )
    return rows.map((r) => ({
      source: { type: r.source_type, namespace: r.source_namespace, name: r.source_name_aggr },
      destination: { type: r.dest_type, namespace: r.dest_namespace, name: r.dest_name_aggr },
      proto: r.proto,
      port: r.dest_port === null || Number(r.dest_port) < 0 ? null : Number(r.dest_port),
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
      `SELECT (f.end_time / ${width}) * ${width} AS start,
        SUM(CASE WHEN k.action = 'allow' THEN f.num_flows ELSE 0 END) AS allowed,
        SUM(CASE WHEN k.action = 'deny' THEN f.num_flows ELSE 0 END) AS denied,
        COUNT(*) AS records
       FROM ${FROM_KEYED}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
       GROUP BY (f.end_time / ${width}) ORDER BY start LIMIT ?`,
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

/** Records with their flow keys (`f` the record, `k` its key). */
const FROM_KEYED = 'pb_flowlogs f JOIN pb_flow_keys k ON k.id = f.flow_key'

/**
 * The conditions of a filter on `f` (records) and `k` (their keys); `keyed` tells whether
 * any names a key column (the query then joins the keys).
 */
function flowWhere(q: FlowFilter): { where: string[]; params: SqlValue[]; keyed: boolean } {
  const where: string[] = []
  const params: SqlValue[] = []
  let keyed = false
  if (q.from !== undefined) {
    where.push('f.end_time >= ?')
    params.push(q.from)
  }
  if (q.to !== undefined) {
    where.push('f.start_time < ?')
    params.push(q.to)
  }
  if (q.namespace !== undefined) {
    keyed = true
    where.push('(k.source_namespace = ? OR k.dest_namespace = ?)')
    params.push(q.namespace, q.namespace)
  }
  if (q.name !== undefined) {
    keyed = true
    where.push(
      '(k.source_name = ? OR k.source_name_aggr = ? OR k.dest_name = ? OR k.dest_name_aggr = ?)',
    )
    params.push(q.name, q.name, q.name, q.name)
  }
  // Labels and hit strings are matched in the stored record text (`"app=web"`, `|ns/policy|`).
  for (const label of (q.labels ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    where.push("f.record LIKE ? ESCAPE '\\'")
    params.push(`%${escapeLike(JSON.stringify(label))}%`)
  }
  if (q.action !== undefined) {
    keyed = true
    where.push('k.action = ?')
    params.push(q.action)
  }
  if (q.reporter !== undefined) {
    keyed = true
    where.push('k.reporter = ?')
    params.push(q.reporter)
  }
  if (q.policy !== undefined) {
    where.push("f.record LIKE ? ESCAPE '\\'")
    params.push(`%|${escapeLike(q.policy)}|%`)
  }
  if (q.port !== undefined) {
    keyed = true
    where.push('k.dest_port = ?')
    params.push(q.port)
  }
  if (q.protocol !== undefined) {
    keyed = true
    where.push('k.proto = ?')
    params.push(q.protocol.toLowerCase())
  }
  return { where, params, keyed }
}
