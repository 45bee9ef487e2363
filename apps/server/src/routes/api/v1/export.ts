import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type ExportQuery, ExportQuerySchema, type StagedFilter } from '@policyboard/api'
import {
  bareName,
  isStagedKind,
  NAMESPACED_KINDS,
  printResources,
  type Resource,
  renameForModel,
  resourceKind,
} from '@policyboard/policy-core'
import { Type } from 'typebox'
import { readableResources, requireRead } from '../../../auth/guard.ts'
import { notFound } from '../../../store/errors.ts'
import { type Store, tierOf } from '../../../store/index.ts'
import { errors } from './common.ts'

function stagedOk(r: Resource, staged: StagedFilter): boolean {
  const s = isStagedKind(resourceKind(r))
  return staged === 'include' || (staged === 'only' ? s : !s)
}

function tierOrder(tiers: Resource[]): Map<string, number> {
  return new Map(
    tiers.map((t) => [
      t.metadata.name,
      (t.spec as { order?: number }).order ?? Number.POSITIVE_INFINITY,
    ]),
  )
}

/** The resources an export selects, tiers first (by order), then by kind, namespace and name. */
export async function selectForExport(
  store: Store,
  q: ExportQuery,
  readable: (r: Resource) => boolean = () => true,
  onNamed: (r: Resource) => void = () => undefined,
): Promise<{ resources: Resource[]; filename: string }> {
  const staged = q.staged ?? 'include'
  let all = (await store.list()).filter(readable)
  let filename = 'board.yaml'
  if (q.name) {
    if (!q.kind) throw notFound('export of a named resource needs kind')
    const one = await store.get({
      kind: q.kind,
      namespace: NAMESPACED_KINDS.has(q.kind) ? (q.namespace ?? '') : '',
      name: q.name,
    })
    if (!one) throw notFound(`${q.kind} ${q.name}`)
    onNamed(one)
    all = [one]
    filename = `${q.kind.toLowerCase()}-${q.namespace ? `${q.namespace}-` : ''}${bareName(one)}.yaml`
  } else {
    if (q.kind) all = all.filter((r) => resourceKind(r) === q.kind)
    if (q.tier) {
      all = all.filter(
        (r) => tierOf(r) === q.tier || (resourceKind(r) === 'Tier' && r.metadata.name === q.tier),
      )
      filename = `tier-${q.tier}.yaml`
    }
    if (q.namespace) {
      all = all.filter((r) => r.metadata.namespace === q.namespace)
      filename = q.tier
        ? `tier-${q.tier}-namespace-${q.namespace}.yaml`
        : `namespace-${q.namespace}.yaml`
    }
  }
  const orders = tierOrder(all.filter((r) => resourceKind(r) === 'Tier'))
  const rank = (r: Resource) => (resourceKind(r) === 'Tier' ? 0 : 1)
  const resources = all
    .filter((r) => stagedOk(r, staged))
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (rank(a) === 0
          ? (orders.get(a.metadata.name) ?? 0) - (orders.get(b.metadata.name) ?? 0)
          : 0) ||
        resourceKind(a).localeCompare(resourceKind(b)) ||
        (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
        a.metadata.name.localeCompare(b.metadata.name),
    )
    .map((r) => renameForModel(r, q.naming ?? 'v3.32'))
  return { resources, filename }
}

/** `GET /api/v1/export`: kubectl-ready YAML with a download file name. */
export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/export',
    {
      schema: {
        tags: ['export'],
        summary: 'YAML of one policy, a tier, a namespace or the whole board',
        querystring: ExportQuerySchema,
        produces: ['application/yaml'],
        response: { 200: Type.String(), ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const { resources, filename } = await selectForExport(
        app.store,
        request.query,
        readableResources(request),
        (r) => requireRead(request, r),
      )
      reply
        .header('content-type', 'application/yaml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
      return printResources(resources)
    },
  )
}
