// Server benchmarks, each printed against its target: flow-log ingestion over HTTP (SQLite and
// PostgreSQL; the target, >= 100,000 records/s, is SQLite's, PostgreSQL's rate is reported), verdicts over 1,000,000 stored records through the
// API (target < 2 s), and the board's policy list under 100 concurrent connections.
// `pnpm bench server`; BENCH_SCALE=0.1 runs a smaller version; BENCH_DB=sqlite|postgres runs
// the ingest on one database. PostgreSQL from TEST_DATABASE_URL.

import type { ChildProcess } from 'node:child_process'
import {
  closeSync,
  createReadStream,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs'
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
import { startChildServer } from './child-server.ts'

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

/**
 * Writes `count` demo records as JSON lines to a temp file, once, before anything is timed:
 * the client then only streams bytes from disk and holds no records in its heap.
 */
function ndjsonFile(dir: string, count: number, seed: number): { file: string; bytes: number } {
  const file = join(dir, 'flows.ndjson')
  const fd = openSync(file, 'w')
  let cur = ''
  let bytes = 0
  for (const r of iterateDemoFlows({ now: Date.now(), hours: 24, count, seed }, cluster)) {
    cur += `${JSON.stringify(r)}\n`
    if (cur.length > 1 << 20) {
      bytes += writeSync(fd, cur)
      cur = ''
    }
  }
  if (cur) bytes += writeSync(fd, cur)
  closeSync(fd)
  return { file, bytes }
}

/** Process CPU time in seconds (both cores may be shared with other work: wall time varies). */
function cpuSeconds(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

function verdict(ok: boolean): string {
  return ok ? 'meets target' : 'BELOW TARGET'
}

/** CPU seconds (user + system) of each thread of a process, by thread id, from /proc. */
function threadCpu(pid: number): Map<number, number> {
  const out = new Map<number, number>()
  const tick = 100 // USER_HZ
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      // Fields after the command name (which may hold spaces) — utime and stime are 14 and 15.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) / tick)
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out
}

/** Starts the real server with `extra` settings on a temp data directory. */
async function startServer(
  dataDir: string,
  extra: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const { child, port } = await startChildServer(dataDir, TOKEN, extra)
  return { child, port }
}

function micros(seconds: number, records: number): string {
  return ((seconds / records) * 1e6).toFixed(1)
}

/**
 * Ingest through the real path: the real server in its own process, the body streamed from
 * a file over HTTP, split into lines, parsed, validated, inserted with its counters, and the
 * batch's progress. CPU is the server process's (from /proc), per thread: its main thread,
 * the ingest worker (the thread that appeared with the warm-up batch), the threads that
 * appeared during the run (the SQLite checkpointer), and the rest (GC, libuv).
 */
async function ingestBench(
  label: string,
  extra: Record<string, string>,
  data: { file: string; bytes: number },
) {
  const dir = mkdtempSync(join(tmpdir(), 'pb-bench-'))
  const { child, port } = await startServer(dir, extra)
  const pid = child.pid as number
  try {
    // Warm-up: a small batch first, so that the ingest worker (started once per process, on
    // first use) is running; its start is printed apart.
    const head = readFileSync(data.file).subarray(0, 64 * 1024)
    const w0 = performance.now()
    const before = threadCpu(pid)
    await send(port, 'warm-up', () => Readable.from([head.subarray(0, head.lastIndexOf('\n') + 1)]))
    const warm = performance.now() - w0
    // The client's heap holds nothing of the data: collect what generating it left.
    ;(globalThis as { gc?: () => void }).gc?.()
    const c0 = threadCpu(pid)
    const clientCpu0 = cpuSeconds()
    const t0 = performance.now()
    const out = await send(port, 'bench', () =>
      createReadStream(data.file, { highWaterMark: 1024 * 1024 }),
    )
    const s = (performance.now() - t0) / 1000
    const clientCpu = cpuSeconds() - clientCpu0
    const c1 = threadCpu(pid)
    const n = out.accepted
    let total = 0
    let main = 0
    let worker = 0
    let later = 0
    let rest = 0
    for (const [tid, end] of c1) {
      const d = end - (c0.get(tid) ?? 0)
      total += d
      if (tid === pid) main += d
      else if (!c0.has(tid)) later += d
      else if (!before.has(tid)) worker += d
      else rest += d
    }
    const rate = n / s
    console.log(
      `ingest ${label} over HTTP (server in its own process): ${n.toLocaleString('en')} records in ${s.toFixed(2)} s = ${Math.round(rate).toLocaleString('en')} records/s (${label === 'SQLite' ? `target >= 100,000: ${verdict(rate >= 100_000)}` : 'reported, no target'}); server CPU ${total.toFixed(2)} s = ${micros(total, n)} µs per record (request thread ${micros(main, n)}, ingest worker ${micros(worker, n)}, threads started during the run ${micros(later, n)}, other threads ${micros(rest, n)}); client CPU ${micros(clientCpu, n)} µs per record; warm-up batch (worker start) ${warm.toFixed(0)} ms`,
    )
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Posts a body of JSON lines as batch `batch`, streamed from `body()`. */
function send(
  port: number,
  batch: string,
  body: () => Readable,
): Promise<{ accepted: number; rejectedCount: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `http://127.0.0.1:${port}/api/v1/flowlogs?batch=${batch}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TOKEN}` },
      },
      async (res) => {
        let text = ''
        for await (const c of res) text += c
        if (res.statusCode !== 200) reject(new Error(text))
        else resolve(JSON.parse(text))
      },
    )
    req.on('error', reject)
    pipeline(body(), req).catch(reject)
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
    const dataDir = mkdtempSync(join(tmpdir(), 'pb-bench-data-'))
    const data = ndjsonFile(dataDir, Math.round(200_000 * SCALE), 7)
    try {
      if (process.env.BENCH_DB !== 'postgres') await ingestBench('SQLite', {}, data)
      if (process.env.BENCH_DB !== 'sqlite') {
        const { schema, drop } = await pgSchema()
        await ingestBench('PostgreSQL', { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema }, data)
        await drop()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
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
