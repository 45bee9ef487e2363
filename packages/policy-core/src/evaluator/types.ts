/**
 * The evaluator's public data: flows in, verdicts and traces out. A trace is data, not log
 * lines: the board and the CLI render it and never recompute it.
 */

/** A policy kind the evaluator knows (Kubernetes policies keep their own kind). */
export type PolicyKind =
  | 'NetworkPolicy'
  | 'GlobalNetworkPolicy'
  | 'KubernetesNetworkPolicy'
  | 'StagedNetworkPolicy'
  | 'StagedGlobalNetworkPolicy'
  | 'StagedKubernetesNetworkPolicy'

/**
 * Which set of policies a verdict is computed with:
 * - `enforced`: enforced policies only, as the dataplane decides;
 * - `staged`: the cluster after enforcing every staged policy (`Set`/`Learn` replace or add the
 *   enforced policy of the same kind, namespace and name; `Delete` removes it; `Ignore` is left
 *   out) — the scenario contract's `staged`;
 * - `pending`: Calico's flow-log pending view: staged policies (all but `Delete`) evaluated as if
 *   enforced, beside their enforced twins.
 */
export type ViewName = 'enforced' | 'staged' | 'pending'

/** One side of a flow: an endpoint of the inventory (`ns/name`, or a host endpoint's name) or an address. */
export type FlowSide = { endpoint: string } | { ip: string }

/** A flow to judge: who talks to whom, on what protocol and destination port. */
export interface Flow {
  /** Any unique string, echoed in the result. */
  id: string
  source: FlowSide
  destination: FlowSide
  /** `TCP`, `UDP`, `SCTP`, `ICMP`, `ICMPv6`, `UDPLite`, or a protocol number 1–255. */
  protocol: string | number
  /** Destination port; omitted for protocols without ports. */
  port?: number
  /** ICMP type of the flow; an ICMP flow without one is an echo request (8, or 128 for ICMPv6). */
  icmpType?: number
  /** ICMP code of the flow; 0 when absent. */
  icmpCode?: number
}

/** Identifies a policy in a trace. */
export interface PolicyRef {
  kind: PolicyKind
  /** The resource's own name (a Kubernetes policy's Kubernetes name). */
  name: string
  /** Absent for global kinds. */
  namespace?: string
  tier: string
  /** True for the staged kinds. */
  staged: boolean
}

/** The rule that decided (or logged) inside a policy. */
export interface RuleMatch {
  policy: PolicyRef
  /** 0-based index into the policy's rules for the direction. */
  ruleIndex: number
  /** The rule's action. */
  action: 'Allow' | 'Deny' | 'Pass' | 'Log'
}

/** How a tier ended for a flow. */
export type TierEnd = 'Allow' | 'Deny' | 'Pass' | 'EndOfTierDeny' | 'EndOfTierPass'

/** One tier visited in one direction. */
export interface TierTrace {
  tier: string
  /** The tier's action when no policy decides. */
  defaultAction: 'Deny' | 'Pass'
  /** The policies of the tier that apply to the endpoint in this direction, in evaluation order. */
  policies: PolicyRef[]
  /** The first matching Allow/Deny/Pass rule, absent when the tier ended by its default action. */
  match?: RuleMatch
  /** Log rules that matched on the way (they never stop evaluation). */
  logged?: RuleMatch[]
  ended: TierEnd
  /**
   * Host endpoints only: the untracked (`doNotTrack`) or pre-DNAT phase this tier pass belongs
   * to; absent for the normal phase. Those phases never end in a drop: what they do not
   * decide goes on to the next phase.
   */
  phase?: 'untracked' | 'preDNAT'
}

/** The profiles step, reached when every tier passed or none applied. */
export interface ProfileTrace {
  /** The endpoint's profiles in order (`kns.<ns>`, `ksa.<ns>.<sa>` for pods). */
  profiles: string[]
  /** The profile rule that decided, if any. */
  match?: { profile: string; ruleIndex: number; action: 'Allow' | 'Deny' }
  /** `NoMatch` when no profile rule matched (or there are no profiles): deny. */
  ended: 'Allow' | 'Deny' | 'NoMatch'
}

/** What decided a direction. */
export type Decision =
  | { by: 'rule'; tier: string; policy: PolicyRef; ruleIndex: number; action: 'Allow' | 'Deny' }
  | { by: 'endOfTier'; tier: string; policy: PolicyRef }
  | { by: 'profile'; profile: string; ruleIndex: number; action: 'Allow' | 'Deny' }
  | { by: 'noProfile' }
  | { by: 'failsafe'; protocol: number; port: number }

/** The verdict of one direction at one endpoint (egress at the source, ingress at the destination). */
export interface DirectionTrace {
  direction: 'ingress' | 'egress'
  /** `ns/name` of a workload, or the host endpoint's name. */
  endpoint: string
  action: 'Allow' | 'Deny'
  tiers: TierTrace[]
  /** Present when evaluation reached the profiles. */
  profile?: ProfileTrace
  decidedBy: Decision
}

/** The verdict of a flow in one view: allowed only if egress and ingress both allow. */
export interface Verdict {
  action: 'Allow' | 'Deny'
  /** Absent when the source is not a cluster endpoint. */
  egress?: DirectionTrace
  /** Absent when the destination is not a cluster endpoint. */
  ingress?: DirectionTrace
}

/** A flow's verdicts in the enforced and staged views (and the pending view when asked for). */
export interface FlowResult {
  id: string
  enforced: Verdict
  staged: Verdict
  pending?: Verdict
}
