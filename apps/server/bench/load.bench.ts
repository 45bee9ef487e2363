// Load benchmark: the real server (SQLite, demo data) as a child process, driven over HTTP by
// a mix of reads and writes. A short closed-loop ramp finds the highest throughput the machine
// sustains; the main run then sends requests at a fixed rate below it (open loop: latency is
// measured from each request's scheduled time, so a stalled server cannot hide its queue)
// and reports requests/s, p50/p99 latency, errors (409s counted apart) and the server's RSS
// every 5 s. `pnpm bench server`; LOAD_SECONDS (default 60) sets the main run's length.

import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { demoCluster, iterateDemoFlows } from '../src/demo/index.ts'
import { startChildServer } from './child-server.ts'

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60)
const TOKEN = 'bench-load-token-0123456789abcdef'
/** Writers own one policy each, so a write never races another: 409s should stay at zero. */
const OWNED = 32
const RAMP_LEVELS = [1, 2, 4, 8, 16, 32, 64]
const RAMP_SECONDS = 3
/** The main run's rate, as a share of the best ramp throughput. */
const HEADROOM = 0.8
/** Requests in flight during the main run at most (a backlog beyond it counts as late). */
const MAX_IN_FLIGHT = 256
const FLOW_BATCH = 10

type Kind = 'board' | 'policies' | 'policy' | 'put' | 'ingest'

interface Owned {
  name: string
  body: Record<string, unknown> & { metadata: Record<string, unknown> }
  busy: boolean
  n: number
}

/** Counts and latencies of one phase. */
class Stats {
  readonly all: RecordableHistogram = createHistogram()
  readonly byKind = new Map<Kind, RecordableHistogram>()
  readonly errors: string[] = []
  ok = 0
  conflicts = 0
  errorCount = 0
  sent = 0
  /** Latencies of the current 5 s window of the main run (reset at each RSS sample). */
  window: RecordableHistogram = createHistogram()

  record(kind: Kind, micros: number, status: number, detail: string): void {
    const v = Math.max(1, Math.round(micros))
    this.all.record(v)
    this.window.record(v)
    let h = this.byKind.get(kind)
    if (!h) {
      h = createHistogram()
      this.byKind.set(kind, h)
    }
    h.record(v)
    if (status >= 200 && status < 300) this.ok += 1
    else if (status === 409) this.conflicts += 1
    else {
      this.errorCount += 1
      if (this.errors.length < 10) this.errors.push(`${kind} ${status} ${detail.slice(0, 200)}`)
    }
  }

  get done(): number {
    return this.ok + this.conflicts + this.errorCount
  }
}

