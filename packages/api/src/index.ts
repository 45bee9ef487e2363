// The HTTP contract of Policyboard: every request and response shape, as TypeBox schemas
// beside their static types. Server, web and CLI import from here and never redeclare a shape.

export type { ApplyJsonBody, ApplyQuery, ApplyResponse, ApplyResult, FieldChange } from './apply.ts'
export {
  ApplyJsonBodySchema,
  ApplyQuerySchema,
  ApplyResponseSchema,
  ApplyResultSchema,
  FieldChangeSchema,
} from './apply.ts'
export type {
  AuditEvent,
  AuditList,
  AuditQuery,
  LoginRequest,
  Me,
  RoleBinding,
  RoleName,
  TierPermission,
  TokenCreate,
  TokenCreated,
  TokenInfo,
  User,
  UserPut,
} from './auth.ts'
export {
  AuditEventSchema,
  AuditListSchema,
  AuditQuerySchema,
  LoginRequestSchema,
  MeSchema,
  RoleBindingSchema,
  RoleNameSchema,
  TierPermissionSchema,
  TokenCreatedSchema,
  TokenCreateSchema,
  TokenInfoSchema,
  TokenParamsSchema,
  UserNameSchema,
  UserParamsSchema,
  UserPutSchema,
  UserSchema,
} from './auth.ts'
export type {
  ApiErrorCode,
  ErrorBody,
  ErrorItem,
  Health,
  NameParams,
  NamespacedNameParams,
  NamespaceParams,
  StagedFilter,
} from './common.ts'
export {
  ApiErrorCodes,
  DurationSchema,
  ErrorBodySchema,
  ErrorItemSchema,
  HealthSchema,
  NameParamsSchema,
  NameSchema,
  NamespacedNameParamsSchema,
  NamespaceParamsSchema,
  ResourceVersionSchema,
  StagedFilterSchema,
} from './common.ts'
export type { ExportQuery } from './export.ts'
export { ExportQuerySchema } from './export.ts'
export type {
  FlowAggregateQuery,
  FlowAggregateResponse,
  FlowLogIngestQuery,
  FlowLogIngestResponse,
  FlowLogPage,
  FlowLogQuery,
  FlowPeer,
  FlowTimeBucket,
  FlowTupleAggregate,
  RejectedRecord,
  StoredFlowLog,
} from './flowlogs.ts'
export {
  FlowAggregateQuerySchema,
  FlowAggregateResponseSchema,
  FlowLogFilterProperties,
  FlowLogIngestQuerySchema,
  FlowLogIngestResponseSchema,
  FlowLogPageSchema,
  FlowLogQuerySchema,
  FlowPeerSchema,
  FlowTimeBucketSchema,
  FlowTupleAggregateSchema,
  RejectedRecordSchema,
  StoredFlowLogSchema,
} from './flowlogs.ts'
export type {
  AppliedPolicy,
  AppliedTier,
  DirectionPolicies,
  EndpointPoliciesParams,
  EndpointPoliciesResponse,
} from './graph.ts'
export {
  AppliedPolicySchema,
  AppliedTierSchema,
  DirectionPoliciesSchema,
  EndpointPoliciesParamsSchema,
  EndpointPoliciesResponseSchema,
} from './graph.ts'
export {
  type ExplainFlow,
  ExplainFlowSchema,
  type ExplainRequest,
  ExplainRequestSchema,
  type ExplainResponse,
  ExplainResponseSchema,
  type ExplainSide,
  ExplainSideSchema,
  type ImpactChange,
  ImpactChangeSchema,
  type ImpactCounts,
  ImpactCountsSchema,
  type ImpactGroup,
  ImpactGroupSchema,
  type ImpactRequest,
  ImpactRequestSchema,
  type ImpactResponse,
  ImpactResponseSchema,
  type ImpactWindow,
  ImpactWindowSchema,
  UncertainByReasonSchema,
  VerdictTraceSchema,
} from './impact.ts'
export type { Inventory, InventoryEndpointQuery, InventoryResponse } from './inventory.ts'
export {
  InventoryEndpointQuerySchema,
  InventoryEndpointSchema,
  InventoryEndpointsSchema,
  InventoryNamespaceSchema,
  InventoryNamespacesSchema,
  InventoryResponseSchema,
  InventorySchema,
  InventoryServiceAccountSchema,
  InventoryServiceAccountsSchema,
} from './inventory.ts'
export type {
  LabelRulesPut,
  LabelRulesResponse,
  LintCounts,
  LintDraftRequest,
  LintDraftResponse,
  LintFindingItem,
  LintKind,
  LintPolicyRef,
  LintQuery,
  LintResponse,
  LintSeverityName,
} from './lint.ts'
export {
  LabelRulesPutSchema,
  LabelRulesResponseSchema,
  LintCountsSchema,
  LintDraftRequestSchema,
  LintDraftResponseSchema,
  LintFindingItemSchema,
  LintKindSchema,
  LintPolicyRefSchema,
  LintQuerySchema,
  LintResponseSchema,
  LintSeveritySchema,
} from './lint.ts'
export type {
  BoardQuery,
  BoardResponse,
  BoardTier,
  HitCounts,
  PolicyKind,
  PolicyListQuery,
  PolicyListResponse,
  PolicyRef,
  PolicySummary,
  ReorderRequest,
  ReorderResponse,
  RuleHits,
} from './policies.ts'
export {
  BoardQuerySchema,
  BoardResponseSchema,
  BoardTierSchema,
  HitCountsSchema,
  PolicyKindSchema,
  PolicyListQuerySchema,
  PolicyListResponseSchema,
  PolicyRefSchema,
  PolicySummarySchema,
  ReorderRequestSchema,
  ReorderResponseSchema,
  RuleHitsSchema,
  WindowSchema,
} from './policies.ts'
export {
  type DefaultDenyAction,
  DefaultDenyActionSchema,
  DefaultDenyResultSchema,
  type DefaultDenyState,
  DefaultDenyStateSchema,
  type Recommendation,
  type RecommendationDecision,
  RecommendationDecisionSchema,
  type RecommendationList,
  RecommendationListSchema,
  type RecommendationParams,
  RecommendationParamsSchema,
  type RecommendationQuery,
  RecommendationQuerySchema,
  RecommendationSchema,
  type RecommendationSummary,
  RecommendationSummarySchema,
} from './recommendations.ts'
export type { DeleteQuery, DeleteResponse, ResourceList, ResourcePath } from './resources.ts'
export {
  DeleteQuerySchema,
  DeleteResponseSchema,
  RESOURCE_PATHS,
  ResourceKindSchema,
  ResourceListSchema,
  ResourceSchema,
  resourcePath,
} from './resources.ts'
export type {
  Revision,
  RevisionExportQuery,
  RevisionListQuery,
  RevisionListResponse,
  RevisionParams,
  RollbackResponse,
} from './revisions.ts'
export {
  RevisionExportQuerySchema,
  RevisionListQuerySchema,
  RevisionListResponseSchema,
  RevisionParamsSchema,
  RevisionSchema,
  RollbackResponseSchema,
} from './revisions.ts'
export type { SimulateRequest, SimulateResponse } from './simulate.ts'
export { SimulateRequestSchema, SimulateResponseSchema } from './simulate.ts'
export type { VerdictQuery, VerdictRequest, VerdictResponse, VerdictTuple } from './verdicts.ts'
export {
  VerdictQuerySchema,
  VerdictRequestSchema,
  VerdictResponseSchema,
  VerdictSchema,
  VerdictTupleSchema,
} from './verdicts.ts'
