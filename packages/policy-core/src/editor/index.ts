/**
 * The policy editor's model: pure functions over the policy resources. The editor UI
 * holds one policy value and changes it only through these; its YAML is printed from it.
 */
export type { FieldDiff } from './diff.ts'
export { diffFields } from './diff.ts'
export type { FieldPath, PathSegment } from './fields.ts'
export { formatFieldPath, getField, parseFieldPath, setField } from './fields.ts'
export type {
  SelectorInventory,
  SelectorPreview,
  SelectorPreviewResult,
  SelectorSubject,
} from './matching.ts'
export { endpointSelectorLabels, labelVocabulary, previewSelector } from './matching.ts'
export type {
  NewPolicyOptions,
  PolicyIdentity,
  PolicyKindInfo,
  PolicyResource,
  PolicyResourceKind,
} from './policy.ts'
export {
  createPolicy,
  isPolicyResource,
  isPolicyResourceKind,
  POLICY_RESOURCE_KINDS,
  policyKindInfo,
  policyKindOf,
  policyRef,
  stripServerFields,
} from './policy.ts'
export type { AnyRule, RuleDirection } from './rules.ts'
export {
  addRule,
  defaultTypes,
  duplicateRule,
  effectiveTypes,
  moveRule,
  newRule,
  removeRule,
  replaceRule,
  rulesOf,
  setType,
  typesField,
} from './rules.ts'
export type { PolicyScope, ScopeChange } from './scope.ts'
export { changeScope, namespaceNameSelector } from './scope.ts'
export type { RowOperator, SelectorRow } from './selector-rows.ts'
export {
  isIncompleteRow,
  operatorArity,
  ROW_OPERATORS,
  rowsToSelector,
  rowToNode,
  selectorToRows,
} from './selector-rows.ts'
export type { EnforcePlan } from './twins.ts'
export { enforcePlan, toEnforced, toStaged, twinRef } from './twins.ts'
export type { PolicyYamlResult, YamlDiagnostic } from './yaml.ts'
export { parsePolicyYaml, printPolicyYaml, yamlFieldRange } from './yaml.ts'
