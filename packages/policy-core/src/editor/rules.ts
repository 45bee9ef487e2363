import type {
  K8sNetworkPolicyEgressRule,
  K8sNetworkPolicyIngressRule,
  PolicyType,
  Rule,
} from '../resources/types.ts'
import { type PolicyResource, policyKindInfo, policyKindOf } from './policy.ts'

/** Which rule list: `spec.ingress` or `spec.egress`. */
export type RuleDirection = 'ingress' | 'egress'

/** A rule of either form: Calico's `Rule`, or a Kubernetes ingress/egress rule. */
export type AnyRule = Rule | K8sNetworkPolicyIngressRule | K8sNetworkPolicyEgressRule

const TYPE_OF: Record<RuleDirection, PolicyType> = { ingress: 'Ingress', egress: 'Egress' }

/** The field holding a policy's types: `types` (Calico) or `policyTypes` (Kubernetes). */
export function typesField(policy: PolicyResource): 'types' | 'policyTypes' {
  return policyKindInfo(policyKindOf(policy)).kubernetes ? 'policyTypes' : 'types'
}

/** The rules of one direction (empty when the list is absent). */
export function rulesOf(policy: PolicyResource, direction: RuleDirection): readonly AnyRule[] {
  return (policy.spec as { ingress?: AnyRule[]; egress?: AnyRule[] })[direction] ?? []
}

/** A new rule of the policy's form: `{ action: Allow }` for Calico kinds, `{}` (allow all) for Kubernetes kinds. */
export function newRule(policy: PolicyResource): AnyRule {
  return policyKindInfo(policyKindOf(policy)).kubernetes ? {} : { action: 'Allow' }
}

function withRules(
  policy: PolicyResource,
  direction: RuleDirection,
  rules: AnyRule[],
): PolicyResource {
  const spec: Record<string, unknown> = { ...policy.spec }
  if (rules.length === 0) delete spec[direction]
  else spec[direction] = rules
  return { ...policy, spec } as PolicyResource
}

/**
 * A copy with a rule inserted at `index` (default: the end) of a direction. When the
 * policy lists its types and the direction is missing, it is added, since rules of a
 * direction the policy does not govern would be ignored.
 */
export function addRule(
  policy: PolicyResource,
  direction: RuleDirection,
  rule: AnyRule = newRule(policy),
  index?: number,
): PolicyResource {
  const rules = [...rulesOf(policy, direction)]
  const at = index === undefined ? rules.length : Math.max(0, Math.min(index, rules.length))
  rules.splice(at, 0, rule)
  return ensureType(withRules(policy, direction, rules), direction)
}

/** A copy without the rule at `index` (unchanged when there is none). */
export function removeRule(
  policy: PolicyResource,
  direction: RuleDirection,
  index: number,
): PolicyResource {
  const rules = [...rulesOf(policy, direction)]
  if (index < 0 || index >= rules.length) return policy
  rules.splice(index, 1)
  return withRules(policy, direction, rules)
}

/** A copy with the rule at `from` moved to position `to` (both clamped to the list). */
export function moveRule(
  policy: PolicyResource,
  direction: RuleDirection,
  from: number,
  to: number,
): PolicyResource {
  const rules = [...rulesOf(policy, direction)]
  if (from < 0 || from >= rules.length) return policy
  const target = Math.max(0, Math.min(to, rules.length - 1))
  if (target === from) return policy
  const [moved] = rules.splice(from, 1)
  rules.splice(target, 0, moved as AnyRule)
  return withRules(policy, direction, rules)
}

/** A copy with a deep copy of the rule at `index` inserted right after it. */
export function duplicateRule(
  policy: PolicyResource,
  direction: RuleDirection,
  index: number,
): PolicyResource {
  const rule = rulesOf(policy, direction)[index]
  if (rule === undefined) return policy
  return addRule(policy, direction, structuredClone(rule), index + 1)
}

/** A copy with a rule replaced at `index` (unchanged when there is none). */
export function replaceRule(
  policy: PolicyResource,
  direction: RuleDirection,
  index: number,
  rule: AnyRule,
): PolicyResource {
  const rules = [...rulesOf(policy, direction)]
  if (index < 0 || index >= rules.length) return policy
  rules[index] = rule
  return withRules(policy, direction, rules)
}

/**
 * The types Calico defaults a policy to when it lists none: `[Ingress]` without egress
 * rules (even without ingress rules), `[Egress]` with only egress rules, both with both.
 */
export function defaultTypes(policy: PolicyResource): PolicyType[] {
  const hasIngress = rulesOf(policy, 'ingress').length > 0
  const hasEgress = rulesOf(policy, 'egress').length > 0
  if (!hasEgress) return ['Ingress']
  return hasIngress ? ['Ingress', 'Egress'] : ['Egress']
}

/** The types the policy governs: its own list, or Calico's default when it has none. */
export function effectiveTypes(policy: PolicyResource): PolicyType[] {
  const listed = (policy.spec as Record<string, unknown>)[typesField(policy)] as
    | PolicyType[]
    | undefined
  return listed && listed.length > 0 ? [...listed] : defaultTypes(policy)
}

/**
 * A copy whose types include or exclude one direction, written in Calico's order
 * (`Ingress` before `Egress`). Rules of an excluded direction stay (the user may
 * re-include it); validation reports them.
 */
export function setType(
  policy: PolicyResource,
  direction: RuleDirection,
  included: boolean,
): PolicyResource {
  const current = new Set(effectiveTypes(policy))
  if (included) current.add(TYPE_OF[direction])
  else current.delete(TYPE_OF[direction])
  const types = (['Ingress', 'Egress'] as const).filter((t) => current.has(t))
  const spec: Record<string, unknown> = { ...policy.spec }
  if (types.length === 0) delete spec[typesField(policy)]
  else spec[typesField(policy)] = types
  return { ...policy, spec } as PolicyResource
}

function ensureType(policy: PolicyResource, direction: RuleDirection): PolicyResource {
  const listed = (policy.spec as Record<string, unknown>)[typesField(policy)] as
    | PolicyType[]
    | undefined
  if (!listed || listed.includes(TYPE_OF[direction])) return policy
  return setType(policy, direction, true)
}
