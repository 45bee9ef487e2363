import { type Static, Type } from 'typebox'
import { ResourceVersionSchema } from './common.ts'

/**
 * `GET /api/v1/endpoints/:namespace/:name/policies`: `name` is a pod name or a flow log's
 * aggregated name (`frontend-7d4b9c-*`); `namespace` is `-` for a host endpoint.
 */
export const EndpointPoliciesParamsSchema = Type.Object(
  {
    namespace: Type.String({ minLength: 1, maxLength: 253 }),
    name: Type.String({ minLength: 1, maxLength: 253 }),
  },
  { additionalProperties: false },
)
export type EndpointPoliciesParams = Static<typeof EndpointPoliciesParamsSchema>

/** A policy that applies to the endpoint, as the evaluator names it. */
export const AppliedPolicySchema = Type.Object(
  {
    kind: Type.String(),
    name: Type.String(),
    /** Absent for global kinds. */
    namespace: Type.Optional(Type.String()),
    tier: Type.String(),
    /** True for the staged kinds (pending view only; the staged view replaces their twins). */
    staged: Type.Boolean(),
  },
  { additionalProperties: false },
)
export type AppliedPolicy = Static<typeof AppliedPolicySchema>

/** One tier that applies in one direction, with its policies in evaluation order. */
export const AppliedTierSchema = Type.Object(
  {
    tier: Type.String(),
    /** What the tier does when none of its policies decides. */
    defaultAction: Type.Union([Type.Literal('Deny'), Type.Literal('Pass')]),
    policies: Type.Array(AppliedPolicySchema),
  },
  { additionalProperties: false },
)
export type AppliedTier = Static<typeof AppliedTierSchema>

/** The tiers applying per direction, in evaluation order. */
export const DirectionPoliciesSchema = Type.Object(
  { ingress: Type.Array(AppliedTierSchema), egress: Type.Array(AppliedTierSchema) },
  { additionalProperties: false },
)
export type DirectionPolicies = Static<typeof DirectionPoliciesSchema>

/** The endpoint (or the endpoints an aggregated name stands for) and its policies in both views. */
export const EndpointPoliciesResponseSchema = Type.Object(
  {
    namespace: Type.String(),
    name: Type.String(),
    /** Inventory endpoints the name stands for (`ns/name`, or a host endpoint's name). */
    members: Type.Array(Type.String()),
    /** Labels every member carries (the intersection), as written in the inventory. */
    labels: Type.Record(Type.String(), Type.String()),
    /** The member the policies were computed for (members with other labels may differ). */
    judged: Type.String(),
    enforced: DirectionPoliciesSchema,
    staged: DirectionPoliciesSchema,
    revision: ResourceVersionSchema,
  },
  { additionalProperties: false },
)
export type EndpointPoliciesResponse = Static<typeof EndpointPoliciesResponseSchema>
