import { type Static, Type } from 'typebox'
import { ResourceVersionSchema } from './common.ts'
import { FlowPeerSchema } from './flowlogs.ts'

/** `GET /api/v1/verdicts`: judge stored flows (aggregated by tuple) under both views. */
export const VerdictQuerySchema = Type.Object(
  {
    from: Type.Optional(Type.Integer({ minimum: 0 })),
    to: Type.Optional(Type.Integer({ minimum: 0 })),
    namespace: Type.Optional(Type.String()),
    /** Only tuples whose verdict differs between the views. */
    changedOnly: Type.Optional(Type.Boolean()),
    /** Most tuples listed (counts always cover all). Default 500. */
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  },
  { additionalProperties: false },
)
export type VerdictQuery = Static<typeof VerdictQuerySchema>

/**
 * `POST /api/v1/verdicts`: the same, with proposed resources (multi-document YAML) laid over
 * the staged view as if applied: the impact preview of an unsaved edit.
 */
export const VerdictRequestSchema = Type.Object(
  {
    ...VerdictQuerySchema.properties,
    yaml: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type VerdictRequest = Static<typeof VerdictRequestSchema>

/** A verdict: `Allow`, `Deny`, or `Unknown` when the flow's endpoints could not be resolved. */
export const VerdictSchema = Type.Union([
  Type.Literal('Allow'),
  Type.Literal('Deny'),
  Type.Literal('Unknown'),
])

/** One stored tuple and its verdicts. */
export const VerdictTupleSchema = Type.Object(
  {
    source: FlowPeerSchema,
    destination: FlowPeerSchema,
    proto: Type.String(),
    port: Type.Union([Type.Integer(), Type.Null()]),
    /** Flows (records weighted by `num_flows`) of the tuple in the window. */
    count: Type.Integer(),
    enforced: VerdictSchema,
    staged: VerdictSchema,
  },
  { additionalProperties: false },
)
export type VerdictTuple = Static<typeof VerdictTupleSchema>

/** Counts grouped by change, and the tuples. */
export const VerdictResponseSchema = Type.Object(
  {
    summary: Type.Object(
      {
        tuples: Type.Integer(),
        flows: Type.Integer(),
        /** Flows allowed now and denied under the staged view. */
        allowedToDenied: Type.Integer(),
        /** Flows denied now and allowed under the staged view. */
        deniedToAllowed: Type.Integer(),
        unchanged: Type.Integer(),
        /** Flows whose endpoints could not be resolved to the inventory. */
        unknown: Type.Integer(),
      },
      { additionalProperties: false },
    ),
    items: Type.Array(VerdictTupleSchema),
    revision: ResourceVersionSchema,
  },
  { additionalProperties: false },
)
export type VerdictResponse = Static<typeof VerdictResponseSchema>
