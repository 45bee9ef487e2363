import type { Readable } from 'node:stream'
import type { FlowLogIngestResponse, RejectedRecord } from '@policyboard/api'
import { validateFlowLogRecord } from '@policyboard/policy-core'
import { FlowChunk, type FlowStore } from '../store/flows.ts'

/** Records per insert transaction. */
export const INGEST_BATCH_SIZE = 5000
/** At most this many rejected records are listed in the response (all are counted). */
const MAX_LISTED_REJECTIONS = 1000

/** One JSON text from the body: its 1-based line (JSON lines) or array position. */
interface Item {
  line: number
  text: string
}

/**
 * Splits a body stream into JSON texts without holding the body: JSON lines (one object per
 * line), or one JSON array whose elements are cut out as they arrive. Yields the texts of
 * each chunk together (one await per chunk, not per record).
 */
export async function* splitJsonBatches(
  stream: AsyncIterable<Buffer | string>,
): AsyncGenerator<Item[]> {
  let out: Item[] = []
  let mode: 'unknown' | 'lines' | 'array' = 'unknown'
  let buf = ''
  let line = 0
  // Array mode state.
  let depth = 0
  let inString = false
  let escaped = false
  let cur = ''
  let index = 0
  for await (const chunk of stream) {
    if (out.length) {
      yield out
      out = []
    }
    let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8')
    if (mode === 'unknown') {
      const trimmed = (buf + text).trimStart()
      if (trimmed === '') {
        buf += text
        continue
      }
      mode = trimmed.startsWith('[') ? 'array' : 'lines'
      text = buf + text
      buf = ''
    }
    if (mode === 'lines') {
      buf += text
      let nl = buf.indexOf('\n')
      let start = 0
      while (nl !== -1) {
        line++
        const l = buf.slice(start, nl).trim()
        if (l) out.push({ line, text: l })
        start = nl + 1
        nl = buf.indexOf('\n', start)
      }
      buf = buf.slice(start)
      continue
    }
    let from = 0
    for (let i = 0; i < text.length; i++) {
      const c = text[i]
      if (inString) {
        if (escaped) escaped = false
        else if (c === '\\') escaped = true
        else if (c === '"') inString = false
        continue
      }
      if (c === '"') inString = true
      else if (c === '[' || c === '{') {
        depth++
        if (depth === 1) from = i + 1
      } else if (c === ']' || c === '}') {
        depth--
        if (depth === 0) {
          cur += text.slice(from, i)
          from = i + 1
          const t = cur.trim()
          if (t) out.push({ line: ++index, text: t })
          cur = ''
        }
      } else if (c === ',' && depth === 1) {
        cur += text.slice(from, i)
        from = i + 1
        out.push({ line: ++index, text: cur.trim() })
        cur = ''
      }
    }
    if (depth >= 1) cur += text.slice(from)
  }
  if (mode === 'lines') {
    const l = buf.trim()
    if (l) out.push({ line: line + 1, text: l })
  }
  if (out.length) yield out
}

/** `splitJsonBatches`, one text at a time. */
export async function* splitJsonItems(
  stream: AsyncIterable<Buffer | string>,
): AsyncGenerator<Item> {
  for await (const items of splitJsonBatches(stream)) yield* items
}

/**
 * Ingests flow-log records from a stream: parsed and validated one by one, committed in
 * transactions of `INGEST_BATCH_SIZE` records with their counters. The stream is read only
 * as fast as the store commits (backpressure), so memory stays bounded by one chunk.
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
  let chunk = new FlowChunk()
  let lastLine = 0
  // One commit may be in flight while the next chunk is parsed (PostgreSQL works meanwhile);
  // commits stay in line order, and at most two chunks are held.
  let inflight: Promise<void> = Promise.resolve()
  const commit = async (complete: boolean) => {
    const full = chunk
    const through = lastLine
    chunk = new FlowChunk()
    await inflight
    const done = (async () => {
      if (batch === undefined) {
        accepted += full.size
        rejectedCount += full.rejectedLines.length
        if (full.size) await flows.commit(full)
      } else {
        const after = await flows.commit(full, { batch, lastLine: through, complete })
        accepted = after?.accepted ?? 0
        rejectedCount = after?.rejected ?? 0
      }
    })()
    // Awaited by the next commit; a failure meanwhile is not an unhandled rejection.
    done.catch(() => undefined)
    inflight = done
  }
  try {
    for await (const items of splitJsonBatches(stream)) {
      for (const item of items) {
        const line = item.line
        // Already committed by an earlier attempt of this batch.
        if (line <= skipThrough) continue
        lastLine = line
        let raw: unknown
        try {
          raw = JSON.parse(item.text)
        } catch (err) {
          chunk.reject(line)
          if (rejected.length < MAX_LISTED_REJECTIONS) {
            rejected.push({
              line,
              errors: [
                {
                  code: 'JSON_SYNTAX',
                  message: `expected a JSON object: ${(err as Error).message.toLowerCase()}`,
                  path: '',
                },
              ],
            })
          }
          continue
        }
        const result = validateFlowLogRecord(raw, { line })
        if (!result.ok) {
          chunk.reject(line)
          if (rejected.length < MAX_LISTED_REJECTIONS) {
            rejected.push({ line, errors: result.errors.map((e) => e.toJSON()) })
          }
          continue
        }
        chunk.add(result.value, item.text, line)
        if (chunk.size >= INGEST_BATCH_SIZE) await commit(false)
      }
    }
  } catch (err) {
    // Settle the commit in flight before reporting: the batch's progress is then final.
    await inflight.catch(() => undefined)
    throw err
  }
  lastLine = Math.max(lastLine, skipThrough)
  await commit(true)
  await inflight
  return {
    accepted,
    rejected,
    rejectedCount,
    duplicate: false,
    ...(batch !== undefined ? { batch } : {}),
  }
}
