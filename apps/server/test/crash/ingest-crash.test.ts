// Crash safety: the real server is killed with SIGKILL in the middle of a large flow-log ingest
// and of a large apply, restarted on the same database, and the store is checked: no partial
// transaction is visible, counters equal a recount from the rows, and re-sending the same
// batch completes it exactly once. Runs on SQLite and on PostgreSQL.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { type ClientRequest, request } from 'node:http'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { demoCluster, iterateDemoFlows } from '../../src/demo/index.ts'
import type { SqlClient } from '../../src/store/index.ts'
import { openPostgres } from '../../src/store/postgres.ts'
import { openSqlite } from '../../src/store/sqlite.ts'
import { BACKENDS, type TestDatabase, testDatabase } from '../backends.ts'
import { flowTotals } from '../flow-consistency.ts'

/** Records streamed in the ingest that is killed (CRASH_RECORDS overrides). */
const RECORDS = Number(process.env.CRASH_RECORDS ?? 200_000)
/** Policies in the apply that is killed. */
const POLICIES = 3000
const TOKEN = 'crash-test-admin-token-0123456789'
const SERVER_DIR = join(import.meta.dirname, '../..')
/** Fixed so that every send of the batch generates the same body. */
const NOW = Date.UTC(2026, 10, 1)

/** The real server as a child process. */
interface Server {
  child: ChildProcess
  url: string
}

const running = new Set<ChildProcess>()

afterEach(() => {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
})

async function startServer(db: TestDatabase): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: db.dataDir,
      WEB_DIST: join(db.dataDir, 'no-web'),
      POLICYBOARD_DEMO: 'false',
      LOG_LEVEL: 'error',
      POLICYBOARD_ADMIN_TOKEN: TOKEN,
      API_RATE_LIMIT: '10000000',
      ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
      ...(db.schema ? { DATABASE_SCHEMA: db.schema } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString()
      const m = /running at (http:\/\/\S+)/.exec(output)
      if (m?.[1]) resolve(m[1])
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)))
  })
  return { child, url }
}

async function kill(server: Server): Promise<void> {
  const exited = once(server.child, 'exit')
  server.child.kill('SIGKILL')
  await exited
  running.delete(server.child)
}

/** The demo records of the batch as JSON lines, 1,000 lines per chunk, generated lazily. */
function* ndjson(): Generator<string> {
  let lines: string[] = []
  for (const r of iterateDemoFlows(
    { now: NOW, hours: 24, count: RECORDS, seed: 5 },
    demoCluster(),
  )) {
    lines.push(JSON.stringify(r))
    if (lines.length === 1000) {
      yield `${lines.join('\n')}\n`
      lines = []
    }
  }
  if (lines.length) yield `${lines.join('\n')}\n`
}

/** Waits for the request to drain: false when it closed instead. */
function drained(req: ClientRequest): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (ok: boolean) => () => {
      req.off('drain', onDrain)
      req.off('close', onClose)
      resolve(ok)
    }
    const onDrain = settle(true)
    const onClose = settle(false)
    req.once('drain', onDrain)
    req.once('close', onClose)
  })
}

/**
 * POSTs the batch, streamed with backpressure. With `stopAfter`, calls it once that many lines
 * were written and stops writing (the server is being killed).
 */
