export type {
  BatchOptions,
  FlowBatch,
  FlowBatchResult,
  SideTable,
  TupleTable,
  TupleVerdicts,
} from './batch.ts'
export {
  explainTuple,
  internSides,
  judgeFlowBatch,
  tupleFlow,
  VERDICT_ALLOW,
  VERDICT_DENY,
} from './batch.ts'
export type {
  AddressOwner,
  CompiledEndpoint,
  CompiledModel,
  CompiledPolicy,
  CompiledRule,
  CompiledTier,
  PolicySetInput,
  ViewTier,
} from './compile.ts'
export {
  BUILTIN_TIER_SETTINGS,
  compilePolicySet,
  stripLegacyPrefix,
  workloadLabels,
} from './compile.ts'
export type { EvaluateOptions, ResolvedFlow, ResolvedSide } from './evaluate.ts'
export { appliedTiers, evaluateFlow, evaluateFlows, resolveFlow } from './evaluate.ts'
export type { CIDR, IP } from './ip.ts'
export { parseCIDR, parseIP, printCIDR } from './ip.ts'
export { describeDecision, hitStrings, policyHitName } from './trace.ts'
export type {
  Decision,
  DirectionTrace,
  Flow,
  FlowResult,
  FlowSide,
  PolicyKind,
  PolicyRef,
  ProfileTrace,
  RuleMatch,
  TierEnd,
  TierTrace,
  Verdict,
  ViewName,
} from './types.ts'
