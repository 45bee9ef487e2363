import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  SimulateRequestSchema,
  SimulateResponseSchema,
  type VerdictQuery,
  VerdictQuerySchema,
  VerdictRequestSchema,
  VerdictResponseSchema,
} from '@policyboard/api'
import { simulateScenario, validateScenario } from '@policyboard/policy-core'
import { ValidationFailure } from '../../../errors.ts'
import { readResources } from '../../../services/apply.ts'
import { computeVerdicts, type VerdictOptions } from '../../../services/verdicts.ts'
import { errors } from './common.ts'

function options(q: VerdictQuery): VerdictOptions {
  const now = Math.floor(Date.now() / 1000)
  return {
    from: q.from ?? now - 86400,
    to: q.to ?? now + 3600,
    namespace: q.namespace,
    changedOnly: q.changedOnly,
    limit: q.limit,
  }
}

/** Scenario simulation and verdicts of stored flows. */
export const verdictRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/simulate',
    {
      schema: {
        tags: ['evaluate'],
        summary:
          'Judge a scenario (spec/scenario.md): the same output as `policyboard simulate --json`',
        body: SimulateRequestSchema,
        response: { 200: SimulateResponseSchema, ...errors(400) },
      },
    },
    async (request) => {
      const scenario = validateScenario(request.body)
      if (!scenario.ok) throw new ValidationFailure('invalid scenario', scenario.errors)
      return simulateScenario(scenario.value) as unknown as { flows: Record<string, unknown>[] }
    },
  )

  app.get(
    '/verdicts',
    {
      schema: {
        tags: ['evaluate'],
        summary: 'Stored flows (by tuple) judged under the enforced and staged views',
        querystring: VerdictQuerySchema,
        response: { 200: VerdictResponseSchema, ...errors(400) },
      },
    },
    async (request) => computeVerdicts(app.store, app.flows, app.board, options(request.query)),
  )

  app.post(
    '/verdicts',
    {
      schema: {
        tags: ['evaluate'],
        summary:
          'Impact preview: stored flows judged with proposed resources laid over the staged view',
        body: VerdictRequestSchema,
        response: { 200: VerdictResponseSchema, ...errors(400) },
      },
    },
    async (request) => {
      const { yaml, ...q } = request.body
      const proposed = yaml ? readResources(yaml) : undefined
      return computeVerdicts(app.store, app.flows, app.board, { ...options(q), proposed })
    },
  )
}
