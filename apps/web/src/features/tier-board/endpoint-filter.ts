/**
 * "Selects endpoint X": the board keeps the policies the server says apply to one inventory
 * endpoint (`GET /api/v1/endpoints/:ns/:name/policies`, the evaluator's own applies-to
 * logic). Here only the endpoint's name is parsed and the answer matched to the cards.
 */
import type { EndpointPoliciesResponse, PolicySummary } from '@policyboard/api'

/** Where an endpoint is asked about: its namespace (`-` for a host endpoint) and name. */
export interface EndpointRef {
  namespace: string
  name: string
}

/** Parses `namespace/name` (a workload) or a bare name (a host endpoint); undefined when empty. */
export function endpointRef(text: string): EndpointRef | undefined {
  const t = text.trim()
  if (!t) return undefined
  const slash = t.indexOf('/')
  if (slash < 0) return { namespace: '-', name: t }
  const namespace = t.slice(0, slash)
  const name = t.slice(slash + 1)
  return namespace && name ? { namespace, name } : undefined
}

function isKubernetes(kind: string): boolean {
  return kind === 'KubernetesNetworkPolicy' || kind === 'StagedKubernetesNetworkPolicy'
}

/** `kind|namespace|bare name`: a legacy `<tier>.` prefix is dropped, as the server does. */
function key(kind: string, namespace: string | undefined, tier: string, name: string): string {
  const bare =
    !isKubernetes(kind) && name.startsWith(`${tier}.`) && name.length > tier.length + 1
      ? name.slice(tier.length + 1)
      : name
  return `${kind}|${namespace ?? ''}|${bare}`
}

/**
 * A predicate telling whether a board policy applies to the endpoint: it is among the
 * policies of either direction in the enforced view (enforced kinds) or the staged view
 * (staged kinds), as the server computed them.
 */
export function selectsEndpoint(answer: EndpointPoliciesResponse): (p: PolicySummary) => boolean {
  const keys = new Set<string>()
  for (const view of [answer.enforced, answer.staged]) {
    for (const tier of [...view.ingress, ...view.egress]) {
      for (const p of tier.policies) keys.add(key(p.kind, p.namespace, p.tier, p.name))
    }
  }
  return (p) => keys.has(key(p.kind, p.namespace, p.tier, p.name))
}
