import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  DefaultDenyActionSchema,
  DefaultDenyResultSchema,
  DefaultDenyStateSchema,
  RecommendationDecisionSchema,
  RecommendationListSchema,
  RecommendationParamsSchema,
  RecommendationQuerySchema,
  RecommendationSchema,
  ResourceSchema,
} from '@policyboard/api'
import { RECOMMENDATION_TIER } from '@policyboard/policy-core'
import { readableResources, requireTierWrite } from '../../../../auth/guard.ts'
import { actorOf } from '../../../../plugins/store.ts'
import { tierOf } from '../../../../store/index.ts'
import { errors } from '../common.ts'
import { RecommendationService } from './service.ts'

/**
 * Policy recommendations per namespace (computed, generated into staged policies, accepted or
 * dismissed) and the guided default-deny workflow.
 */
export const recommendationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = new RecommendationService(app.store, app.flows)
  const tags = ['recommendations']

  app.get(
    '/recommendations',
    {
      schema: {
        tags,
        summary: 'Every non-system namespace with its recommendation in brief',
        querystring: RecommendationQuerySchema,
        response: { 200: RecommendationListSchema, ...errors(400) },
      },
    },
    async (request) => ({
      namespaces: await service.overview({ ...request.query, now: Date.now() }),
    }),
  )

  app.get(
    '/recommendations/default-deny',
    {
      schema: {
        tags,
        summary: 'The default-deny workflow: the stored default deny, or the one to stage',
        description:
          'A default deny in a tier the caller cannot read is left out, as in lists: the state then shows none found.',
        response: { 200: DefaultDenyStateSchema },
      },
    },
    async (request) => service.defaultDeny({ now: Date.now() }, readableResources(request)),
  )

  app.post(
    '/recommendations/default-deny',
    {
      schema: {
        tags,
        summary: 'Stage the proposed default deny, or enforce the staged one',
        description:
          '`stage` writes the proposed StagedGlobalNetworkPolicy when no default deny is stored; `enforce` writes the GlobalNetworkPolicy and deletes the staged object, in one revision.',
        body: DefaultDenyActionSchema,
        response: { 200: DefaultDenyResultSchema, ...errors(400, 404, 409) },
      },
    },
    async (request) => {
      // Staging writes the proposed staged deny; enforcing writes its enforced twin.
      const canRead = readableResources(request)
      const state = await service.defaultDeny({ now: Date.now() }, canRead)
      const target = state.found?.policy ?? state.proposed
      const tier = tierOf(target) ?? 'default'
      const kind = request.body.action === 'stage' ? target.kind : 'GlobalNetworkPolicy'
      requireTierWrite(request, 'create', kind, tier, undefined)
      return service.defaultDenyStep(
        request.body.action,
        actorOf(request),
        { now: Date.now() },
        canRead,
      )
    },
  )

  app.get(
    '/recommendations/:namespace',
    {
      schema: {
        tags,
        summary: "A namespace's recommended staged policies, with evidence (nothing is written)",
        params: RecommendationParamsSchema,
        querystring: RecommendationQuerySchema,
        response: { 200: RecommendationSchema, ...errors(400) },
      },
    },
    async (request) =>
      service.recommend(request.params.namespace, { ...request.query, now: Date.now() }),
  )

  app.post(
    '/recommendations/:namespace',
    {
      schema: {
        tags,
        summary: 'Regenerate and store the recommendation (staged, stagedAction Learn)',
        description:
          'Creates the namespace-isolation tier when missing and writes each policy in place; accepted (Set) and dismissed (Ignore) policies are left as stored. Never enforces.',
        params: RecommendationParamsSchema,
        querystring: RecommendationQuerySchema,
        response: { 200: RecommendationSchema, ...errors(400, 409) },
      },
    },
    async (request) => {
      requireTierWrite(
        request,
        'create',
        'StagedNetworkPolicy',
        RECOMMENDATION_TIER,
        request.params.namespace,
      )
      return service.generate(request.params.namespace, actorOf(request), {
        ...request.query,
        now: Date.now(),
      })
    },
  )

  app.post(
    '/recommendations/:namespace/decision',
    {
      schema: {
        tags,
        summary: 'Accept (Set), dismiss (Ignore) or re-activate (Learn) a stored recommendation',
        params: RecommendationParamsSchema,
        body: RecommendationDecisionSchema,
        response: { 200: ResourceSchema, ...errors(400, 404, 409) },
      },
    },
    async (request) => {
      requireTierWrite(
        request,
        'update',
        'StagedNetworkPolicy',
        RECOMMENDATION_TIER,
        request.params.namespace,
      )
      return service.decide(
        request.params.namespace,
        request.body.name,
        request.body.stagedAction,
        actorOf(request),
      )
    },
  )
}
