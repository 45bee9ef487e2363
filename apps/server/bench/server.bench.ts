// Server benchmarks: flow-log ingestion (SQLite, PostgreSQL), verdicts over 1,000,000 stored
// records through the API, and the board's policy list under 100 concurrent connections.
// `pnpm bench server`; BENCH_SCALE=0.1 runs a smaller version. PostgreSQL from TEST_DATABASE_URL.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { FlowLogRecord } from '@policyboard/policy-core'
import autocannon from 'autocannon'
import pg from 'pg'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { demoCluster, iterateDemoFlows } from '../src/demo/index.ts'
import { ingestFlowLogs } from '../src/services/ingest.ts'
import { FlowStore } from '../src/store/flows.ts'
import { openStore, type Store } from '../src/store/index.ts'

const SCALE = Number(process.env.BENCH_SCALE ?? 1)
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const cluster = demoCluster()

function records(count: number, seed: number): FlowLogRecord[] {
  return Array.from(iterateDemoFlows({ now: Date.now(), hours: 24, count, seed }, cluster))
}

/** The records as JSON lines in 64 KiB chunks, like a request body stream. */
function ndjsonChunks(rs: FlowLogRecord[]): string[] {
  const chunks: string[] = []
  let cur = ''
  for (const r of rs) {
    cur += `${JSON.stringify(r)}\n`
    if (cur.length > 65536) {
      chunks.push(cur)
      cur = ''
    }
  }
  if (cur) chunks.push(cur)
  return chunks
}

async function ingestBench(label: string, store: Store, rs: FlowLogRecord[]): Promise<void> {
  const flows = new FlowStore(store.db)
  const chunks = ndjsonChunks(rs)
  const t0 = performance.now()
  const out = await ingestFlowLogs(flows, Readable.from(chunks), undefined)
  const s = (performance.now() - t0) / 1000
  console.log(
    `ingest ${label}: ${out.accepted} records (parse + validate + insert + counters) in ${s.toFixed(2)} s = ${Math.round(out.accepted / s).toLocaleString('en')} records/s`,
  )
}

async function pgSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `pb_bench_${Math.random().toString(36).slice(2, 8)}`
  const c = new pg.Client({ connectionString: PG_URL })
  await c.connect()
  await c.query(`CREATE SCHEMA ${schema}`)
  await c.end()
  return {
    schema,
    drop: async () => {
      const d = new pg.Client({ connectionString: PG_URL })
      await d.connect()
      await d.query(`DROP SCHEMA ${schema} CASCADE`)
      await d.end()
    },
  }
}

async function main(): Promise<void> {
  const ingestCount = Math.round(200_000 * SCALE)
  const rs = records(ingestCount, 7)

  const dir = mkdtempSync(join(tmpdir(), 'pb-bench-'))
  const sqlite = await openStore({ dataDir: dir })
  await ingestBench('SQLite', sqlite, rs)
  await sqlite.db.close()

  const { schema, drop } = await pgSchema()
  const pgStore = await openStore({ dataDir: dir, databaseUrl: PG_URL, schema })
  await ingestBench('PostgreSQL', pgStore, rs)
  await pgStore.db.close()
  await drop()
  rmSync(dir, { recursive: true, force: true })

  // Verdicts over 1,000,000 stored records, through the API on SQLite.
  const vdir = mkdtempSync(join(tmpdir(), 'pb-bench-'))
  const app = await buildApp(
    loadConfig({ DATA_DIR: vdir, POLICYBOARD_DEMO: 'true', LOG_LEVEL: 'silent' }),
    {
      logger: false,
    },
  )
  const total = Math.round(1_000_000 * SCALE)
  let batch: FlowLogRecord[] = []
  let stored = 0
  for (const r of iterateDemoFlows(
    { now: Date.now(), hours: 24, count: total, seed: 11 },
    cluster,
  )) {
    batch.push(r)
    if (batch.length === 10_000) {
      await app.flows.insert(batch)
      stored += batch.length
      batch = []
    }
  }
  await app.flows.insert(batch)
  stored += batch.length
  const t0 = performance.now()
  const res = await app.inject({ method: 'GET', url: '/api/v1/verdicts?limit=100' })
  const ms = performance.now() - t0
  const summary = res.json().summary
  console.log(
    `verdicts over ${(stored + 20_000).toLocaleString('en')} stored records (${summary.tuples} tuples, ${summary.flows.toLocaleString('en')} flows): ${ms.toFixed(0)} ms end to end (cold), status ${res.statusCode}`,
  )
  const t1 = performance.now()
  await app.inject({ method: 'GET', url: '/api/v1/verdicts?limit=100' })
  console.log(`verdicts again (compiled set cached): ${(performance.now() - t1).toFixed(0)} ms`)
  await app.close()
  rmSync(vdir, { recursive: true, force: true })

  // The board's policy list with 2,000 policies under 100 connections.
  const bdir = mkdtempSync(join(tmpdir(), 'pb-bench-'))
  const board = await buildApp(
    loadConfig({ DATA_DIR: bdir, POLICYBOARD_DEMO: 'true', LOG_LEVEL: 'silent' }),
    {
      logger: false,
    },
  )
  const docs: string[] = []
  for (let i = 0; i < 2000; i++) {
    docs.push(
      `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: bench-${i}, namespace: ns-${i % 20}}\nspec: {order: ${i}, selector: "app == 'a${i % 50}'", ingress: [{action: Allow, protocol: TCP, destination: {ports: [${1000 + (i % 100)}]}}]}\n`,
    )
  }
  const applied = await board.inject({
    method: 'POST',
    url: '/api/v1/apply',
    payload: { yaml: docs.join('---\n') },
  })
  if (applied.statusCode !== 200) throw new Error(applied.body)
  await board.listen({ port: 0, host: '127.0.0.1' })
  const address = board.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const url = `http://127.0.0.1:${port}/api/v1/policies?window=24h`
  const first = await fetch(url)
  const count = ((await first.json()) as { items: unknown[] }).items.length
  const result = await autocannon({
    url,
    connections: 100,
    duration: Math.max(3, Math.round(10 * SCALE)),
  })
  console.log(
    `GET /api/v1/policies (${count} policies, ${(Number(first.headers.get('content-length') ?? 0) / 1024).toFixed(0)} KiB): ${Math.round(result.requests.average)} requests/s, p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx, 100 connections`,
  )
  await board.close()
  rmSync(bdir, { recursive: true, force: true })
}

await main()
