import type { UncertainReason, Verdict } from '@policyboard/policy-core'
import { type Static, Type } from 'typebox'
import { DurationSchema, ResourceVersionSchema } from './common.ts'

/** What an impact preview compares with the enforced view. */
export const ImpactChangeSchema = Type.Union([
  /** Every staged policy enforced at once. */
  Type.Object({ type: Type.Literal('staged-all') }, { additionalProperties: false }),
  /** One stored staged policy enforced, the other staged policies left out. */
  Type.Object(
    {
      type: Type.Literal('staged'),
      kind: Type.String({ minLength: 1 }),
      namespace: Type.Optional(Type.String()),
      name: Type.String({ minLength: 1 }),
    },
    { additionalProperties: false },
  ),
  /**
   * Exactly these stored staged policies enforced together, every other staged policy left
   * out: a default deny previewed with the allow policies accepted to go with it.
   */
  Type.Object(
    {
      type: Type.Literal('staged-set'),
      policies: Type.Array(
        Type.Object(
          {
            kind: Type.String({ minLength: 1 }),
            namespace: Type.Optional(Type.String()),
            name: Type.String({ minLength: 1 }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 1000 },
      ),
    },
    { additionalProperties: false },
  ),
  /** An unsaved resource laid over the stored ones. */
  Type.Object(
    { type: Type.Literal('draft'), resource: Type.Record(Type.String(), Type.Unknown()) },
    { additionalProperties: false },
  ),
  /** The resource as it was after revision `id` of the history. */
  Type.Object(
    { type: Type.Literal('revision'), id: Type.Integer({ minimum: 1 }) },
    { additionalProperties: false },
  ),
])
export type ImpactChange = Static<typeof ImpactChangeSchema>

/** A time window: explicit UNIX seconds, or a duration ending now (`24h`). */
export const ImpactWindowSchema = Type.Union([
  Type.Object(
    { from: Type.Integer({ minimum: 0 }), to: Type.Integer({ minimum: 0 }) },
    { additionalProperties: false },
  ),
  DurationSchema,
])
export type ImpactWindow = Static<typeof ImpactWindowSchema>

/** `POST /api/v1/impact`. */
export const ImpactRequestSchema = Type.Object(
  {
    change: ImpactChangeSchema,
    /** Default `24h`. */
    window: Type.Optional(ImpactWindowSchema),
    /** Leave out groups where nothing changes and nothing is uncertain. */
    onlyChanged: Type.Optional(Type.Boolean()),
    /** Most groups listed (totals always cover all). Default 500. */
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    /** Also return the traces of this group's example flow (a group `id`). */
    traces: Type.Optional(Type.String()),
    /** Only flows with this namespace at either end. */
    namespace: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type ImpactRequest = Static<typeof ImpactRequestSchema>

/** Flows counted by how their verdict changes. */
export const ImpactCountsSchema = Type.Object(
  {
    allowedToDenied: Type.Integer(),
    deniedToAllowed: Type.Integer(),
    unchanged: Type.Integer(),
    /** Flows that cannot be judged exactly (see `uncertainReasons`). */
    uncertain: Type.Integer(),
  },
  { additionalProperties: false },
)
export type ImpactCounts = Static<typeof ImpactCountsSchema>

/** Uncertain flows by reason (`unknown-endpoint`, `address-dependent`, `members-differ`, …). */
export const UncertainByReasonSchema = Type.Unsafe<Partial<Record<UncertainReason, number>>>(
  Type.Record(Type.String(), Type.Integer()),
)

/** A verdict with its traces, as policy-core's evaluator returns it. */
export const VerdictTraceSchema = Type.Unsafe<Verdict>(Type.Record(Type.String(), Type.Unknown()))

/** A flow as the evaluator took it: sides are `{endpoint}` (`ns/name`) or `{ip}`. */
export const ExplainFlowSchema = Type.Object(
  {
    source: Type.Record(Type.String(), Type.String()),
    destination: Type.Record(Type.String(), Type.String()),
    protocol: Type.Union([Type.String(), Type.Integer()]),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  },
  { additionalProperties: false },
)
export type ExplainFlow = Static<typeof ExplainFlowSchema>

/** One group: source and destination workloads (aggregated), protocol and port. */
export const ImpactGroupSchema = Type.Object(
  {
    /** Stable id of the group, to ask for its traces. */
    id: Type.String(),
    sourceNamespace: Type.String(),
    sourceWorkload: Type.String(),
    sourceType: Type.String(),
    destinationNamespace: Type.String(),
    destinationWorkload: Type.String(),
    destinationType: Type.String(),
    protocol: Type.String(),
    port: Type.Union([Type.Integer(), Type.Null()]),
    counts: ImpactCountsSchema,
    change: Type.Union([
      Type.Literal('allowedToDenied'),
      Type.Literal('deniedToAllowed'),
      Type.Literal('unchanged'),
      Type.Literal('uncertain'),
    ]),
    uncertainReasons: UncertainByReasonSchema,
    /** Why flows of the group are uncertain, in words. */
    uncertainDetails: Type.Array(Type.String()),
    /** Verdict of the example flow now. */
    before: Type.Optional(Type.Union([Type.Literal('Allow'), Type.Literal('Deny')])),
    /** Verdict of the example flow after the change. */
    after: Type.Optional(Type.Union([Type.Literal('Allow'), Type.Literal('Deny')])),
    /** The example flow that was judged. */
    example: Type.Optional(ExplainFlowSchema),
    /** Traces of the example (only for the group named in `traces`). */
    traces: Type.Optional(
      Type.Object(
        { before: VerdictTraceSchema, after: VerdictTraceSchema },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)
export type ImpactGroup = Static<typeof ImpactGroupSchema>

/** The preview's answer. */
export const ImpactResponseSchema = Type.Object(
  {
    totals: Type.Object(
      {
        ...ImpactCountsSchema.properties,
        /** All flows of the window. */
        flows: Type.Integer(),
        uncertainByReason: UncertainByReasonSchema,
      },
      { additionalProperties: false },
    ),
    groups: Type.Array(ImpactGroupSchema),
    /** Groups before `limit`. */
    groupCount: Type.Integer(),
    /** Stored tuples read and distinct flows judged (the cost). */
    tuples: Type.Integer(),
    evaluations: Type.Integer(),
    /** The window used, UNIX seconds. */
    window: Type.Object(
      { from: Type.Integer(), to: Type.Integer() },
      { additionalProperties: false },
    ),
    /** The view the change is judged in (`staged` for staged policies, else `enforced`). */
    view: Type.String(),
    /** The store revision the preview was computed at. */
    revision: ResourceVersionSchema,
    /** Server time spent, ms. */
    elapsedMs: Type.Number(),
  },
  { additionalProperties: false },
)
export type ImpactResponse = Static<typeof ImpactResponseSchema>

/** A side to explain: an inventory endpoint (`ns/name` or host name) or an address. */
export const ExplainSideSchema = Type.Union([
  Type.Object({ endpoint: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  Type.Object({ ip: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
])
export type ExplainSide = Static<typeof ExplainSideSchema>

/**
 * `POST /api/v1/explain`: "can X reach Y?" — either a flow (`source`, `destination`,
 * `protocol`, `port`) or a stored flow-log `record`.
 */
export const ExplainRequestSchema = Type.Object(
  {
    source: Type.Optional(ExplainSideSchema),
    destination: Type.Optional(ExplainSideSchema),
    /** `TCP`, `UDP`, `SCTP`, `ICMP`, … or a protocol number. */
    protocol: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Integer()])),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    record: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
)
export type ExplainRequest = Static<typeof ExplainRequestSchema>

/** Both verdicts of one flow with their traces. */
export const ExplainResponseSchema = Type.Object(
  {
    flow: ExplainFlowSchema,
    enforced: VerdictTraceSchema,
    staged: VerdictTraceSchema,
    /** Set when a record stands for several endpoints (one was judged) or cannot be judged. */
    uncertain: Type.Optional(
      Type.Object(
        { reason: Type.String(), detail: Type.String() },
        { additionalProperties: false },
      ),
    ),
    /** Endpoints a record's aggregated side stands for, when more than one. */
    members: Type.Optional(Type.Array(Type.String())),
    revision: ResourceVersionSchema,
  },
  { additionalProperties: false },
)
export type ExplainResponse = Static<typeof ExplainResponseSchema>
