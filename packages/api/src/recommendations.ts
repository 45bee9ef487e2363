import type {
  ExcludedFlow,
  FoundDefaultDeny,
  RecommendationState,
  Resource,
  RuleEvidence,
  StagedGlobalNetworkPolicy,
  StagedNetworkPolicy,
  Tier,
} from '@policyboard/policy-core'
import { type Static, Type } from 'typebox'
import { DurationSchema } from './common.ts'

/** `:namespace` of the recommendation routes. */
export const RecommendationParamsSchema = Type.Object(
  { namespace: Type.String({ minLength: 1, maxLength: 63 }) },
  { additionalProperties: false },
)
export type RecommendationParams = Static<typeof RecommendationParamsSchema>

/** Options of a recommendation. */
export const RecommendationQuerySchema = Type.Object(
  {
    /** One policy per workload instead of one per namespace. */
    perWorkload: Type.Optional(Type.Boolean()),
    /** Window of stored flows to learn from, ending now (default 24h). */
    window: Type.Optional(DurationSchema),
  },
  { additionalProperties: false },
)
export type RecommendationQuery = Static<typeof RecommendationQuerySchema>

/** A namespace's recommendation: the staged policies, their evidence and the flows left out. */
export interface Recommendation {
  namespace: string
  /** The policies (`stagedAction: Learn`, or as stored when accepted/dismissed). */
  policies: StagedNetworkPolicy[]
  /** State by policy name: `new`, `learning`, `accepted`, `dismissed`. */
  states: Record<string, RecommendationState>
  /** The `namespace-isolation` tier, when it does not exist yet. */
  tier?: Tier
  /** The flows behind every rule. */
  evidence: RuleEvidence[]
  /** Flows that produced no rule (denied, already decided, unknown). */
  excluded: ExcludedFlow[]
  /** The policies (and the missing tier) as multi-document YAML. */
  yaml: string
}

/** Body of a recommendation (see `Recommendation`). */
export const RecommendationSchema = Type.Unsafe<Recommendation>(
  Type.Object({
    namespace: Type.String(),
    policies: Type.Array(Type.Unknown()),
    states: Type.Record(Type.String(), Type.String()),
    tier: Type.Optional(Type.Unknown()),
    evidence: Type.Array(Type.Unknown()),
    excluded: Type.Array(Type.Unknown()),
    yaml: Type.String(),
  }),
)

/** One namespace in the overview. */
export const RecommendationSummarySchema = Type.Object({
  namespace: Type.String(),
  /** Policy names with their state. */
  policies: Type.Array(Type.Object({ name: Type.String(), state: Type.String() })),
  /** Generated rules with observed flows. */
  rules: Type.Integer(),
  /** Flows the rules allow. */
  allowedFlows: Type.Integer(),
  /** Flows denied by the enforced policies (never made into rules). */
  deniedFlows: Type.Integer(),
})
export type RecommendationSummary = Static<typeof RecommendationSummarySchema>

/** The overview: every non-system namespace of the inventory. */
export const RecommendationListSchema = Type.Object({
  namespaces: Type.Array(RecommendationSummarySchema),
})
export type RecommendationList = Static<typeof RecommendationListSchema>

/** Accept (`Set`) or dismiss (`Ignore`) one recommended policy; `Learn` re-activates it. */
export const RecommendationDecisionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    stagedAction: Type.Union([Type.Literal('Set'), Type.Literal('Ignore'), Type.Literal('Learn')]),
  },
  { additionalProperties: false },
)
export type RecommendationDecision = Static<typeof RecommendationDecisionSchema>

/** The default-deny workflow's state. */
export interface DefaultDenyState {
  /** The stored default deny, if any (enforced preferred). */
  found?: FoundDefaultDeny
  /** The policy the workflow stages when none is found. */
  proposed: StagedGlobalNetworkPolicy
  /** Namespaces the deny covers that have flows (the ones to recommend for). */
  namespaces: string[]
}

/** Body of the default-deny state. */
export const DefaultDenyStateSchema = Type.Unsafe<DefaultDenyState>(
  Type.Object({
    found: Type.Optional(Type.Unknown()),
    proposed: Type.Unknown(),
    namespaces: Type.Array(Type.String()),
  }),
)

/** A step of the default-deny workflow: stage the proposed deny, or enforce the staged one. */
export const DefaultDenyActionSchema = Type.Object(
  { action: Type.Union([Type.Literal('stage'), Type.Literal('enforce')]) },
  { additionalProperties: false },
)
export type DefaultDenyAction = Static<typeof DefaultDenyActionSchema>

/** What a default-deny step wrote. */
export const DefaultDenyResultSchema = Type.Unsafe<{ resource: Resource; state: DefaultDenyState }>(
  Type.Object({ resource: Type.Unknown(), state: Type.Unknown() }),
)
