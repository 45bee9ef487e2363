import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { build } from '../helper.ts'

describe('server', () => {
  it('serves the built web app with SPA fallback, never for API paths', async () => {
    const web = mkdtempSync(join(tmpdir(), 'pb-web-'))
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Policyboard</title>')
    writeFileSync(join(web, 'app.js'), 'console.log(1)')
    const app = await build('sqlite', { WEB_DIST: web })
    expect((await app.inject({ method: 'GET', url: '/' })).body).toContain('Policyboard')
    expect((await app.inject({ method: 'GET', url: '/app.js' })).body).toContain('console.log')
    const deep = await app.inject({ method: 'GET', url: '/tiers/security?x=1' })
    expect(deep.statusCode).toBe(200)
    expect(deep.body).toContain('Policyboard')
    const api = await app.inject({ method: 'GET', url: '/api/v1/missing' })
    expect(api.statusCode).toBe(404)
    expect(api.json().code).toBe('NOT_FOUND')
  })

  it('refuses bodies over the limit and unknown query parameters', async () => {
    const app = await build('sqlite', { BODY_LIMIT: '2048' })
    const big = await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      payload: { yaml: 'x'.repeat(4096) },
    })
    expect(big.statusCode).toBe(413)
    expect(big.json().code).toBe('PAYLOAD_TOO_LARGE')
    const q = await app.inject({ method: 'GET', url: '/api/v1/policies?tierr=x' })
    expect(q.statusCode).toBe(400)
    expect(q.json().errors[0]).toMatchObject({ code: 'UNKNOWN_FIELD', path: 'querystring.tierr' })
  })

  it('validates the configuration at boot, naming every bad variable', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', POLICYBOARD_DEMO: 'maybe', LOG_LEVEL: 'loud' }),
    ).toThrow(ConfigError)
    try {
      loadConfig({ PORT: 'eighty', POLICYBOARD_DEMO: 'maybe' })
    } catch (err) {
      expect((err as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
        'PORT',
        'POLICYBOARD_DEMO',
      ])
    }
    const c = loadConfig({}, '/srv')
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/srv/.data',
      demo: true,
      flowRetentionDays: 30,
    })
  })
})
