import { type Static, Type } from 'typebox'
import { StagedFilterSchema } from './common.ts'
import { ResourceKindSchema } from './resources.ts'

/**
 * `GET /api/v1/export`: YAML of one policy (`kind`+`namespace`+`name`), a tier, a namespace,
 * or the whole board, with no server-only fields, ready for `kubectl apply`.
 */
export const ExportQuerySchema = Type.Object(
  {
    tier: Type.Optional(Type.String()),
    namespace: Type.Optional(Type.String()),
    kind: Type.Optional(ResourceKindSchema),
    name: Type.Optional(Type.String()),
    staged: Type.Optional(StagedFilterSchema),
    /** `v3.32` (default): bare policy names; `legacy`: tier-prefixed policy names. */
    naming: Type.Optional(Type.Union([Type.Literal('legacy'), Type.Literal('v3.32')])),
  },
  { additionalProperties: false },
)
export type ExportQuery = Static<typeof ExportQuerySchema>
