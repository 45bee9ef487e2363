import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { INGEST_BATCH_SIZE, ingestFlowLogs } from '../../src/services/ingest.ts'
import { MIGRATIONS } from '../../src/store/migrations.ts'
import { BACKENDS } from '../backends.ts'
import { flowRecord } from '../fixtures/flows.ts'
import { flowTotals } from '../flow-consistency.ts'
import { build } from '../helper.ts'

/** `count` records as JSON lines, every 7th line broken (so rejections count too). */
function body(count: number): string[] {
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    lines.push(
      i % 7 === 3
        ? '{"start_time": "soon"}'
        : JSON.stringify(flowRecord({ dest_port: 1000 + (i % 50), num_flows: 1 + (i % 3) })),
    )
  }
  return lines
}

/** A body stream that fails after `failAfter` lines, as a dropped connection does. */
function failingStream(lines: string[], failAfter: number): Readable {
  async function* gen() {
    for (let i = 0; i < failAfter; i += 1000) {
      yield `${lines.slice(i, Math.min(i + 1000, failAfter)).join('\n')}\n`
    }
    throw new Error('connection reset')
  }
  return Readable.from(gen())
}

describe('migrations', () => {
  it('have unique, increasing versions', () => {
    const versions = MIGRATIONS.map((m) => m.version)
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b))
  })
})

describe.each(BACKENDS)('resumable ingest on %s', (backend) => {
  it('resumes a batch after a failed stream and stores every line exactly once', async () => {
    const app = await build(backend)
    const lines = body(INGEST_BATCH_SIZE * 2 + 3000)
    const validCount = lines.filter((l) => !l.includes('soon')).length
    const failAt = INGEST_BATCH_SIZE + 2500
    await expect(ingestFlowLogs(app.flows, failingStream(lines, failAt), 'b-1')).rejects.toThrow(
      'connection reset',
    )
    // What the failed stream committed is whole: one transaction's records with its counters.
    const partial = await flowTotals(app.store.db)
    expect(partial.records).toBeGreaterThan(0)
    expect(partial.records).toBeLessThan(validCount)
    expect(partial.counters).toEqual({
      records: partial.records,
      flows: partial.flows,
      hits: partial.hits,
    })

    const retry = await app.inject({
      method: 'POST',
      url: '/api/v1/flowlogs?batch=b-1',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: `${lines.join('\n')}\n`,
    })
    expect(retry.statusCode, retry.body).toBe(200)
    const out = retry.json()
    expect(out).toMatchObject({
      accepted: validCount,
      rejectedCount: lines.length - validCount,
      duplicate: false,
      batch: 'b-1',
    })
    // Only lines after the committed ones were read again.
    expect(out.rejected[0].line).toBeGreaterThan(INGEST_BATCH_SIZE)
    const full = await flowTotals(app.store.db)
    expect(full.records).toBe(validCount)
    expect(full.counters).toEqual({ records: full.records, flows: full.flows, hits: full.hits })

    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/flowlogs?batch=b-1',
      payload: `${lines.join('\n')}\n`,
      headers: { 'content-type': 'application/x-ndjson' },
    })
    expect(again.json()).toMatchObject({ accepted: 0, duplicate: true })
    expect((await flowTotals(app.store.db)).records).toBe(validCount)
  })

  it('stores one copy when two streams of the same batch run at once', async () => {
    const app = await build(backend)
    const lines = body(INGEST_BATCH_SIZE + 1500)
    const validCount = lines.filter((l) => !l.includes('soon')).length
    const send = () => ingestFlowLogs(app.flows, Readable.from([`${lines.join('\n')}\n`]), 'twice')
    const [a, b] = await Promise.all([send(), send()])
    expect(
      a.duplicate || b.duplicate || a.accepted === validCount || b.accepted === validCount,
    ).toBe(true)
    const totals = await flowTotals(app.store.db)
    expect(totals.records).toBe(validCount)
    expect(totals.counters).toEqual({
      records: totals.records,
      flows: totals.flows,
      hits: totals.hits,
    })
  })
})
