/** Pure derivations of lint findings for the lint page, board badges and the editor panel. */
import type { LintFindingItem, LintPolicyRef, LintSeverityName } from '@policyboard/api'
import { policyEditHref, policyHref } from '../policy-detail/links.ts'

const RANK: Record<LintSeverityName, number> = { error: 0, warning: 1, info: 2 }

/** The most serious severity among `findings`, or undefined when there are none. */
export function worstSeverity(findings: readonly LintFindingItem[]): LintSeverityName | undefined {
  let worst: LintSeverityName | undefined
  for (const f of findings) if (!worst || RANK[f.severity] < RANK[worst]) worst = f.severity
  return worst
}

/** Findings of one resource, in the order the server sent them. */
export interface FindingGroup {
  /** `Kind ns/name` as the findings name it. */
  resource: string
  policy?: LintPolicyRef
  findings: LintFindingItem[]
  worst: LintSeverityName
}

/** Groups findings by resource: groups with errors first, then warnings, then by name. */
export function groupByResource(findings: readonly LintFindingItem[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>()
  for (const f of findings) {
    const g = groups.get(f.resource) ?? {
      resource: f.resource,
      ...(f.policy ? { policy: f.policy } : {}),
      findings: [],
      worst: f.severity,
    }
    g.findings.push(f)
    if (RANK[f.severity] < RANK[g.worst]) g.worst = f.severity
    groups.set(f.resource, g)
  }
  return [...groups.values()].sort(
    (a, b) => RANK[a.worst] - RANK[b.worst] || a.resource.localeCompare(b.resource),
  )
}

/** `Kind|namespace|name`: how a finding's policy is matched to a board card. */
export function policyKey(ref: { kind: string; namespace?: string; name: string }): string {
  return `${ref.kind}|${ref.namespace ?? ''}|${ref.name}`
}

/** Warning and error findings per policy key (what board badges show). */
export function findingsByPolicy(
  findings: readonly LintFindingItem[],
): Map<string, LintFindingItem[]> {
  const out = new Map<string, LintFindingItem[]>()
  for (const f of findings) {
    if (!f.policy || f.severity === 'info') continue
    const key = policyKey(f.policy)
    const list = out.get(key) ?? []
    list.push(f)
    out.set(key, list)
  }
  return out
}

/**
 * Where a finding links: the policy's editor at the field (`?field=spec.ingress[1]`) when it
 * names a field, its page otherwise; undefined for resources that are not policies.
 */
export function findingHref(f: LintFindingItem): string | undefined {
  if (!f.policy) return undefined
  if (!f.path) return policyHref(f.policy)
  return `${policyEditHref(f.policy)}?field=${encodeURIComponent(f.path)}`
}

/** A count phrase: `2 errors, 1 warning`. */
export function countPhrase(findings: readonly LintFindingItem[]): string {
  const n = { error: 0, warning: 0, info: 0 }
  for (const f of findings) n[f.severity] += 1
  const part = (k: LintSeverityName) => (n[k] ? `${n[k]} ${k}${n[k] === 1 ? '' : 's'}` : '')
  return [part('error'), part('warning'), part('info')].filter(Boolean).join(', ')
}
