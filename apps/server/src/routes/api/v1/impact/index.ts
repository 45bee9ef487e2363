import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ExplainRequestSchema,
  ExplainResponseSchema,
  ImpactRequestSchema,
  ImpactResponseSchema,
} from '@policyboard/api'
import { errors } from '../common.ts'
import { ImpactService } from './impact-service.ts'

/** Impact previews of staged policies, drafts and revisions, and "can X reach Y?". */
export const impactRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = new ImpactService(app.store, app.flows, app.board)

  app.post(
    '/impact',
    {
      schema: {
        tags: ['impact'],
        summary: 'What a change would do to the stored flows of a window',
        description:
          'Replays the stored flow tuples of the window through the enforced view and the changed view (the whole staged set, one staged policy, an unsaved draft, or a resource as it was at a revision) and counts allowed→denied, denied→allowed, unchanged and uncertain flows, grouped by source and destination workload, protocol and port. `traces` names a group whose example flow is returned with both traces.',
        body: ImpactRequestSchema,
        response: { 200: ImpactResponseSchema, ...errors(400, 404) },
      },
    },
    async (request) => service.impact(request.body, Math.floor(Date.now() / 1000)),
  )

  app.post(
    '/explain',
    {
      schema: {
        tags: ['impact'],
        summary: 'Both verdicts of one flow (or a stored record) with their traces',
        body: ExplainRequestSchema,
        response: { 200: ExplainResponseSchema, ...errors(400) },
      },
    },
    async (request) => service.explain(request.body),
  )
}
