// The ingest worker (parse, validate and aggregate in a worker thread) against ingest in the
// request's thread: the same stored records, counters, listings and batch progress.
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import {
  INGEST_BATCH_SIZE,
  IngestParser,
  ingestFlowLogs,
  ingestWorkerAvailable,
  type ParsedChunk,
} from '../../src/services/ingest.ts'
import { BACKENDS } from '../backends.ts'
import { flowRecord } from '../fixtures/flows.ts'
import { flowTotals } from '../flow-consistency.ts'
import { build } from '../helper.ts'

/** `count` JSON lines, every 5th one refused (bad JSON or a bad field), in pieces of `piece` bytes. */
function body(count: number, piece: number): Buffer[] {
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    if (i % 10 === 4) lines.push('{"start_time": ')
    else if (i % 10 === 9) lines.push(JSON.stringify({ ...flowRecord(), proto: 7 }))
    else {
      lines.push(
        JSON.stringify(
          flowRecord({
            dest_port: 1000 + (i % 40),
            num_flows: i % 4,
            source_labels: { labels: [`app=wéb-${i % 3}`] },
          }),
        ),
      )
    }
  }
  const all = Buffer.from(`${lines.join('\n')}\n`)
  const out: Buffer[] = []
  for (let i = 0; i < all.length; i += piece) out.push(all.subarray(i, i + piece))
  return out
}

describe('ingest worker', () => {
  it('starts under the test runner (TypeScript loaded through tsx)', async () => {
    expect(await ingestWorkerAvailable()).toBe(true)
  })
})

describe('IngestParser', () => {
  it('emits full chunks in line order, then the last one, skipping committed lines', () => {
    const chunks: ParsedChunk[] = []
    const parser = new IngestParser(100, (c) => chunks.push(c))
    for (const piece of body(INGEST_BATCH_SIZE + 2000, 1000)) parser.push(piece)
    parser.end()
    expect(chunks.map((c) => c.complete)).toEqual([false, true])
    const [first, last] = chunks as [ParsedChunk, ParsedChunk]
    expect(first.data.lines).toHaveLength(INGEST_BATCH_SIZE)
    expect(first.data.lines[0]).toBe(101)
    expect(first.lastLine).toBe(first.data.lines.at(-1))
    expect(last.lastLine).toBe(INGEST_BATCH_SIZE + 2000)
    const refused = [...first.data.rejectedLines, ...last.data.rejectedLines]
    // Lines 101… of which every 5th is refused.
    expect(refused).toHaveLength((INGEST_BATCH_SIZE + 2000 - 100) / 5)
    expect(refused.every((l) => l > 100 && (l % 10 === 5 || l % 10 === 0))).toBe(true)
    expect(first.rejected[0]?.errors[0]?.code).toBe('JSON_SYNTAX')
  })
})

describe.each(BACKENDS)('ingest with and without the worker on %s', (backend) => {
  it('stores the same records and counters, and lists the same refusals', async () => {
    const results = []
    // One body for both runs: the records' times come from the clock, and two bodies built a
    // second apart would differ.
    const pieces = body(INGEST_BATCH_SIZE * 2 + 777, 65536)
    for (const worker of [true, false]) {
      const app = await build(backend)
      const out = await ingestFlowLogs(app.flows, Readable.from(pieces), `b-${worker}`, { worker })
      const totals = await flowTotals(app.store.db)
      const hits = await app.flows.hits(0, 2 ** 40)
      const tuples = await app.flows.tuples(0, 2 ** 40)
      const page = await app.flows.query({ limit: 3 })
      results.push({ out: { ...out, batch: undefined }, totals, hits, tuples, page })
    }
    const [w, t] = results
    const count = INGEST_BATCH_SIZE * 2 + 777
    const refused = Array.from({ length: count }, (_, i) => i % 10 === 4 || i % 10 === 9)
    expect(w?.out.accepted).toBe(refused.filter((r) => !r).length)
    expect(w?.out.rejectedCount).toBe(refused.filter((r) => r).length)
    expect(w?.totals.counters).toEqual({
      records: w?.totals.records,
      flows: w?.totals.flows,
      hits: w?.totals.hits,
    })
    expect(w).toEqual(t)
    // Multi-byte characters cut between pieces are stored whole.
    expect(JSON.stringify(w?.page.items[0]?.record)).toMatch(/"app=wéb-[012]"/)
  })
})
