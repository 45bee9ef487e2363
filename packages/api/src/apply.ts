import { type Static, Type } from 'typebox'
import { ResourceVersionSchema } from './common.ts'
import { ResourceKindSchema } from './resources.ts'

/** `POST /api/v1/apply?dryRun=true`: compute the changes without writing. */
export const ApplyQuerySchema = Type.Object(
  { dryRun: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)
export type ApplyQuery = Static<typeof ApplyQuerySchema>

/** JSON form of an apply body (the alternative is the YAML itself with `content-type: text/yaml`). */
export const ApplyJsonBodySchema = Type.Object(
  {
    /** Multi-document YAML, or one `List` document. */
    yaml: Type.String(),
  },
  { additionalProperties: false },
)
export type ApplyJsonBody = Static<typeof ApplyJsonBodySchema>

/** One changed field: its path (`spec.ingress[0].action`) and values before and after (absent = unset). */
export const FieldChangeSchema = Type.Object(
  {
    path: Type.String(),
    before: Type.Optional(Type.Unknown()),
    after: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
)
export type FieldChange = Static<typeof FieldChangeSchema>

/** What applying one document did (or would do, on a dry run). */
export const ApplyResultSchema = Type.Object(
  {
    kind: ResourceKindSchema,
    /** Absent for cluster-scoped kinds. */
    namespace: Type.Optional(Type.String()),
    name: Type.String(),
    action: Type.Union([
      Type.Literal('created'),
      Type.Literal('changed'),
      Type.Literal('unchanged'),
    ]),
    /** Field differences with the stored resource (every field for `created`, none for `unchanged`). */
    diff: Type.Array(FieldChangeSchema),
    /** The version after the write (the current one on a dry run or when unchanged; absent when created on a dry run). */
    resourceVersion: Type.Optional(ResourceVersionSchema),
  },
  { additionalProperties: false },
)
export type ApplyResult = Static<typeof ApplyResultSchema>

/** Result of an apply: one entry per document, in input order. All or nothing. */
export const ApplyResponseSchema = Type.Object(
  {
    dryRun: Type.Boolean(),
    results: Type.Array(ApplyResultSchema),
    /** The store's revision counter after the apply. */
    revision: ResourceVersionSchema,
  },
  { additionalProperties: false },
)
export type ApplyResponse = Static<typeof ApplyResponseSchema>
