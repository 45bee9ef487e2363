import { useQuery } from '@tanstack/react-query'
import { findingsByPolicy, policyKey, worstSeverity } from './lint-model.ts'
import { lintQueries } from './queries.ts'
import './lint-badge.css'

/** Props of `LintBadge`: the policy, named as the board names it. */
export interface LintBadgeProps {
  policy: { kind: string; namespace?: string; name: string }
}

/**
 * The count of a policy's lint warnings and errors, coloured by the worst, with a tooltip
 * listing them. Every badge shares one query of the stored set's findings; nothing is shown
 * while it loads, when it fails, or when the policy has no warning or error.
 */
export function LintBadge({ policy }: LintBadgeProps) {
  const key = policyKey(policy)
  const { data } = useQuery({
    ...lintQueries.list({ severity: 'warning', kind: 'policy' }),
    select: (r) => findingsByPolicy(r.findings),
  })
  const findings = data?.get(key)
  if (!findings || findings.length === 0) return null
  const worst = worstSeverity(findings) ?? 'warning'
  const title = findings.map((f) => `${f.severity} ${f.code}: ${f.message}`).join('\n')
  return (
    <span
      className={`lint-badge lint-badge-${worst}`}
      title={title}
      data-testid="lint.badge"
      data-severity={worst}
      role="img"
      aria-label={`${findings.length} lint ${findings.length === 1 ? 'finding' : 'findings'}, worst ${worst}`}
    >
      ⚠ {findings.length}
    </span>
  )
}
