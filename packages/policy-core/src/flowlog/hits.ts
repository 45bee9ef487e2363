import { ErrorCodes, PolicyError } from '../errors.ts'
import {
  type HitNaming,
  type PolicyHit,
  type PolicyHitAction,
  type PolicyHitKind,
  PROFILE_TIER,
  UNKNOWN_RULE,
} from './types.ts'

/** Kind-based codes (Calico ≥ v3.32) → kind and staged marker. */
const KIND_CODES: Readonly<Record<string, { kind: PolicyHitKind; staged: boolean }>> = {
  gnp: { kind: 'GlobalNetworkPolicy', staged: false },
  np: { kind: 'NetworkPolicy', staged: false },
  knp: { kind: 'KubernetesNetworkPolicy', staged: false },
  kcnp: { kind: 'KubernetesClusterNetworkPolicy', staged: false },
  sgnp: { kind: 'GlobalNetworkPolicy', staged: true },
  snp: { kind: 'NetworkPolicy', staged: true },
  sknp: { kind: 'KubernetesNetworkPolicy', staged: true },
  pro: { kind: 'Profile', staged: false },
}

const NAMESPACED_HIT_KINDS: ReadonlySet<PolicyHitKind> = new Set([
  'NetworkPolicy',
  'KubernetesNetworkPolicy',
])

const ACTIONS: ReadonlySet<string> = new Set(['allow', 'deny', 'pass'])
const INTEGER = /^-?\d+$/
const LEGACY_KNP = 'knp.default.'
const LEGACY_STAGED_KNP = 'staged:knp.default.'
const LEGACY_PROFILE = `${PROFILE_TIER}.`

function invalid(message: string): PolicyError {
  return new PolicyError(ErrorCodes.INVALID_VALUE, message)
}

/**
 * Parses one flow-log policy hit string, `<index>|<tier>|<policy>|<action>|<ruleIndex>`, in
 * either naming model (the kind-based one is recognised by its `<code>:` prefix).
 *
 * @example parseHitString('0|security|security.block-bad|deny|0')
 * // { index: 0, tier: 'security', kind: 'GlobalNetworkPolicy', name: 'security.block-bad', … }
 * @example parseHitString('2|default|knp:shop/allow-lb|allow|1')
 * @returns the hit, or an `INVALID_VALUE` error saying what was expected.
 */
export function parseHitString(s: string): PolicyHit | PolicyError {
  const parts = s.split('|')
  if (parts.length !== 5) {
    return invalid(
      `expected 5 fields '<index>|<tier>|<policy>|<action>|<ruleIndex>' in hit string, got ${parts.length}`,
    )
  }
  const [indexText, tier, policy, action, ruleText] = parts as [
    string,
    string,
    string,
    string,
    string,
  ]
  if (!/^\d+$/.test(indexText)) return invalid(`expected a non-negative index, got '${indexText}'`)
  if (tier === '') return invalid('expected a tier name, got an empty field')
  if (!ACTIONS.has(action)) return invalid(`expected action allow, deny or pass, got '${action}'`)
  if (!INTEGER.test(ruleText) || Number(ruleText) < UNKNOWN_RULE) {
    return invalid(`expected a rule index ≥ -2, got '${ruleText}'`)
  }
  if (policy === '') return invalid('expected a policy name, got an empty field')
  const who = /^[a-z]+:/.test(policy) ? parseKindPolicy(policy) : parseLegacyPolicy(policy, tier)
  if (who instanceof PolicyError) return who
  if ((who.kind === 'Profile') !== (tier === PROFILE_TIER)) {
    return invalid(`expected tier '${PROFILE_TIER}' exactly for profile hits, got '${tier}'`)
  }
  // Built field by field, not spread: this runs once per hit of every ingested record.
  const hit: PolicyHit = {
    index: Number(indexText),
    tier,
    kind: who.kind,
    name: who.name,
    staged: who.staged,
    action: action as PolicyHitAction,
    ruleIndex: Number(ruleText),
  }
  if (who.namespace !== undefined) hit.namespace = who.namespace
  return hit
}

interface HitIdentity {
  kind: PolicyHitKind
  staged: boolean
  namespace: string | undefined
  name: string
}

function ident(
  kind: PolicyHitKind,
  staged: boolean,
  namespace: string | undefined,
  name: string,
): HitIdentity {
  return { kind, staged, namespace, name }
}

function parseKindPolicy(policy: string): HitIdentity | PolicyError {
  const colon = policy.indexOf(':')
  const code = policy.slice(0, colon)
  const rest = policy.slice(colon + 1)
  const entry = Object.hasOwn(KIND_CODES, code) ? KIND_CODES[code] : undefined
  if (!entry) {
    return invalid(
      `expected a policy kind code (gnp, np, knp, kcnp, sgnp, snp, sknp, pro), got '${code}'`,
    )
  }
  if (NAMESPACED_HIT_KINDS.has(entry.kind)) {
    const slash = rest.indexOf('/')
    if (slash <= 0 || slash === rest.length - 1) {
      return invalid(`expected '${code}:<namespace>/<name>', got '${policy}'`)
    }
    return ident(entry.kind, entry.staged, rest.slice(0, slash), rest.slice(slash + 1))
  }
  if (rest === '' || rest.includes('/'))
    return invalid(`expected '${code}:<name>', got '${policy}'`)
  return ident(entry.kind, entry.staged, undefined, rest)
}

/** The client-side name of a legacy backend name: the tier prefix stays except for `default`. */
function clientName(tier: string, bare: string): string {
  return tier === 'default' ? bare : `${tier}.${bare}`
}

