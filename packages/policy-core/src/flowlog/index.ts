// Calico flow-log records: the record model, its validation, policy hit strings, and the
// address and name rules a flow log uses to name its peers.

export type { NetworkSetMatch } from './address.ts'
export { classifyAddress, isIPAddress, longestPrefixNetworkSet } from './address.ts'
export { formatHitString, hitRefersTo, parseHitString } from './hits.ts'
export { nameAggr } from './names.ts'
export type {
  FlowAction,
  FlowEndpointType,
  FlowLabels,
  FlowLogRecord,
  FlowPolicies,
  FlowReporter,
  HitNaming,
  PolicyHit,
  PolicyHitAction,
  PolicyHitKind,
} from './types.ts'
export { END_OF_TIER_RULE, PROFILE_TIER, UNKNOWN_RULE } from './types.ts'
export { validateFlowLogRecord } from './validate.ts'
