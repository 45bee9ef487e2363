/**
 * How a recommendation names a peer in a rule: a namespace (or a workload in it), a network
 * set by its labels, private or public addresses, a host by its addresses.
 */

import { namespaceNameSelector } from '../editor/scope.ts'
import type { Endpoint, EntityRule, GlobalNetworkSet, NetworkSet } from '../resources/types.ts'
import { printSelector } from '../selector/index.ts'
import type { RecommendationScope } from './types.ts'

/** Labels that name a workload, most specific first (what the board groups pods by). */
export const WORKLOAD_LABELS: readonly string[] = ['app', 'app.kubernetes.io/name', 'k8s-app']

/** The RFC 1918 ranges (Calico's `pvt`). */
export const PRIVATE_NETS: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']

/** A workload: the label that names it and its value. */
export interface WorkloadKey {
  label: string
  value: string
}

/**
 * The workload an endpoint belongs to: its first app-like label, else its service account.
 *
 * @returns undefined for an endpoint with neither (host endpoints, bare pods).
 */
export function workloadOf(e: Endpoint): WorkloadKey | undefined {
  for (const label of WORKLOAD_LABELS) {
    const value = e.labels?.[label]
    if (value) return { label, value }
  }
  if (e.kind !== 'host' && e.serviceAccount) {
    return { label: 'projectcalico.org/serviceaccount', value: e.serviceAccount }
  }
  return undefined
}

/** A selector for a workload key: `app == 'cart'`. */
export function workloadSelector(w: WorkloadKey): string {
  return printSelector({ kind: 'eq', label: w.label, value: w.value })
}

/** A peer of a generated rule, what its entity rule says and how evidence names it. */
export interface Peer {
  scope: RecommendationScope
  /** Shown name: namespace (`ns` or `ns/workload`), set, `pvt`, `pub`, host. */
  name: string
  /** Namespace of the peer (empty for cluster-wide ones). */
  namespace: string
  /** The entity rule fields that select the peer (ports are added by the caller). */
  entity: EntityRule
  /** Orders rules: scope rank, then name. */
  sortKey: string
}

const SCOPE_RANK: Readonly<Record<RecommendationScope, number>> = {
  Namespace: 0,
  NetworkSet: 1,
  Host: 2,
  Private: 3,
  Public: 4,
}

function peer(
  scope: RecommendationScope,
  name: string,
  namespace: string,
  entity: EntityRule,
  variant = '',
): Peer {
  return { scope, name, namespace, entity, sortKey: `${SCOPE_RANK[scope]}|${name}|${variant}` }
}

/** Pods of a namespace, or of one workload of it when `workload` is given. */
export function namespacePeer(namespace: string, workload?: WorkloadKey): Peer {
  const entity: EntityRule = { namespaceSelector: namespaceNameSelector(namespace) }
  if (workload) entity.selector = workloadSelector(workload)
  return peer(
    'Namespace',
    workload ? `${namespace}/${workload.value}` : namespace,
    namespace,
    entity,
  )
}

/** The nets of one family (of the first net when no family is given): a rule holds one. */
function sameFamily(nets: readonly string[], family: 4 | 6 | undefined): string[] {
  const v6 = family === undefined ? (nets[0] ?? '').includes(':') : family === 6
  return nets.filter((n) => n.includes(':') === v6)
}

/**
 * A network set: by its labels, scoped to its namespace (`global()` for a GlobalNetworkSet),
 * as a rule selector matches the set's CIDRs; by its nets of the flow's family when it has no
 * labels.
 */
export function networkSetPeer(set: NetworkSet | GlobalNetworkSet, family?: 4 | 6): Peer {
  const ns = set.metadata.namespace ?? ''
  const labels = Object.entries(set.metadata.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))
  const entity: EntityRule = labels.length
    ? {
        namespaceSelector: ns ? namespaceNameSelector(ns) : 'global()',
        selector: labels
          .map(([label, value]) => printSelector({ kind: 'eq', label, value }))
          .join(' && '),
      }
    : { nets: sameFamily(set.spec.nets ?? [], family) }
  const name = ns ? `${ns}/${set.metadata.name}` : set.metadata.name
  return peer('NetworkSet', name, ns, entity, labels.length ? '' : String(family ?? ''))
}

/**
 * Addresses nothing owns, in one IP family (a Calico rule holds CIDRs of one family only).
 * IPv4: `pvt` by the RFC 1918 nets; `pub` as everything outside them (a `notNets`, so that
 * the rule never reaches pods, whose addresses are private). IPv6 has no private class in
 * flow logs (every IPv6 address is `pub`), so its rule names all IPv6 addresses.
 */
export function addressPeer(cls: 'pvt' | 'pub', family: 4 | 6 = 4): Peer {
  if (family === 6) {
    return peer(cls === 'pvt' ? 'Private' : 'Public', cls, '', { nets: ['::/0'] }, '6')
  }
  return cls === 'pvt'
    ? peer('Private', 'pvt', '', { nets: [...PRIVATE_NETS] })
    : peer('Public', 'pub', '', { notNets: [...PRIVATE_NETS] })
}

/**
 * A host endpoint, by its addresses of one family (its IPv4 ones when it has any: a Calico
 * rule holds CIDRs of one family only).
 */
export function hostPeer(e: Endpoint): Peer {
  const ips = e.ips ?? []
  const v4 = ips.filter((ip) => !ip.includes(':'))
  const nets = v4.length ? v4.map((ip) => `${ip}/32`) : ips.map((ip) => `${ip}/128`)
  return peer('Host', e.name, '', { nets })
}

/** A stable identity of a peer's entity (rules with the same peer and protocol merge ports). */
export function peerId(p: Peer): string {
  return JSON.stringify(p.entity)
}
