import type { LabelRules } from '@policyboard/policy-core'
import { type Static, Type } from 'typebox'
import { DurationSchema } from './common.ts'
import { PolicyKindSchema } from './policies.ts'
import { ResourceSchema } from './resources.ts'

/** A finding's severity: `error`, `warning` or `info`. */
export const LintSeveritySchema = Type.Union([
  Type.Literal('error'),
  Type.Literal('warning'),
  Type.Literal('info'),
])
export type LintSeverityName = Static<typeof LintSeveritySchema>

/** Which findings a lint response holds: policy checks, label governance, or both. */
export const LintKindSchema = Type.Union([Type.Literal('policy'), Type.Literal('label')])
export type LintKind = Static<typeof LintKindSchema>

/** `GET /api/v1/lint` filters. */
export const LintQuerySchema = Type.Object(
  {
    /** Hit-count window ending now for `UNUSED_POLICY`, e.g. `24h` (default). */
    window: Type.Optional(DurationSchema),
    /** Least serious severity kept (`info`, the default, keeps everything). */
    severity: Type.Optional(LintSeveritySchema),
    /** `policy` (policy checks) or `label` (label governance); absent: both. */
    kind: Type.Optional(LintKindSchema),
    /** Only findings about policies of this tier (label findings have no tier). */
    tier: Type.Optional(Type.String()),
    /** Only findings about resources of this namespace. */
    namespace: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type LintQuery = Static<typeof LintQuerySchema>

/** The policy a finding is about, named as the board names it (bare name). */
export const LintPolicyRefSchema = Type.Object(
  {
    kind: PolicyKindSchema,
    /** Absent for global kinds. */
    namespace: Type.Optional(Type.String()),
    /** Bare name (without a legacy `tier.` prefix). */
    name: Type.String(),
    tier: Type.String(),
  },
  { additionalProperties: false },
)
export type LintPolicyRef = Static<typeof LintPolicyRefSchema>

/** One finding, as policy-core reports it, with what the server knows about its resource. */
export const LintFindingItemSchema = Type.Object(
  {
    /** Stable SCREAMING_SNAKE code of the check (`SHADOWED_RULE`, `MISSING_REQUIRED_LABEL`, …). */
    code: Type.String(),
    severity: LintSeveritySchema,
    /** Lowercase sentence saying what is wrong. */
    message: Type.String(),
    /** `Kind ns/name` or `Kind name` of the resource concerned. */
    resource: Type.String(),
    /** Field path inside the resource (`spec.ingress[2].source.selector`); `''` for the whole resource. */
    path: Type.String(),
    /** One-line suggested fix. */
    fix: Type.String(),
    /** `policy` for policy checks, `label` for label governance. */
    kind: LintKindSchema,
    /** The policy concerned, when the resource is a policy (links and board badges use it). */
    policy: Type.Optional(LintPolicyRefSchema),
    /** The tier concerned: a policy's tier, or the tier itself for tier findings. */
    tier: Type.Optional(Type.String()),
    /** The namespace of the resource, when namespaced. */
    namespace: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type LintFindingItem = Static<typeof LintFindingItemSchema>

/** Finding counts by severity. */
export const LintCountsSchema = Type.Object(
  {
    error: Type.Integer({ minimum: 0 }),
    warning: Type.Integer({ minimum: 0 }),
    info: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
)
export type LintCounts = Static<typeof LintCountsSchema>

/** `GET /api/v1/lint`: findings sorted by resource, then path, then severity. */
export const LintResponseSchema = Type.Object(
  {
    findings: Type.Array(LintFindingItemSchema),
    /** Counts of the returned findings by severity. */
    counts: LintCountsSchema,
    /** Hit-count window actually used (widened to whole hours), Unix seconds. */
    window: Type.Object({ from: Type.Integer(), to: Type.Integer() }),
    /** Store revision the findings were computed at. */
    revision: Type.String(),
  },
  { additionalProperties: false },
)
export type LintResponse = Static<typeof LintResponseSchema>

/** `POST /api/v1/lint`: a draft policy linted against the stored set. */
export const LintDraftRequestSchema = Type.Object(
  {
    /** The draft; it replaces the stored policy of the same kind, namespace and name, if any. */
    policy: ResourceSchema,
    /** Hit-count window for `UNUSED_POLICY` (default 24h). */
    window: Type.Optional(DurationSchema),
  },
  { additionalProperties: false },
)
export type LintDraftRequest = Static<typeof LintDraftRequestSchema>

/** Findings about the draft itself. */
export const LintDraftResponseSchema = Type.Object(
  {
    findings: Type.Array(LintFindingItemSchema),
    counts: LintCountsSchema,
  },
  { additionalProperties: false },
)
export type LintDraftResponse = Static<typeof LintDraftResponseSchema>

/** The stored label rules: the parsed rules and the text they were saved as. */
export const LabelRulesResponseSchema = Type.Unsafe<{ rules: LabelRules; text: string }>(
  Type.Object(
    {
      /** Parsed rules (`{}` when none are stored). */
      rules: Type.Object({}, { additionalProperties: true }),
      /** The YAML or JSON text as saved (`''` when none). */
      text: Type.String(),
    },
    { additionalProperties: false },
  ),
)
export type LabelRulesResponse = Static<typeof LabelRulesResponseSchema>

/** `PUT /api/v1/lint/label-rules`: the rules as YAML or JSON text, validated by the server. */
export const LabelRulesPutSchema = Type.Object(
  {
    /** YAML or JSON of `LabelRules`; `''` clears them. */
    text: Type.String({ maxLength: 262144 }),
  },
  { additionalProperties: false },
)
export type LabelRulesPut = Static<typeof LabelRulesPutSchema>
