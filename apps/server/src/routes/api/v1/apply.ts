import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ApplyJsonBodySchema, ApplyQuerySchema, ApplyResponseSchema } from '@policyboard/api'
import { Type } from 'typebox'
import { requireWriteAll } from '../../../auth/guard.ts'
import { actorOf } from '../../../plugins/store.ts'
import { applyResources, readResources } from '../../../services/apply.ts'
import { resourceIdOf } from '../../../store/index.ts'
import { errors } from './common.ts'

/** YAML bodies arrive as text. */
const YAML_TYPES = ['text/yaml', 'application/yaml', 'application/x-yaml', 'text/plain']

/** `POST /api/v1/apply`: multi-document YAML or a List, all or nothing, with `?dryRun=true`. */
export const applyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  )

  app.post(
    '/apply',
    {
      schema: {
        tags: ['apply'],
        summary: 'Apply resources (YAML body with content-type text/yaml, or JSON {yaml})',
        querystring: ApplyQuerySchema,
        body: Type.Union([Type.String(), ApplyJsonBodySchema]),
        response: { 200: ApplyResponseSchema, ...errors(400, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const text = typeof request.body === 'string' ? request.body : request.body.yaml
      const resources = readResources(text)
      // Every document is checked (its new and its stored state) before anything is written.
      requireWriteAll(
        request,
        await Promise.all(
          resources.map(async (after) => ({
            after,
            before: await app.store.get(resourceIdOf(after)),
          })),
        ),
      )
      return applyResources(app.store, resources, actorOf(request), request.query.dryRun ?? false)
    },
  )
}
