/**
 * Redaction of policies in tiers the caller cannot read. Verdicts stay; the policy's name and
 * namespace become {@link REDACTED}, in traces, hit lists and flow-log hit strings alike.
 */

/** What replaces the name and namespace of a policy in a tier the caller cannot read. */
export const REDACTED = '(policy in a tier you cannot read)'

/** `<index>|<tier>|<policy>|<action>|<ruleIndex>`: a flow-log hit string. */
const HIT = /^(-?\d+)\|([^|]+)\|([^|]+)\|([^|]+)\|(-?\d+)$/

/** Calico's pseudo-tier of profiles: never redacted. */
const PROFILE_TIER = '__PROFILE__'

/**
 * A copy of `value` with every policy of a tier that `canRead` refuses redacted: objects
 * carrying `tier` and `name` (policy references, hits, applied policies) lose their name,
 * namespace and `policy` text; hit strings keep index, tier, action and rule index.
 */
export function redactPolicies(value: unknown, canRead: (tier: string) => boolean): unknown {
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const m = HIT.exec(v)
      if (!m || m[2] === PROFILE_TIER || canRead(m[2] ?? '')) return v
      return `${m[1]}|${m[2]}|${REDACTED}|${m[4]}|${m[5]}`
    }
    if (Array.isArray(v)) return v.map(visit)
    if (v === null || typeof v !== 'object') return v
    const o = v as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(o)) out[k] = visit(x)
    const tier = o.tier
    if (
      typeof tier === 'string' &&
      tier !== PROFILE_TIER &&
      (typeof o.name === 'string' || typeof o.policy === 'string') &&
      o.kind !== 'Tier' &&
      !canRead(tier)
    ) {
      if (typeof o.name === 'string') out.name = REDACTED
      if (typeof o.namespace === 'string') out.namespace = REDACTED
      if (typeof o.policy === 'string') out.policy = REDACTED
      if (typeof o.resource === 'string') out.resource = REDACTED
    }
    return out
  }
  return visit(value)
}
