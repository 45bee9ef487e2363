/**
 * Policy lint and label governance: findings with a code, severity, resource, field path
 * and a one-line fix.
 */
export type { LabelInput, LabelRules } from './labels.ts'
export {
  lintLabels,
  parseLabelRules,
  RESERVED_LABEL_DOMAINS,
  reservedKeyReason,
  WELL_KNOWN_LABEL_KEYS,
} from './labels.ts'
export { lintPolicies, sortFindings } from './lint.ts'
export type {
  LintCode,
  LintFinding,
  LintFlow,
  LintInput,
  LintOptions,
  LintSeverity,
} from './types.ts'
export { isAtLeast, LINT_SEVERITIES, LintCodes, severityRank } from './types.ts'
