import { ApiErrorCodes } from '@policyboard/api'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import { StoreError } from '../store/errors.ts'
import {
  canReadTier,
  canWriteSomething,
  hasAnyRole,
  isAdmin,
  type Principal,
  type Verb,
} from './permissions.ts'
import { redactPolicies } from './redact.ts'
import { type AuthzLevel, decisionFor } from './routes-policy.ts'
import { AuthStore, hashPassword, newSecret, sameSecret } from './store.ts'

/** Session cookie (HttpOnly, SameSite=Strict). */
export const SESSION_COOKIE = 'pb_session'
/** Double-submit CSRF cookie, readable by the web app, echoed in {@link CSRF_HEADER}. */
export const CSRF_COOKIE = 'pb_csrf'
/** Header carrying the CSRF token on state-changing cookie requests. */
export const CSRF_HEADER = 'x-policyboard-csrf'

declare module 'fastify' {
  interface FastifyInstance {
    /** Users, tokens, sessions and the audit log. */
    auth: AuthStore
    /** `METHOD url` of routes without an authorization decision (refused to non-admins). */
    undecidedRoutes: string[]
    /** Every route with its decision, in registration order. */
    routeDecisions: Array<{ method: string; url: string; level: AuthzLevel }>
  }
  interface FastifyRequest {
    /** The authenticated caller, null when anonymous. */
    principal: Principal | null
  }
  interface FastifyContextConfig {
    /** The route's authorization decision (set from the table in routes-policy.ts). */
    authz?: AuthzLevel
  }
}

/** A refusal: 401 without valid credentials, 403 when not allowed, 429 when too many. */
export class AuthError extends StoreError {
  constructor(statusCode: 401 | 403 | 429, code: string, message: string) {
    super(code as never, statusCode, message)
  }
}

/** 403 in Calico's wording. */
export function forbidden(message: string): AuthError {
  return new AuthError(403, ApiErrorCodes.FORBIDDEN, message)
}

/** The authenticated caller, or a 401 (routes past the guard always have one). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) {
    throw new AuthError(401, ApiErrorCodes.UNAUTHORIZED, 'authentication required')
  }
  return request.principal
}

/** Reads one cookie from the request's Cookie header. */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim())
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

/** Whether cookies set in reply to this request carry `Secure`. */
export function secureCookies(config: Config, request: FastifyRequest): boolean {
  return config.cookieSecure === 'auto'
    ? request.protocol === 'https'
    : config.cookieSecure === 'true'
}

