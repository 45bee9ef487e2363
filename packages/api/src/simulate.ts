import { type Static, Type } from 'typebox'

/**
 * `POST /api/v1/simulate`: a scenario document (spec/scenario.md) as JSON. The envelope is
 * checked here; the evaluator's `readScenario` validates the rest with field paths.
 */
export const SimulateRequestSchema = Type.Object(
  {
    namespaces: Type.Optional(Type.Array(Type.Unknown())),
    serviceAccounts: Type.Optional(Type.Array(Type.Unknown())),
    endpoints: Type.Optional(Type.Array(Type.Unknown())),
    resources: Type.Optional(Type.Union([Type.String(), Type.Array(Type.Unknown())])),
    flows: Type.Array(Type.Unknown()),
  },
  { additionalProperties: false },
)
export type SimulateRequest = Static<typeof SimulateRequestSchema>

/** The scenario output: one entry per flow with `enforced` and `staged` verdicts and traces. */
export const SimulateResponseSchema = Type.Object(
  { flows: Type.Array(Type.Record(Type.String(), Type.Unknown())) },
  { additionalProperties: false },
)
export type SimulateResponse = Static<typeof SimulateResponseSchema>
