import { isAscii } from 'node:buffer'
import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { Worker } from 'node:worker_threads'
import type { FlowLogIngestResponse, RejectedRecord } from '@policyboard/api'
import { validateFlowLogRecord } from '@policyboard/policy-core'
import { FlowChunk, type FlowChunkData, type FlowStore } from '../store/flows.ts'

/** Records per insert transaction. */
export const INGEST_BATCH_SIZE = 5000
/** At most this many rejected records are listed in the response (all are counted). */
const MAX_LISTED_REJECTIONS = 1000
/** Body bytes gathered before they are handed to the ingest worker in one message. */
const WORKER_MESSAGE_BYTES = 256 * 1024
/** Body bytes handed to the worker and not yet parsed, at most (backpressure). */
const WORKER_PENDING_BYTES = 8 * 1024 * 1024
/** How long an ingest waits for the worker to start before parsing in its own thread. */
const WORKER_START_MS = 15_000

/**
 * UTF-8 decoding of a body given piece by piece, a character cut between two pieces included.
 * A piece of ASCII bytes (the usual flow log) is copied as one-byte text, without decoding.
 */
class Utf8Pieces {
  readonly #decoder = new StringDecoder('utf8')
  /** The decoder may hold the first bytes of a character cut at the end of the last piece. */
  #held = false

  /** The text of the next piece. */
  write(piece: Uint8Array): string {
    if (!this.#held && isAscii(piece)) {
      return Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).toString('latin1')
    }
    // Whatever the decoder held is settled by an ASCII byte (a character or U+FFFD).
    this.#held = piece.length > 0 && (piece[piece.length - 1] as number) >= 0x80
    return this.#decoder.write(piece)
  }

  /** The end of the body: a cut character left is U+FFFD. */
  end(): string {
    this.#held = false
    return this.#decoder.end()
  }
}

/** One JSON text from the body: its 1-based line (JSON lines) or array position. */
interface Item {
  line: number
  text: string
}

/**
 * Cuts JSON texts out of a body given piece by piece: JSON lines (one object per line), or
 * one JSON array whose elements are cut out as they arrive.
 */
export class JsonSplitter {
  #mode: 'unknown' | 'lines' | 'array' = 'unknown'
  #buf = ''
  #line = 0
  // Array mode state.
  #depth = 0
  #inString = false
  #escaped = false
  #cur = ''
  #index = 0

