/**
 * "Selects endpoint X": which board policies apply to one inventory endpoint, following
 * Calico's applies-to rules (calico-semantics §3.3): a namespaced policy selects only in its
 * namespace; a global one matches `selector` against the endpoint and `namespaceSelector`
 * against its namespace; `serviceAccountSelector` matches the service account's labels.
 */
import type { InventoryResponse, PolicySummary } from '@policyboard/api'
import { compileSelector, type Endpoint, type LabelSelector } from '@policyboard/policy-core'

/** Finds an endpoint by `namespace/name`, or by bare name for host endpoints. */
export function findEndpoint(inventory: InventoryResponse, text: string): Endpoint | undefined {
  const t = text.trim()
  if (!t) return undefined
  const slash = t.indexOf('/')
  if (slash < 0)
    return inventory.endpoints.find((e) => e.name === t && (e.kind === 'host' || !e.namespace))
  const ns = t.slice(0, slash)
  const name = t.slice(slash + 1)
  return inventory.endpoints.find((e) => e.namespace === ns && e.name === name)
}

function safeMatch(selector: string | undefined, labels: Record<string, string>): boolean {
  if (!selector?.trim()) return true
  try {
    return compileSelector(selector)(labels)
  } catch {
    return false
  }
}

function labelSelectorMatches(
  sel: LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  if (!sel) return true
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key)
    const value = labels[e.key] ?? ''
    if (e.operator === 'Exists' && !has) return false
    if (e.operator === 'DoesNotExist' && has) return false
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(value))) return false
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(value)) return false
  }
  return true
}

/** A predicate telling whether a board policy applies to `endpoint`. */
export function selectsEndpoint(
  inventory: InventoryResponse,
  endpoint: Endpoint,
): (p: PolicySummary) => boolean {
  const isHost = endpoint.kind === 'host'
  const ns = endpoint.namespace ?? ''
  const nsLabels: Record<string, string> = {
    ...(inventory.namespaces.find((n) => n.name === ns)?.labels ?? {}),
    'projectcalico.org/name': ns,
    'kubernetes.io/metadata.name': ns,
  }
  const sa = endpoint.serviceAccount ?? 'default'
  const saLabels: Record<string, string> = {
    ...(inventory.serviceAccounts.find((s) => s.namespace === ns && s.name === sa)?.labels ?? {}),
    'projectcalico.org/name': sa,
  }
  const labels: Record<string, string> = { ...(endpoint.labels ?? {}) }
  if (!isHost) {
    labels['projectcalico.org/namespace'] = ns
    labels['projectcalico.org/orchestrator'] = 'k8s'
    labels['projectcalico.org/serviceaccount'] = sa
  }
  return (p) => {
    const spec = (p.resource as unknown as { spec?: Record<string, unknown> }).spec ?? {}
    if (p.kind === 'KubernetesNetworkPolicy' || p.kind === 'StagedKubernetesNetworkPolicy') {
      return (
        !isHost &&
        p.namespace === ns &&
        labelSelectorMatches(spec.podSelector as LabelSelector, endpoint.labels ?? {})
      )
    }
    const namespaced = p.kind === 'NetworkPolicy' || p.kind === 'StagedNetworkPolicy'
    if (namespaced && (isHost || p.namespace !== ns)) return false
    if (!safeMatch(spec.selector as string | undefined, labels)) return false
    const nsSel = spec.namespaceSelector as string | undefined
    if (nsSel?.trim() && (isHost || !safeMatch(nsSel, nsLabels))) return false
    const saSel = spec.serviceAccountSelector as string | undefined
    if (saSel?.trim() && (isHost || !safeMatch(saSel, saLabels))) return false
    return true
  }
}
