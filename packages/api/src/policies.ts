import { type Static, Type } from 'typebox'
import { DurationSchema, ResourceVersionSchema, StagedFilterSchema } from './common.ts'
import { ResourceKindSchema, ResourceSchema } from './resources.ts'

/** The policy kinds (what the board shows as cards). */
export const PolicyKindSchema = Type.Union([
  Type.Literal('NetworkPolicy'),
  Type.Literal('GlobalNetworkPolicy'),
  Type.Literal('StagedNetworkPolicy'),
  Type.Literal('StagedGlobalNetworkPolicy'),
  Type.Literal('StagedKubernetesNetworkPolicy'),
  Type.Literal('KubernetesNetworkPolicy'),
])
export type PolicyKind = Static<typeof PolicyKindSchema>

/** `GET /api/v1/policies` filters. */
export const PolicyListQuerySchema = Type.Object(
  {
    tier: Type.Optional(Type.String()),
    namespace: Type.Optional(Type.String()),
    kind: Type.Optional(PolicyKindSchema),
    /** Staged kinds: `include` (default), `only`, `exclude`. */
    staged: Type.Optional(StagedFilterSchema),
    /** Hit-count window ending now, e.g. `24h` (default). */
    window: Type.Optional(DurationSchema),
    /** Include each policy's stored resource (`resource`); the list is summaries without it. */
    full: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type PolicyListQuery = Static<typeof PolicyListQuerySchema>

/** Flow counts (records weighted by `num_flows`) by the action of the hit. */
export const HitCountsSchema = Type.Object(
  {
    allowed: Type.Integer({ minimum: 0 }),
    denied: Type.Integer({ minimum: 0 }),
    passed: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
)
export type HitCounts = Static<typeof HitCountsSchema>

/** Hits of one rule. `index` -1 is the tier's end-of-tier action attributed to this policy. */
export const RuleHitsSchema = Type.Object(
  {
    /** `ingress` for hits reported by the destination, `egress` by the source. */
    direction: Type.Union([Type.Literal('ingress'), Type.Literal('egress')]),
    index: Type.Integer({ minimum: -2 }),
    allowed: Type.Integer({ minimum: 0 }),
    denied: Type.Integer({ minimum: 0 }),
    passed: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
)
export type RuleHits = Static<typeof RuleHitsSchema>

/** One card of the board: the policy and what the board shows about it. */
export const PolicySummarySchema = Type.Object(
  {
    kind: PolicyKindSchema,
    /** Absent for global kinds. */
    namespace: Type.Optional(Type.String()),
    name: Type.String(),
    tier: Type.String(),
    /** `spec.order`; null when unset (sorts last in its tier). KNPs and SKNPs report 1000. */
    order: Type.Union([Type.Number(), Type.Null()]),
    isStaged: Type.Boolean(),
    /** Staged kinds only: `Set` (default), `Delete`, `Learn`, `Ignore`. */
    stagedAction: Type.Optional(Type.String()),
    /** Number of inventory endpoints (workloads and host endpoints) the policy applies to now. */
    endpointCount: Type.Integer({ minimum: 0 }),
    /** Hits over the window: enforced hits for enforced kinds, pending hits for staged kinds. */
    hits: HitCountsSchema,
    /** Per-rule hits over the window (only rules with at least one hit). */
    ruleHits: Type.Array(RuleHitsSchema),
    resourceVersion: ResourceVersionSchema,
    /** The stored resource itself. */
    resource: ResourceSchema,
  },
  { additionalProperties: false },
)
export type PolicySummary = Static<typeof PolicySummarySchema>

/** The hit-count window of a response, in UNIX seconds. */
export const WindowSchema = Type.Object(
  { from: Type.Integer(), to: Type.Integer() },
  { additionalProperties: false },
)

/** One item of the policy list: a card's summary, with the resource only when asked (`full`). */
const PolicyListItemSchema = Type.Object(
  { ...PolicySummarySchema.properties, resource: Type.Optional(ResourceSchema) },
  { additionalProperties: false },
)

/**
 * `GET /api/v1/policies`: policies in board order (tier order, then policy order, then name),
 * as summaries; `?full=true` adds each stored resource.
 */
export const PolicyListResponseSchema = Type.Object(
  {
    items: Type.Array(PolicyListItemSchema),
    window: WindowSchema,
    revision: ResourceVersionSchema,
  },
  { additionalProperties: false },
)
export type PolicyListResponse = Static<typeof PolicyListResponseSchema>

/** One column of the board. */
export const BoardTierSchema = Type.Object(
  {
    name: Type.String(),
    /** `spec.order`; null = after every tier with an order. */
    order: Type.Union([Type.Number(), Type.Null()]),
    defaultAction: Type.Union([Type.Literal('Deny'), Type.Literal('Pass')]),
    /** `default`, `kube-admin`, `kube-baseline`: cannot be deleted. */
    isBuiltin: Type.Boolean(),
    resourceVersion: ResourceVersionSchema,
    /** Policies of the tier in evaluation order. */
    policies: Type.Array(PolicySummarySchema),
  },
  { additionalProperties: false },
)
export type BoardTier = Static<typeof BoardTierSchema>

/** `GET /api/v1/board` query: same filters as the policy list, without `tier`. */
export const BoardQuerySchema = Type.Object(
  {
    namespace: Type.Optional(Type.String()),
    staged: Type.Optional(StagedFilterSchema),
    window: Type.Optional(DurationSchema),
  },
  { additionalProperties: false },
)
export type BoardQuery = Static<typeof BoardQuerySchema>

/** `GET /api/v1/board`: tiers in evaluation order, each with its policies in evaluation order. */
export const BoardResponseSchema = Type.Object(
  {
    tiers: Type.Array(BoardTierSchema),
    window: WindowSchema,
    revision: ResourceVersionSchema,
  },
  { additionalProperties: false },
)
export type BoardResponse = Static<typeof BoardResponseSchema>

/** A reference to one policy. */
export const PolicyRefSchema = Type.Object(
  {
    kind: PolicyKindSchema,
    namespace: Type.Optional(Type.String()),
    name: Type.String(),
  },
  { additionalProperties: false },
)
export type PolicyRef = Static<typeof PolicyRefSchema>

/**
 * `POST /api/v1/policies/reorder`: move a policy to `tier`, between `after` (the policy
 * that should precede it, or null for the top) and `before` (the one that should follow, or
 * null for the bottom). Neighbours keep their orders when a value fits between them;
 * otherwise the tier's orders are respaced. All in one transaction.
 */
export const ReorderRequestSchema = Type.Object(
  {
    policy: PolicyRefSchema,
    /** The moved policy's version as the client saw it (409 when stale). */
    resourceVersion: Type.Optional(ResourceVersionSchema),
    /** Target tier (the policy's own when omitted). KNPs and SKNPs cannot move. */
    tier: Type.Optional(Type.String()),
    after: Type.Union([PolicyRefSchema, Type.Null()]),
    before: Type.Union([PolicyRefSchema, Type.Null()]),
  },
  { additionalProperties: false },
)
export type ReorderRequest = Static<typeof ReorderRequestSchema>

/** Each policy whose `order` or `tier` changed, with its new version. */
export const ReorderResponseSchema = Type.Object(
  {
    changed: Type.Array(
      Type.Object(
        {
          kind: ResourceKindSchema,
          namespace: Type.Optional(Type.String()),
          name: Type.String(),
          tier: Type.String(),
          order: Type.Number(),
          resourceVersion: ResourceVersionSchema,
        },
        { additionalProperties: false },
      ),
    ),
    revision: ResourceVersionSchema,
  },
  { additionalProperties: false },
)
export type ReorderResponse = Static<typeof ReorderResponseSchema>