function ms(micros: number): string {
  return `${(micros / 1000).toFixed(1)} ms`
}

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const m = /VmRSS:\s+(\d+) kB/.exec(status)
  return m ? Number(m[1]) : Number.NaN
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`
}

/** Starts the real server with the demo data and waits for its URL. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const { child, base } = await startChildServer(dataDir, TOKEN, { POLICYBOARD_DEMO: 'true' })
  return { child, base }
}

/** The HTTP client: keep-alive connections, the admin token on every request. */
function makeClient(base: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT })
  const url = new URL(base)
  return function send(
    method: string,
    path: string,
    body?: string,
    type = 'application/json',
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path: `/api/v1${path}`,
          agent,
          headers: {
            authorization: `Bearer ${TOKEN}`,
            ...(body !== undefined
              ? { 'content-type': type, 'content-length': Buffer.byteLength(body) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          )
          res.on('error', (err) => resolve({ status: 0, text: String(err) }))
        },
      )
      req.on('error', (err) => resolve({ status: 0, text: String(err) }))
      if (body !== undefined) req.write(body)
      req.end()
    })
  }
}

type Send = ReturnType<typeof makeClient>

/** The mix: 70% reads (board, policy list, one policy), 20% writes, 10% flow-log ingest. */
function pickKind(r: number): Kind {
  if (r < 0.2) return 'board'
  if (r < 0.4) return 'policies'
  if (r < 0.7) return 'policy'
  if (r < 0.9) return 'put'
  return 'ingest'
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pb-load-'))
  const { child, base } = await startServer(dataDir)
  const pid = child.pid as number
  const send = makeClient(base)
  try {
    await run(send, pid)
  } finally {
    child.kill('SIGTERM')
    await new Promise((resolve) => {
      if (child.exitCode !== null) resolve(undefined)
      else child.once('exit', resolve)
    })
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function run(send: Send, pid: number): Promise<void> {
  // Setup: a tier of policies the writers own, the demo's policies to read, flow batches.
  const tier = await send(
    'POST',
    '/tiers',
    JSON.stringify({
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: 'load' },
      spec: { order: 900 },
    }),
  )
  if (tier.status !== 201) throw new Error(`tier: ${tier.status} ${tier.text}`)
  const owned: Owned[] = []
  for (let i = 0; i < OWNED; i++) {
    const name = `w${i}`
    const res = await send(
      'POST',
      '/globalnetworkpolicies',
      JSON.stringify({
        apiVersion: 'projectcalico.org/v3',
        kind: 'GlobalNetworkPolicy',
        metadata: { name, annotations: { 'policyboard.dev/n': '0' } },
        spec: {
          tier: 'load',
          order: (i + 1) * 10,
          selector: `app == 'load-${i}'`,
          types: ['Ingress'],
          ingress: [{ action: 'Allow', source: { selector: "role == 'client'" } }],
        },
      }),
    )
    if (res.status !== 201) throw new Error(`policy ${name}: ${res.status} ${res.text}`)
    owned.push({ name, body: JSON.parse(res.text), busy: false, n: 0 })
  }
  const list = await send('GET', '/policies')
  const readable = (
    JSON.parse(list.text) as { items: Array<{ kind: string; namespace?: string; name: string }> }
  ).items
    .filter((p) => p.kind === 'GlobalNetworkPolicy' || p.kind === 'NetworkPolicy')
    .map((p) =>
      p.kind === 'NetworkPolicy'
        ? `/namespaces/${p.namespace}/networkpolicies/${p.name}`
        : `/globalnetworkpolicies/${p.name}`,
    )
  const cluster = demoCluster()
  const batches: string[] = []
  let cur: string[] = []
  for (const r of iterateDemoFlows(
    { now: Date.now(), hours: 2, count: 20_000, seed: 11 },
    cluster,
  )) {
    cur.push(JSON.stringify(r))
    if (cur.length === FLOW_BATCH) {
      batches.push(`${cur.join('\n')}\n`)
      cur = []
    }
  }
  console.log(
    `load: server pid ${pid} (SQLite, demo data: ${readable.length} readable policies), ${OWNED} owned policies, ${batches.length} flow batches of ${FLOW_BATCH}`,
  )

  let seq = 0
  let writesDeferred = 0
  /** One request of the mix; resolves when answered, recording into `stats` from `start` (µs). */
  async function one(stats: Stats, start: number): Promise<void> {
    const i = seq++
    // Golden-ratio sequence: an even spread over the mix without a PRNG.
    let kind = pickKind((i * 0.6180339887) % 1)
    let res: { status: number; text: string }
    stats.sent += 1
    if (kind === 'put') {
      const o = owned.find((x) => !x.busy)
      if (!o) {
        writesDeferred += 1
        kind = 'policy'
      } else {
        o.busy = true
        o.n += 1
        const meta = o.body.metadata
        const body = {
          ...o.body,
          metadata: { ...meta, annotations: { 'policyboard.dev/n': String(o.n) } },
        }
        res = await send('PUT', `/globalnetworkpolicies/${o.name}`, JSON.stringify(body))
        if (res.status === 200) o.body = JSON.parse(res.text)
        else {
          // Refused: start again from what is stored.
          const again = await send('GET', `/globalnetworkpolicies/${o.name}`)
          if (again.status === 200) o.body = JSON.parse(again.text)
        }
        o.busy = false
        stats.record(kind, performance.now() * 1000 - start, res.status, res.text)
        return
      }
    }
    switch (kind) {
      case 'board':
        res = await send('GET', '/board')
        break
      case 'policies':
        res = await send('GET', i % 2 ? '/policies' : '/policies?tier=load')
        break
      case 'policy':
        res = await send('GET', readable[i % readable.length] as string)
        break
      default:
        res = await send(
          'POST',
          '/flowlogs',
          batches[i % batches.length] as string,
          'application/x-ndjson',
        )
    }
    stats.record(kind, performance.now() * 1000 - start, res.status, res.text)
  }

  // Warm-up: caches, JIT, connections.
  await closedLoop(one, 4, 2)

  // Ramp: closed loop at rising concurrency; the best throughput without errors is the ceiling.
  console.log(`load ramp (closed loop, ${RAMP_SECONDS} s per level):`)
  let best = 0
  for (const c of RAMP_LEVELS) {
    const s = await closedLoop(one, c, RAMP_SECONDS)
    const rate = s.done / RAMP_SECONDS
    console.log(
      `  ${String(c).padStart(2)} connections: ${rate.toFixed(0).padStart(5)} req/s, p50 ${ms(s.all.percentile(50))}, p99 ${ms(s.all.percentile(99))}, errors ${s.errorCount}, 409 ${s.conflicts}`,
    )
    if (s.errorCount === 0 && rate > best) best = rate
  }
  if (best === 0) throw new Error('no ramp level ran without errors')
  const target = Math.max(1, Math.floor(best * HEADROOM))
  console.log(
    `load: sustainable rate found ${best.toFixed(0)} req/s; main run at ${target} req/s (${HEADROOM * 100}%) for ${SECONDS} s`,
  )

  // Main run: open loop at `target` req/s, RSS sampled every 5 s.
  const stats = new Stats()
  const rss: Array<[number, number]> = [[0, rssKiB(pid)]]
  const windows: string[] = []
  const closeWindow = (t: number) => {
    const w = stats.window
    windows.push(
      `${t - 5}-${t}s ${w.count} done, p99 ${ms(w.count ? w.percentile(99) : 0)}, max ${ms(w.count ? w.max : 0)}`,
    )
    stats.window = createHistogram()
  }
  const t0 = performance.now()
  const end = t0 + SECONDS * 1000
  let issued = 0
  let inFlight = 0
  let late = 0
  let nextSample = 5
  const pending = new Set<Promise<void>>()
  while (performance.now() < end) {
    const now = performance.now()
    const due = Math.floor(((now - t0) / 1000) * target)
    while (issued < due) {
      // Each request's scheduled time: latency includes any wait for the server to catch up.
      const scheduled = (t0 + (issued / target) * 1000) * 1000
      issued += 1
      if (inFlight >= MAX_IN_FLIGHT) {
        late += 1
        continue
      }
      inFlight += 1
      const p = one(stats, scheduled).finally(() => {
        inFlight -= 1
        pending.delete(p)
      })
      pending.add(p)
    }
    if ((now - t0) / 1000 >= nextSample) {
      rss.push([nextSample, rssKiB(pid)])
      closeWindow(nextSample)
      nextSample += 5
    }
    await sleep(2)
  }
  await Promise.all(pending)
  const elapsed = (performance.now() - t0) / 1000
  if (rss.length <= SECONDS / 5) {
    rss.push([SECONDS, rssKiB(pid)])
    closeWindow(SECONDS)
  }

  console.log(`load main run: ${SECONDS} s open loop at ${target} req/s (SQLite, demo data)`)
  console.log(
    `  completed ${stats.done.toLocaleString('en')} requests in ${elapsed.toFixed(1)} s = ${(stats.done / elapsed).toFixed(0)} req/s (scheduled ${issued.toLocaleString('en')}, not sent because ${MAX_IN_FLIGHT} were in flight: ${late})`,
  )
  console.log(
    `  latency p50 ${ms(stats.all.percentile(50))}, p99 ${ms(stats.all.percentile(99))}, max ${ms(stats.all.max)}`,
  )
  for (const [kind, h] of stats.byKind) {
    console.log(
      `    ${kind.padEnd(8)} ${String(h.count).padStart(6)} requests, p50 ${ms(h.percentile(50))}, p99 ${ms(h.percentile(99))}`,
    )
  }
  console.log(
    `  errors (non-2xx other than 409, or failed connections): ${stats.errorCount}; 409 conflicts: ${stats.conflicts}; writes turned into reads (every owned policy busy): ${writesDeferred}`,
  )
  for (const e of stats.errors) console.log(`    ${e}`)
  console.log(`  latency per 5 s window (by completion): ${windows.join('; ')}`)
  console.log(`  server RSS every 5 s: ${rss.map(([t, k]) => `${t}s ${mib(k)}`).join(', ')}`)
  const at10 = rss.find(([t]) => t === 10)?.[1]
  const last = rss.at(-1)
  if (at10 !== undefined && last) {
    const drift = last[1] - at10
    console.log(
      `  RSS drift ${rss.find(([t]) => t === 10)?.[0]} s -> ${last[0]} s: ${drift >= 0 ? '+' : ''}${mib(drift)} (${((drift / at10) * 100).toFixed(1)}%)`,
    )
  }
  // The trend past warm-up (least squares over the samples from 10 s on): GC makes single
  // samples saw up and down, the slope says whether memory grows.
  const tail = rss.filter(([t]) => t >= 10)
  if (tail.length >= 3) {
    const mt = tail.reduce((a, [t]) => a + t, 0) / tail.length
    const mk = tail.reduce((a, [, k]) => a + k, 0) / tail.length
    const slope =
      tail.reduce((a, [t, k]) => a + (t - mt) * (k - mk), 0) /
      tail.reduce((a, [t]) => a + (t - mt) ** 2, 0)
    const ks = tail.map(([, k]) => k)
    console.log(
      `  RSS from 10 s on: min ${mib(Math.min(...ks))}, max ${mib(Math.max(...ks))}, trend ${slope >= 0 ? '+' : ''}${mib(slope * 60)} per minute`,
    )
  }
  console.log(
    `  verdict: ${stats.errorCount === 0 ? 'zero errors' : `${stats.errorCount} ERRORS`}, ${late === 0 ? 'rate sustained' : 'RATE NOT SUSTAINED'}`,
  )
}

/** `concurrency` loops each sending one request after another for `seconds`. */
async function closedLoop(
  one: (stats: Stats, start: number) => Promise<void>,
  concurrency: number,
  seconds: number,
): Promise<Stats> {
  const stats = new Stats()
  const end = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) await one(stats, performance.now() * 1000)
    }),
  )
  return stats
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
