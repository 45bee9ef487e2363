/**
 * The lint view of a resource set: every policy normalised to one shape (Kubernetes policies
 * converted as Calico converts them), tiers in evaluation order, policies in tier order.
 */
import { convertKubernetesPolicy } from '../convert/index.ts'
import type { PolicyHitKind } from '../flowlog/types.ts'
import {
  BUILTIN_TIERS,
  bareName,
  DEFAULT_TIER,
  isStagedKind,
  policyTier,
  resourceKey,
} from '../resources/names.ts'
import {
  type GlobalNetworkPolicySpec,
  type PolicyType,
  type Resource,
  type ResourceKind,
  type Rule,
  resourceKind,
  type StagedAction,
  type Tier,
} from '../resources/types.ts'

/** A policy as lint sees it. */
export interface LintPolicy {
  /** The resource as given. */
  resource: Resource
  /** Model kind. */
  kind: ResourceKind
  /** `resourceKey` of the resource. */
  key: string
  /** `Kind ns/name` for findings. */
  ref: string
  /** Name without a legacy tier prefix. */
  name: string
  namespace?: string
  staged: boolean
  stagedAction?: StagedAction
  tier: string
  /** Order in the tier; undefined sorts last. */
  order?: number
  /** Applies-to selector text (`''` is `all()`), as written or as converted. */
  selector: string
  /** GNP only. */
  namespaceSelector?: string
  serviceAccountSelector?: string
  /** Directions governed, defaulted from the rules as Calico does. */
  types: PolicyType[]
  ingress: Rule[]
  egress: Rule[]
  /** Kubernetes policies: their rules are converted, so rule paths cannot point into the source. */
  converted: boolean
  /** Field path of the applies-to selector in the source resource. */
  selectorPath: string
}

const POLICY_KINDS: ReadonlySet<ResourceKind> = new Set([
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'KubernetesNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
  'StagedKubernetesNetworkPolicy',
])

/** `Kind ns/name` (or `Kind name`) with the model kind. */
export function lintRef(r: Resource): string {
  const kind = resourceKind(r)
  const ns = r.metadata.namespace
  return ns ? `${kind} ${ns}/${r.metadata.name}` : `${kind} ${r.metadata.name}`
}

/** Calico's `types` defaulting: egress rules only → Egress; both → both; otherwise Ingress. */
export function defaultTypes(ingress: readonly Rule[], egress: readonly Rule[]): PolicyType[] {
  if (egress.length > 0 && ingress.length === 0) return ['Egress']
  if (egress.length > 0) return ['Ingress', 'Egress']
  return ['Ingress']
}

/** Normalises a policy resource; undefined for resources that are not policies. */
export function toLintPolicy(r: Resource): LintPolicy | undefined {
  const kind = resourceKind(r)
  if (!POLICY_KINDS.has(kind)) return undefined
  const base = {
    resource: r,
    kind,
    key: resourceKey(r),
    ref: lintRef(r),
    name: bareName(r),
    ...(r.metadata.namespace !== undefined ? { namespace: r.metadata.namespace } : {}),
    staged: isStagedKind(kind),
    tier: policyTier(r) ?? DEFAULT_TIER,
  }
  const stagedAction = (r.spec as { stagedAction?: StagedAction } | undefined)?.stagedAction
  if (kind === 'KubernetesNetworkPolicy' || kind === 'StagedKubernetesNetworkPolicy') {
    const { policy } = convertKubernetesPolicy(r as Parameters<typeof convertKubernetesPolicy>[0], {
      naming: 'v3.32',
    })
    const spec = policy.spec
    return {
      ...base,
      ...(base.staged ? { stagedAction: stagedAction ?? 'Set' } : {}),
      ...(spec.order !== undefined ? { order: spec.order } : {}),
      selector: spec.selector ?? '',
      types: spec.types ?? ['Ingress'],
      ingress: spec.ingress ?? [],
      egress: spec.egress ?? [],
      converted: true,
      selectorPath: 'spec.podSelector',
    }
  }
  const spec = (r.spec ?? {}) as GlobalNetworkPolicySpec
  const ingress = spec.ingress ?? []
  const egress = spec.egress ?? []
  return {
    ...base,
    ...(base.staged ? { stagedAction: stagedAction ?? 'Set' } : {}),
    ...(spec.order !== undefined ? { order: spec.order } : {}),
    selector: spec.selector ?? '',
    ...(spec.namespaceSelector ? { namespaceSelector: spec.namespaceSelector } : {}),
    ...(spec.serviceAccountSelector ? { serviceAccountSelector: spec.serviceAccountSelector } : {}),
    types: spec.types && spec.types.length > 0 ? [...spec.types] : defaultTypes(ingress, egress),
    ingress,
    egress,
    converted: false,
    selectorPath: 'spec.selector',
  }
}

