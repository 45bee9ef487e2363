// The public surface of policy-core. Every export is named; each area keeps its own block.

// ---- errors ----
export { ErrorCodes, joinFieldPath, PolicyError } from './errors.ts'
export type { ErrorCode, ErrorLocation, Result, SourceRange } from './errors.ts'

// ---- resources: types ----
export {
  CALICO_API_VERSION,
  K8S_NETWORKING_API_VERSION,
  NAMESPACED_KINDS,
  resourceKind,
  resourceRef,
} from './resources/types.ts'
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
  Labels,
  LabelSelector,
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

// ---- resources: validation, YAML (resources/index.ts) ----

// ---- selector (selector/index.ts) ----

// ---- convert (convert/index.ts) ----

// ---- evaluator, scenario (evaluator/index.ts, scenario/index.ts) ----