  /** Adds the next piece of the body; the texts it completes are appended to `out`. */
  push(piece: string, out: Item[]): void {
    let text = piece
    if (this.#mode === 'unknown') {
      const trimmed = (this.#buf + text).trimStart()
      if (trimmed === '') {
        this.#buf += text
        return
      }
      this.#mode = trimmed.startsWith('[') ? 'array' : 'lines'
      text = this.#buf + text
      this.#buf = ''
    }
    if (this.#mode === 'lines') {
      // The held start of a line is joined to its end only: the piece itself is searched as
      // it is (joining it whole would copy it once more).
      let nl = text.indexOf('\n')
      if (nl === -1) {
        this.#buf += text
        return
      }
      this.#line++
      const first = (this.#buf + text.slice(0, nl)).trim()
      if (first) out.push({ line: this.#line, text: first })
      let start = nl + 1
      nl = text.indexOf('\n', start)
      while (nl !== -1) {
        this.#line++
        const l = text.slice(start, nl).trim()
        if (l) out.push({ line: this.#line, text: l })
        start = nl + 1
        nl = text.indexOf('\n', start)
      }
      this.#buf = text.slice(start)
      return
    }
    let from = 0
    for (let i = 0; i < text.length; i++) {
      const c = text[i]
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false
        else if (c === '\\') this.#escaped = true
        else if (c === '"') this.#inString = false
        continue
      }
      if (c === '"') this.#inString = true
      else if (c === '[' || c === '{') {
        this.#depth++
        if (this.#depth === 1) from = i + 1
      } else if (c === ']' || c === '}') {
        this.#depth--
        if (this.#depth === 0) {
          this.#cur += text.slice(from, i)
          from = i + 1
          const t = this.#cur.trim()
          if (t) out.push({ line: ++this.#index, text: t })
          this.#cur = ''
        }
      } else if (c === ',' && this.#depth === 1) {
        this.#cur += text.slice(from, i)
        from = i + 1
        out.push({ line: ++this.#index, text: this.#cur.trim() })
        this.#cur = ''
      }
    }
    if (this.#depth >= 1) this.#cur += text.slice(from)
  }

  /** Ends the body: a last line without its newline is appended to `out`. */
  end(out: Item[]): void {
    if (this.#mode === 'lines') {
      const l = this.#buf.trim()
      if (l) out.push({ line: this.#line + 1, text: l })
      this.#buf = ''
    }
  }
}

/**
 * Splits a body stream into JSON texts without holding the body (see `JsonSplitter`). Bytes
 * are decoded as UTF-8 across piece boundaries. Yields the texts of each piece together (one
 * await per piece, not per record).
 */
export async function* splitJsonBatches(
  stream: AsyncIterable<Buffer | Uint8Array | string>,
): AsyncGenerator<Item[]> {
  const splitter = new JsonSplitter()
  const decoder = new Utf8Pieces()
  for await (const piece of stream) {
    const out: Item[] = []
    splitter.push(typeof piece === 'string' ? piece : decoder.write(piece), out)
    if (out.length) yield out
  }
  const out: Item[] = []
  splitter.push(decoder.end(), out)
  splitter.end(out)
  if (out.length) yield out
}

/** `splitJsonBatches`, one text at a time. */
export async function* splitJsonItems(
  stream: AsyncIterable<Buffer | Uint8Array | string>,
): AsyncGenerator<Item> {
  for await (const items of splitJsonBatches(stream)) yield* items
}

/** A chunk of parsed, validated records, ready to commit in one transaction. */
export interface ParsedChunk {
  /** The records' rows and aggregated counters. */
  data: FlowChunkData
  /** The last line the chunk covers (accepted or rejected). */
  lastLine: number
  /** The chunk ends the body. */
  complete: boolean
  /** Records refused in this chunk, listed while the body's listing has room. */
  rejected: RejectedRecord[]
}

/**
 * The CPU side of an ingest: decodes body bytes, splits them into JSON texts, parses and
 * validates each one, and aggregates `INGEST_BATCH_SIZE` records at a time into a chunk
 * (rows, hit counters, tuple counts) handed to `emit` in line order. Runs in the ingest worker,
 * or in the request's thread when the worker is unavailable.
 */
export class IngestParser {
  readonly #splitter = new JsonSplitter()
  readonly #decoder = new Utf8Pieces()
  readonly #skipThrough: number
  readonly #emit: (chunk: ParsedChunk) => void
  #chunk = new FlowChunk()
  #rejected: RejectedRecord[] = []
  #listed = 0
  #lastLine = 0
  #items: Item[] = []

  /**
   * @param skipThrough lines up to this one are already committed (a resumed batch): skipped.
   * @param emit receives each full chunk, then the last one (`complete`).
   */
  constructor(skipThrough: number, emit: (chunk: ParsedChunk) => void) {
    this.#skipThrough = skipThrough
    this.#emit = emit
  }

  /** Takes the next piece of the body. */
  push(piece: Uint8Array | string): void {
    const text = typeof piece === 'string' ? piece : this.#decoder.write(piece)
    this.#splitter.push(text, this.#items)
    this.#take()
  }

  /** Ends the body: emits the last chunk (possibly empty), marked `complete`. */
  end(): void {
    this.#splitter.push(this.#decoder.end(), this.#items)
    this.#splitter.end(this.#items)
    this.#take()
    this.#flush(Math.max(this.#lastLine, this.#skipThrough), true)
  }

  #take(): void {
    const items = this.#items
    for (let i = 0; i < items.length; i++) {
      const { line, text } = items[i] as Item
      // Already committed by an earlier attempt of this batch.
      if (line <= this.#skipThrough) continue
      this.#lastLine = line
      let raw: unknown
      try {
        raw = JSON.parse(text)
      } catch (err) {
        this.#refuse(line, [
          {
            code: 'JSON_SYNTAX',
            message: `expected a JSON object: ${(err as Error).message.toLowerCase()}`,
            path: '',
          },
        ])
        continue
      }
      const result = validateFlowLogRecord(raw, { line })
      if (!result.ok) {
        this.#refuse(
          line,
          result.errors.map((e) => e.toJSON()),
        )
        continue
      }
      this.#chunk.add(result.value, text, line)
      if (this.#chunk.size >= INGEST_BATCH_SIZE) this.#flush(line, false)
    }
    items.length = 0
  }

  #refuse(line: number, errors: RejectedRecord['errors']): void {
    this.#chunk.reject(line)
    if (this.#listed < MAX_LISTED_REJECTIONS) {
      this.#listed++
      this.#rejected.push({ line, errors })
    }
  }

  #flush(lastLine: number, complete: boolean): void {
    const chunk = this.#chunk
    const rejected = this.#rejected
    this.#chunk = new FlowChunk()
    this.#rejected = []
    this.#emit({ data: chunk.toData(), lastLine, complete, rejected })
  }
}

/** Messages to the ingest worker. */
export type ToWorker =
  | { type: 'start'; job: number; skipThrough: number }
  | { type: 'data'; job: number; bytes: Uint8Array }
  | { type: 'end'; job: number }
  | { type: 'drain'; job: number }
  | { type: 'abort'; job: number }

/** Messages from the ingest worker. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'ack'; job: number; bytes: number }
  | { type: 'chunk'; job: number; chunk: ParsedChunk }
  | { type: 'drained'; job: number }
  | { type: 'error'; job: number; message: string }

/** One ingest's side of the worker: its chunks and failures, and how its bytes were taken. */
interface JobHandlers {
  chunk(chunk: ParsedChunk): void
  ack(bytes: number): void
  /** Every piece handed over has been parsed (answer to a drain). */
  drained(): void
  fail(err: Error): void
}

/**
 * The process's ingest worker: a `worker_threads` Worker running `IngestParser` for every
 * ingest (each one a job), so that parsing and validation run on another core than the SQL
 * writes. Started on first use; loads its TypeScript through tsx's API (`ingest-worker.mjs`),
 * so it works under tsx, Vitest and plain Node alike.
 */
class IngestWorker {
  readonly #worker: Worker
  readonly #jobs = new Map<number, JobHandlers>()
  readonly ready: Promise<boolean>
  #next = 1
  #dead = false

  constructor() {
    this.#worker = new Worker(new URL('./ingest-worker.mjs', import.meta.url))
    this.#worker.unref()
    this.ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), WORKER_START_MS)
      timer.unref()
      this.#worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') {
          clearTimeout(timer)
          resolve(true)
          return
        }
        const job = this.#jobs.get(msg.job)
        if (!job) return
        if (msg.type === 'chunk') job.chunk(msg.chunk)
        else if (msg.type === 'ack') job.ack(msg.bytes)
        else if (msg.type === 'drained') job.drained()
        else job.fail(new Error(msg.message))
      })
      const die = (err: Error) => {
        this.#dead = true
        clearTimeout(timer)
        resolve(false)
        for (const job of this.#jobs.values()) job.fail(err)
        this.#jobs.clear()
      }
      this.#worker.on('error', die)
      this.#worker.on('exit', (code) => die(new Error(`the ingest worker exited (${code})`)))
    })
  }

  /** The worker stopped (it failed, or was closed): a new one is needed. */
  get dead(): boolean {
    return this.#dead
  }

  /** Starts a job; returns its id. The worker is kept referenced while any job runs. */
  start(skipThrough: number, handlers: JobHandlers): number {
    const job = this.#next++
    if (this.#jobs.size === 0) this.#worker.ref()
    this.#jobs.set(job, handlers)
    this.post({ type: 'start', job, skipThrough })
    return job
  }

  /** Ends a job on this side (after its last chunk, or when it is abandoned). */
  finish(job: number, abort: boolean): void {
    if (abort) this.post({ type: 'abort', job })
    this.#jobs.delete(job)
    if (this.#jobs.size === 0) this.#worker.unref()
  }

  /** Sends a message; a `data` message's buffer is transferred, not copied. */
  post(msg: ToWorker): void {
    if (this.#dead) return
    if (msg.type === 'data') this.#worker.postMessage(msg, [msg.bytes.buffer as ArrayBuffer])
    else this.#worker.postMessage(msg)
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    this.#dead = true
    await this.#worker.terminate()
  }
}

let shared: IngestWorker | undefined
/** The worker could not start: ingests parse in their own thread from then on. */
let workerUnavailable = false

/** The running ingest worker, started on first use; undefined when it cannot start. */
async function ingestWorker(): Promise<IngestWorker | undefined> {
  if (workerUnavailable) return undefined
  if (!shared || shared.dead) {
    try {
      shared = new IngestWorker()
    } catch {
      workerUnavailable = true
      return undefined
    }
  }
  const current = shared
  if (await current.ready) return current
  // It failed to start (or to load its code in time): parse in the request's thread.
  workerUnavailable = true
  void current.close()
  if (shared === current) shared = undefined
  return undefined
}

/**
 * Starts the ingest worker if it is not running and tells whether ingests use it (false: it
 * could not start, and ingests parse in their own thread).
 */
export async function ingestWorkerAvailable(): Promise<boolean> {
  return (await ingestWorker()) !== undefined
}

/** Stops the ingest worker if one runs (a later ingest starts another). */
export async function closeIngestWorker(): Promise<void> {
  const w = shared
  shared = undefined
  if (w) await w.close()
}

/** Options of an ingest. */
export interface IngestOptions {
  /**
   * Parse and validate in the ingest worker (default true); false does it in this thread.
   * When the worker cannot start, ingest falls back to this thread.
   */
  worker?: boolean
}

/**
 * Where an ingest's bytes are parsed: pieces in, parsed chunks out (through the callbacks
 * given when it was opened), in line order.
 */
interface ParseSide {
  push(bytes: Uint8Array): void
  end(): void
  /**
   * After a failed body: parses what was handed over (full chunks are emitted, the rest is
   * dropped), then calls `drained`.
   */
  drain(): void
  /** Releases the parse side (abandons the job if it has not finished). */
  close(): void
  /** Body bytes handed over and not yet parsed. */
  pending(): number
}

/** Copies body pieces into buffers of `WORKER_MESSAGE_BYTES`, each transferred when full. */
function workerSide(w: IngestWorker, skipThrough: number, handlers: JobHandlers): ParseSide {
  let sent = 0
  let acked = 0
  let buf = new Uint8Array(WORKER_MESSAGE_BYTES)
  let used = 0
  const job = w.start(skipThrough, {
    ...handlers,
    ack: (bytes) => {
      acked += bytes
      handlers.ack(bytes)
    },
  })
  const send = () => {
    if (used === 0) return
    // The body's own buffers may share memory with other buffers: they are copied into one
    // this side owns, which is transferred.
    const bytes = used === buf.length ? buf : buf.slice(0, used)
    w.post({ type: 'data', job, bytes })
    sent += used
    buf = new Uint8Array(WORKER_MESSAGE_BYTES)
    used = 0
  }
  return {
    push(bytes) {
      let at = 0
      while (at < bytes.length) {
        const n = Math.min(bytes.length - at, buf.length - used)
        buf.set(bytes.subarray(at, at + n), used)
        used += n
        at += n
        if (used === buf.length) send()
      }
    },
    end() {
      send()
      w.post({ type: 'end', job })
    },
    drain() {
      send()
      w.post({ type: 'drain', job })
    },
    close() {
      w.finish(job, true)
    },
    pending: () => sent + used - acked,
  }
}

/** Parses in this thread, synchronously, as pieces arrive. */
function threadSide(skipThrough: number, handlers: JobHandlers): ParseSide {
  const parser = new IngestParser(skipThrough, handlers.chunk)
  return {
    push: (bytes) => parser.push(bytes),
    end: () => parser.end(),
    drain: handlers.drained,
    close: () => undefined,
    pending: () => 0,
  }
}

/**
 * Ingests flow-log records from a stream: parsed and validated one by one (in the ingest
 * worker, see `IngestWorker`), committed in transactions of `INGEST_BATCH_SIZE` records with
 * their counters, in line order. The stream is read only as fast as the store commits
 * (backpressure): at most two parsed chunks wait, one of them committing, and a few MB of
 * body bytes are in the worker.
 *
 * With a batch id, each transaction also records how far the batch got. A complete batch is
 * reported as a duplicate and nothing is inserted; an incomplete one (its earlier stream
 * failed midway) resumes after its last committed line, so a retry of the same body stores
 * each record exactly once. `accepted` and `rejectedCount` are then the batch's totals over
 * its attempts, and `rejected` lists the records refused in this request.
 */
export async function ingestFlowLogs(
  flows: FlowStore,
  stream: Readable,
  batch: string | undefined,
  options: IngestOptions = {},
): Promise<FlowLogIngestResponse> {
  let skipThrough = 0
  let accepted = 0
  let rejectedCount = 0
  if (batch !== undefined) {
    const progress = await flows.openBatch(batch)
    if (progress.complete) {
      // Read the body to its end so that the connection stays usable for the client.
      for await (const _ of stream) {
        // discarded
      }
      return { accepted: 0, rejected: [], rejectedCount: 0, duplicate: true, batch }
    }
    skipThrough = progress.lastLine
  }
  const rejected: RejectedRecord[] = []
  // Commits run one after the other, in line order, while the body is read and parsed.
  let commits: Promise<void> = Promise.resolve()
  let waiting = 0
  /** A commit or the worker failed: nothing more is committed. */
  let failure: Error | undefined
  let finished = false
  let drained = false
  let wake: (() => void) | undefined
  const signal = () => {
    const w = wake
    wake = undefined
    w?.()
  }
  const commit = async (c: ParsedChunk) => {
    const chunk = FlowChunk.fromData(c.data)
    if (batch === undefined) {
      accepted += chunk.size
      rejectedCount += chunk.rejectedLines.length
      if (chunk.size) await flows.commit(chunk)
    } else {
      const after = await flows.commit(chunk, {
        batch,
        lastLine: c.lastLine,
        complete: c.complete,
      })
      accepted = after?.accepted ?? 0
      rejectedCount = after?.rejected ?? 0
    }
  }
  const handlers: JobHandlers = {
    chunk(c) {
      for (const r of c.rejected) if (rejected.length < MAX_LISTED_REJECTIONS) rejected.push(r)
      waiting++
      commits = commits.then(async () => {
        try {
          if (!failure) await commit(c)
        } catch (err) {
          failure ??= err as Error
        } finally {
          waiting--
          if (c.complete) finished = true
          signal()
        }
      })
    },
    ack: signal,
    drained() {
      drained = true
      signal()
    },
    fail(err) {
      failure ??= err
      signal()
    },
  }
  const worker = options.worker === false ? undefined : await ingestWorker()
  const side = worker
    ? workerSide(worker, skipThrough, handlers)
    : threadSide(skipThrough, handlers)
  /** Waits until the parse side or a commit moved on. */
  const progress = () =>
    new Promise<void>((resolve) => {
      wake = resolve
    })
  let streamError: Error | undefined
  try {
    for await (const piece of stream) {
      if (failure) break
      side.push(typeof piece === 'string' ? Buffer.from(piece) : (piece as Buffer))
      while (!failure && (waiting >= 2 || side.pending() > WORKER_PENDING_BYTES)) {
        await progress()
      }
    }
  } catch (err) {
    streamError = err as Error
  }
  if (!failure && !streamError) {
    side.end()
    while (!failure && !finished) await progress()
  } else if (!failure) {
    // The body failed midway: the full chunks of what was received are still committed, so
    // that a retry of the batch resumes after them.
    side.drain()
    while (!failure && !drained) await progress()
  }
  side.close()
  // Settle the commits in line: the batch's progress is then final.
  await commits
  if (failure ?? streamError) throw failure ?? streamError
  return {
    accepted,
    rejected,
    rejectedCount,
    duplicate: false,
    ...(batch !== undefined ? { batch } : {}),
  }
}
