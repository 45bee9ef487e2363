import { type Static, Type } from 'typebox'
import { ResourceVersionSchema } from './common.ts'
import { ResourceKindSchema, ResourceSchema } from './resources.ts'

/** One change of one resource. Rollbacks are revisions too. */
export const RevisionSchema = Type.Object(
  {
    /** Increasing id (also the store's revision counter after the change). */
    id: Type.Integer(),
    /** When, ISO 8601 UTC. */
    at: Type.String(),
    /** Who: the `x-policyboard-actor` header, `anonymous` when absent. */
    actor: Type.String(),
    kind: ResourceKindSchema,
    namespace: Type.Optional(Type.String()),
    name: Type.String(),
    /** Tier of the policy (before or after the change), for policies. */
    tier: Type.Optional(Type.String()),
    operation: Type.Union([Type.Literal('create'), Type.Literal('update'), Type.Literal('delete')]),
    /** Revision this one rolled back to, when it is a rollback. */
    rollbackOf: Type.Optional(Type.Integer()),
    /** The resource before the change (null when created). */
    before: Type.Union([ResourceSchema, Type.Null()]),
    /** The resource after the change (null when deleted). */
    after: Type.Union([ResourceSchema, Type.Null()]),
  },
  { additionalProperties: false },
)
export type Revision = Static<typeof RevisionSchema>

/** `GET /api/v1/revisions` filters (newest first, keyset paging on `id`). */
export const RevisionListQuerySchema = Type.Object(
  {
    kind: Type.Optional(ResourceKindSchema),
    namespace: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    tier: Type.Optional(Type.String()),
    actor: Type.Optional(Type.String()),
    /** ISO 8601 or UNIX seconds; inclusive. */
    since: Type.Optional(Type.String()),
    /** ISO 8601 or UNIX seconds; exclusive. */
    until: Type.Optional(Type.String()),
    /** Page size, default 100. */
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    /** Only revisions with a smaller id (the previous page's `next`). */
    beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)
export type RevisionListQuery = Static<typeof RevisionListQuerySchema>

/** A page of revisions; `next` is the `beforeId` of the following page. */
export const RevisionListResponseSchema = Type.Object(
  {
    items: Type.Array(RevisionSchema),
    next: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
)
export type RevisionListResponse = Static<typeof RevisionListResponseSchema>

/** `GET /api/v1/revisions/export`: the same filters plus the format (`json` default, or `yaml`). */
export const RevisionExportQuerySchema = Type.Object(
  {
    ...RevisionListQuerySchema.properties,
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('yaml')])),
  },
  { additionalProperties: false },
)
export type RevisionExportQuery = Static<typeof RevisionExportQuerySchema>

/** `:id` of a revision. */
export const RevisionParamsSchema = Type.Object(
  { id: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
)
export type RevisionParams = Static<typeof RevisionParamsSchema>

/** `POST /api/v1/revisions/:id/rollback`: restore the resource to its state after revision `id`. */
export const RollbackResponseSchema = Type.Object(
  {
    /** The new revision the rollback wrote. */
    revision: RevisionSchema,
    revisionCounter: ResourceVersionSchema,
  },
  { additionalProperties: false },
)
export type RollbackResponse = Static<typeof RollbackResponseSchema>
