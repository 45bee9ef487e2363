import { describe, expect, it, onTestFinished } from 'vitest'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { testDatabase } from '../backends.ts'
import { TEST_ADMIN_TOKEN, withAdminToken } from '../helper.ts'

describe('several replicas on one PostgreSQL', () => {
  it('see each other’s writes at once (caches keyed by the shared revision counter)', async () => {
    const db = await testDatabase('postgres')
    const env = {
      POLICYBOARD_DEMO: 'true',
      DATA_DIR: db.dataDir,
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.databaseUrl as string,
      DATABASE_SCHEMA: db.schema as string,
      // Both replicas bootstrap the same admin token at once: it is stored once.
      POLICYBOARD_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    }
    // Both start together: migrations and demo seeding must happen once.
    const [a, b] = (
      await Promise.all([
        buildApp(loadConfig(env), { logger: false }),
        buildApp(loadConfig(env), { logger: false }),
      ])
    ).map(withAdminToken)
    if (!a || !b) throw new Error('replicas missing')
    onTestFinished(async () => {
      await a.close()
      await b.close()
      await db.cleanup()
    })
    const tiers = await b.inject({ method: 'GET', url: '/api/v1/tiers' })
    const names = tiers.json().items.map((t: { metadata: { name: string } }) => t.metadata.name)
    expect(new Set(names).size).toBe(names.length)
    const before = (await b.inject({ method: 'GET', url: '/api/v1/board' })).json()
    const created = await a.inject({
      method: 'POST',
      url: '/api/v1/tiers',
      payload: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'Tier',
        metadata: { name: 'from-a' },
        spec: { order: 5 },
      },
    })
    expect(created.statusCode, created.body).toBe(201)
    const after = (await b.inject({ method: 'GET', url: '/api/v1/board' })).json()
    expect(after.revision).not.toBe(before.revision)
    expect(after.tiers[0].name).toBe('from-a')
    // A stale write through the other replica is refused.
    const stale = await b.inject({
      method: 'PUT',
      url: '/api/v1/tiers/from-a',
      payload: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'Tier',
        metadata: { name: 'from-a', resourceVersion: '1' },
        spec: { order: 6 },
      },
    })
    expect(stale.statusCode).toBe(409)
  })
})
