import { existsSync } from 'node:fs'
import { join } from 'node:path'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import sensible from '@fastify/sensible'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ApiErrorCodes } from '@policyboard/api'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { authPlugin, cookieOf, SESSION_COOKIE } from './auth/plugin.ts'
import { sha256 } from './auth/store.ts'
import type { Config } from './config.ts'
import { inlineScriptHashes } from './csp.ts'
import { errorBody, installErrorHandler } from './errors.ts'
import { storePlugin } from './plugins/store.ts'
import { applyRoutes } from './routes/api/v1/apply.ts'
import { authRoutes } from './routes/api/v1/auth.ts'
import { exportRoutes } from './routes/api/v1/export.ts'
import { flowLogRoutes } from './routes/api/v1/flowlogs.ts'
import { graphRoutes } from './routes/api/v1/graph/index.ts'
import { impactRoutes } from './routes/api/v1/impact/index.ts'
import { inventoryRoutes } from './routes/api/v1/inventory.ts'
import { lintRoutes } from './routes/api/v1/lint/index.ts'
import { policyRoutes } from './routes/api/v1/policies.ts'
import { recommendationRoutes } from './routes/api/v1/recommendations/index.ts'
import { resourceRoutes } from './routes/api/v1/resources.ts'
import { revisionRoutes } from './routes/api/v1/revisions.ts'
import { verdictRoutes } from './routes/api/v1/verdicts.ts'
import { healthRoutes } from './routes/health.ts'

/** What `buildApp` needs besides the configuration. */
export interface BuildOptions {
  /** Fastify's logger option (tests pass false). */
  logger?: FastifyServerOptions['logger']
  /** Where the first start's admin token is printed (default stdout). */
  print?: (line: string) => void
}

/** Log paths that may hold secrets: never written. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-policyboard-csrf"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'body.password',
  'body.token',
  'password',
  'token',
]

/**
 * Builds the app without listening: external plugins, the store, routes and error handlers.
 * Tests build it and use `inject`; `server.ts` adds `listen`.
 */
export async function buildApp(
  config: Config,
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const logger =
    options.logger === undefined
      ? { level: config.logLevel, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } }
      : options.logger && typeof options.logger === 'object' && !('child' in options.logger)
        ? { ...options.logger, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } }
        : options.logger
  const app = Fastify({
    logger,
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimit,
    // Request ids in every log line; a caller's x-request-id is kept.
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    ajv: {
      // An unknown field must fail with its path, never vanish.
      customOptions: {
        removeAdditional: false,
        allErrors: true,
        coerceTypes: 'array',
        useDefaults: true,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  installErrorHandler(app)
  await app.register(sensible)
  await app.register(storePlugin, { config })
  // Before any route, so that every route gets its authorization decision.
  await app.register(authPlugin, { config, ...(options.print ? { print: options.print } : {}) })
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'", ...inlineScriptHashes(config.webDist)],
        // CodeMirror and React Flow insert <style> elements at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    // Browsers ignore HSTS over plain HTTP; behind TLS it pins HTTPS.
    strictTransportSecurity: { maxAge: 15552000, includeSubDomains: false },
  })
  await app.register(rateLimit, {
    global: true,
    max: config.apiRateLimit,
    timeWindow: 60_000,
    // Per credential when there is one (a token's or a session's hash), else per address.
    keyGenerator: (request) => {
      const h = request.headers.authorization
      if (h) return `t:${sha256(h).slice(0, 32)}`
      const sid = cookieOf(request, SESSION_COOKIE)
      return sid ? `s:${sha256(sid).slice(0, 32)}` : `ip:${request.ip}`
    },
    allowList: (request) => !request.url.startsWith('/api/'),
    errorResponseBuilder: (_request, context) => ({
      statusCode: context.statusCode,
      code: ApiErrorCodes.RATE_LIMITED,
      message: `too many requests: retry in ${context.after}`,
    }),
  })
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Policyboard API',
        version: '1.0.0',
        description: 'Calico network policy board',
      },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs' })

  await app.register(healthRoutes)
  await app.register(
    async (api) => {
      await api.register(authRoutes)
      await api.register(resourceRoutes)
      await api.register(applyRoutes)
      await api.register(revisionRoutes)
      await api.register(exportRoutes)
      await api.register(inventoryRoutes)
      await api.register(flowLogRoutes)
      await api.register(policyRoutes)
      await api.register(verdictRoutes)
      await api.register(impactRoutes)
      await api.register(recommendationRoutes)
      await api.register(graphRoutes)
      await api.register(lintRoutes)
    },
    { prefix: '/api/v1' },
  )

  const hasWeb = existsSync(join(config.webDist, 'index.html'))
  if (hasWeb) await app.register(fastifyStatic, { root: config.webDist, wildcard: false })
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url.startsWith('/api/') || request.url === '/api'
    if (hasWeb && request.method === 'GET' && !isApi) return reply.sendFile('index.html')
    return reply
      .status(404)
      .send(
        errorBody(
          404,
          ApiErrorCodes.NOT_FOUND,
          `route ${request.method} ${request.url.split('?')[0]} not found`,
        ),
      )
  })
  return app
}
