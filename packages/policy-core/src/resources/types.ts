/**
 * The Calico (`projectcalico.org/v3`) and Kubernetes (`networking.k8s.io/v1`) resources
 * Policyboard reads and writes, in their YAML shape. Field comments follow Calico's API.
 */

/** Label map: key → value. An empty value still counts as present. */
export type Labels = Readonly<Record<string, string>>

export const CALICO_API_VERSION = 'projectcalico.org/v3'
export const K8S_NETWORKING_API_VERSION = 'networking.k8s.io/v1'

/** A rule action. Not to be confused with the evaluator's verdict. */
export type Action = 'Allow' | 'Deny' | 'Log' | 'Pass'
/** What a staged resource would do to its enforced twin when enforced. */
export type StagedAction = 'Set' | 'Delete' | 'Learn' | 'Ignore'
export type PolicyType = 'Ingress' | 'Egress'
/** A port: a number, a `"min:max"` range, or a named port. */
export type Port = number | string
/** A protocol name (`TCP`, `UDP`, `ICMP`, `ICMPv6`, `SCTP`, `UDPLite`) or number 1–255. */
export type Protocol = string | number

export interface ObjectMeta {
  name: string
  namespace?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  /** Server-only fields, dropped on export unless asked for. */
  resourceVersion?: string
  uid?: string
  creationTimestamp?: string
  generation?: number
  generateName?: string
  managedFields?: unknown[]
  ownerReferences?: unknown[]
  finalizers?: string[]
  /** Server-only: the object's API path (deprecated by Kubernetes, still printed by old servers). */
  selfLink?: string
  /** Server-only: when deletion was requested. */
  deletionTimestamp?: string
  /** Server-only: grace period of a requested deletion, in seconds. */
  deletionGracePeriodSeconds?: number
}

export interface ICMPFields {
  /** ICMP type, 0–254. */
  type?: number
  /** ICMP code, 0–255; requires `type`. */
  code?: number
}

export interface ServiceAccountMatch {
  /** Pod service-account names (OR). */
  names?: string[]
  /** Selector over service-account labels (written without the `pcsa.` prefix). */
  selector?: string
}

export interface ServiceMatch {
  name: string
  namespace?: string
}

/** One side (source or destination) of a rule. Every present field must match. */
export interface EntityRule {
  /** The address is in any of these CIDRs. */
  nets?: string[]
  /** The address is in none of these CIDRs. */
  notNets?: string[]
  /** The address belongs to an endpoint or network set whose labels match (namespace-scoped). */
  selector?: string
  /** The address belongs to no endpoint or network set matching this (not namespace-scoped). */
  notSelector?: string
  /** Selects namespaces by label, or `global()` for non-namespaced things. */
  namespaceSelector?: string
  /** The port matches any entry (number, `"min:max"` range or named port). */
  ports?: Port[]
  /** The port matches no entry. */
  notPorts?: Port[]
  serviceAccounts?: ServiceAccountMatch
  services?: ServiceMatch
}

export interface HTTPPath {
  exact?: string
  prefix?: string
}

export interface HTTPMatch {
  methods?: string[]
  paths?: HTTPPath[]
}

export interface Rule {
  action: Action
  /** Only match this IP family. */
  ipVersion?: 4 | 6
  protocol?: Protocol
  notProtocol?: Protocol
  icmp?: ICMPFields
  notICMP?: ICMPFields
  source?: EntityRule
  destination?: EntityRule
  http?: HTTPMatch
  metadata?: { annotations?: Record<string, string> }
}

/** Spec shared by NetworkPolicy and GlobalNetworkPolicy (and their staged kinds). */
export interface PolicySpecCommon {
  /** Tier name; defaults to `default`. */
  tier?: string
  /** Order inside the tier; unset sorts last. */
  order?: number
  /** Which endpoints the policy applies to; `''` is `all()`. */
  selector?: string
  /** AND-ed with `selector`; over service-account labels. */
  serviceAccountSelector?: string
  /** Directions the policy governs; defaulted from the rules. */
  types?: PolicyType[]
  ingress?: Rule[]
  egress?: Rule[]
  performanceHints?: string[]
}

export type NetworkPolicySpec = PolicySpecCommon

export interface GlobalNetworkPolicySpec extends PolicySpecCommon {
  /** Over namespace labels; AND-ed with `selector`. */
  namespaceSelector?: string
  doNotTrack?: boolean
  preDNAT?: boolean
  applyOnForward?: boolean
}

export interface StagedNetworkPolicySpec extends NetworkPolicySpec {
  stagedAction?: StagedAction
}

export interface StagedGlobalNetworkPolicySpec extends GlobalNetworkPolicySpec {
  stagedAction?: StagedAction
}

export interface TierSpec {
  /** Evaluation order; unset sorts after every tier with an order. */
  order?: number
  /** What happens when no policy of the tier decides: `Deny` (default) or `Pass`. */
  defaultAction?: 'Deny' | 'Pass'
}

export interface NetworkSetSpec {
  nets?: string[]
}

export interface EndpointPort {
  name: string
  port: number
  protocol: Protocol
}

export interface HostEndpointSpec {
  node?: string
  interfaceName?: string
  expectedIPs?: string[]
  profiles?: string[]
  ports?: EndpointPort[]
}

/** Kubernetes `metav1.LabelSelector`. */
export interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: Array<{
    key: string
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'
    values?: string[]
  }>
}

export interface K8sIPBlock {
  cidr: string
  except?: string[]
}

