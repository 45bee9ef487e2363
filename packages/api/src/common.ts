import { type Static, Type } from 'typebox'

/** One problem of a request: a stable code, a lowercase message and where it sits. */
export const ErrorItemSchema = Type.Object(
  {
    /** Stable SCREAMING_SNAKE code (policy-core's catalogue, or `FST_ERR_VALIDATION`-like codes). */
    code: Type.String(),
    /** Lowercase; says what was expected. */
    message: Type.String(),
    /** Field path inside the document (`spec.ingress[0].action`), or '' for a whole document. */
    path: Type.String(),
    /** 0-based index of the document in a multi-document input. */
    document: Type.Optional(Type.Integer()),
    /** `Kind namespace/name` of the resource, when it could be read. */
    resource: Type.Optional(Type.String()),
    /** Character range inside a selector or YAML text, `end` exclusive. */
    range: Type.Optional(Type.Object({ start: Type.Integer(), end: Type.Integer() })),
  },
  { additionalProperties: false },
)
export type ErrorItem = Static<typeof ErrorItemSchema>

/**
 * Every 4xx/5xx body. A 5xx body says only `Internal Server Error`. A 409 on a stale write
 * carries the resource's `currentResourceVersion`.
 */
export const ErrorBodySchema = Type.Object(
  {
    /** HTTP status, repeated for clients that only see the body. */
    statusCode: Type.Integer(),
    /** Stable code: `VALIDATION`, `NOT_FOUND`, `CONFLICT`, `TIER_NOT_EMPTY`, … */
    code: Type.String(),
    message: Type.String(),
    /** Every problem found (validation errors list them all). */
    errors: Type.Optional(Type.Array(ErrorItemSchema)),
    /** On a stale write (409): the version currently stored; absent when the resource is gone. */
    currentResourceVersion: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type ErrorBody = Static<typeof ErrorBodySchema>

/** Stable error codes of the HTTP layer (besides policy-core's, which appear in `errors[]`). */
export const ApiErrorCodes = {
  VALIDATION: 'VALIDATION',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  TIER_NOT_EMPTY: 'TIER_NOT_EMPTY',
  TIER_PROTECTED: 'TIER_PROTECTED',
  TIER_NOT_FOUND: 'TIER_NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  INTERNAL: 'INTERNAL',
  /** No valid credentials (no token, unknown or revoked token, expired session). */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** Authenticated, but not allowed (Calico-style message naming the verb, kind, tier and namespace). */
  FORBIDDEN: 'FORBIDDEN',
  /** A cookie request that changes state without the matching `x-policyboard-csrf` header. */
  CSRF: 'CSRF',
  /** Too many requests or login attempts. */
  RATE_LIMITED: 'RATE_LIMITED',
} as const
export type ApiErrorCode = (typeof ApiErrorCodes)[keyof typeof ApiErrorCodes]

/**
 * A stored resource's version: the store's global revision counter at its last write, as a
 * decimal string (opaque to clients; compare for equality only).
 */
export const ResourceVersionSchema = Type.String({ pattern: '^[0-9]+$' })

/** A Kubernetes-style object name (lowercase DNS-1123 subdomain characters). */
export const NameSchema = Type.String({ minLength: 1, maxLength: 253 })

/** `:name` path parameters. */
export const NameParamsSchema = Type.Object({ name: NameSchema }, { additionalProperties: false })
export type NameParams = Static<typeof NameParamsSchema>

/** `:namespace/:name` path parameters. */
export const NamespacedNameParamsSchema = Type.Object(
  { namespace: NameSchema, name: NameSchema },
  { additionalProperties: false },
)
export type NamespacedNameParams = Static<typeof NamespacedNameParamsSchema>

/** `:namespace` path parameter. */
export const NamespaceParamsSchema = Type.Object(
  { namespace: NameSchema },
  { additionalProperties: false },
)
export type NamespaceParams = Static<typeof NamespaceParamsSchema>

/** `?staged=`: include staged kinds (default), only them, or exclude them. */
export const StagedFilterSchema = Type.Union([
  Type.Literal('include'),
  Type.Literal('only'),
  Type.Literal('exclude'),
])
export type StagedFilter = Static<typeof StagedFilterSchema>

/** A duration such as `15m`, `24h`, `7d` (units s, m, h, d). */
export const DurationSchema = Type.String({ pattern: '^[0-9]+[smhd]$' })

/** Health probe body. */
export const HealthSchema = Type.Object({ status: Type.String() }, { additionalProperties: false })
export type Health = Static<typeof HealthSchema>
