/**
 * `lintPolicies`: every policy check over a resource set, with the inventory and flow hits
 * when given.
 */

import {
  checkDnsStatic,
  checkDnsWithInventory,
  checkRuleSelectorsMatchNothing,
  checkSelectsNothing,
  compileForLint,
} from './checks-inventory.ts'
import {
  checkAllowAll,
  checkEmptyTiers,
  checkOrderUnset,
  checkPassInLastTier,
  checkShadowedRules,
  checkSlowSelectors,
  checkStagedTwins,
  checkUndeclaredTiers,
  checkUnusedPolicies,
} from './checks-static.ts'
import { buildModel } from './model.ts'
import {
  isAtLeast,
  type LintFinding,
  type LintInput,
  type LintOptions,
  severityRank,
} from './types.ts'

/**
 * Lints policies: shadowed rules, tier and order problems, staged twins, slow selectors,
 * unconditional allows, DNS blocked by default deny; with an inventory (`endpoints`) also
 * policies and rule selectors that match nothing (and DNS judged by the evaluator); with flow
 * hits (`flows` or `hitCounts`) also unused policies. Findings are sorted by resource, then
 * path, then severity.
 *
 * @example lintPolicies({ resources }).filter((f) => f.severity === 'error')
 */
export function lintPolicies(input: LintInput, options: LintOptions = {}): LintFinding[] {
  const model = buildModel(input.resources)
  const findings: LintFinding[] = [
    ...checkShadowedRules(model),
    ...checkPassInLastTier(model),
    ...checkEmptyTiers(model),
    ...checkUndeclaredTiers(model),
    ...checkOrderUnset(model),
    ...checkStagedTwins(model),
    ...checkSlowSelectors(model),
    ...checkAllowAll(model),
    ...checkUnusedPolicies(model, input),
  ]
  const compiled = compileForLint(input)
  if (compiled) {
    findings.push(
      ...checkSelectsNothing(model, compiled),
      ...checkRuleSelectorsMatchNothing(model, compiled),
    )
    findings.push(
      ...(checkDnsWithInventory(model, compiled, input) ?? checkDnsStatic(model, input)),
    )
  } else {
    findings.push(...checkDnsStatic(model, input))
  }
  const min = options.minSeverity ?? 'info'
  const disabled = new Set(options.disable ?? [])
  return sortFindings(findings.filter((f) => isAtLeast(f.severity, min) && !disabled.has(f.code)))
}

/** Sorts findings by resource, then path, then severity (most serious first), then code. */
export function sortFindings(findings: readonly LintFinding[]): LintFinding[] {
  return [...findings].sort(
    (a, b) =>
      cmp(a.resource, b.resource) ||
      cmp(a.path, b.path) ||
      severityRank(a.severity) - severityRank(b.severity) ||
      cmp(a.code, b.code),
  )
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
