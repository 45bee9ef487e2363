import { Writable } from 'node:stream'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildApp } from '../../src/app.ts'
import { hashPassword, verifyPassword } from '../../src/auth/store.ts'
import { loadConfig } from '../../src/config.ts'
import { BACKENDS, testDatabase } from '../backends.ts'
import { build, buildAnonymous, TEST_ADMIN_TOKEN, userToken } from '../helper.ts'

const bearer = (t: string) => ({ authorization: `Bearer ${t}` })

function cookiesOf(setCookie: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const c of [setCookie ?? []].flat()) {
    const [pair] = c.split(';')
    const eq = pair?.indexOf('=') ?? -1
    if (pair && eq > 0) out[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1))
  }
  return out
}

describe.each(BACKENDS)('authentication on %s', (backend) => {
  it('logs in with a password, sets a strict HttpOnly session cookie, checks CSRF, logs out', async () => {
    const app = await buildAnonymous(backend, {
      POLICYBOARD_ADMIN_PASSWORD: 'correct-horse-battery',
    })
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'wrong-password-000' },
    })
    expect(bad.statusCode).toBe(401)
    expect(bad.headers['set-cookie']).toBeUndefined()
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'correct-horse-battery' },
    })
    expect(ok.statusCode, ok.body).toBe(200)
    const raw = [ok.headers['set-cookie'] ?? []].flat()
    const session = raw.find((c) => c.startsWith('pb_session='))
    expect(session).toMatch(/HttpOnly/)
    expect(session).toMatch(/SameSite=Strict/)
    expect(session).not.toMatch(/Secure/)
    const jar = cookiesOf(raw)
    const cookie = `pb_session=${jar.pb_session}; pb_csrf=${jar.pb_csrf}`
    expect(ok.json()).toMatchObject({ user: { name: 'admin', admin: true }, via: 'session' })
    // Reads need no CSRF header; writes do.
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode,
    ).toBe(200)
    const tier = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: 'csrf' },
      spec: { order: 5 },
    }
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/tiers',
      headers: { cookie },
      payload: tier,
    })
    expect(noCsrf.statusCode).toBe(403)
    expect(noCsrf.json().code).toBe('CSRF')
    const withCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/tiers',
      headers: { cookie, 'x-policyboard-csrf': jar.pb_csrf ?? '' },
      payload: tier,
    })
    expect(withCsrf.statusCode, withCsrf.body).toBe(201)
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-policyboard-csrf': jar.pb_csrf ?? '' },
    })
    expect(out.statusCode).toBe(204)
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode,
    ).toBe(401)
    // Logins (failed and successful) are in the audit log, and revisions name the user.
    const audit = await app.inject({
      method: 'GET',
      url: '/api/v1/audit?event=login',
      headers: bearer(TEST_ADMIN_TOKEN),
    })
    expect(audit.json().items.map((e: { outcome: string }) => e.outcome)).toEqual([
      'success',
      'failure',
    ])
    const revs = await app.inject({
      method: 'GET',
      url: '/api/v1/revisions?name=csrf',
      headers: bearer(TEST_ADMIN_TOKEN),
    })
    expect(revs.json().items[0].actor).toBe('admin')
  })

  it('marks the cookie Secure behind TLS (COOKIE_SECURE=true) and in auto mode over https', async () => {
    const app = await buildAnonymous(backend, { COOKIE_SECURE: 'true' })
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { token: TEST_ADMIN_TOKEN },
    })
    expect(ok.statusCode).toBe(200)
    for (const c of [ok.headers['set-cookie'] ?? []].flat()) expect(c).toMatch(/; Secure/)
  })

  it('stores tokens hashed, shows them once, and revokes them', async () => {
    const app = await build(backend)
    const token = await userToken(app, 'carol', [{ role: 'viewer' }])
    const rows = await app.store.db.all<{ hash: string }>('SELECT hash FROM pb_tokens')
    expect(rows.some((r) => r.hash.includes(token) || token.includes(r.hash))).toBe(false)
    expect(rows.some((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true)
    const users = await app.store.db.all<{ password_hash: string | null }>(
      'SELECT password_hash FROM pb_users',
    )
    for (const u of users) if (u.password_hash) expect(u.password_hash).toMatch(/^scrypt\$/)
    const list = await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: bearer(token) })
    expect(list.body).not.toContain(token)
    const id = list.json().items[0].id
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/board', headers: bearer(token) }))
        .statusCode,
    ).toBe(200)
    const del = await app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${id}`,
      headers: bearer(token),
    })
    expect(del.statusCode, del.body).toBe(200)
    const after = await app.inject({ method: 'GET', url: '/api/v1/board', headers: bearer(token) })
    expect(after.statusCode).toBe(401)
    expect(after.json()).toMatchObject({ code: 'UNAUTHORIZED' })
  })
})

describe('bootstrap and hardening (sqlite)', () => {
  it('prints a generated admin token once on first start, and it works', async () => {
    const db = await testDatabase('sqlite')
    const env = { POLICYBOARD_DEMO: 'false', DATA_DIR: db.dataDir, LOG_LEVEL: 'silent' }
    const printed: string[] = []
    const app = await buildApp(loadConfig(env), { logger: false, print: (l) => printed.push(l) })
    const token = /(pb_[A-Za-z0-9_-]{43})/.exec(printed.join(''))?.[1]
    expect(token).toBeDefined()
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token ?? '') })
    expect(me.json()).toMatchObject({ user: { name: 'admin', admin: true } })
    await app.close()
    const again: string[] = []
    const second = await buildApp(loadConfig(env), { logger: false, print: (l) => again.push(l) })
    expect(again).toEqual([])
    await second.close()
    await db.cleanup()
  })

  it('sends security headers and no CORS headers', async () => {
    const app = await build('sqlite')
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/board',
      headers: { origin: 'https://evil.example' },
    })
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
    const pre = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/apply',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(pre.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('rate-limits logins and failed tokens per address', async () => {
    const app = await buildAnonymous('sqlite', { LOGIN_RATE_LIMIT: '3' })
    const codes: number[] = []
    for (let i = 0; i < 5; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'admin', password: `guess-${i}-xxxxxxx` },
      })
      codes.push(r.statusCode)
    }
    expect(codes).toEqual([401, 401, 401, 429, 429])
    const bad: number[] = []
    for (let i = 0; i < 5; i++) {
      bad.push(
        (
          await app.inject({
            method: 'GET',
            url: '/api/v1/board',
            headers: bearer(`pb_wrong_${i}`),
          })
        ).statusCode,
      )
    }
    expect(bad).toEqual([401, 401, 401, 429, 429])
    const limited = await app.inject({
      method: 'GET',
      url: '/api/v1/board',
      headers: bearer('pb_wrong_x'),
    })
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' })
  })

  it('answers errors without stack traces or SQL, and limits bodies and YAML aliases', async () => {
    const app = await build('sqlite', { BODY_LIMIT: '4096' })
    const big = await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      headers: { 'content-type': 'text/yaml' },
      payload: 'a'.repeat(10_000),
    })
    expect(big.statusCode).toBe(413)
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n')
    const alias = await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      headers: { 'content-type': 'text/yaml' },
      payload: bomb,
    })
    expect(alias.statusCode).toBe(400)
    expect(alias.body).toMatch(/alias/i)
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/v1/tiers',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    })
    expect(malformed.statusCode).toBe(400)
    // A database failure: 500 with a bare body.
    await app.store.db.close()
    const broken = await app.inject({ method: 'GET', url: '/api/v1/revisions' })
    for (const r of [big, alias, malformed, broken]) {
      expect(r.body).not.toMatch(/\n\s+at |\.ts:\d+|SELECT|INSERT|pb_[a-z]+ /)
    }
    expect([401, 500]).toContain(broken.statusCode)
  })

  it('never logs tokens, passwords or cookies', async () => {
    const db = await testDatabase('sqlite')
    onTestFinished(() => db.cleanup())
    let logs = ''
    const stream = new Writable({
      write(chunk, _enc, done) {
        logs += chunk.toString()
        done()
      },
    })
    const app = await buildApp(
      loadConfig({
        POLICYBOARD_DEMO: 'false',
        DATA_DIR: db.dataDir,
        POLICYBOARD_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        POLICYBOARD_ADMIN_PASSWORD: 'secret-password-xyz',
      }),
      { logger: { level: 'trace', stream } },
    )
    onTestFinished(() => app.close())
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'secret-password-xyz' },
    })
    const sid = cookiesOf(login.headers['set-cookie']).pb_session ?? 'none'
    await app.inject({
      method: 'GET',
      url: '/api/v1/board',
      headers: { ...bearer(TEST_ADMIN_TOKEN), cookie: `pb_session=${sid}` },
    })
    await app.inject({
      method: 'GET',
      url: '/api/v1/board',
      headers: bearer('pb_not_a_real_token_123'),
    })
    // Force an error that logs the request.
    await app.store.db.close()
    await app.inject({
      method: 'GET',
      url: '/api/v1/revisions',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, cookie: `pb_session=${sid}` },
    })
    expect(logs.length).toBeGreaterThan(100)
    for (const secret of [
      TEST_ADMIN_TOKEN,
      'secret-password-xyz',
      sid,
      'pb_not_a_real_token_123',
    ]) {
      expect(logs).not.toContain(secret)
    }
  })

  it('hashes passwords with scrypt and verifies them', async () => {
    const h = await hashPassword('a long password')
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$/)
    expect(await verifyPassword('a long password', h)).toBe(true)
    expect(await verifyPassword('another password', h)).toBe(false)
  })
})

describe('content security policy', () => {
  it("allows exactly the web app's inline scripts by hash", async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const { createHash } = await import('node:crypto')
    const { inlineScriptHashes } = await import('../../src/csp.ts')
    const dir = mkdtempSync(join(tmpdir(), 'pb-csp-'))
    const body = '\n  document.documentElement.dataset.theme = "dark"\n'
    writeFileSync(
      join(dir, 'index.html'),
      `<html><head><script>${body}</script><script type="module" src="/a.js"></script></head></html>`,
    )
    const hash = createHash('sha256').update(body).digest('base64')
    expect(inlineScriptHashes(dir)).toEqual([`'sha256-${hash}'`])
    const app = await build('sqlite', { WEB_DIST: dir })
    const res = await app.inject({ method: 'GET', url: '/' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-security-policy']).toContain(`script-src 'self' 'sha256-${hash}'`)
  })
})
