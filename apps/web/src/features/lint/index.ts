export { FindingRow, FindingsPanel, type FindingsPanelProps } from './FindingsPanel.tsx'
export { LabelRulesEditor } from './LabelRulesEditor.tsx'
export { LintBadge, type LintBadgeProps } from './LintBadge.tsx'
export { LintPage } from './LintPage.tsx'
export type { FindingGroup } from './lint-model.ts'
export {
  countPhrase,
  findingHref,
  findingsByPolicy,
  groupByResource,
  policyKey,
  worstSeverity,
} from './lint-model.ts'
export { type LintFilters, lintQueries, useSaveLabelRules } from './queries.ts'
