import type { Readable } from 'node:stream'
import type { ErrorItem, FlowLogIngestResponse, RejectedRecord } from '@policyboard/api'
import { type FlowLogRecord, validateFlowLogRecord } from '@policyboard/policy-core'
import type { FlowStore } from '../store/flows.ts'

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
 * line), or one JSON array whose elements are cut out as they arrive.
 */
export async function* splitJsonItems(
  stream: AsyncIterable<Buffer | string>,
): AsyncGenerator<Item> {
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
        if (l) yield { line, text: l }
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
          if (t) yield { line: ++index, text: t }
          cur = ''
        }
      } else if (c === ',' && depth === 1) {
        cur += text.slice(from, i)
        from = i + 1
        yield { line: ++index, text: cur.trim() }
        cur = ''
      }
    }
    if (depth >= 1) cur += text.slice(from)
  }
  if (mode === 'lines') {
    const l = buf.trim()
    if (l) yield { line: line + 1, text: l }
  }
}

/**
 * Ingests flow-log records from a stream: validated one by one, inserted in transactions of
 * `INGEST_BATCH_SIZE`. With a batch id, a repeated batch is reported as a duplicate and
 * nothing is inserted.
 */
export async function ingestFlowLogs(
  flows: FlowStore,
  stream: Readable,
  batch: string | undefined,
): Promise<FlowLogIngestResponse> {
  if (batch !== undefined && !(await flows.claimBatch(batch))) {
    // Read the body to its end so that the connection stays usable for the client.
    for await (const _ of stream) {
      // discarded
    }
    return { accepted: 0, rejected: [], rejectedCount: 0, duplicate: true, batch }
  }
  let accepted = 0
  let rejectedCount = 0
  const rejected: RejectedRecord[] = []
  let pending: FlowLogRecord[] = []
  let texts: string[] = []
  const reject = (line: number, errors: ErrorItem[]) => {
    rejectedCount++
    if (rejected.length < MAX_LISTED_REJECTIONS) rejected.push({ line, errors })
  }
  for await (const item of splitJsonItems(stream)) {
    let raw: unknown
    try {
      raw = JSON.parse(item.text)
    } catch (err) {
      reject(item.line, [
        {
          code: 'JSON_SYNTAX',
          message: `expected a JSON object: ${(err as Error).message.toLowerCase()}`,
          path: '',
        },
      ])
      continue
    }
    const result = validateFlowLogRecord(raw, { line: item.line })
    if (!result.ok) {
      reject(
        item.line,
        result.errors.map((e) => e.toJSON()),
      )
      continue
    }
    pending.push(result.value)
    texts.push(item.text)
    if (pending.length >= INGEST_BATCH_SIZE) {
      await flows.insert(pending, texts)
      accepted += pending.length
      pending = []
      texts = []
    }
  }
  await flows.insert(pending, texts)
  accepted += pending.length
  if (batch !== undefined) await flows.completeBatch(batch, accepted)
  return {
    accepted,
    rejected,
    rejectedCount,
    duplicate: false,
    ...(batch !== undefined ? { batch } : {}),
  }
}
