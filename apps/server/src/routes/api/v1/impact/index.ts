import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ExplainRequestSchema,
  ExplainResponseSchema,
  type ImpactRequest,
  ImpactRequestSchema,
  ImpactResponseSchema,
} from '@policyboard/api'
import { NAMESPACED_KINDS, type ResourceKind } from '@policyboard/policy-core'
import type { FastifyRequest } from 'fastify'
import { requireRead } from '../../../../auth/guard.ts'
import type { Store } from '../../../../store/index.ts'
import { errors } from '../common.ts'
import { ImpactService } from './impact-service.ts'

/** A stored policy or revision named by the change must be readable (403 otherwise). */
async function requireChangeReadable(
  request: FastifyRequest,
  store: Store,
  change: ImpactRequest['change'],
): Promise<void> {
  const named =
    change.type === 'staged' ? [change] : change.type === 'staged-set' ? change.policies : []
  for (const p of named) {
    const kind = p.kind as ResourceKind
    const found = await store.get({
      kind,
      namespace: NAMESPACED_KINDS.has(kind) ? (p.namespace ?? '') : '',
      name: p.name,
    })
    if (found) requireRead(request, found)
  }
  if (change.type === 'revision') {
    const rev = await store.revisionById(change.id)
    for (const r of [rev?.before, rev?.after]) if (r) requireRead(request, r)
  }
}

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
    async (request) => {
      await requireChangeReadable(request, app.store, request.body.change)
      return service.impact(request.body, Math.floor(Date.now() / 1000))
    },
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
