import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  BoardQuerySchema,
  BoardResponseSchema,
  PolicyListQuerySchema,
  PolicyListResponseSchema,
  type PolicySummary,
  ReorderRequestSchema,
  ReorderResponseSchema,
  type StagedFilter,
} from '@policyboard/api'
import { resourceKind } from '@policyboard/policy-core'
import { readableTier, readScope, requireTierWrite } from '../../../auth/guard.ts'
import { writeRefusal } from '../../../auth/permissions.ts'
import { forbidden, principalOf } from '../../../auth/plugin.ts'
import { actorOf } from '../../../plugins/store.ts'
import { compressCachedJson } from '../../../services/board.ts'
import { reorderPolicy } from '../../../services/reorder.ts'
import { resourceIdOf, tierOf } from '../../../store/index.ts'
import { errors } from './common.ts'
import { durationSeconds } from './flowlogs.ts'

function stagedOk(p: { isStaged: boolean }, staged: StagedFilter | undefined): boolean {
  return !staged || staged === 'include' || (staged === 'only' ? p.isStaged : !p.isStaged)
}

/** List items: the summaries without their resources unless the full list was asked for. */
function listItems(
  full: boolean | undefined,
  items: PolicySummary[],
): Array<Omit<PolicySummary, 'resource'>> {
  if (full) return items
  return items.map(({ resource: _, ...summary }) => summary)
}

/** The board's reads (policy list, board) and the reorder write. */
export const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Board reads are large and cached serialised: send them compressed (cached too).
  app.addHook('onSend', compressCachedJson(app.board))
  app.get(
    '/policies',
    {
      schema: {
        tags: ['board'],
        summary: 'Policies in board order with endpoint counts and flow hit counts over a window',
        querystring: PolicyListQuerySchema,
        response: { 200: PolicyListResponseSchema, ...errors(400) },
      },
    },
    async (request, reply) => {
      const q = request.query
      const now = Math.floor(Date.now() / 1000)
      const window = durationSeconds(q.window ?? '24h')
      const { items, revision, from, to, key } = await app.board.summaries(window, now)
      const scope = readScope(request)
      const canRead = readableTier(request)
      const cacheKey = `policies|${key}|${q.tier}|${q.namespace}|${q.kind}|${q.staged}|${scope?.join(',') ?? '*'}`
      const body = await app.board.json(`${cacheKey}|${q.full === true}`, async () => ({
        items: listItems(q.full, items).filter(
          (p) =>
            canRead(p.tier) &&
            (q.tier === undefined || p.tier === q.tier) &&
            (q.namespace === undefined || p.namespace === q.namespace) &&
            (q.kind === undefined || p.kind === q.kind) &&
            stagedOk(p, q.staged),
        ),
        window: { from, to },
        revision: String(revision),
      }))
      // Already serialised (and cached): Fastify sends a string as it is.
      return reply.type('application/json; charset=utf-8').send(body as never)
    },
  )

  app.get(
    '/board',
    {
      schema: {
        tags: ['board'],
        summary: 'Tiers in evaluation order with their policies in evaluation order',
        querystring: BoardQuerySchema,
        response: { 200: BoardResponseSchema, ...errors(400) },
      },
    },
    async (request, reply) => {
      const q = request.query
      const now = Math.floor(Date.now() / 1000)
      const window = durationSeconds(q.window ?? '24h')
      const { items, revision, from, to, key } = await app.board.summaries(window, now)
      const scope = readScope(request)
      const canRead = readableTier(request)
      const boardKey = `board|${key}|${q.namespace}|${q.staged}|${scope?.join(',') ?? '*'}`
      const body = await app.board.json(boardKey, async () => {
        const shown = items.filter(
          (p) =>
            canRead(p.tier) &&
            (q.namespace === undefined ||
              p.namespace === undefined ||
              p.namespace === q.namespace) &&
            stagedOk(p, q.staged),
        )
        return {
          tiers: (await app.board.board(shown)).filter((t) => canRead(t.name)),
          window: { from, to },
          revision: String(revision),
        }
      })
      // Already serialised (and cached): Fastify sends a string as it is.
      return reply.type('application/json; charset=utf-8').send(body as never)
    },
  )

  app.post(
    '/policies/reorder',
    {
      schema: {
        tags: ['board'],
        summary: 'Move a policy within or across tiers, between its new neighbours',
        body: ReorderRequestSchema,
        response: { 200: ReorderResponseSchema, ...errors(400, 404, 409) },
      },
    },
    async (request) => {
      const ref = request.body.policy
      const ref0 = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name
      const moved = await app.store.get({
        kind: ref.kind,
        namespace: ref.namespace ?? '',
        name: ref.name,
      })
      if (moved) {
        const from = tierOf(moved) ?? 'default'
        requireTierWrite(request, 'update', ref.kind, from, ref.namespace)
        requireTierWrite(request, 'update', ref.kind, request.body.tier ?? from, ref.namespace)
      }
      // Renumbering the tier changes other policies too: each needs the caller's write right.
      return reorderPolicy(app.store, request.body, actorOf(request), (r) => {
        const why = writeRefusal(principalOf(request), 'update', r)
        if (why) {
          const id = resourceIdOf(r)
          const ref = id.namespace ? `${id.namespace}/${id.name}` : id.name
          throw forbidden(
            `${why}: moving ${ref0} here renumbers ${resourceKind(r)} ${ref}; nothing was moved`,
          )
        }
      })
    },
  )
}
