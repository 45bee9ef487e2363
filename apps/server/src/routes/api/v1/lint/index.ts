import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  LabelRulesPutSchema,
  LabelRulesResponseSchema,
  LintDraftRequestSchema,
  LintDraftResponseSchema,
  type LintFindingItem,
  LintQuerySchema,
  LintResponseSchema,
} from '@policyboard/api'
import { isAtLeast, parseLabelRules, validateResource } from '@policyboard/policy-core'
import type { FastifyRequest } from 'fastify'
import { readableTier } from '../../../../auth/guard.ts'
import { ValidationFailure } from '../../../../errors.ts'
import { errors } from '../common.ts'
import { durationSeconds } from '../flowlogs.ts'
import { countFindings, LintService } from './lint-service.ts'

/** Findings about policies of tiers the caller cannot read are left out. */
function readable(request: FastifyRequest, findings: LintFindingItem[]): LintFindingItem[] {
  const canRead = readableTier(request)
  return findings.filter((f) => f.tier === undefined || canRead(f.tier))
}

/** Policy lint and label governance over the stored set, a draft, and the label rules. */
export const lintRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = new LintService(app.store, app.board)

  app.get(
    '/lint',
    {
      schema: {
        tags: ['lint'],
        summary: 'Lint findings of the stored policies and the inventory labels',
        description:
          'Runs the policy checks over the stored resources with the inventory and the per-policy hit counts of the window (UNUSED_POLICY), and label governance with the stored label rules. Findings about policies of tiers the caller cannot read are left out.',
        querystring: LintQuerySchema,
        response: { 200: LintResponseSchema, ...errors(400) },
      },
    },
    async (request) => {
      const q = request.query
      const now = Math.floor(Date.now() / 1000)
      const result = await service.all(durationSeconds(q.window ?? '24h'), now)
      const findings = readable(request, result.findings).filter(
        (f) =>
          isAtLeast(f.severity, q.severity ?? 'info') &&
          (q.kind === undefined || f.kind === q.kind) &&
          (q.tier === undefined || f.tier === q.tier) &&
          (q.namespace === undefined || f.namespace === q.namespace),
      )
      return {
        findings,
        counts: countFindings(findings),
        window: { from: result.from, to: result.to },
        revision: String(result.revision),
      }
    },
  )

  app.post(
    '/lint',
    {
      schema: {
        tags: ['lint'],
        summary: 'Lint findings of a draft policy against the stored set',
        body: LintDraftRequestSchema,
        response: { 200: LintDraftResponseSchema, ...errors(400) },
      },
    },
    async (request) => {
      const checked = validateResource(request.body.policy)
      if (!checked.ok)
        throw new ValidationFailure('the draft is not a valid resource', checked.errors)
      const now = Math.floor(Date.now() / 1000)
      const window = durationSeconds(request.body.window ?? '24h')
      const findings = readable(request, await service.draft(checked.value, window, now))
      return { findings, counts: countFindings(findings) }
    },
  )

  app.get(
    '/lint/label-rules',
    {
      schema: {
        tags: ['lint'],
        summary: 'The label rules label governance checks against',
        response: { 200: LabelRulesResponseSchema },
      },
    },
    async () => service.labelRules(),
  )

  app.put(
    '/lint/label-rules',
    {
      schema: {
        tags: ['lint'],
        summary: 'Replace the label rules (YAML or JSON text; empty clears them)',
        body: LabelRulesPutSchema,
        response: { 200: LabelRulesResponseSchema, ...errors(400) },
      },
    },
    async (request) => {
      const parsed = parseLabelRules(request.body.text)
      if (!parsed.ok) throw new ValidationFailure('invalid label rules', parsed.errors)
      await service.saveLabelRules(request.body.text)
      return { rules: parsed.value, text: request.body.text }
    },
  )
}
