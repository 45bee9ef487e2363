/**
 * Resource names: Calico's name rules per kind, the two policy naming models (legacy
 * `<tier>.<name>` and the kind-based model of Calico ≥ v3.32), kind relations (staged ↔
 * enforced) and the identity key of a resource.
 */
import {
  CALICO_API_VERSION,
  type Resource,
  type ResourceKind,
  resourceKind,
  type Tier,
} from './types.ts'

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const SUBDOMAIN = `${LABEL}(\\.${LABEL})*`

/** DNS-1123 label: lowercase alphanumerics and `-`, no dots. */
export const DNS_LABEL_RE = new RegExp(`^${LABEL}$`)
/** DNS-1123 subdomain: dot-separated labels. */
export const DNS_SUBDOMAIN_RE = new RegExp(`^${SUBDOMAIN}$`)
/** Calico NetworkPolicy names: a label with at most one dot, or a pre-formatted `knp.default.`/`ossg.default.` name. */
export const NETWORK_POLICY_NAME_RE = new RegExp(
  `^((${LABEL})(\\.${LABEL})?|((?:knp|ossg)\\.default\\.(${SUBDOMAIN})))$`,
)
/** Calico GlobalNetworkPolicy names: a label with at most one dot. */
export const GLOBAL_NETWORK_POLICY_NAME_RE = new RegExp(`^(${LABEL}\\.)?${LABEL}$`)
/** Longest DNS-1123 label (tier names). */
export const DNS_LABEL_MAX = 63
/** Longest DNS-1123 subdomain (every other name). */
export const DNS_SUBDOMAIN_MAX = 253

/** The tier of policies that name none. */
export const DEFAULT_TIER = 'default'

/**
 * Name prefixes Calico treats as already formatted (generated from Kubernetes or OpenStack
 * objects): such names are exempt from the tier-prefix rule.
 */
export const PREFORMATTED_POLICY_PREFIXES: readonly string[] = [
  'knp.default.',
  'kcnp.kube-admin.',
  'kcnp.kube-baseline.',
  'kanp.adminnetworkpolicy.',
  'kbanp.baselineadminnetworkpolicy.',
  'ossg.',
]

/** Which policy naming model names are shown in: legacy (`<tier>.<name>`) or kind-based (≥ v3.32). */
export type NamingModel = 'legacy' | 'v3.32'

const STAGED_TO_ENFORCED = {
  StagedNetworkPolicy: 'NetworkPolicy',
  StagedGlobalNetworkPolicy: 'GlobalNetworkPolicy',
  StagedKubernetesNetworkPolicy: 'KubernetesNetworkPolicy',
} as const

/** A staged policy kind. */
export type StagedKind = keyof typeof STAGED_TO_ENFORCED
/** An enforced policy kind that has a staged twin. */
export type EnforcedKind = (typeof STAGED_TO_ENFORCED)[StagedKind]

const POLICY_KINDS: ReadonlySet<string> = new Set([
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'KubernetesNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
  'StagedKubernetesNetworkPolicy',
])

/** Whether `kind` is one of the staged policy kinds. */
export function isStagedKind(kind: string): kind is StagedKind {
  return Object.hasOwn(STAGED_TO_ENFORCED, kind)
}

/** Whether `kind` (a model kind, see `ResourceKind`) is a policy, enforced or staged. */
export function isPolicyKind(kind: string): boolean {
  return POLICY_KINDS.has(kind)
}

/** The enforced kind a staged kind turns into when enforced. */
export function enforcedKindOf(stagedKind: StagedKind): EnforcedKind {
  return STAGED_TO_ENFORCED[stagedKind]
}

/** The staged twin of an enforced policy kind, or undefined for kinds without one. */
export function stagedKindOf(kind: string): StagedKind | undefined {
  for (const [staged, enforced] of Object.entries(STAGED_TO_ENFORCED)) {
    if (enforced === kind) return staged as StagedKind
  }
  return undefined
}

/** Whether a policy name is pre-formatted (exempt from the tier-prefix rule). */
export function isPreformattedPolicyName(name: string): boolean {
  return PREFORMATTED_POLICY_PREFIXES.some((p) => name.startsWith(p))
}

