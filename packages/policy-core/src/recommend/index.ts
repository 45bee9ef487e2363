export type { DefaultDenyOptions, FoundDefaultDeny } from './default-deny.ts'
export {
  DEFAULT_DENY_NAME,
  DEFAULT_DENY_ORDER,
  defaultDenyPolicy,
  findDefaultDeny,
  isDefaultDeny,
  kubeDnsEgressRules,
  SYSTEM_NAMESPACES,
} from './default-deny.ts'
export type { RecommendationStatus, RecommendationTiming } from './lifecycle.ts'
export {
  RECOMMENDATION_INTERVAL_MS,
  RECOMMENDATION_STABILIZATION_MS,
  recommendationStatus,
  settleRecommendation,
} from './lifecycle.ts'
export type { Peer, WorkloadKey } from './peers.ts'
export { PRIVATE_NETS, WORKLOAD_LABELS, workloadOf, workloadSelector } from './peers.ts'
export {
  RECOMMENDATION_ORDER,
  recommendationName,
  recommendationTierOrder,
  recommendPolicies,
} from './recommend.ts'
export type {
  EvidenceFlow,
  ExcludedFlow,
  ExclusionReason,
  RecommendationScope,
  RecommendationState,
  RecommendFlow,
  RecommendInput,
  RecommendInventory,
  RecommendResult,
  RuleEvidence,
} from './types.ts'
export { RECOMMENDATION_ANNOTATIONS, RECOMMENDATION_LABELS, RECOMMENDATION_TIER } from './types.ts'
