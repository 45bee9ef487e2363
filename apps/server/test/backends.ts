import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

/** A database for one test: options for `openStore` or `buildApp`, and a cleanup. */
export interface TestDatabase {
  databaseUrl?: string
  schema?: string
  dataDir: string
  cleanup: () => Promise<void>
}

/** The PostgreSQL server the suites run against. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** Both backends: every store and route suite runs once per entry. */
export const BACKENDS = ['sqlite', 'postgres'] as const
export type Backend = (typeof BACKENDS)[number]

/**
 * A fresh database: a temporary directory for SQLite, or a schema of its own
 * (`pb_test_<random>`) on the test PostgreSQL, dropped afterwards. Fails (never skips) when
 * PostgreSQL is unreachable.
 */
export async function testDatabase(backend: Backend): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'policyboard-test-'))
  const removeDir = async () => rmSync(dataDir, { recursive: true, force: true })
  if (backend === 'sqlite') return { dataDir, cleanup: removeDir }
  const schema = `pb_test_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    connectionTimeoutMillis: 5000,
  })
  try {
    await admin.connect()
  } catch (err) {
    throw new Error(
      `PostgreSQL at ${TEST_DATABASE_URL} is unreachable (set TEST_DATABASE_URL): ${String(err)}`,
    )
  }
  await admin.query(`CREATE SCHEMA ${schema}`)
  await admin.end()
  return {
    databaseUrl: TEST_DATABASE_URL,
    schema,
    dataDir,
    cleanup: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL })
      await c.connect()
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await c.end()
      await removeDir()
    },
  }
}
