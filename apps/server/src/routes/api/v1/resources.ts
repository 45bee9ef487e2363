import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  DeleteQuerySchema,
  DeleteResponseSchema,
  NameParamsSchema,
  NamespacedNameParamsSchema,
  NamespaceParamsSchema,
  RESOURCE_PATHS,
  ResourceListSchema,
  ResourceSchema,
} from '@policyboard/api'
import {
  bareName,
  type Resource,
  type ResourceKind,
  resourceKind,
  validateResource,
} from '@policyboard/policy-core'
import { readableResources, requireRead, requireWrite } from '../../../auth/guard.ts'
import { ValidationFailure } from '../../../errors.ts'
import { actorOf } from '../../../plugins/store.ts'
import { notFound } from '../../../store/errors.ts'
import type { ResourceId } from '../../../store/index.ts'
import { errors } from './common.ts'

/**
 * Validates a request body as a resource of `kind` at `namespace`/`name` (when the path
 * names them), so that errors carry Calico field paths.
 */
export function readResourceBody(
  body: unknown,
  kind: ResourceKind,
  namespace: string | undefined,
  name: string | undefined,
): Resource {
  const raw = structuredClone(body) as Record<string, unknown>
  const meta = (raw.metadata ?? {}) as Record<string, unknown>
  if (namespace !== undefined && meta.namespace === undefined) meta.namespace = namespace
  const result = validateResource(raw)
  if (!result.ok) throw new ValidationFailure('invalid resource', result.errors)
  const r = result.value
  const problems = []
  if (resourceKind(r) !== kind) {
    problems.push({
      code: 'INVALID_VALUE',
      message: `expected kind ${kind} at this path`,
      path: 'kind',
    })
  }
  if (namespace !== undefined && r.metadata.namespace !== namespace) {
    problems.push({
      code: 'INVALID_VALUE',
      message: `expected namespace ${namespace} (from the path)`,
      path: 'metadata.namespace',
    })
  }
  if (name !== undefined && r.metadata.name !== name && bareName(r) !== name) {
    problems.push({
      code: 'INVALID_VALUE',
      message: `expected name ${name} (from the path)`,
      path: 'metadata.name',
    })
  }
  if (problems.length) throw new ValidationFailure('resource does not match its path', problems)
  return r
}

function versionOf(body: unknown): string | undefined {
  const v = (body as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion
  return typeof v === 'string' && v !== '' ? v : undefined
}

/** CRUD for every kind under its Calico-like path. */
export const resourceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const [kindName, path] of Object.entries(RESOURCE_PATHS)) {
    const kind = kindName as ResourceKind
    const tags = [path.namespaced ? 'namespaced resources' : 'cluster resources']
    const base = path.namespaced ? `/namespaces/:namespace/${path.plural}` : `/${path.plural}`
    const idOf = (params: { namespace?: string; name: string }): ResourceId => ({
      kind,
      namespace: params.namespace ?? '',
      name: params.name,
    })
    const ItemParams = path.namespaced ? NamespacedNameParamsSchema : NameParamsSchema

    if (path.namespaced) {
      app.get(
        `/${path.plural}`,
        {
          schema: {
            tags,
            summary: `List ${kind} in every namespace`,
            response: { 200: ResourceListSchema },
          },
        },
        async (request) => ({
          items: (await app.store.list({ kinds: [kind] })).filter(readableResources(request)),
          revision: String(await app.store.revision()),
        }),
      )
    }

    app.get(
      base,
      {
        schema: {
          tags,
          summary: `List ${kind}`,
          ...(path.namespaced ? { params: NamespaceParamsSchema } : {}),
          response: { 200: ResourceListSchema },
        },
      },
      async (request) => {
        const ns = (request.params as { namespace?: string }).namespace
        return {
          items: (
            await app.store.list({
              kinds: [kind],
              ...(ns !== undefined ? { namespace: ns } : {}),
            })
          ).filter(readableResources(request)),
          revision: String(await app.store.revision()),
        }
      },
    )

    app.post(
      base,
      {
        schema: {
          tags,
          summary: `Create a ${kind}`,
          ...(path.namespaced ? { params: NamespaceParamsSchema } : {}),
          body: ResourceSchema,
          response: { 201: ResourceSchema, ...errors(400, 409) },
        },
      },
      async (request, reply) => {
        const ns = (request.params as { namespace?: string }).namespace
        const r = readResourceBody(request.body, kind, ns, undefined)
        requireWrite(request, r, undefined, 'create')
        const result = await app.store.write(actorOf(request), (w) => w.put(r, { mode: 'create' }))
        return reply.status(201).send(result.resource)
      },
    )

    app.get(
      `${base}/:name`,
      {
        schema: {
          tags,
          summary: `Read a ${kind}`,
          params: ItemParams,
          response: { 200: ResourceSchema, ...errors(404) },
        },
      },
      async (request) => {
        const found = await app.store.get(
          idOf(request.params as { namespace?: string; name: string }),
        )
        if (!found) throw notFound(`${kind} ${request.params.name}`)
        requireRead(request, found)
        return found
      },
    )

    app.put(
      `${base}/:name`,
      {
        schema: {
          tags,
          summary: `Create or replace a ${kind} (conditional on metadata.resourceVersion when given)`,
          params: ItemParams,
          body: ResourceSchema,
          response: { 200: ResourceSchema, 201: ResourceSchema, ...errors(400, 404, 409) },
        },
      },
      async (request, reply) => {
        const params = request.params as { namespace?: string; name: string }
        const r = readResourceBody(request.body, kind, params.namespace, params.name)
        const expectedVersion = versionOf(request.body)
        const result = await app.store.write(actorOf(request), async (w) => {
          // Inside the write, so that the checked state is the one replaced.
          requireWrite(request, r, await w.get(idOf(params)))
          return w.put(r, {
            expectedVersion,
            ...(expectedVersion ? { mode: 'update' as const } : {}),
          })
        })
        return reply.status(result.operation === 'create' ? 201 : 200).send(result.resource)
      },
    )

    app.delete(
      `${base}/:name`,
      {
        schema: {
          tags,
          summary: `Delete a ${kind}`,
          params: ItemParams,
          querystring: DeleteQuerySchema,
          response: { 200: DeleteResponseSchema, ...errors(404, 409) },
        },
      },
      async (request) => {
        const id = idOf(request.params as { namespace?: string; name: string })
        const existing = await app.store.get(id)
        if (!existing) throw notFound(`${kind} ${id.name}`)
        requireWrite(request, undefined, existing, 'delete')
        const deleted = await app.store.write(actorOf(request), (w) =>
          w.delete(
            { ...id, name: bareName(existing) },
            { expectedVersion: request.query.resourceVersion },
          ),
        )
        return { deleted }
      },
    )
  }
}
