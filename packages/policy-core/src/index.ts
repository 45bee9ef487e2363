// The public surface of policy-core. Every export is named; each area keeps its own block.

export type { ErrorCode, ErrorLocation, Result, SourceRange } from './errors.ts'
// ---- errors ----
export { ErrorCodes, joinFieldPath, PolicyError } from './errors.ts'
export type {
  Action,
  Endpoint,
  EndpointPort,
  EntityRule,
  GlobalNetworkPolicy,
  GlobalNetworkPolicySpec,
  GlobalNetworkSet,
  HostEndpoint,
  HostEndpointSpec,
  HTTPMatch,
  ICMPFields,
  K8sIPBlock,
  K8sNetworkPolicyEgressRule,
  K8sNetworkPolicyIngressRule,
  K8sNetworkPolicyPeer,
  K8sNetworkPolicyPort,
  K8sNetworkPolicySpec,
  KubernetesNetworkPolicy,
  LabelSelector,
  Labels,
  Namespace,
  NetworkPolicy,
  NetworkPolicySpec,
  NetworkSet,
  NetworkSetSpec,
  ObjectMeta,
  PolicySpecCommon,
  PolicyType,
  Port,
  Protocol,
  Resource,
  ResourceKind,
  Rule,
  ServiceAccount,
  ServiceAccountMatch,
  ServiceMatch,
  StagedAction,
  StagedGlobalNetworkPolicy,
  StagedGlobalNetworkPolicySpec,
  StagedKubernetesNetworkPolicy,
  StagedKubernetesNetworkPolicySpec,
  StagedNetworkPolicy,
  StagedNetworkPolicySpec,
  Tier,
  TierSpec,
} from './resources/types.ts'
// ---- resources: types ----
export {
  CALICO_API_VERSION,
  K8S_NETWORKING_API_VERSION,
  NAMESPACED_KINDS,
  resourceKind,
  resourceRef,
} from './resources/types.ts'

// ---- resources: validation, YAML (resources/index.ts) ----

export type {
  AllNode,
  AndNode,
  ComparisonNode,
  GlobalNode,
  HasNode,
  NotNode,
  OrNode,
  SelectorLimitName,
  SelectorMatcher,
  SelectorNode,
  SetNode,
} from './selector/index.ts'
// ---- selector (selector/index.ts) ----
export {
  compileSelector,
  evaluateSelector,
  MATCH_ALL,
  MATCH_NONE,
  matchesSelector,
  normaliseSelector,
  parseSelector,
  prefixSelector,
  printSelector,
  SELECTOR_LIMITS,
  SelectorError,
  selectorLabels,
  tryParseSelector,
  validateSelector,
} from './selector/index.ts'

// ---- convert (convert/index.ts) ----

// ---- evaluator, scenario (evaluator/index.ts, scenario/index.ts) ----

// ---- flowlog (flowlog/index.ts) ----
export type {
  FlowAction,
  FlowEndpointType,
  FlowLabels,
  FlowLogRecord,
  FlowPolicies,
  FlowReporter,
  HitNaming,
  NetworkSetMatch,
  PolicyHit,
  PolicyHitAction,
  PolicyHitKind,
} from './flowlog/index.ts'
export {
  classifyAddress,
  END_OF_TIER_RULE,
  formatHitString,
  hitRefersTo,
  isIPAddress,
  longestPrefixNetworkSet,
  nameAggr,
  PROFILE_TIER,
  parseHitString,
  UNKNOWN_RULE,
  validateFlowLogRecord,
} from './flowlog/index.ts'