/** The evaluation-order comparison of policies within a tier: order (unset last), then `name/namespace/kind`. */
export function comparePolicies(a: LintPolicy, b: LintPolicy): number {
  const oa = a.order ?? Number.POSITIVE_INFINITY
  const ob = b.order ?? Number.POSITIVE_INFINITY
  if (oa !== ob) return oa < ob ? -1 : 1
  const ka = `${a.name}/${a.namespace ?? ''}/${a.kind}`
  const kb = `${b.name}/${b.namespace ?? ''}/${b.kind}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** A tier as lint sees it. */
export interface LintTier {
  name: string
  /** The Tier resource, when one was given. */
  resource?: Tier
  /** Whether a Tier resource was given or the tier is built in. */
  declared: boolean
  order?: number
  defaultAction: 'Deny' | 'Pass'
  /** Policies of the tier (enforced and staged), in evaluation order. */
  policies: LintPolicy[]
}

/** The lint model of a resource set. */
export interface LintModel {
  policies: LintPolicy[]
  /** Every tier that is declared, built in and used, or referred to by a policy, in evaluation order. */
  tiers: LintTier[]
}

/**
 * Builds the model: policies normalised, tiers sorted as Calico sorts them (tiers backed by a
 * resource first, then order with unset last, then name). Built-in tiers count as declared.
 */
export function buildModel(resources: readonly Resource[]): LintModel {
  const policies: LintPolicy[] = []
  const tiers = new Map<string, LintTier>()
  for (const r of resources) {
    if (resourceKind(r) !== 'Tier') continue
    const t = r as Tier
    tiers.set(t.metadata.name, {
      name: t.metadata.name,
      resource: t,
      declared: true,
      ...(t.spec?.order !== undefined ? { order: t.spec.order } : {}),
      defaultAction: t.spec?.defaultAction === 'Pass' ? 'Pass' : 'Deny',
      policies: [],
    })
  }
  for (const r of resources) {
    const p = toLintPolicy(r)
    if (!p) continue
    policies.push(p)
    let tier = tiers.get(p.tier)
    if (!tier) {
      const builtin = BUILTIN_TIERS.find((b) => b.metadata.name === p.tier)
      tier = {
        name: p.tier,
        declared: builtin !== undefined,
        ...(builtin?.spec.order !== undefined ? { order: builtin.spec.order } : {}),
        defaultAction: builtin?.spec.defaultAction === 'Pass' ? 'Pass' : 'Deny',
        policies: [],
      }
      tiers.set(p.tier, tier)
    }
    tier.policies.push(p)
  }
  for (const t of tiers.values()) t.policies.sort(comparePolicies)
  const sorted = [...tiers.values()].sort((a, b) => {
    if (a.declared !== b.declared) return a.declared ? -1 : 1
    const oa = a.order ?? Number.POSITIVE_INFINITY
    const ob = b.order ?? Number.POSITIVE_INFINITY
    if (oa !== ob) return oa < ob ? -1 : 1
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  })
  return { policies, tiers: sorted }
}

/** The flow-log kind and staged flag of a policy, to match hits against it. */
export function hitKindOf(p: LintPolicy): { kind: PolicyHitKind; staged: boolean } {
  switch (p.kind) {
    case 'NetworkPolicy':
    case 'StagedNetworkPolicy':
      return { kind: 'NetworkPolicy', staged: p.staged }
    case 'GlobalNetworkPolicy':
    case 'StagedGlobalNetworkPolicy':
      return { kind: 'GlobalNetworkPolicy', staged: p.staged }
    default:
      return { kind: 'KubernetesNetworkPolicy', staged: p.staged }
  }
}

/** The field path of a policy's rule list for a direction. */
export function rulesPath(p: LintPolicy, dir: 'ingress' | 'egress', index: number): string {
  return p.converted ? `spec.${dir}` : `spec.${dir}[${index}]`
}
