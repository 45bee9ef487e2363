/**
 * Calico flow-log policy hit strings (calico-semantics.md §6.1), produced from a trace:
 * `<index>|<tier>|<policy>|<action>|<ruleIndex>`.
 */
import type { PolicyNaming } from '../convert/kubernetes.ts'
import type { DirectionTrace, PolicyKind, PolicyRef } from './types.ts'

const KIND_CODE: Readonly<Record<PolicyKind, string>> = {
  GlobalNetworkPolicy: 'gnp',
  NetworkPolicy: 'np',
  KubernetesNetworkPolicy: 'knp',
  StagedGlobalNetworkPolicy: 'sgnp',
  StagedNetworkPolicy: 'snp',
  StagedKubernetesNetworkPolicy: 'sknp',
}

/** A name without a `<tier>.` prefix the user already wrote (legacy names always carry one). */
function bare(name: string, tier: string): string {
  return name.startsWith(`${tier}.`) ? name.slice(tier.length + 1) : name
}

/** The `<policy>` field of a hit for a policy, in a naming model. */
export function policyHitName(p: PolicyRef, naming: PolicyNaming): string {
  if (naming === 'v3.32') {
    const code = KIND_CODE[p.kind]
    return p.namespace !== undefined ? `${code}:${p.namespace}/${p.name}` : `${code}:${p.name}`
  }
  const tiered = `${p.tier}.${bare(p.name, p.tier)}`
  switch (p.kind) {
    case 'GlobalNetworkPolicy':
      return tiered
    case 'NetworkPolicy':
      return `${p.namespace}/${tiered}`
    case 'KubernetesNetworkPolicy':
      return `${p.namespace}/knp.default.${p.name}`
    case 'StagedGlobalNetworkPolicy':
      return `${p.tier}.staged:${bare(p.name, p.tier)}`
    case 'StagedNetworkPolicy':
      return `${p.namespace}/${p.tier}.staged:${bare(p.name, p.tier)}`
    case 'StagedKubernetesNetworkPolicy':
      return `${p.namespace}/staged:knp.default.${p.name}`
  }
}

/**
 * The policy hits of one direction's trace, in order, as Calico writes them in flow logs:
 * one hit per tier that matched a rule (allow, deny, pass) or ended by its default action
 * (rule index -1, naming the last applicable policy of the tier, as the dataplane does), then
 * the profile hit. End-of-tier passes are not reported. A direction that reached the profiles
 * and matched none reports `__PROFILE__.__NO_MATCH__` with rule index -1.
 */
export function hitStrings(trace: DirectionTrace, naming: PolicyNaming = 'legacy'): string[] {
  const hits: string[] = []
  const push = (tier: string, policy: string, action: string, rule: number) => {
    hits.push(`${hits.length}|${tier}|${policy}|${action}|${rule}`)
  }
  for (const t of trace.tiers) {
    if (t.match) {
      push(
        t.tier,
        policyHitName(t.match.policy, naming),
        t.match.action.toLowerCase(),
        t.match.ruleIndex,
      )
    } else if (t.ended === 'EndOfTierDeny') {
      const last = t.policies[t.policies.length - 1]
      if (last) push(t.tier, policyHitName(last, naming), 'deny', -1)
    }
  }
  if (trace.profile) {
    const pro = (name: string) => (naming === 'v3.32' ? `pro:${name}` : `__PROFILE__.${name}`)
    const m = trace.profile.match
    if (m) push('__PROFILE__', pro(m.profile), m.action.toLowerCase(), m.ruleIndex)
    else push('__PROFILE__', pro('__NO_MATCH__'), 'deny', -1)
  }
  return hits
}

/**
 * What decided a direction, in a few words for tables and reports:
 * `tier/policy rule n`, `tier end of tier`, `profile kns.x`, `no profile`, `failsafe port n`.
 */
export function describeDecision(t: DirectionTrace): string {
  const d = t.decidedBy
  switch (d.by) {
    case 'rule':
      return `${d.tier}/${d.policy.name} rule ${d.ruleIndex}`
    case 'endOfTier':
      return `${d.tier} end of tier`
    case 'profile':
      return `profile ${d.profile}`
    case 'noProfile':
      return 'no profile'
    case 'failsafe':
      return `failsafe port ${d.port}`
  }
}
