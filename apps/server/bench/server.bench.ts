// Server benchmarks, each printed against its target: flow-log ingestion over HTTP (SQLite and
// PostgreSQL, target >= 100,000 records/s), verdicts over 1,000,000 stored records through the
// API (target < 2 s), and the board's policy list under 100 concurrent connections.
// `pnpm bench server`; BENCH_SCALE=0.1 runs a smaller version. PostgreSQL from TEST_DATABASE_URL.
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FlowLogRecord } from '@policyboard/policy-core'
import autocannon from 'autocannon'
import pg from 'pg'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { demoCluster, iterateDemoFlows } from '../src/demo/index.ts'

const SCALE = Number(process.env.BENCH_SCALE ?? 1)
/** BENCH_ONLY=ingest|verdicts|board runs one part. */
const ONLY = process.env.BENCH_ONLY
const runs = (part: string) => ONLY === undefined || ONLY === part
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
/** Sent as a bearer token, and configured as the admin token of the benchmarked apps. */
const TOKEN = 'bench-admin-token-0123456789abcdef'
const cluster = demoCluster()

/** Settings of every benchmarked app: no demo data, no logs, no request rate limit. */
function benchConfig(dataDir: string, extra: Record<string, string> = {}) {
  return loadConfig({
    DATA_DIR: dataDir,
    WEB_DIST: join(dataDir, 'no-web'),
    POLICYBOARD_DEMO: 'false',
    LOG_LEVEL: 'silent',
    POLICYBOARD_ADMIN_TOKEN: TOKEN,
    API_RATE_LIMIT: '10000000',
    ...extra,
  })
}

/** `count` demo records as JSON lines in 64 KiB buffers, like a request body stream. */
function ndjsonChunks(count: number, seed: number): Buffer[] {
  const chunks: Buffer[] = []
  let cur = ''
  for (const r of iterateDemoFlows({ now: Date.now(), hours: 24, count, seed }, cluster)) {
    cur += `${JSON.stringify(r)}\n`
    if (cur.length > 65536) {
      chunks.push(Buffer.from(cur))
      cur = ''
    }
  }
  if (cur) chunks.push(Buffer.from(cur))
  return chunks
}

/** Process CPU time in seconds (both cores may be shared with other work: wall time varies). */
function cpuSeconds(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

function verdict(ok: boolean): string {
  return ok ? 'meets target' : 'BELOW TARGET'
}

/**
 * Ingest through the real path: an HTTP request body streamed to the listening server, split
 * into lines, parsed, validated, inserted with its counters, and the batch's progress.
 */
async function ingestBench(label: string, extra: Record<string, string>, chunks: Buffer[]) {
  const dir = mkdtempSync(join(tmpdir(), 'pb-bench-'))
  const app = await buildApp(benchConfig(dir, extra), { logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  // Warm-up: a small batch first, so that the ingest worker (started once per process, on
  // first use) is running; its start is printed apart.
  const w0 = performance.now()
  const first = chunks[0] ?? Buffer.alloc(0)
  await send(port, 'warm-up', [first.subarray(0, first.lastIndexOf('\n', 20_000) + 1)])
  const warm = performance.now() - w0
  const c0 = cpuSeconds()
  const t0 = performance.now()
  const out = await send(port, 'bench', chunks)
  const s = (performance.now() - t0) / 1000
  const cpu = cpuSeconds() - c0
  const rate = out.accepted / s
  console.log(
    `ingest ${label} over HTTP: ${out.accepted.toLocaleString('en')} records in ${s.toFixed(2)} s = ${Math.round(rate).toLocaleString('en')} records/s (target >= 100,000: ${verdict(rate >= 100_000)}); CPU ${cpu.toFixed(2)} s (every thread) = ${Math.round(out.accepted / cpu).toLocaleString('en')} records per CPU-second, ${((cpu / out.accepted) * 1e6).toFixed(1)} µs per record; warm-up batch (worker start) ${warm.toFixed(0)} ms`,
  )
  await app.close()
  rmSync(dir, { recursive: true, force: true })
}

/** Posts a body of JSON lines as batch `batch`, streamed from `chunks`. */
function send(
  port: number,
  batch: string,
  chunks: Buffer[],
): Promise<{ accepted: number; rejectedCount: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `http://127.0.0.1:${port}/api/v1/flowlogs?batch=${batch}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TOKEN}` },
      },
      async (res) => {
        let body = ''
        for await (const c of res) body += c
        if (res.statusCode !== 200) reject(new Error(body))
        else resolve(JSON.parse(body))
      },
    )
    req.on('error', reject)
    pipeline(Readable.from(chunks), req).catch(reject)
  })
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
  if (runs('ingest')) {
    const chunks = ndjsonChunks(Math.round(200_000 * SCALE), 7)
    await ingestBench('SQLite', {}, chunks)
    const { schema, drop } = await pgSchema()
    await ingestBench('PostgreSQL', { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema }, chunks)
    await drop()
  }
  if (runs('verdicts')) await verdictsBench()
  if (runs('board')) await boardBench()
}

