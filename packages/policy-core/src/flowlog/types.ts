/**
 * The Calico flow-log record, as Felix writes it (one JSON object per line) and as the
 * Enterprise flow-log index stores it. Field names are Calico's own, snake_case.
 */

/** Kind of a flow's source or destination. */
export type FlowEndpointType =
  /** A workload endpoint (pod). */
  | 'wep'
  /** A host endpoint. */
  | 'hep'
  /** A NetworkSet or GlobalNetworkSet, found by longest-prefix match of the address. */
  | 'ns'
  /** An address no endpoint or network set owns. */
  | 'net'

/** The verdict at the reporter. Never `pass`: a pass is not a verdict. */
export type FlowAction = 'allow' | 'deny'

/**
 * Which side wrote the record: `src` is the egress side of the connection's initiator,
 * `dst` the ingress side of its receiver.
 */
export type FlowReporter = 'src' | 'dst'

/** Labels of an endpoint as `key=value` strings. */
export interface FlowLabels {
  /** `["app=frontend", …]`; for aggregated endpoints the intersection of their labels. */
  labels: string[]
}

/** Policy hit strings of a record (see `parseHitString`). Lists are sets: order by index. */
export interface FlowPolicies {
  /** Enforced and staged hits up to the first enforced verdict (Enterprise). */
  all_policies?: string[]
  /** Enforced hits only, renumbered from 0. */
  enforced_policies?: string[]
  /** Enforced and staged hits up to the first verdict from either (the staged view). */
  pending_policies?: string[]
}

/**
 * One flow-log record: the traffic of one aggregated flow seen by one reporter on one node
 * during one export window.
 *
 * Aggregation decides how much identity survives: at level 1 (Calico's default for denied
 * flows) only the source port is dropped; at level 2 (the default for allowed flows) IPs and
 * pod names are dropped too, leaving `name_aggr` (`nginx-86c57db685-*`, or `pvt`/`pub` for
 * unknown addresses).
 */
export interface FlowLogRecord {
  /** Start of the export window, UNIX seconds. */
  start_time: number
  /** End of the export window, UNIX seconds (Felix flushes every 300 s by default). */
  end_time: number
  /** Node that produced the record. */
  host: string
  /** The verdict at the reporter. */
  action: FlowAction
  /** `src` (egress verdict at the initiator) or `dst` (ingress verdict at the receiver). */
  reporter: FlowReporter

  /** Kind of the source. */
  source_type: FlowEndpointType
  /** Namespace of the source; `-` when not namespaced (HEP, GlobalNetworkSet, net). */
  source_namespace: string
  /** Pod, host endpoint or set name; `-` when aggregated away or for `net`. */
  source_name: string
  /** Pods: `<generateName>*` or the pod name; HEP: host; set: set name; net: `pvt` or `pub`. */
  source_name_aggr: string
  /** Source address; null when aggregated. */
  source_ip: string | null
  /** Source port; null when aggregated. */
  source_port: number | null
  /** Source labels; null or absent when unknown. */
  source_labels?: FlowLabels | null

  /** Kind of the destination. */
  dest_type: FlowEndpointType
  /** Namespace of the destination; `-` when not namespaced. */
  dest_namespace: string
  /** Pod, host endpoint or set name; `-` when aggregated away or for `net`. */
  dest_name: string
  /** As `source_name_aggr`, for the destination. */
  dest_name_aggr: string
  /** Destination address (after DNAT); null when aggregated. */
  dest_ip: string | null
  /** Destination port; null for ICMP or when aggregated at level 3. */
  dest_port: number | null
  /** Destination labels; null or absent when unknown. */
  dest_labels?: FlowLabels | null

  /** Namespace of the Service the original destination mapped to; `-` if none. */
  dest_service_namespace?: string
  /** Name of that Service; `-` if none or aggregated. */
  dest_service_name?: string
  /** Port name of that Service; `-` if none, `*` if several names share the number. */
  dest_service_port?: string
  /** Port number of that Service port, when known. */
  dest_service_port_num?: number | null

  /** Protocol: `tcp`, `udp`, `icmp`, `icmp6`, `sctp`, … or the protocol number as text. */
  proto: string

  /** Policy hit strings that decided the flow (enforced and staged views). */
  policies?: FlowPolicies | null

  /** Bytes received by the reporter in the window. */
  bytes_in: number
  /** Bytes sent by the reporter in the window. */
  bytes_out: number
  /** Packets received by the reporter in the window. */
  packets_in: number
  /** Packets sent by the reporter in the window. */
  packets_out: number
  /** Distinct 5-tuples seen in the window. */
  num_flows: number
  /** Connections that started in the window. */
  num_flows_started: number
  /** Connections that completed in the window. */
  num_flows_completed: number