export interface K8sNetworkPolicyPeer {
  podSelector?: LabelSelector
  namespaceSelector?: LabelSelector
  ipBlock?: K8sIPBlock
}

export interface K8sNetworkPolicyPort {
  /** `TCP` (default), `UDP` or `SCTP`. */
  protocol?: string
  port?: number | string
  endPort?: number
}

export interface K8sNetworkPolicyIngressRule {
  from?: K8sNetworkPolicyPeer[]
  ports?: K8sNetworkPolicyPort[]
}

export interface K8sNetworkPolicyEgressRule {
  to?: K8sNetworkPolicyPeer[]
  ports?: K8sNetworkPolicyPort[]
}

export interface K8sNetworkPolicySpec {
  podSelector: LabelSelector
  policyTypes?: PolicyType[]
  ingress?: K8sNetworkPolicyIngressRule[]
  egress?: K8sNetworkPolicyEgressRule[]
}

export interface StagedKubernetesNetworkPolicySpec extends K8sNetworkPolicySpec {
  stagedAction?: StagedAction
}

interface CalicoResource<K extends string, S> {
  apiVersion: typeof CALICO_API_VERSION
  kind: K
  metadata: ObjectMeta
  spec: S
}

export type Tier = CalicoResource<'Tier', TierSpec>
export type NetworkPolicy = CalicoResource<'NetworkPolicy', NetworkPolicySpec>
export type GlobalNetworkPolicy = CalicoResource<'GlobalNetworkPolicy', GlobalNetworkPolicySpec>
export type StagedNetworkPolicy = CalicoResource<'StagedNetworkPolicy', StagedNetworkPolicySpec>
export type StagedGlobalNetworkPolicy = CalicoResource<
  'StagedGlobalNetworkPolicy',
  StagedGlobalNetworkPolicySpec
>
export type StagedKubernetesNetworkPolicy = CalicoResource<
  'StagedKubernetesNetworkPolicy',
  StagedKubernetesNetworkPolicySpec
>
export type NetworkSet = CalicoResource<'NetworkSet', NetworkSetSpec>
export type GlobalNetworkSet = CalicoResource<'GlobalNetworkSet', NetworkSetSpec>
export type HostEndpoint = CalicoResource<'HostEndpoint', HostEndpointSpec>

/** `networking.k8s.io/v1` NetworkPolicy. */
export interface KubernetesNetworkPolicy {
  apiVersion: typeof K8S_NETWORKING_API_VERSION
  kind: 'NetworkPolicy'
  metadata: ObjectMeta
  spec: K8sNetworkPolicySpec
}

/** Every resource kind of the model. Tell the two `NetworkPolicy` kinds apart by `apiVersion`. */
export type Resource =
  | Tier
  | NetworkPolicy
  | GlobalNetworkPolicy
  | StagedNetworkPolicy
  | StagedGlobalNetworkPolicy
  | StagedKubernetesNetworkPolicy
  | NetworkSet
  | GlobalNetworkSet
  | HostEndpoint
  | KubernetesNetworkPolicy

/**
 * The model's own name for a kind, distinguishing the Kubernetes NetworkPolicy
 * (`KubernetesNetworkPolicy`) from Calico's namespaced `NetworkPolicy`.
 */
export type ResourceKind =
  | 'Tier'
  | 'NetworkPolicy'
  | 'GlobalNetworkPolicy'
  | 'StagedNetworkPolicy'
  | 'StagedGlobalNetworkPolicy'
  | 'StagedKubernetesNetworkPolicy'
  | 'NetworkSet'
  | 'GlobalNetworkSet'
  | 'HostEndpoint'
  | 'KubernetesNetworkPolicy'

/** The model kind of a resource (see `ResourceKind`). */
export function resourceKind(r: Resource): ResourceKind {
  return r.apiVersion === K8S_NETWORKING_API_VERSION ? 'KubernetesNetworkPolicy' : r.kind
}

/** Kinds that live in a namespace. */
export const NAMESPACED_KINDS: ReadonlySet<ResourceKind> = new Set([
  'NetworkPolicy',
  'StagedNetworkPolicy',
  'StagedKubernetesNetworkPolicy',
  'NetworkSet',
  'KubernetesNetworkPolicy',
])

/** `Kind namespace/name` or `Kind name`, for messages. */
export function resourceRef(r: {
  kind: string
  metadata?: { name?: string; namespace?: string }
}): string {
  const name = r.metadata?.name ?? '<unnamed>'
  return r.metadata?.namespace ? `${r.kind} ${r.metadata.namespace}/${name}` : `${r.kind} ${name}`
}

// ---- Inventory: what the cluster runs (not Calico resources, but what selectors see) ----

export interface Namespace {
  name: string
  labels?: Record<string, string>
}

export interface ServiceAccount {
  name: string
  namespace: string
  labels?: Record<string, string>
}

/** A workload (pod) or host endpoint of the inventory. */
export interface Endpoint {
  /** Pod name, or host endpoint name. */
  name: string
  /** Required for workloads; absent for host endpoints. */
  namespace?: string
  /** `workload` (default) or `host`. */
  kind?: 'workload' | 'host'
  labels?: Record<string, string>
  /** Workloads only; `default` when absent. */
  serviceAccount?: string
  /** Addresses, IPv4 or IPv6. */
  ips?: string[]
  /** Named ports (container ports, or host endpoint ports). */
  ports?: EndpointPort[]
  /** Node the endpoint runs on (informational). */
  node?: string
  /** Host endpoints: profiles that apply after the last tier (none: deny). */
  profiles?: string[]
}