function parseLegacyPolicy(policy: string, tier: string): HitIdentity | PolicyError {
  if (policy.startsWith(LEGACY_PROFILE)) {
    const name = policy.slice(LEGACY_PROFILE.length)
    if (name === '') return invalid(`expected '${LEGACY_PROFILE}<profile>', got '${policy}'`)
    return ident('Profile', false, undefined, name)
  }
  const slash = policy.indexOf('/')
  const namespace = slash >= 0 ? policy.slice(0, slash) : undefined
  const rest = slash >= 0 ? policy.slice(slash + 1) : policy
  if (namespace === '' || rest === '') {
    return invalid(`expected '<namespace>/<tier>.<name>', got '${policy}'`)
  }
  if (namespace !== undefined) {
    if (rest.startsWith(LEGACY_STAGED_KNP) && rest.length > LEGACY_STAGED_KNP.length) {
      return ident('KubernetesNetworkPolicy', true, namespace, rest.slice(LEGACY_STAGED_KNP.length))
    }
    if (rest.startsWith(LEGACY_KNP) && rest.length > LEGACY_KNP.length) {
      return ident('KubernetesNetworkPolicy', false, namespace, rest.slice(LEGACY_KNP.length))
    }
  }
  const kcnpPrefix = `kcnp.${tier}.`
  if (namespace === undefined && rest.startsWith(kcnpPrefix) && rest.length > kcnpPrefix.length) {
    return ident('KubernetesClusterNetworkPolicy', false, undefined, rest.slice(kcnpPrefix.length))
  }
  const kind: PolicyHitKind = namespace === undefined ? 'GlobalNetworkPolicy' : 'NetworkPolicy'
  const stagedPrefix = `${tier}.staged:`
  if (rest.startsWith(stagedPrefix) && rest.length > stagedPrefix.length) {
    return ident(kind, true, namespace, clientName(tier, rest.slice(stagedPrefix.length)))
  }
  // Calico's documentation writes `staged:<tier>.<name>`; accept it as the same hit.
  if (rest.startsWith(`staged:${tier}.`) && rest.length > tier.length + 8) {
    return ident(kind, true, namespace, clientName(tier, rest.slice(tier.length + 8)))
  }
  if (rest.startsWith(`${tier}.`) && rest.length > tier.length + 1) {
    return ident(kind, false, namespace, clientName(tier, rest.slice(tier.length + 1)))
  }
  return invalid(`expected '${tier}.<name>' (the policy prefixed by its tier), got '${rest}'`)
}

const KIND_CODE_OF: Readonly<Record<PolicyHitKind, readonly [string, string]>> = {
  GlobalNetworkPolicy: ['gnp', 'sgnp'],
  NetworkPolicy: ['np', 'snp'],
  KubernetesNetworkPolicy: ['knp', 'sknp'],
  KubernetesClusterNetworkPolicy: ['kcnp', 'kcnp'],
  Profile: ['pro', 'pro'],
}

/** The `<policy>` part of a hit in the legacy model. */
function legacyPolicy(hit: PolicyHit): string {
  const ns = hit.namespace === undefined ? '' : `${hit.namespace}/`
  switch (hit.kind) {
    case 'Profile':
      return `${LEGACY_PROFILE}${hit.name}`
    case 'KubernetesNetworkPolicy':
      return `${ns}${hit.staged ? LEGACY_STAGED_KNP : LEGACY_KNP}${hit.name}`
    case 'KubernetesClusterNetworkPolicy':
      return `kcnp.${hit.tier}.${hit.name}`
    case 'GlobalNetworkPolicy':
    case 'NetworkPolicy': {
      const prefix = `${hit.tier}.`
      const bare = hit.name.startsWith(prefix) ? hit.name.slice(prefix.length) : hit.name
      return `${ns}${hit.tier}.${hit.staged ? 'staged:' : ''}${bare}`
    }
    default: {
      const never: never = hit.kind
      return never
    }
  }
}

/**
 * Prints a hit as a flow-log hit string in the chosen naming model. In the legacy model a
 * name without its tier prefix gets one (`block-bad` in tier `security` → `security.block-bad`),
 * so names from a kind-based cluster print as Calico ≤ v3.31 would have required them.
 *
 * @example formatHitString({ index: 0, tier: 'default', kind: 'KubernetesNetworkPolicy',
 *   namespace: 'shop', name: 'allow-lb', staged: false, action: 'allow', ruleIndex: 0 }, 'legacy')
 * // '0|default|shop/knp.default.allow-lb|allow|0'
 */
export function formatHitString(hit: PolicyHit, naming: HitNaming): string {
  let policy: string
  if (naming === 'legacy') policy = legacyPolicy(hit)
  else {
    const code = KIND_CODE_OF[hit.kind][hit.staged ? 1 : 0]
    const ns = NAMESPACED_HIT_KINDS.has(hit.kind) && hit.namespace ? `${hit.namespace}/` : ''
    policy = `${code}:${ns}${hit.name}`
  }
  return `${hit.index}|${hit.tier}|${policy}|${hit.action}|${hit.ruleIndex}`
}

/**
 * Whether a hit names this policy, whichever naming model produced the hit: names are
 * compared with and without the legacy tier prefix (`security.block` ≡ `block` in tier
 * `security`).
 */
export function hitRefersTo(
  hit: PolicyHit,
  policy: { kind: PolicyHitKind; staged: boolean; tier: string; namespace?: string; name: string },
): boolean {
  if (hit.kind !== policy.kind || hit.staged !== policy.staged) return false
  if ((hit.namespace ?? '') !== (policy.namespace ?? '')) return false
  if (hit.kind !== 'Profile' && hit.tier !== policy.tier) return false
  const strip = (n: string) =>
    n.startsWith(`${policy.tier}.`) ? n.slice(policy.tier.length + 1) : n
  return hit.name === policy.name || strip(hit.name) === strip(policy.name)
}
