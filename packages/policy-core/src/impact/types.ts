/**
 * The impact preview's data: stored flows (records or tuples aggregated from them) made into
 * evaluator flows, and what a change of the policy set would do to them.
 */

import type { Flow, Verdict } from '../evaluator/types.ts'
import type { FlowEndpointType } from '../flowlog/types.ts'

/** One side of a stored flow, as a flow-log record names it. */
export interface FlowTuplePeer {
  /** `wep`, `hep`, `ns` (network set) or `net` (an address nothing owns). */
  type: FlowEndpointType
  /** Namespace, or `-` when not namespaced. */
  namespace: string
  /** Pod, host endpoint or set name; `-` (or empty) when aggregated away. */
  name: string
  /** Aggregated name: `<generateName>*` for pods, the set name, `pvt`/`pub` for `net`. */
  nameAggr: string
  /** The address, when the record kept it. */
  ip?: string | null
  /** `key=value` labels the record carries (the intersection for aggregated pods). */
  labels?: readonly string[]
}

/**
 * A stored flow reduced to what the evaluator needs: who talked to whom on which protocol and
 * port, and how many flows (records weighted by `num_flows`) that was.
 */
export interface FlowTuple {
  source: FlowTuplePeer
  destination: FlowTuplePeer
  /** Protocol as in the records: `tcp`, `udp`, `icmp`, `icmp6`, `sctp` or a number as text. */
  proto: string
  /** Destination port; null for ICMP or when aggregated away. */
  port: number | null
  /** Flows of the tuple (≥ 0). */
  count: number
}

/**
 * Why a flow's verdict cannot be judged exactly. Never guessed: such flows are counted apart.
 * - `unknown-endpoint`: the record names a pod, host endpoint or network set the inventory
 *   does not have;
 * - `address-dependent`: the record has no address and a rule on the path tests addresses
 *   (`nets`/`notNets`, or network-set CIDRs that split the peer's possible addresses);
 * - `members-differ`: the record aggregates several pods and they are not judged alike;
 * - `unsupported-protocol`: the record's protocol is not one the evaluator knows;
 * - `no-port`: the port was aggregated away and a rule on the path tests ports.
 */
export type UncertainReason =
  | 'unknown-endpoint'
  | 'address-dependent'
  | 'members-differ'
  | 'unsupported-protocol'
  | 'no-port'

/** All reasons, in the order the board lists them. */
export const UNCERTAIN_REASONS: readonly UncertainReason[] = [
  'unknown-endpoint',
  'address-dependent',
  'members-differ',
  'unsupported-protocol',
  'no-port',
]

/** What identifies an impact group: both workloads (aggregated), protocol and port. */
export interface ImpactGroupKey {
  sourceNamespace: string
  /** Aggregated workload name (`checkout-7d9f8-*`, a set name, `pvt`, `pub`). */
  sourceWorkload: string
  sourceType: FlowEndpointType
  destinationNamespace: string
  destinationWorkload: string
  destinationType: FlowEndpointType
  /** Lowercase protocol. */
  protocol: string
  port: number | null
}

/** A side of a stored flow resolved against the inventory. */
export type ResolvedPeer =
  /** Inventory endpoints (`ns/name` or host name) the record may stand for, one per member. */
  | { kind: 'endpoints'; refs: string[] }
  /** An address nothing in the inventory owns, of class `pvt` or `pub`. */
  | { kind: 'net'; class: 'pvt' | 'pub' }
  /** A network set, known by `namespace/name` (empty namespace for a global set). */
  | {
      kind: 'set'
      namespace: string
      name: string
      /** The set's CIDRs. */
      nets: string[]
      /** An address the set stands for (one whose longest-prefix set it is). */
      ip: string
    }
  /** A concrete address from the record. */
  | { kind: 'ip'; ip: string }

/** A stored flow made ready for evaluation. */
export interface ImpactFlow {
  /** The group this flow counts in. */
  group: ImpactGroupKey
  /** Flows it stands for. */
  count: number
  source: ResolvedPeer
  destination: ResolvedPeer
  /** Protocol as the evaluator names it (`tcp`, `ICMPv6`, …). */
  protocol: string
  port: number | null
  /** Set when the flow cannot be judged, whatever the policies say. */
  uncertain?: UncertainReason
  /** Human-readable detail of the uncertainty (which endpoint is unknown, …). */
  detail?: string
}

/** How a flow's verdict changes between the two views. */
export type ImpactChangeKind = 'allowedToDenied' | 'deniedToAllowed' | 'unchanged' | 'uncertain'

/** Counts of flows by change. */
export interface ImpactCounts {
  allowedToDenied: number
  deniedToAllowed: number
  unchanged: number
  uncertain: number
}

/** The flow of a group whose traces are shown, and its verdicts before and after. */
export interface ImpactExample {
  /** The concrete flow that was evaluated. */
  flow: Flow
  before: Verdict
  after: Verdict
}

/** Flows of one (source, destination, protocol, port) group. */
export interface ImpactGroup {
  /** Stable key of the group (for asking its traces). */
  id: string
  key: ImpactGroupKey
  counts: ImpactCounts
  /** The group's dominant change: a verdict change when any flow changes, else uncertain or unchanged. */
  change: ImpactChangeKind
  /** Uncertain flows of the group by reason. */
  uncertainReasons: Partial<Record<UncertainReason, number>>
  /** Details of the uncertainty (first few, deduplicated). */
  uncertainDetails: string[]
  /** Verdict before the change (of the example flow), absent when none could be judged. */
  before?: 'Allow' | 'Deny'
  /** Verdict after the change (of the example flow). */
  after?: 'Allow' | 'Deny'
  /** A representative judged flow, preferring one that changed. */
  example?: ImpactExample
}

/** The impact of a change over stored flows. */
export interface ImpactResult {
  totals: ImpactCounts & {
    /** All flows counted. */
    flows: number
    /** Uncertain flows by reason. */
    uncertainByReason: Partial<Record<UncertainReason, number>>
  }
  /** Groups, those with changes first (most changed flows first), then uncertain, then unchanged. */
  groups: ImpactGroup[]
  /** Distinct concrete flows evaluated (the cost of the preview). */
  evaluations: number
}
