import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ApiErrorCodes,
  AuditListSchema,
  AuditQuerySchema,
  LoginRequestSchema,
  MeSchema,
  TokenCreatedSchema,
  TokenCreateSchema,
  TokenInfoSchema,
  TokenParamsSchema,
  UserParamsSchema,
  UserPutSchema,
  UserSchema,
} from '@policyboard/api'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { stringify } from 'yaml'
import { isAdmin, type Principal, tierPermissions } from '../../../auth/permissions.ts'
import {
  AuthError,
  cookieOf,
  forbidden,
  principalOf,
  SESSION_COOKIE,
  secureCookies,
  sessionCookies,
} from '../../../auth/plugin.ts'
import { hashPassword, newSecret, type StoredUser, verifyPassword } from '../../../auth/store.ts'
import { notFound } from '../../../store/errors.ts'
import { errors } from './common.ts'

/** A fixed hash to verify against when the user does not exist (same work either way). */
const DUMMY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

/** Login, logout, who am I, API tokens, users (admin) and the audit log (admin). */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const auditOf = (
    request: FastifyRequest,
    actor: string,
    event: string,
    ok: boolean,
    detail: string,
  ) =>
    app.auth.audit({
      actor,
      event,
      outcome: ok ? 'success' : 'failure',
      method: request.method,
      url: request.url.split('?')[0],
      ip: request.ip,
      detail,
    })

  async function me(p: Principal) {
    const tiers = (await app.store.list({ kinds: ['Tier'] })).map((t) => t.metadata.name)
    return {
      user: { name: p.name, admin: isAdmin(p) },
      via: p.via,
      roles: [...p.bindings],
      tiers: tierPermissions(p, tiers),
      ...(p.csrf ? { csrfToken: p.csrf } : {}),
    }
  }

  app.post(
    '/auth/login',
    {
      config: {
        rateLimit: {
          max: app.config.loginRateLimit,
          timeWindow: 60_000,
          keyGenerator: (r: FastifyRequest) => `login:${r.ip}`,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Log in with a username and password or an API token: sets the session cookie',
        body: LoginRequestSchema,
        response: { 200: MeSchema, ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const body = request.body
      let user: StoredUser | undefined
      let actor: string
      if ('token' in body) {
        user = await app.auth.userOfToken(body.token, Date.now())
        actor = user?.name ?? 'anonymous'
      } else {
        actor = body.username
        const found = await app.auth.userByName(body.username)
        const ok = await verifyPassword(body.password, found?.passwordHash ?? DUMMY_HASH)
        user = ok && found && !found.disabled ? found : undefined
      }
      if (!user) {
        await auditOf(request, actor, 'login', false, 'wrong username, password or token')
        throw new AuthError(401, ApiErrorCodes.UNAUTHORIZED, 'wrong username, password or token')
      }
      const ttl = app.config.sessionTtlHours * 3600
      const session = await app.auth.createSession(user.id, ttl * 1000)
      await auditOf(
        request,
        user.name,
        'login',
        true,
        'token' in body ? 'with an API token' : 'with a password',
      )
      reply.header(
        'set-cookie',
        sessionCookies(session.id, session.csrf, ttl, secureCookies(app.config, request)),
      )
      return me({
        id: user.id,
        name: user.name,
        bindings: user.roles,
        via: 'session',
        csrf: session.csrf,
      })
    },
  )

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session (clears the cookie)',
        response: { 204: Type.Null(), ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      const sid = cookieOf(request, SESSION_COOKIE)
      if (sid) await app.auth.deleteSession(sid)
      await auditOf(request, principalOf(request).name, 'logout', true, 'session ended')
      reply.header('set-cookie', sessionCookies('', '', 0, secureCookies(app.config, request)))
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The caller: user, roles and permissions per tier',
        response: { 200: MeSchema, ...errors(401) },
      },
    },
    async (request) => me(principalOf(request)),
  )

  app.get(
    '/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: "The caller's API tokens (an admin's list has everyone's)",
        response: { 200: Type.Object({ items: Type.Array(TokenInfoSchema) }), ...errors(401) },
      },
    },
    async (request) => {
      const p = principalOf(request)
      return { items: await app.auth.tokens(isAdmin(p) ? undefined : p.id) }
    },
  )

  app.post(
    '/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API token; the secret is returned once',
        body: TokenCreateSchema,
        response: { 201: TokenCreatedSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const p = principalOf(request)
      const name = request.body.user ?? p.name
      if (name !== p.name && !isAdmin(p))
        throw forbidden(`user "${p.name}" cannot create tokens of other users`)
      const user = await app.auth.userByName(name)
      if (!user) throw notFound(`user ${name}`)
      const token = newSecret('pb_')
      const days = request.body.expiresInDays
      const info = await app.auth.addToken(
        user.id,
        request.body.name,
        token,
        days ? Date.now() + days * 86_400_000 : undefined,
      )
      await auditOf(
        request,
        p.name,
        'token.create',
        true,
        `token ${info.id} "${info.name}" for user "${name}"`,
      )
      return reply.status(201).send({ info, token })
    },
  )

  app.delete(
    '/tokens/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token (own, or any for admins)',
        params: TokenParamsSchema,
        response: { 200: TokenInfoSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const p = principalOf(request)
      const info = await app.auth.token(request.params.id)
      if (!info || (info.user !== p.name && !isAdmin(p)))
        throw notFound(`token ${request.params.id}`)
      await app.auth.revokeToken(info.id)
      await auditOf(
        request,
        p.name,
        'token.revoke',
        true,
        `token ${info.id} "${info.name}" of user "${info.user}"`,
      )
      const after = await app.auth.token(info.id)
      return after ?? info
    },
  )

  app.get(
    '/users',
    {
      schema: {
        tags: ['auth'],
        summary: 'Every user with its roles (admin)',
        response: { 200: Type.Object({ items: Type.Array(UserSchema) }), ...errors(401, 403) },
      },
    },
    async () => ({ items: await app.auth.users() }),
  )

  app.put(
    '/users/:name',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a user or replace its roles, password or disabled flag (admin)',
        params: UserParamsSchema,
        body: UserPutSchema,
        response: { 200: UserSchema, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { roles, password, disabled } = request.body
      const user = await app.auth.putUser(request.params.name, roles, {
        ...(password ? { passwordHash: await hashPassword(password) } : {}),
        ...(disabled !== undefined ? { disabled } : {}),
      })
      if (!user) throw notFound(`user ${request.params.name}`)
      await auditOf(
        request,
        principalOf(request).name,
        'user.put',
        true,
        `user "${user.name}" roles ${JSON.stringify(roles)}${password ? ', password set' : ''}${disabled ? ', disabled' : ''}`,
      )
      return {
        name: user.name,
        roles: user.roles,
        hasPassword: user.passwordHash !== null,
        disabled: user.disabled,
        createdAt: new Date(user.createdAt).toISOString(),
      }
    },
  )

  app.delete(
    '/users/:name',
    {
      schema: {
        tags: ['auth'],
        summary: 'Delete a user with its tokens and sessions (admin)',
        params: UserParamsSchema,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const p = principalOf(request)
      if (request.params.name === p.name) {
        throw new AuthError(403, ApiErrorCodes.FORBIDDEN, `user "${p.name}" cannot delete itself`)
      }
      if (!(await app.auth.deleteUser(request.params.name)))
        throw notFound(`user ${request.params.name}`)
      await auditOf(request, p.name, 'user.delete', true, `user "${request.params.name}"`)
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit events (logins, refusals, token and user changes), newest first (admin)',
        querystring: AuditQuerySchema,
        response: { 200: AuditListSchema, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100
      const items = await app.auth.auditEvents({ ...request.query, limit })
      const last = items.at(-1)
      return { items, ...(items.length === limit && last ? { next: last.id } : {}) }
    },
  )

  app.get(
    '/audit/export',
    {
      schema: {
        tags: ['audit'],
        summary: 'Export audit events as JSON or YAML (same filters; up to 100,000) (admin)',
        querystring: AuditQuerySchema,
        response: { 200: Type.String(), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const items = await app.auth.auditEvents({
        ...request.query,
        limit: request.query.limit ?? 100_000,
      })
      const yaml = request.query.format === 'yaml'
      reply
        .header(
          'content-type',
          yaml ? 'application/yaml; charset=utf-8' : 'application/json; charset=utf-8',
        )
        .header('content-disposition', `attachment; filename="audit.${yaml ? 'yaml' : 'json'}"`)
      return yaml ? stringify(items, { lineWidth: 0 }) : JSON.stringify(items, null, 2)
    },
  )
}