/** Set-Cookie values for a session (or, with `maxAge` 0, for clearing it). */
export function sessionCookies(
  id: string,
  csrf: string,
  maxAgeSeconds: number,
  secure: boolean,
): string[] {
  const tail = `Path=/; Max-Age=${maxAgeSeconds}; SameSite=Strict${secure ? '; Secure' : ''}`
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(id)}; ${tail}; HttpOnly`,
    `${CSRF_COOKIE}=${encodeURIComponent(csrf)}; ${tail}`,
  ]
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function verbOf(method: string, url: string): Verb {
  if (method === 'GET' || method === 'HEAD') return url.endsWith('/:name') ? 'get' : 'list'
  if (method === 'DELETE') return 'delete'
  if (method === 'PUT') return 'update'
  return 'create'
}

/** `/api/v1/namespaces/:namespace/networkpolicies/:name` → `networkpolicies`. */
function resourceWord(url: string): string {
  const parts = url
    .replace(/^\/api\/v1\/?/, '')
    .split('/')
    .filter((p) => p && !p.startsWith(':') && p !== 'namespaces')
  return parts.join('/') || 'the api'
}

/** Failed credential attempts per client address in the current minute (per process). */
class FailureCounter {
  #window = 0
  #counts = new Map<string, number>()

  count(key: string, now: number): number {
    const w = Math.floor(now / 60_000)
    if (w !== this.#window) {
      this.#window = w
      this.#counts.clear()
    }
    const n = (this.#counts.get(key) ?? 0) + 1
    this.#counts.set(key, n)
    return n
  }

  peek(key: string, now: number): number {
    return Math.floor(now / 60_000) === this.#window ? (this.#counts.get(key) ?? 0) : 0
  }
}

/** Where the bootstrap token is printed (stdout by default). */
export interface AuthPluginOptions {
  config: Config
  print?: (line: string) => void
}

/** Creates user `admin` on first start, applies POLICYBOARD_ADMIN_TOKEN/PASSWORD. */
async function bootstrap(
  app: FastifyInstance,
  auth: AuthStore,
  config: Config,
  print: (line: string) => void,
) {
  const fresh = (await auth.userCount()) === 0
  if (!fresh && !config.adminToken && !config.adminPassword) return
  let admin = await auth.userByName('admin')
  let created = false
  if (!admin) {
    admin = await auth.putUser('admin', [{ role: 'admin' }], { onlyIfAbsent: true })
    created = admin !== undefined
    admin ??= await auth.userByName('admin')
  }
  if (!admin) return
  if (config.adminPassword) {
    await auth.putUser('admin', admin.roles, {
      passwordHash: await hashPassword(config.adminPassword),
    })
  }
  if (config.adminToken && !(await auth.hasToken(config.adminToken))) {
    await auth.addToken(admin.id, 'POLICYBOARD_ADMIN_TOKEN', config.adminToken)
  }
  if (created && !config.adminToken && !config.adminPassword) {
    const token = newSecret('pb_')
    await auth.addToken(admin.id, 'bootstrap', token)
    app.log.warn('first start: created user admin; its API token is printed once on stdout')
    print(
      `\nPolicyboard first start: user "admin" was created with this API token (shown once, stored only as a hash):\n\n  ${token}\n\nLog in to the web app with it, or send it as "Authorization: Bearer <token>". Then create users and tokens.\n\n`,
    )
  }
}

/**
 * Authentication (API tokens, cookie sessions with CSRF double-submit), the authorization
 * guard of every route, refusal auditing, bearer-failure throttling and redaction of policies
 * in unreadable tiers.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: AuthPluginOptions) => {
    const auth = new AuthStore(app.store.db)
    const config = opts.config
    app.decorate('auth', auth)
    app.decorate('undecidedRoutes', [] as string[])
    app.decorate('routeDecisions', [] as Array<{ method: string; url: string; level: AuthzLevel }>)
    app.decorateRequest('principal', null)

    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method]
      for (const method of methods) {
        const decided = decisionFor(method, route.url)
        if (decided === undefined) app.undecidedRoutes.push(`${method} ${route.url}`)
        const level = decided ?? 'admin'
        app.routeDecisions.push({ method, url: route.url, level })
        route.config = { ...(route.config ?? {}), authz: level }
      }
    })

    const failures = new FailureCounter()
    const audit = (
      request: FastifyRequest,
      event: string,
      outcome: 'success' | 'failure',
      detail: string,
      actor?: string,
    ) =>
      auth
        .audit({
          actor: actor ?? request.principal?.name ?? 'anonymous',
          event,
          outcome,
          method: request.method,
          url: request.url.split('?')[0],
          ip: request.ip,
          detail,
        })
        .catch((err: unknown) => request.log.error({ err }, 'audit write failed'))

    async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const now = Date.now()
      const header = request.headers.authorization
      if (header !== undefined) {
        if (failures.peek(request.ip, now) >= config.loginRateLimit) {
          throw new AuthError(
            429,
            ApiErrorCodes.RATE_LIMITED,
            'too many failed credentials: retry in a minute',
          )
        }
        const m = /^Bearer\s+(\S+)$/i.exec(header)
        const user = m?.[1] ? await auth.userOfToken(m[1], now) : undefined
        if (!user) {
          failures.count(request.ip, now)
          await audit(request, 'authn', 'failure', 'invalid, expired or revoked API token')
          throw new AuthError(
            401,
            ApiErrorCodes.UNAUTHORIZED,
            'invalid, expired or revoked API token',
          )
        }
        request.principal = { id: user.id, name: user.name, bindings: user.roles, via: 'token' }
        return
      }
      const sid = cookieOf(request, SESSION_COOKIE)
      if (!sid) return
      const session = await auth.session(sid, now)
      const user = session ? await auth.userById(session.userId) : undefined
      if (!session || !user || user.disabled) {
        // A stale cookie: clear it so the web app shows its login page.
        reply.header('set-cookie', sessionCookies('', '', 0, secureCookies(config, request)))
        return
      }
      request.principal = {
        id: user.id,
        name: user.name,
        bindings: user.roles,
        via: 'session',
        csrf: session.csrf,
      }
    }

    app.addHook('onRequest', async (request, reply) => {
      const level = request.routeOptions.config?.authz
      // Unmatched URLs (404) and public routes need no credentials, but a token sent to them
      // is still checked so that a bad one is reported.
      await authenticate(request, reply)
      if (level === undefined || level === 'public') return
      const p = request.principal
      if (!p) {
        throw new AuthError(
          401,
          ApiErrorCodes.UNAUTHORIZED,
          'authentication required: log in, or send an API token as Authorization: Bearer <token>',
        )
      }
      if (p.via === 'session' && !SAFE_METHODS.has(request.method)) {
        const sent = request.headers[CSRF_HEADER]
        const value = Array.isArray(sent) ? sent[0] : sent
        if (!value || !p.csrf || !sameSecret(value, p.csrf)) {
          await audit(request, 'csrf', 'failure', `missing or wrong ${CSRF_HEADER} header`)
          throw new AuthError(
            403,
            ApiErrorCodes.CSRF,
            `expected the ${CSRF_HEADER} header of this session`,
          )
        }
      }
      const url = request.routeOptions.url ?? request.url
      const ok =
        level === 'authenticated' ||
        isAdmin(p) ||
        (level === 'read' && hasAnyRole(p)) ||
        (level === 'write' && canWriteSomething(p))
      if (!ok) {
        throw forbidden(
          `user "${p.name}" cannot ${verbOf(request.method, url)} ${resourceWord(url)}`,
        )
      }
    })

    // Every refusal after authentication is stored (and logged at info without secrets).
    app.addHook('onError', async (request, _reply, err) => {
      if (
        err instanceof AuthError &&
        err.statusCode === 403 &&
        err.code === ApiErrorCodes.FORBIDDEN
      ) {
        await audit(request, 'authz', 'failure', err.message)
      }
    })

    // Policies of unreadable tiers are redacted in every read response.
    app.addHook('preSerialization', async (request, _reply, payload) => {
      const p = request.principal
      if (!p || isAdmin(p) || request.routeOptions.config?.authz !== 'read') return payload
      if (p.bindings.some((b) => b.tiers === undefined)) return payload
      return redactPolicies(payload, (tier) => canReadTier(p, tier))
    })

    await bootstrap(app, auth, config, opts.print ?? ((line) => process.stdout.write(line)))
  },
  { name: 'auth', dependencies: ['store'] },
)
