import { RESOURCE_PATHS, type RoleBinding, type TierPermission } from '@policyboard/api'
import type { Resource, ResourceKind } from '@policyboard/policy-core'
import { isPolicyResourceKind, resourceIdOf, tierOf } from '../store/index.ts'

/**
 * Authorization decisions, pure: Calico's tiered RBAC (spec §8.2) over Policyboard's roles.
 * Acting on a policy needs rights on its tier and on its kind; Kubernetes policies sit in the
 * `default` tier. Reads of a tier need any role covering it; writes need an `editor` binding
 * covering the tier (and the namespace when the binding lists namespaces) or `admin`.
 */

/** Who is calling, once authenticated. */
export interface Principal {
  /** User id in the store. */
  id: number
  /** User name (what revisions and audit events record). */
  name: string
  bindings: readonly RoleBinding[]
  /** How the request authenticated. */
  via: 'session' | 'token'
  /** The session's CSRF token (cookie sessions only). */
  csrf?: string
}

/** Kubernetes-style verbs. */
export type Verb = 'get' | 'list' | 'create' | 'update' | 'delete'

/** Whether the principal holds `admin`. */
export function isAdmin(p: Principal): boolean {
  return p.bindings.some((b) => b.role === 'admin')
}

function covers(b: RoleBinding, tier: string): boolean {
  return b.tiers === undefined || b.tiers.includes(tier)
}

/** Whether the principal may see `tier` and its policies. */
export function canReadTier(p: Principal, tier: string): boolean {
  return p.bindings.some((b) => b.role === 'admin' || covers(b, tier))
}

/** Whether the principal may write policies of `tier` in `namespace` (undefined: a global policy). */
export function canWritePolicy(p: Principal, tier: string, namespace: string | undefined): boolean {
  return p.bindings.some(
    (b) =>
      b.role === 'admin' ||
      (b.role === 'editor' &&
        covers(b, tier) &&
        (b.namespaces === undefined ||
          (namespace !== undefined && b.namespaces.includes(namespace)))),
  )
}

/** Whether the principal may write anything at all (an editor binding or admin). */
export function canWriteSomething(p: Principal): boolean {
  return p.bindings.some((b) => b.role === 'admin' || b.role === 'editor')
}

/** Whether the principal may read non-policy data (inventory, flow logs, network sets): any role. */
export function hasAnyRole(p: Principal): boolean {
  return p.bindings.length > 0
}

/**
 * The refusal in Calico's wording, e.g. `user "bob" cannot update networkpolicies in tier
 * "security" and namespace "shop"`.
 */
export function forbiddenMessage(
  user: string,
  verb: Verb,
  kind: ResourceKind | string,
  tier?: string,
  namespace?: string,
): string {
  const plural =
    kind in RESOURCE_PATHS ? RESOURCE_PATHS[kind as ResourceKind].plural : kind.toLowerCase()
  let msg = `user "${user}" cannot ${verb} ${plural}`
  if (tier !== undefined) msg += ` in tier "${tier}"`
  if (namespace) msg += `${tier !== undefined ? ' and' : ' in'} namespace "${namespace}"`
  if (tier !== undefined && (verb === 'get' || verb === 'list')) msg += ' (user cannot get tier)'
  return msg
}

/** Why writing `r` with `verb` is refused, or undefined when allowed. */
export function writeRefusal(p: Principal, verb: Verb, r: Resource): string | undefined {
  const id = resourceIdOf(r)
  const ns = id.namespace || undefined
  if (isPolicyResourceKind(id.kind)) {
    const tier = tierOf(r) ?? 'default'
    return canWritePolicy(p, tier, ns)
      ? undefined
      : forbiddenMessage(p.name, verb, id.kind, tier, ns)
  }
  if (id.kind === 'NetworkSet') {
    const ok = p.bindings.some(
      (b) =>
        b.role === 'admin' ||
        (b.role === 'editor' &&
          (b.namespaces === undefined || b.namespaces.includes(id.namespace))),
    )
    return ok ? undefined : forbiddenMessage(p.name, verb, id.kind, undefined, ns)
  }
  // Tiers, global network sets and host endpoints are cluster configuration.
  return isAdmin(p) ? undefined : forbiddenMessage(p.name, verb, id.kind, undefined, ns)
}

/** Whether the principal may see resource `r` (policies and tiers by tier; other kinds by any role). */
export function canReadResource(p: Principal, r: Resource): boolean {
  const id = resourceIdOf(r)
  if (id.kind === 'Tier') return canReadTier(p, id.name)
  const tier = tierOf(r)
  return tier === undefined ? hasAnyRole(p) : canReadTier(p, tier)
}

/** The principal's permissions per tier, for the web app to hide what it may not do. */
export function tierPermissions(p: Principal, tiers: readonly string[]): TierPermission[] {
  return tiers.map((tier) => {
    const read = canReadTier(p, tier)
    const writers = p.bindings.filter(
      (b) => b.role === 'admin' || (b.role === 'editor' && covers(b, tier)),
    )
    const write = writers.length > 0
    const unlimited = writers.some((b) => b.role === 'admin' || b.namespaces === undefined)
    const namespaces = unlimited
      ? undefined
      : [...new Set(writers.flatMap((b) => b.namespaces ?? []))].sort()
    return { tier, read, write, ...(write && namespaces ? { namespaces } : {}) }
  })
}
