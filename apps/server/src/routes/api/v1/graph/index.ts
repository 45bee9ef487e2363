import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  type DirectionPolicies,
  EndpointPoliciesParamsSchema,
  EndpointPoliciesResponseSchema,
} from '@policyboard/api'
import {
  appliedTiers,
  type CompiledModel,
  type Endpoint,
  nameAggr,
  type ViewName,
} from '@policyboard/policy-core'
import { errors } from '../common.ts'

/** The inventory endpoints a (possibly aggregated) name stands for, by name. */
export function membersOf(endpoints: readonly Endpoint[], namespace: string, name: string) {
  const host = namespace === '-'
  return endpoints
    .filter((e) =>
      host
        ? e.kind === 'host' && e.name === name
        : e.kind !== 'host' &&
          e.namespace === namespace &&
          (e.name === name || nameAggr(e.name) === name),
    )
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** Labels carried by every endpoint, with the same value. */
export function commonLabels(endpoints: readonly Endpoint[]): Record<string, string> {
  const [first, ...rest] = endpoints
  const out: Record<string, string> = { ...(first?.labels ?? {}) }
  for (const e of rest) {
    for (const [k, v] of Object.entries(out)) if (e.labels?.[k] !== v) delete out[k]
  }
  return out
}

function directions(model: CompiledModel, identity: number, view: ViewName): DirectionPolicies {
  const tiers = (egress: boolean) =>
    appliedTiers(model, identity, view, egress).map((vt) => ({
      tier: vt.tier.name,
      defaultAction: vt.tier.defaultAction,
      policies: vt.refs.map((r) => ({
        kind: r.kind,
        name: r.name,
        ...(r.namespace === undefined ? {} : { namespace: r.namespace }),
        tier: r.tier,
        staged: r.staged,
      })),
    }))
  return { ingress: tiers(false), egress: tiers(true) }
}

/** What the service graph asks about an endpoint: its labels and the policies applying to it. */
export const graphRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/endpoints/:namespace/:name/policies',
    {
      schema: {
        tags: ['graph'],
        summary:
          'Labels of an endpoint (or aggregated workload) and the policies applying to it per direction, in evaluation order',
        params: EndpointPoliciesParamsSchema,
        response: { 200: EndpointPoliciesResponseSchema, ...errors(404, 409) },
      },
    },
    async (request, reply) => {
      const { namespace, name } = request.params
      const [snapshot, inventory] = await Promise.all([app.board.snapshot(), app.store.inventory()])
      const members = membersOf(inventory.endpoints, namespace, name)
      const first = members[0]
      if (!first) return reply.notFound(`no endpoint ${namespace}/${name} in the inventory`)
      const model = snapshot.model
      if (!model) return reply.conflict('the stored policies do not compile')
      const ref = first.kind === 'host' ? first.name : `${first.namespace}/${first.name}`
      const index = model.endpointByRef.get(ref)
      const ep = index === undefined ? undefined : model.endpoints[index]
      if (!ep) return reply.notFound(`endpoint ${ref} is not in the compiled model`)
      return {
        namespace,
        name,
        members: members.map((e) => (e.kind === 'host' ? e.name : `${e.namespace}/${e.name}`)),
        labels: commonLabels(members),
        judged: ref,
        enforced: directions(model, ep.identity, 'enforced'),
        staged: directions(model, ep.identity, 'staged'),
        revision: String(snapshot.revision),
      }
    },
  )
}
