import type { FastifyInstance } from 'fastify'
import { onTestFinished } from 'vitest'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { type Backend, testDatabase } from '../backends.ts'
import { TEST_ADMIN_TOKEN } from '../helper.ts'

/** A response as the concurrency suites record it: status and parsed JSON body. */
export interface HttpResult {
  status: number
  body: unknown
}

/** A client of one listening replica that sends the admin token with every request. */
export interface Client {
  readonly base: string
  request(method: string, path: string, body?: unknown): Promise<HttpResult>
}

/** A client of the server at `base` (e.g. `http://127.0.0.1:34567`). */
export function client(base: string): Client {
  return {
    base,
    async request(method, path, body) {
      const res = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await res.text()
      let parsed: unknown = text
      try {
        parsed = JSON.parse(text)
      } catch {
        // Not JSON (an error page): kept as text for the failure message.
      }
      return { status: res.status, body: parsed }
    },
  }
}

/**
 * Starts `count` app instances on one fresh database of `backend`, each listening on its own
 * port on 127.0.0.1 (so requests really run concurrently over TCP), and returns a client of
 * each. They are closed and the database dropped when the test finishes. Several instances
 * need PostgreSQL: SQLite is one process's file.
 */
export async function startReplicas(backend: Backend, count: number): Promise<Client[]> {
  if (backend === 'sqlite' && count !== 1) throw new Error('SQLite serves one instance')
  const db = await testDatabase(backend)
  const env = {
    POLICYBOARD_DEMO: 'false',
    DATA_DIR: db.dataDir,
    WEB_DIST: `${db.dataDir}/no-web`,
    LOG_LEVEL: 'silent',
    POLICYBOARD_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    // Every client shares the admin token: lift the per-credential request limit.
    API_RATE_LIMIT: '10000000',
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
    ...(db.schema ? { DATABASE_SCHEMA: db.schema } : {}),
  }
  const apps: FastifyInstance[] = []
  onTestFinished(async () => {
    for (const app of apps) await app.close()
    await db.cleanup()
  })
  // Replicas start together, as they would in a rollout: migrations and bootstrap run once.
  const built = await Promise.all(
    Array.from({ length: count }, () => buildApp(loadConfig(env), { logger: false })),
  )
  apps.push(...built)
  const clients: Client[] = []
  for (const app of built) {
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    if (typeof address !== 'object' || !address) throw new Error('no listening address')
    clients.push(client(`http://127.0.0.1:${address.port}`))
  }
  return clients
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same choices. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
