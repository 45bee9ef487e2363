import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  RevisionExportQuerySchema,
  type RevisionListQuery,
  RevisionListQuerySchema,
  RevisionListResponseSchema,
  RevisionParamsSchema,
  RevisionSchema,
  RollbackResponseSchema,
} from '@policyboard/api'
import { bareName } from '@policyboard/policy-core'
import { Type } from 'typebox'
import { stringify } from 'yaml'
import { readScope, requireRead, requireWrite } from '../../../auth/guard.ts'
import { ValidationFailure } from '../../../errors.ts'
import { actorOf } from '../../../plugins/store.ts'
import { notFound } from '../../../store/errors.ts'
import type { RevisionFilter, Store } from '../../../store/index.ts'
import { errors } from './common.ts'

/** ISO 8601 or UNIX seconds → ms. */
function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined
  const ms = /^[0-9]+$/.test(value) ? Number(value) * 1000 : Date.parse(value)
  if (Number.isNaN(ms)) {
    throw new ValidationFailure('invalid time', [
      {
        code: 'INVALID_VALUE',
        message: 'expected an ISO 8601 time or UNIX seconds',
        path: `querystring.${field}`,
      },
    ])
  }
  return ms
}

function toFilter(
  q: RevisionListQuery,
  limit: number,
  readableTiers?: string[] | undefined,
): RevisionFilter {
  const since = parseTime(q.since, 'since')
  const until = parseTime(q.until, 'until')
  return {
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.namespace !== undefined ? { namespace: q.namespace } : {}),
    ...(q.name ? { name: q.name } : {}),
    ...(q.tier ? { tier: q.tier } : {}),
    ...(q.actor ? { actor: q.actor } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(q.beforeId ? { beforeId: q.beforeId } : {}),
    ...(readableTiers ? { readableTiers } : {}),
    limit,
  }
}

/**
 * The filter with a legacy `<tier>.name` turned into the bare name revisions are stored
 * under: through the stored resource when the kind is known, else through the tier filter.
 */
async function normaliseName(store: Store, filter: RevisionFilter): Promise<RevisionFilter> {
  const name = filter.name
  if (!name?.includes('.')) return filter
  if (filter.kind) {
    const found = await store.get({
      kind: filter.kind,
      namespace: filter.namespace ?? '',
      name,
    })
    if (found) return { ...filter, name: bareName(found) }
  }
  if (filter.tier && name.startsWith(`${filter.tier}.`)) {
    return { ...filter, name: name.slice(filter.tier.length + 1) }
  }
  return filter
}

/** History per resource and across the board, rollback, and export. */
export const revisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/revisions',
    {
      schema: {
        tags: ['revisions'],
        summary: 'Revisions, newest first (filter by kind, namespace, name, tier, actor, time)',
        querystring: RevisionListQuerySchema,
        response: { 200: RevisionListResponseSchema, ...errors(400) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100
      const items = await app.store.revisions(
        await normaliseName(app.store, toFilter(request.query, limit, readScope(request))),
      )
      const last = items.at(-1)
      return { items, ...(items.length === limit && last ? { next: last.id } : {}) }
    },
  )

  app.get(
    '/revisions/export',
    {
      schema: {
        tags: ['revisions'],
        summary: 'Export history as JSON or YAML (same filters; up to 100,000 revisions)',
        querystring: RevisionExportQuerySchema,
        response: { 200: Type.String(), ...errors(400) },
      },
    },
    async (request, reply) => {
      const items = await app.store.revisions(
        await normaliseName(
          app.store,
          toFilter(request.query, request.query.limit ?? 100_000, readScope(request)),
        ),
      )
      const yaml = request.query.format === 'yaml'
      reply
        .header(
          'content-type',
          yaml ? 'application/yaml; charset=utf-8' : 'application/json; charset=utf-8',
        )
        .header('content-disposition', `attachment; filename="history.${yaml ? 'yaml' : 'json'}"`)
      return yaml ? stringify(items, { lineWidth: 0 }) : JSON.stringify(items, null, 2)
    },
  )

  app.get(
    '/revisions/:id',
    {
      schema: {
        tags: ['revisions'],
        params: RevisionParamsSchema,
        response: { 200: RevisionSchema, ...errors(404) },
      },
    },
    async (request) => {
      const rev = await app.store.revisionById(request.params.id)
      if (!rev) throw notFound(`revision ${request.params.id}`)
      for (const r of [rev.before, rev.after]) if (r) requireRead(request, r)
      return rev
    },
  )

  app.post(
    '/revisions/:id/rollback',
    {
      schema: {
        tags: ['revisions'],
        summary: 'Restore the resource to its state after this revision (a new revision)',
        params: RevisionParamsSchema,
        response: { 200: RollbackResponseSchema, ...errors(404, 409) },
      },
    },
    async (request) => {
      const rev = await app.store.revisionById(request.params.id)
      if (!rev) throw notFound(`revision ${request.params.id}`)
      // Restoring writes the revision's state over the current one: rights on both.
      const current = await app.store.get({
        kind: rev.kind,
        namespace: rev.namespace ?? '',
        name: rev.name,
      })
      requireWrite(request, rev.after ?? undefined, current ?? rev.before ?? undefined)
      const revision = await app.store.rollback(request.params.id, actorOf(request))
      return { revision, revisionCounter: String(revision.id) }
    },
  )
}
