/**
 * Calico policy specs: NetworkPolicy, GlobalNetworkPolicy and their staged kinds. Checks
 * every field, the GNP-only flags, the staged `Delete` rule, and applies Calico's defaults
 * (tier `default`, `types` from the rules, `stagedAction: Set`).
 */
import { ErrorCodes } from '../errors.ts'
import {
  type Checker,
  compact,
  isPlainObject,
  readBoolean,
  readEnum,
  readList,
  readNumber,
  readObject,
  readString,
  sub,
  typeName,
} from './check.ts'
import { DEFAULT_TIER, DNS_LABEL_MAX, DNS_LABEL_RE, isPreformattedPolicyName } from './names.ts'
import { readSelector } from './selectors.ts'
import type { GlobalNetworkPolicySpec, PolicyType, Rule, StagedAction } from './types.ts'
import { type RuleDirection, readRule } from './validate-rule.ts'

/** Most rules in one `ingress` or `egress` list. */
export const MAX_RULES = 1024
/** Staged actions, as Calico spells them. */
export const STAGED_ACTIONS: readonly StagedAction[] = ['Set', 'Delete', 'Learn', 'Ignore']
/** Policy directions. */
export const POLICY_TYPES: readonly PolicyType[] = ['Ingress', 'Egress']

/** The Calico policy kinds whose spec this module reads. */
export type CalicoPolicyKind =
  | 'NetworkPolicy'
  | 'GlobalNetworkPolicy'
  | 'StagedNetworkPolicy'
  | 'StagedGlobalNetworkPolicy'

/** The widest Calico policy spec (GNP fields plus `stagedAction`). */
export type AnyCalicoPolicySpec = GlobalNetworkPolicySpec & { stagedAction?: StagedAction }

const COMMON_FIELDS = [
  'tier',
  'order',
  'selector',
  'serviceAccountSelector',
  'ingress',
  'egress',
  'types',
  'performanceHints',
]
const GLOBAL_FIELDS = ['namespaceSelector', 'doNotTrack', 'preDNAT', 'applyOnForward']

/** Whether a raw value is Go's zero value for its field (absent, empty, false). */
function isZero(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return true
  if (Array.isArray(value)) return value.length === 0
  if (isPlainObject(value)) return Object.keys(value).length === 0
  return false
}

/**
 * The `types` Calico infers when none are given: `[Egress]` with egress rules only, both
 * with both, `[Ingress]` otherwise (even with no rules at all).
 */
export function defaultPolicyTypes(
  ingress: readonly Rule[] | undefined,
  egress: readonly Rule[] | undefined,
): PolicyType[] {
  const hasIngress = (ingress?.length ?? 0) > 0
  const hasEgress = (egress?.length ?? 0) > 0
  if (hasEgress && hasIngress) return ['Ingress', 'Egress']
  if (hasEgress) return ['Egress']
  return ['Ingress']
}

/** Reads a `types` / `policyTypes` list: 1–2 of Ingress/Egress, no repeats unless allowed. */
export function readPolicyTypes(
  c: Checker,
  value: unknown,
  path: string,
  duplicates: 'refused' | 'allowed' = 'refused',
): PolicyType[] | undefined {
  const types = readList(c, value, path, 2, (v, p) => readEnum(c, v, p, POLICY_TYPES))
  if (!types) return undefined
  // Kubernetes' policyTypes is an atomic list the API server does not deduplicate.
  if (duplicates === 'allowed') return types
  const seen = new Set<PolicyType>()
  for (const t of types) {
    if (seen.has(t))
      c.report(ErrorCodes.INVALID_VALUE, path, `expected each type once, got '${t}' twice`)
    seen.add(t)
  }
  return types
}

function readRules(
  c: Checker,
  value: unknown,
  path: string,
  direction: RuleDirection,
  global: boolean,
): Rule[] | undefined {
  return readList(c, value, path, MAX_RULES, (v, p) => readRule(c, v, p, { direction, global }))
}

/**
 * Reads the spec of a Calico policy kind and applies Calico's defaults. Returns the spec in
 * Calico's field order.
 */
