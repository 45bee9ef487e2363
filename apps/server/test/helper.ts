import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { expect, onTestFinished } from 'vitest'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { type Backend, testDatabase } from './backends.ts'

/** The admin token every test app knows (POLICYBOARD_ADMIN_TOKEN). */
export const TEST_ADMIN_TOKEN = 'pb_test_admin_token_0123456789'

/**
 * Builds the app on a fresh database of `backend` (no demo data unless asked) and closes it
 * and drops the database when the test finishes. Its `inject` sends the admin token unless
 * the request names its own `authorization` or `cookie` header (see `buildAnonymous`).
 */
export async function build(
  backend: Backend,
  env: Record<string, string> = {},
): Promise<FastifyInstance> {
  return withAdminToken(await buildAnonymous(backend, env))
}

/** `app` whose `inject` sends the admin token unless the request names its own credentials. */
export function withAdminToken(app: FastifyInstance): FastifyInstance {
  const inject = app.inject.bind(app) as (opts: unknown) => unknown
  Object.assign(app, {
    inject: (opts?: unknown) => {
      if (opts === undefined || typeof opts === 'string') return inject(opts)
      const o = opts as { headers?: Record<string, unknown> }
      const headers = { ...(o.headers ?? {}) }
      if (!('authorization' in headers) && !('cookie' in headers)) {
        headers.authorization = `Bearer ${TEST_ADMIN_TOKEN}`
      }
      return inject({ ...o, headers })
    },
  })
  return app
}

/**
 * Creates (or replaces) user `name` with `roles` and returns a fresh API token of it, made
 * with the admin token.
 */
export async function userToken(
  app: FastifyInstance,
  name: string,
  roles: ReadonlyArray<Record<string, unknown>>,
): Promise<string> {
  const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }
  const put = await app.inject({
    method: 'PUT',
    url: `/api/v1/users/${name}`,
    headers: admin,
    payload: { roles },
  })
  expect(put.statusCode, put.body).toBe(200)
  const tok = await app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: admin,
    payload: { name: 'test', user: name },
  })
  expect(tok.statusCode, tok.body).toBe(201)
  return (tok.json() as { token: string }).token
}

/** Like `build`, but requests carry only the credentials they name. */
export async function buildAnonymous(
  backend: Backend,
  env: Record<string, string> = {},
): Promise<FastifyInstance> {
  const db = await testDatabase(backend)
  const config = loadConfig({
    POLICYBOARD_DEMO: 'false',
    DATA_DIR: db.dataDir,
    WEB_DIST: `${db.dataDir}/no-web`,
    LOG_LEVEL: 'silent',
    POLICYBOARD_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
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
