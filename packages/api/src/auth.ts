import { type Static, Type } from 'typebox'

/**
 * Authentication and authorization: users, API tokens, sessions, role bindings, the caller's
 * permissions, and the audit log. Roles follow Calico's tiered RBAC: acting on a policy needs
 * rights on its tier and on its kind; Kubernetes policies sit in the `default` tier.
 */

/** `viewer` reads, `editor` writes policies in its tiers (and namespaces), `admin` does everything. */
export const RoleNameSchema = Type.Union([
  Type.Literal('viewer'),
  Type.Literal('editor'),
  Type.Literal('admin'),
])
export type RoleName = Static<typeof RoleNameSchema>

/** One grant of a role. Bindings add up. */
export const RoleBindingSchema = Type.Object(
  {
    role: RoleNameSchema,
    /** Tiers the role covers; absent means every tier (ignored for `admin`). */
    tiers: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 1000 })),
    /** Namespaces an editor may write in; absent means every namespace and global policies. */
    namespaces: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 1000 })),
  },
  { additionalProperties: false },
)
export type RoleBinding = Static<typeof RoleBindingSchema>

/** What the caller may do in one tier. */
export const TierPermissionSchema = Type.Object(
  {
    tier: Type.String(),
    /** May see the tier and its policies. */
    read: Type.Boolean(),
    /** May create, update and delete policies and staged policies in it (see `namespaces`). */
    write: Type.Boolean(),
    /** When writing is limited to namespaces: those namespaces (no global policies). */
    namespaces: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
)
export type TierPermission = Static<typeof TierPermissionSchema>

/** `GET /api/v1/me`: the caller, its roles and its permissions per tier. */
export const MeSchema = Type.Object(
  {
    user: Type.Object(
      { name: Type.String(), admin: Type.Boolean() },
      { additionalProperties: false },
    ),
    /** `session` (the web app's cookie) or `token` (Authorization: Bearer). */
    via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
    roles: Type.Array(RoleBindingSchema),
    tiers: Type.Array(TierPermissionSchema),
    /** The double-submit CSRF token of a cookie session (send it as `x-policyboard-csrf`). */
    csrfToken: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type Me = Static<typeof MeSchema>

/** `POST /api/v1/auth/login`: a username and password, or an API token. */
export const LoginRequestSchema = Type.Union([
  Type.Object(
    {
      username: Type.String({ minLength: 1, maxLength: 200 }),
      password: Type.String({ minLength: 1, maxLength: 1000 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { token: Type.String({ minLength: 1, maxLength: 1000 }) },
    { additionalProperties: false },
  ),
])
export type LoginRequest = Static<typeof LoginRequestSchema>

/** An API token as listed (never the secret). */
export const TokenInfoSchema = Type.Object(
  {
    id: Type.Integer(),
    user: Type.String(),
    name: Type.String(),
    createdAt: Type.String(),
    lastUsedAt: Type.Optional(Type.String()),
    expiresAt: Type.Optional(Type.String()),
    revokedAt: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type TokenInfo = Static<typeof TokenInfoSchema>

/** `POST /api/v1/tokens`: a token for the caller (admins may name another user). */
export const TokenCreateSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    /** Another user (admin only). */
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** Lifetime in days; absent: no expiry. */
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
)
export type TokenCreate = Static<typeof TokenCreateSchema>

/** The created token: `token` is shown once and stored only as a hash. */
export const TokenCreatedSchema = Type.Object(
  { info: TokenInfoSchema, token: Type.String() },
  { additionalProperties: false },
)
export type TokenCreated = Static<typeof TokenCreatedSchema>

/** `:id` of a token. */
export const TokenParamsSchema = Type.Object(
  { id: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
)

/** A user as listed (never the password hash). */
export const UserSchema = Type.Object(
  {
    name: Type.String(),
    roles: Type.Array(RoleBindingSchema),
    hasPassword: Type.Boolean(),
    disabled: Type.Boolean(),
    createdAt: Type.String(),
  },
  { additionalProperties: false },
)
export type User = Static<typeof UserSchema>

/** A user's name: lowercase letters, digits, `.`, `_`, `@` and `-`. */
export const UserNameSchema = Type.String({ pattern: '^[a-z0-9][a-z0-9._@-]{0,99}$' })

/** `PUT /api/v1/users/:name`: create or replace a user. */
export const UserPutSchema = Type.Object(
  {
    roles: Type.Array(RoleBindingSchema, { maxItems: 100 }),
    /** At least 12 characters; absent keeps the current one (or none). */
    password: Type.Optional(Type.String({ minLength: 12, maxLength: 1000 })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type UserPut = Static<typeof UserPutSchema>

/** `:name` of a user. */
export const UserParamsSchema = Type.Object(
  { name: UserNameSchema },
  { additionalProperties: false },
)

/** One audit event: a login, a logout, a refusal, a token or user change. */
export const AuditEventSchema = Type.Object(
  {
    id: Type.Integer(),
    at: Type.String(),
    /** The user, or `anonymous`. */
    actor: Type.String(),
    /** `login`, `logout`, `authn`, `authz`, `csrf`, `token.create`, `token.revoke`, `user.put`, `user.delete`. */
    event: Type.String(),
    /** `success` or `failure`. */
    outcome: Type.String(),
    method: Type.Optional(Type.String()),
    url: Type.Optional(Type.String()),
    ip: Type.Optional(Type.String()),
    /** What happened, in words (never a secret). */
    detail: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type AuditEvent = Static<typeof AuditEventSchema>

/** `GET /api/v1/audit`: filters, newest first. */
export const AuditQuerySchema = Type.Object(
  {
    event: Type.Optional(Type.String()),
    outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure')])),
    actor: Type.Optional(Type.String()),
    beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('yaml')])),
  },
  { additionalProperties: false },
)
export type AuditQuery = Static<typeof AuditQuerySchema>

/** A page of audit events. */
export const AuditListSchema = Type.Object(
  { items: Type.Array(AuditEventSchema), next: Type.Optional(Type.Integer()) },
  { additionalProperties: false },
)
export type AuditList = Static<typeof AuditListSchema>