async function sendBatch(
  server: Server,
  batch: string,
  stopAfter?: { lines: number; onReached: () => Promise<void> },
): Promise<{ status: number; body: string } | undefined> {
  const req = request(`${server.url}/api/v1/flowlogs?batch=${batch}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-ndjson',
      authorization: `Bearer ${TOKEN}`,
    },
  })
  const response = new Promise<{ status: number; body: string } | undefined>((resolve) => {
    req.on('response', async (res) => {
      let body = ''
      for await (const c of res) body += c
      resolve({ status: res.statusCode ?? 0, body })
    })
    req.on('error', () => resolve(undefined))
  })
  let written = 0
  for (const chunk of ndjson()) {
    if (stopAfter && written >= stopAfter.lines) {
      await stopAfter.onReached()
      req.destroy()
      return response
    }
    if (!req.write(chunk) && !(await drained(req))) return response
    written += 1000
  }
  req.end()
  return response
}

async function api(server: Server, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, text: await res.text() }
}

function openDb(db: TestDatabase): SqlClient {
  return db.databaseUrl
    ? openPostgres({ url: db.databaseUrl, ...(db.schema ? { schema: db.schema } : {}), max: 2 })
    : openSqlite(join(db.dataDir, 'policyboard.sqlite'))
}

/** Counters equal a recount from the rows; returns the number of stored records. */
async function expectConsistentFlows(db: TestDatabase): Promise<number> {
  const sql = openDb(db)
  try {
    const t = await flowTotals(sql)
    expect(t.counters).toEqual({ records: t.records, flows: t.flows, hits: t.hits })
    return t.records
  } finally {
    await sql.close()
  }
}

/** Policies of the killed apply, their revisions, and the revision counter against the log. */
async function applyState(db: TestDatabase) {
  const sql = openDb(db)
  try {
    const resources = await sql.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM pb_resources WHERE name LIKE 'crash-%'",
    )
    const revisions = await sql.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM pb_revisions WHERE name LIKE 'crash-%'",
    )
    const counter = await sql.get<{ value: number }>(
      "SELECT value FROM pb_counters WHERE name = 'revision'",
    )
    const last = await sql.get<{ id: number | null }>('SELECT MAX(id) AS id FROM pb_revisions')
    return {
      resources: Number(resources?.n),
      revisions: Number(revisions?.n),
      counter: Number(counter?.value),
      lastRevision: Number(last?.id ?? 0),
    }
  } finally {
    await sql.close()
  }
}

function crashYaml(): string {
  const docs: string[] = []
  for (let i = 0; i < POLICIES; i++) {
    docs.push(
      `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: crash-${i}, namespace: ns-${i % 10}}\nspec: {order: ${i}, selector: "app == 'a${i % 40}'", ingress: [{action: Allow, protocol: TCP, source: {selector: "role == 'r${i % 7}'"}, destination: {ports: [${1000 + (i % 100)}]}}]}\n`,
    )
  }
  return docs.join('---\n')
}

describe.each(BACKENDS)('crash safety on %s', (backend) => {
  it('resumes a flow-log batch killed midway, exactly once, with exact counters', async () => {
    const db = await testDatabase(backend)
    try {
      let server = await startServer(db)
      // Killed once roughly half of the body is written (the server reads with
      // backpressure, so it has committed some transactions and is inside another).
      const first = await sendBatch(server, 'crash-1', {
        lines: Math.floor(RECORDS / 2),
        onReached: () => kill(server),
      })
      expect(first).toBeUndefined()
      const committed = await expectConsistentFlows(db)
      expect(committed).toBeLessThan(RECORDS)

      server = await startServer(db)
      expect(await expectConsistentFlows(db)).toBe(committed)
      const retry = await sendBatch(server, 'crash-1')
      expect(retry?.status, retry?.body).toBe(200)
      expect(JSON.parse(retry?.body ?? '{}')).toMatchObject({
        accepted: RECORDS,
        rejectedCount: 0,
        duplicate: false,
      })
      expect(await expectConsistentFlows(db)).toBe(RECORDS)

      const again = await sendBatch(server, 'crash-1')
      expect(JSON.parse(again?.body ?? '{}')).toMatchObject({ accepted: 0, duplicate: true })
      expect(await expectConsistentFlows(db)).toBe(RECORDS)
      await kill(server)
    } finally {
      await db.cleanup()
    }
  }, 600_000)

  it('keeps all or none of a large apply killed midway, with consistent revisions', async () => {
    const db = await testDatabase(backend)
    try {
      let server = await startServer(db)
      const yaml = crashYaml()
      const applying = api(server, 'POST', '/api/v1/apply', { yaml }).catch(() => undefined)
      // Parsing and validating 3,000 documents comes first; the kill lands in or before the
      // write transaction.
      await new Promise((r) => setTimeout(r, 700))
      await kill(server)
      await applying
      const state = await applyState(db)
      expect([0, POLICIES]).toContain(state.resources)
      expect(state.revisions).toBe(state.resources)
      expect(state.counter).toBe(state.lastRevision)

      server = await startServer(db)
      const res = await api(server, 'POST', '/api/v1/apply', { yaml })
      expect(res.status, res.text.slice(0, 500)).toBe(200)
      const after = await applyState(db)
      expect(after.resources).toBe(POLICIES)
      // A policy stored before the crash is unchanged by the re-apply (no new revision).
      expect(after.revisions).toBe(POLICIES)
      expect(after.counter).toBe(after.lastRevision)
      await kill(server)
    } finally {
      await db.cleanup()
    }
  }, 300_000)
})
