import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthSchema } from '@policyboard/api'

/** `/healthz` (the process answers) and `/readyz` (the database answers). */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    { schema: { tags: ['health'], response: { 200: HealthSchema } } },
    async () => ({ status: 'ok' }),
  )
  app.get(
    '/readyz',
    { schema: { tags: ['health'], response: { 200: HealthSchema, 503: HealthSchema } } },
    async (_req, reply) => {
      try {
        await app.store.revision()
        return { status: 'ready' }
      } catch {
        return reply.status(503).send({ status: 'database unavailable' })
      }
    },
  )
}
