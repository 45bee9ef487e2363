/**
 * Lint findings: what a check reports about a resource, where, and how to fix it.
 */
import type { PolicyHit } from '../flowlog/types.ts'
import type { Endpoint, Namespace, Resource, ServiceAccount } from '../resources/types.ts'

/** How serious a finding is, from most to least: `error`, `warning`, `info`. */
export type LintSeverity = 'error' | 'warning' | 'info'

/** Severities from the most to the least serious. */
export const LINT_SEVERITIES: readonly LintSeverity[] = ['error', 'warning', 'info']

/** Every stable code a lint check reports. */
export const LintCodes = {
  SELECTS_NOTHING: 'SELECTS_NOTHING',
  RULE_SELECTOR_MATCHES_NOTHING: 'RULE_SELECTOR_MATCHES_NOTHING',
  SHADOWED_RULE: 'SHADOWED_RULE',
  UNUSED_POLICY: 'UNUSED_POLICY',
  PASS_IN_LAST_TIER: 'PASS_IN_LAST_TIER',
  EMPTY_TIER: 'EMPTY_TIER',
  STAGED_IDENTICAL: 'STAGED_IDENTICAL',
  STAGED_DELETE_NO_TWIN: 'STAGED_DELETE_NO_TWIN',
  DEFAULT_DENY_BLOCKS_DNS: 'DEFAULT_DENY_BLOCKS_DNS',
  SLOW_SELECTOR: 'SLOW_SELECTOR',
  UNDECLARED_TIER: 'UNDECLARED_TIER',
  ORDER_UNSET: 'ORDER_UNSET',
  ALLOW_ALL_INGRESS: 'ALLOW_ALL_INGRESS',
  ALLOW_ALL_EGRESS: 'ALLOW_ALL_EGRESS',
  RESERVED_LABEL_KEY: 'RESERVED_LABEL_KEY',
  MISSING_REQUIRED_LABEL: 'MISSING_REQUIRED_LABEL',
  LABEL_VALUE_PREFIX: 'LABEL_VALUE_PREFIX',
} as const

/** A lint code (see {@link LintCodes}). */
export type LintCode = (typeof LintCodes)[keyof typeof LintCodes]

/** One problem found by a lint check. */
export interface LintFinding {
  /** Stable SCREAMING_SNAKE code of the check. */
  code: LintCode
  severity: LintSeverity
  /** Lowercase sentence saying what is wrong. */
  message: string
  /** `Kind ns/name` or `Kind name` of the resource concerned (model kind: `KubernetesNetworkPolicy` for Kubernetes policies). */
  resource: string
  /** Field path inside the resource, e.g. `spec.ingress[2].source.selector`; `''` for the whole resource. */
  path: string
  /** One-line suggested fix. */
  fix: string
}

/** A flow as far as lint cares: the policy hits it recorded. */
export interface LintFlow {
  /** Every hit of the flow (enforced and pending lists together). */
  policyHits: readonly PolicyHit[]
}

/** What `lintPolicies` reads. Inventory fields are optional: checks that need them are skipped without them. */
export interface LintInput {
  /** Tiers, policies (enforced and staged), network sets and host endpoints. */
  resources: readonly Resource[]
  namespaces?: readonly Namespace[]
  serviceAccounts?: readonly ServiceAccount[]
  /** The endpoint inventory; `SELECTS_NOTHING` and `RULE_SELECTOR_MATCHES_NOTHING` run only when given. */
  endpoints?: readonly Endpoint[]
  /** Stored flows of a window; with `hitCounts`, enables `UNUSED_POLICY`. */
  flows?: readonly LintFlow[]
  /** Hit counts per policy, keyed by `resourceKey` (`Kind/ns/name`); enables `UNUSED_POLICY`. */
  hitCounts?: Readonly<Record<string, number>>
}

/** Options of `lintPolicies`. */
export interface LintOptions {
  /** Drop findings less serious than this (`info` keeps everything, the default). */
  minSeverity?: LintSeverity
  /** Codes not to report. */
  disable?: readonly LintCode[]
}

/** Rank of a severity: 0 for `error`, 2 for `info`. */
export function severityRank(s: LintSeverity): number {
  return LINT_SEVERITIES.indexOf(s)
}

/** Whether `s` is at least as serious as `threshold`. */
export function isAtLeast(s: LintSeverity, threshold: LintSeverity): boolean {
  return severityRank(s) <= severityRank(threshold)
}