/** Kinds whose spec carries a `tier` (Calico policies, enforced or staged). */
function hasTierField(kind: ResourceKind): boolean {
  return (
    kind === 'NetworkPolicy' ||
    kind === 'GlobalNetworkPolicy' ||
    kind === 'StagedNetworkPolicy' ||
    kind === 'StagedGlobalNetworkPolicy'
  )
}

/**
 * The tier a policy belongs to: `spec.tier`, else `default` (Kubernetes policies are always in
 * `default`). Undefined for resources that are not policies.
 */
export function policyTier(r: Resource): string | undefined {
  const kind = resourceKind(r)
  if (hasTierField(kind)) return (r.spec as { tier?: string }).tier || DEFAULT_TIER
  if (kind === 'KubernetesNetworkPolicy' || kind === 'StagedKubernetesNetworkPolicy') {
    return DEFAULT_TIER
  }
  return undefined
}

/**
 * The policy's name without a legacy tier prefix: `security.guard` in tier `security` is
 * `guard`, `default.x` in the default tier is `x`. Pre-formatted names and names of other
 * resources are returned unchanged.
 */
export function bareName(r: Resource): string {
  const name = r.metadata.name
  if (!hasTierField(resourceKind(r)) || isPreformattedPolicyName(name)) return name
  const prefix = `${policyTier(r)}.`
  return name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : name
}

/**
 * The name in the legacy model: `<tier>.<name>` for a Calico policy in a non-default tier,
 * the bare name in the default tier, `knp.default.<name>` for a Kubernetes policy (staged or
 * not). Other resources keep their name.
 */
export function legacyName(r: Resource): string {
  const kind = resourceKind(r)
  if (kind === 'KubernetesNetworkPolicy' || kind === 'StagedKubernetesNetworkPolicy') {
    return `knp.default.${r.metadata.name}`
  }
  if (!hasTierField(kind) || isPreformattedPolicyName(r.metadata.name)) return r.metadata.name
  const tier = policyTier(r) ?? DEFAULT_TIER
  const bare = bareName(r)
  return tier === DEFAULT_TIER ? bare : `${tier}.${bare}`
}

/**
 * A copy of a Calico policy renamed for a naming model: `legacy` gives `<tier>.<name>` in
 * non-default tiers, `v3.32` gives the bare name. Kubernetes policies and other resources
 * are returned unchanged (their own name never carries a prefix).
 */
export function renameForModel<R extends Resource>(r: R, naming: NamingModel): R {
  if (!hasTierField(resourceKind(r))) return r
  const name = naming === 'legacy' ? legacyName(r) : bareName(r)
  if (name === r.metadata.name) return r
  return { ...r, metadata: { ...r.metadata, name } }
}

/**
 * The identity of a resource: `Kind/namespace/name` (or `Kind/name` for cluster-wide kinds),
 * with the model kind and the legacy tier prefix normalised away, so `security.guard` and
 * `guard` in tier `security` are the same policy.
 */
export function resourceKey(r: Resource): string {
  const kind = resourceKind(r)
  const ns = r.metadata.namespace
  return ns ? `${kind}/${ns}/${bareName(r)}` : `${kind}/${bareName(r)}`
}

function builtinTier(name: string, order: number, defaultAction: 'Deny' | 'Pass'): Tier {
  return {
    apiVersion: CALICO_API_VERSION,
    kind: 'Tier',
    metadata: { name },
    spec: { order, defaultAction },
  }
}

/**
 * The tiers Calico creates itself, with the orders and default actions its CRD rules pin:
 * `kube-admin` (1 000, Pass), `default` (1 000 000, Deny), `kube-baseline` (10 000 000, Pass).
 */
export const BUILTIN_TIERS: readonly Tier[] = Object.freeze([
  builtinTier('kube-admin', 1000, 'Pass'),
  builtinTier(DEFAULT_TIER, 1_000_000, 'Deny'),
  builtinTier('kube-baseline', 10_000_000, 'Pass'),
])