async function verdictsBench(): Promise<void> {
  const headers = { authorization: `Bearer ${TOKEN}` }

  // Verdicts over 1,000,000 stored records, through the API on SQLite.
  const vdir = mkdtempSync(join(tmpdir(), 'pb-bench-'))
  const app = await buildApp(benchConfig(vdir, { POLICYBOARD_DEMO: 'true' }), { logger: false })
  const total = Math.round(1_000_000 * SCALE)
  let batch: FlowLogRecord[] = []
  for (const r of iterateDemoFlows(
    { now: Date.now(), hours: 24, count: total, seed: 11 },
    cluster,
  )) {
    batch.push(r)
    if (batch.length === 10_000) {
      await app.flows.insert(batch)
      batch = []
    }
  }
  await app.flows.insert(batch)
  const stored = await app.store.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM pb_flowlogs')
  const t0 = performance.now()
  const res = await app.inject({ method: 'GET', url: '/api/v1/verdicts?limit=100', headers })
  const ms = performance.now() - t0
  const summary = res.json().summary
  console.log(
    `verdicts over ${Number(stored?.n).toLocaleString('en')} stored records (${summary.tuples} tuples, ${summary.flows.toLocaleString('en')} flows), SQLite, through the API: ${ms.toFixed(0)} ms cold (target < 2,000 ms: ${verdict(ms < 2000)}), status ${res.statusCode}`,
  )
  const t1 = performance.now()
  await app.inject({ method: 'GET', url: '/api/v1/verdicts?limit=100', headers })
  console.log(`verdicts again (compiled set cached): ${(performance.now() - t1).toFixed(0)} ms`)
  await app.close()
  rmSync(vdir, { recursive: true, force: true })
}

async function boardBench(): Promise<void> {
  const headers = { authorization: `Bearer ${TOKEN}` }
  // The board's policy list with 2,000 policies under 100 connections.
  const bdir = mkdtempSync(join(tmpdir(), 'pb-bench-'))
  const board = await buildApp(benchConfig(bdir, { POLICYBOARD_DEMO: 'true' }), { logger: false })
  const docs: string[] = []
  for (let i = 0; i < 2000; i++) {
    docs.push(
      `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: bench-${i}, namespace: ns-${i % 20}}\nspec: {order: ${i}, selector: "app == 'a${i % 50}'", ingress: [{action: Allow, protocol: TCP, destination: {ports: [${1000 + (i % 100)}]}}]}\n`,
    )
  }
  const applied = await board.inject({
    method: 'POST',
    url: '/api/v1/apply',
    headers,
    payload: { yaml: docs.join('---\n') },
  })
  if (applied.statusCode !== 200) throw new Error(applied.body)
  await board.listen({ port: 0, host: '127.0.0.1' })
  const address = board.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  for (const [label, path, gzip] of [
    ['summaries, gzip (as the browser asks)', '/api/v1/policies?window=24h', true],
    ['summaries, uncompressed', '/api/v1/policies?window=24h', false],
    ['full resources, gzip', '/api/v1/policies?window=24h&full=true', true],
  ] as const) {
    const url = `http://127.0.0.1:${port}${path}`
    const h: Record<string, string> = { ...headers, ...(gzip ? { 'accept-encoding': 'gzip' } : {}) }
    const plain = await fetch(url, { headers })
    const count = ((await plain.json()) as { items: unknown[] }).items.length
    const sized = await new Promise<number>((resolve, reject) => {
      request(url, { headers: h }, async (r) => {
        let n = 0
        for await (const c of r) n += (c as Buffer).length
        resolve(n)
      })
        .on('error', reject)
        .end()
    })
    const result = await autocannon({
      url,
      headers: h,
      connections: 100,
      duration: Math.max(3, Math.round(10 * SCALE)),
    })
    console.log(
      `GET /api/v1/policies, ${label} (${count} policies, ${(sized / 1024).toFixed(0)} KiB on the wire): ${Math.round(result.requests.average).toLocaleString('en')} requests/s, p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx, 100 connections`,
    )
  }
  await board.close()
  rmSync(bdir, { recursive: true, force: true })
}

await main()
