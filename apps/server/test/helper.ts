import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { expect, onTestFinished } from 'vitest'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { type Backend, testDatabase } from './backends.ts'

/**
 * Builds the app on a fresh database of `backend` (no demo data unless asked) and closes it
 * and drops the database when the test finishes.
 */
export async function build(
  backend: Backend,
  env: Record<string, string> = {},
): Promise<FastifyInstance> {
  const db = await testDatabase(backend)
  const config = loadConfig({
    POLICYBOARD_DEMO: 'false',
    DATA_DIR: db.dataDir,
    WEB_DIST: `${db.dataDir}/no-web`,
    LOG_LEVEL: 'silent',
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
    ...(db.schema ? { DATABASE_SCHEMA: db.schema } : {}),
    ...env,
  })
  const app = await buildApp(config, { logger: false })
  onTestFinished(async () => {
    await app.close()
    await db.cleanup()
  })
  return app
}

/** Asserts a 400 validation body with an error at `path` (and `code` when given). */
export function expectValidationError(
  res: LightMyRequestResponse,
  path: string,
  code?: string,
): void {
  expect(res.statusCode, res.body).toBe(400)
  const body = res.json() as { code: string; errors: Array<{ path: string; code: string }> }
  expect(body.code).toBe('VALIDATION')
  const hit = body.errors.find((e) => e.path === path)
  expect(hit, `no error at ${path}: ${res.body}`).toBeDefined()
  if (code) expect(hit?.code).toBe(code)
}
