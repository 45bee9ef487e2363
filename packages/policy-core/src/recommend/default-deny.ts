/**
 * The default-deny workflow's policy: a staged global default deny in the `default` tier that
 * isolates every non-system namespace and keeps DNS to kube-dns open, and the test that finds
 * one among stored resources.
 */

import type {
  GlobalNetworkPolicy,
  Resource,
  Rule,
  StagedGlobalNetworkPolicy,
} from '../resources/types.ts'
import { CALICO_API_VERSION } from '../resources/types.ts'
import { normaliseSelector, tryParseSelector } from '../selector/index.ts'

/** Namespaces a default deny leaves alone: the cluster's own machinery. */
export const SYSTEM_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'calico-system',
  'calico-apiserver',
  'tigera-operator',
]

/** Name of the default deny the workflow stages. */
export const DEFAULT_DENY_NAME = 'default-deny'
/** Its order in the `default` tier: after every other policy of the tier (Kubernetes ones are at 1000). */
export const DEFAULT_DENY_ORDER = 10_000

/** Options of `defaultDenyPolicy`. */
export interface DefaultDenyOptions {
  /** Namespaces left out (default `SYSTEM_NAMESPACES`). */
  excludeNamespaces?: readonly string[]
  /** Namespace where kube-dns runs (default `kube-system`). */
  dnsNamespace?: string
  /** Policy name (default `default-deny`). */
  name?: string
}

/** Egress rules that let pods resolve names through kube-dns, on UDP and TCP 53. */
export function kubeDnsEgressRules(dnsNamespace = 'kube-system'): Rule[] {
  const destination = {
    selector: "k8s-app == 'kube-dns'",
    namespaceSelector: `projectcalico.org/name == '${dnsNamespace}'`,
    ports: [53],
  }
  return [
    { action: 'Allow', protocol: 'UDP', destination },
    { action: 'Allow', protocol: 'TCP', destination: { ...destination, ports: [53] } },
  ]
}

/**
 * A staged global default deny, as the tiered-policy guide stages one before enforcing it:
 * `default` tier, order 10000, every namespace but the system ones, Ingress and Egress, with
 * only DNS to kube-dns allowed.
 *
 * @example defaultDenyPolicy({ excludeNamespaces: ['kube-system'] })
 */
export function defaultDenyPolicy(options: DefaultDenyOptions = {}): StagedGlobalNetworkPolicy {
  const excluded = [...(options.excludeNamespaces ?? SYSTEM_NAMESPACES)].sort()
  return {
    apiVersion: CALICO_API_VERSION,
    kind: 'StagedGlobalNetworkPolicy',
    metadata: { name: options.name ?? DEFAULT_DENY_NAME },
    spec: {
      tier: 'default',
      order: DEFAULT_DENY_ORDER,
      selector: 'all()',
      namespaceSelector: excluded.length
        ? `projectcalico.org/name not in {${excluded.map((n) => `'${n}'`).join(', ')}}`
        : 'all()',
      types: ['Ingress', 'Egress'],
      egress: kubeDnsEgressRules(options.dnsNamespace),
      stagedAction: 'Set',
    },
  }
}

function selectsEverything(selector: string | undefined): boolean {
  if (!selector?.trim()) return true
  return tryParseSelector(selector).ok && normaliseSelector(selector) === 'all()'
}

/** Whether a rule only allows DNS (port 53) or denies. */
function harmless(r: Rule): boolean {
  if (r.action === 'Deny' || r.action === 'Log') return true
  if (r.action !== 'Allow') return false
  const ports = r.destination?.ports ?? []
  return ports.length > 0 && ports.every((p) => p === 53 || p === 'dns' || p === 'dns-tcp')
}

/**
 * Whether a resource is a global default deny: a (staged) GlobalNetworkPolicy selecting every
 * endpoint (maybe in some namespaces), for Ingress and Egress, that allows nothing but DNS.
 */
export function isDefaultDeny(r: Resource): r is GlobalNetworkPolicy | StagedGlobalNetworkPolicy {
  if (r.kind !== 'GlobalNetworkPolicy' && r.kind !== 'StagedGlobalNetworkPolicy') return false
  const spec = r.spec
  if (r.kind === 'StagedGlobalNetworkPolicy') {
    const action = r.spec.stagedAction
    if (action === 'Delete' || action === 'Ignore') return false
  }
  const types = spec.types ?? []
  if (!types.includes('Ingress') || !types.includes('Egress')) return false
  if (!selectsEverything(spec.selector)) return false
  return [...(spec.ingress ?? []), ...(spec.egress ?? [])].every(harmless)
}

/** A default deny found among stored resources. */
export interface FoundDefaultDeny {
  policy: GlobalNetworkPolicy | StagedGlobalNetworkPolicy
  /** True when the enforced kind is stored (the deny already applies). */
  enforced: boolean
}

/**
 * The default deny among stored resources: the enforced one when there is one, else a staged
 * one; the `default-deny` name is preferred among several.
 */
export function findDefaultDeny(resources: readonly Resource[]): FoundDefaultDeny | undefined {
  const all = resources.filter(isDefaultDeny)
  const rank = (p: GlobalNetworkPolicy | StagedGlobalNetworkPolicy) =>
    (p.kind === 'GlobalNetworkPolicy' ? 0 : 2) + (p.metadata.name === DEFAULT_DENY_NAME ? 0 : 1)
  const best = all.sort((a, b) => rank(a) - rank(b))[0]
  return best ? { policy: best, enforced: best.kind === 'GlobalNetworkPolicy' } : undefined
}
