/**
 * The recommendation engine's data: the stored flows and policies in, staged policies that
 * isolate a namespace out, with the flows that justify every rule.
 */

import type { FlowLogRecord } from '../flowlog/types.ts'
import type { FlowTuple, ImpactGroupKey } from '../impact/types.ts'
import type {
  Endpoint,
  Namespace,
  Resource,
  ServiceAccount,
  StagedNetworkPolicy,
  Tier,
} from '../resources/types.ts'
import type { RecommendationTiming } from './lifecycle.ts'

/** Labels and annotations Calico Enterprise writes on recommendations. */
export const RECOMMENDATION_LABELS = {
  tier: 'projectcalico.org/tier',
  stagedAction: 'projectcalico.org/spec.stagedAction',
  ownerKind: 'projectcalico.org/ownerReference.kind',
  scope: 'policyrecommendation.tigera.io/scope',
} as const

/** Annotation keys of recommended policies and of their rules. */
export const RECOMMENDATION_ANNOTATIONS = {
  status: 'policyrecommendation.tigera.io/status',
  lastUpdated: 'policyrecommendation.tigera.io/lastUpdated',
  scope: 'policyrecommendation.tigera.io/scope',
  name: 'policyrecommendation.tigera.io/name',
  namespace: 'policyrecommendation.tigera.io/namespace',
  warnings: 'policyrecommendation.tigera.io/warnings',
} as const

/** The tier recommendations are written to, as Calico Enterprise names it. */
export const RECOMMENDATION_TIER = 'namespace-isolation'

/**
 * What a rule's peer is, in Calico Enterprise's words:
 * - `Namespace`: pods of a namespace (and, per workload, of one workload in it);
 * - `NetworkSet`: a NetworkSet or GlobalNetworkSet, selected by its labels (or its nets when it
 *   has none);
 * - `Private`: addresses nothing in the inventory owns, inside the RFC 1918 ranges;
 * - `Public`: addresses nothing owns outside them;
 * - `Host`: a host endpoint, by its addresses.
 */
export type RecommendationScope = 'Namespace' | 'NetworkSet' | 'Private' | 'Public' | 'Host'

/** The inventory the selectors see, as the evaluator takes it. */
export interface RecommendInventory {
  namespaces?: readonly Namespace[]
  serviceAccounts?: readonly ServiceAccount[]
  endpoints: readonly Endpoint[]
}

/**
 * A stored flow: a flow-log record (denied when its `action` is `deny`), or an aggregated
 * tuple with `denied` set when any of its flows was reported denied.
 */
export type RecommendFlow = FlowLogRecord | (FlowTuple & { denied?: boolean })

/** The input of `recommendPolicies`. */
export interface RecommendInput {
  /** Stored resources: tiers, policies (enforced and staged), network sets. */
  resources: readonly Resource[]
  inventory: RecommendInventory
  /** Stored flows: flow-log records, or tuples aggregated from them. */
  flows: readonly RecommendFlow[]
  /** The namespace to isolate. */
  namespace: string
  /** One policy per workload (grouped by an app-like label) instead of one per namespace. */
  perWorkload?: boolean
  /** Now, UNIX milliseconds (stamped in `lastUpdated` annotations). */
  now: number
  /** The engine's interval and stabilisation period (Calico Enterprise's defaults otherwise). */
  timing?: RecommendationTiming
}

/** A stored flow as evidence: its group key (both workloads, protocol, port) and its count. */
export interface EvidenceFlow {
  key: ImpactGroupKey
  /** Flows (records weighted by `num_flows`). */
  count: number
}

/** The flows that justify one generated rule. */
export interface RuleEvidence {
  /** Name of the recommended policy the rule belongs to. */
  policy: string
  direction: 'ingress' | 'egress'
  /** 0-based index of the rule in the policy's rules for that direction. */
  ruleIndex: number
  scope: RecommendationScope
  /** Peer name (namespace, workload, set, `pvt`/`pub`). */
  peer: string
  /** Stored flows the rule allows, by group, most flows first; empty for the DNS rule kept without traffic. */
  flows: EvidenceFlow[]
  /** Sum of the flows' counts. */
  count: number
}

/** Why a stored flow of the namespace produced no rule. */
export type ExclusionReason =
  /** Denied by the enforced policies (or reported denied): never turned into an allow rule. */
  | 'denied'
  /** Already decided by a policy evaluated before the recommendation (another tier, or earlier in its tier). */
  | 'decided'
  /** The record names something the inventory lacks, or a protocol the evaluator does not know. */
  | 'unknown'

/** Stored flows of the namespace that produced no rule, by reason. */
export interface ExcludedFlow extends EvidenceFlow {
  reason: ExclusionReason
  /** For `denied` and `decided`: what decided (`tier/policy`, `profile`), for the reader. */
  decidedBy?: string
}

/** State of a recommended policy against what is stored under its name. */
export type RecommendationState =
  /** Not stored yet. */
  | 'new'
  /** Stored with `stagedAction: Learn`: regeneration rewrites it in place. */
  | 'learning'
  /** Stored with `stagedAction: Set` (accepted): left as stored. */
  | 'accepted'
  /** Stored with `stagedAction: Ignore` (dismissed): left as stored. */
  | 'dismissed'

/** The result of `recommendPolicies`. */
export interface RecommendResult {
  /** One policy for the namespace (or one per workload), never enforced. */
  policies: StagedNetworkPolicy[]
  /** State of each policy, by name. */
  states: Record<string, RecommendationState>
  /** The `namespace-isolation` tier to create, when no Tier resource declares it. */
  tier?: Tier
  /** The flows behind every generated rule. */
  evidence: RuleEvidence[]
  /** Flows of the namespace that produced no rule, and why. */
  excluded: ExcludedFlow[]
}