export function readCalicoPolicySpec(
  c: Checker,
  value: unknown,
  kind: CalicoPolicyKind,
): AnyCalicoPolicySpec {
  const global = kind === 'GlobalNetworkPolicy' || kind === 'StagedGlobalNetworkPolicy'
  const staged = kind === 'StagedNetworkPolicy' || kind === 'StagedGlobalNetworkPolicy'
  const allowed = [
    ...(staged ? ['stagedAction'] : []),
    ...COMMON_FIELDS,
    ...(global ? GLOBAL_FIELDS : []),
  ]
  if (value !== undefined && value !== null && !isPlainObject(value)) {
    c.report(ErrorCodes.INVALID_TYPE, 'spec', `expected an object, got ${typeName(value)}`)
    return { tier: DEFAULT_TIER }
  }
  const o = readObject(c, value ?? {}, 'spec', allowed) ?? {}

  const stagedAction = staged
    ? (readEnum(c, o.stagedAction, 'spec.stagedAction', STAGED_ACTIONS) ?? 'Set')
    : undefined
  const tierText = readString(c, o.tier, 'spec.tier')
  if (tierText && (tierText.length > DNS_LABEL_MAX || !DNS_LABEL_RE.test(tierText))) {
    c.report(
      ErrorCodes.INVALID_NAME,
      'spec.tier',
      `expected a tier name that is a DNS label, got '${tierText}'`,
    )
  }
  const tier = tierText || DEFAULT_TIER

  if (stagedAction === 'Delete') {
    for (const [k, v] of Object.entries(o)) {
      if (k !== 'tier' && k !== 'stagedAction' && !isZero(v)) {
        c.report(
          ErrorCodes.INVALID_VALUE,
          sub('spec', k),
          'expected no other spec field than tier with stagedAction Delete',
        )
      }
    }
    return { stagedAction, tier }
  }

  const ingress = readRules(c, o.ingress, 'spec.ingress', 'ingress', global)
  const egress = readRules(c, o.egress, 'spec.egress', 'egress', global)
  const givenTypes = readPolicyTypes(c, o.types, 'spec.types')
  const types = givenTypes?.length ? givenTypes : defaultPolicyTypes(ingress, egress)
  const spec: AnyCalicoPolicySpec = compact({
    stagedAction,
    tier,
    order: readNumber(c, o.order, 'spec.order'),
    selector: readSelector(c, o.selector, 'spec.selector', 'forbidden'),
    namespaceSelector: global
      ? readSelector(c, o.namespaceSelector, 'spec.namespaceSelector', 'forbidden')
      : undefined,
    serviceAccountSelector: readSelector(
      c,
      o.serviceAccountSelector,
      'spec.serviceAccountSelector',
      'forbidden',
    ),
    ingress,
    egress,
    types,
    doNotTrack: global ? readBoolean(c, o.doNotTrack, 'spec.doNotTrack') : undefined,
    preDNAT: global ? readBoolean(c, o.preDNAT, 'spec.preDNAT') : undefined,
    applyOnForward: global ? readBoolean(c, o.applyOnForward, 'spec.applyOnForward') : undefined,
    performanceHints: readList(c, o.performanceHints, 'spec.performanceHints', 1, (v, p) =>
      readEnum(c, v, p, ['AssumeNeededOnEveryNode']),
    ),
  })
  if (global) checkGlobalFlags(c, spec)
  return spec
}

function checkGlobalFlags(c: Checker, spec: AnyCalicoPolicySpec): void {
  if (spec.doNotTrack && spec.preDNAT) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      'spec.preDNAT',
      'expected preDNAT and doNotTrack not both true',
    )
  }
  if (spec.preDNAT && spec.egress?.length) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      'spec.egress',
      'expected no egress rules in a preDNAT policy',
    )
  }
  if (spec.preDNAT && spec.types?.includes('Egress')) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      'spec.types',
      "expected no 'Egress' type in a preDNAT policy",
    )
  }
  if ((spec.doNotTrack || spec.preDNAT) && !spec.applyOnForward) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      'spec.applyOnForward',
      'expected applyOnForward: true with preDNAT or doNotTrack',
    )
  }
}

/**
 * Checks the legacy tier prefix of a policy name against its tier: a dotted name must start
 * with `<tier>.` (pre-formatted `knp.default.`-style names are exempt). Bare names are fine
 * in every tier (Calico ≥ v3.32).
 */
export function checkTierPrefix(c: Checker, name: string, tier: string): void {
  const dot = name.indexOf('.')
  if (dot < 0 || isPreformattedPolicyName(name)) return
  const prefix = name.slice(0, dot)
  if (prefix !== tier) {
    c.report(
      ErrorCodes.INVALID_NAME,
      'metadata.name',
      `expected the name prefix '${prefix}' to be the policy's tier '${tier}': name it '${tier}.${name.slice(dot + 1)}', drop the prefix, or set spec.tier: ${prefix}`,
    )
  }
}