  /** Process name (`-` not collected, `*` aggregated). Enterprise, optional. */
  process_name?: string
  /** Process id (`-`/`*` as above, or the number as text). */
  process_id?: string | number
  /** Process arguments. */
  process_args?: string[] | string
  /** Distinct process names aggregated into the record. */
  num_process_names?: number
  /** Distinct process ids aggregated into the record. */
  num_process_ids?: number
  /** Distinct argument lists aggregated into the record. */
  num_process_args?: number

  /** Ports used for SNAT (nat-outgoing). */
  nat_outgoing_ports?: number[] | null
  /** External client addresses seen (e.g. from X-Forwarded-For) on ingress. */
  original_source_ips?: string[] | null
  /** Number of distinct original source addresses. */
  num_original_source_ips?: number
  /** DNS names that resolved to the destination address (source-reported egress). */
  dest_domains?: string[] | null

  /** HTTP requests allowed at ingress (L7 collector). */
  http_requests_allowed_in?: number
  /** HTTP requests denied at ingress (L7 collector). */
  http_requests_denied_in?: number

  /** TCP statistics (socket stats collection); units as Calico reports them. */
  tcp_mean_send_congestion_window?: number
  tcp_min_send_congestion_window?: number
  tcp_mean_smooth_rtt?: number
  tcp_max_smooth_rtt?: number
  tcp_mean_min_rtt?: number
  tcp_max_min_rtt?: number
  tcp_mean_mss?: number
  tcp_min_mss?: number
  tcp_total_retransmissions?: number
  tcp_lost_packets?: number
  tcp_unrecovered_to?: number

  /** Managed cluster name (multi-cluster management). */
  cluster?: string
  /** Indexing time, milliseconds since the epoch. */
  '@timestamp'?: number | string
}

/** The kind of policy a hit names. Staged kinds are the same kind with `staged: true`. */
export type PolicyHitKind =
  | 'GlobalNetworkPolicy'
  | 'NetworkPolicy'
  | 'KubernetesNetworkPolicy'
  /** Kubernetes ClusterNetworkPolicy in the `kube-admin` / `kube-baseline` tiers. */
  | 'KubernetesClusterNetworkPolicy'
  /** A profile (`kns.<namespace>`, `ksa.<namespace>.<sa>`); tier `__PROFILE__`. */
  | 'Profile'

/** What the hit did: a rule's (or end of tier's) action as the flow log spells it. */
export type PolicyHitAction = 'allow' | 'deny' | 'pass'

/**
 * One entry of a flow log's policy list, `<index>|<tier>|<policy>|<action>|<ruleIndex>`,
 * parsed.
 */
export interface PolicyHit {
  /** Position of the hit within its list, from 0. */
  index: number
  /** Tier name; `__PROFILE__` for profiles. */
  tier: string
  /** Kind of the policy (without the staged marker; see `staged`). */
  kind: PolicyHitKind
  /** Namespace of a namespaced policy; absent for cluster-scoped kinds and profiles. */
  namespace?: string
  /**
   * The policy's name as its cluster stores it: in the legacy model a policy of a non-default
   * tier carries its tier prefix (`security.block-bad`), a default-tier policy does not
   * (`access-nginx`, from `default.access-nginx`), a Kubernetes policy is its own name
   * (from `knp.default.<name>`); in the kind-based model the name as written. Profiles:
   * `kns.<ns>` or `ksa.<ns>.<sa>`.
   */
  name: string
  /** The hit came from a staged policy. */
  staged: boolean
  /** What the rule (or the end of the tier) did. */
  action: PolicyHitAction
  /** 0-based rule index; -1 end-of-tier default action; -2 unknown. */
  ruleIndex: number
}

/**
 * Which spelling of the `<policy>` part: `legacy` (Calico ≤ v3.31 and Enterprise:
 * `ns/tier.name`, `ns/knp.default.name`, `tier.staged:name`) or `v3.32` (Calico ≥ v3.32, kind
 * codes: `np:ns/name`, `gnp:name`, `snp:ns/name`, `pro:kns.ns`). The same values as the
 * conversion's `PolicyNaming`.
 */
export type HitNaming = 'legacy' | 'v3.32'

/** The tier name of profile hits. */
export const PROFILE_TIER = '__PROFILE__'

/** Rule index of an end-of-tier hit. */
export const END_OF_TIER_RULE = -1

/** Rule index when the matching rule is not known. */
export const UNKNOWN_RULE = -2
