import { type Static, Type } from 'typebox'
import { ErrorItemSchema } from './common.ts'

/** `POST /api/v1/flowlogs?batch=`: the client's batch id makes a retry idempotent. */
export const FlowLogIngestQuerySchema = Type.Object(
  { batch: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
)
export type FlowLogIngestQuery = Static<typeof FlowLogIngestQuerySchema>

/** A record that was refused: its 1-based line (JSON lines) or 1-based array position. */
export const RejectedRecordSchema = Type.Object(
  { line: Type.Integer({ minimum: 1 }), errors: Type.Array(ErrorItemSchema) },
  { additionalProperties: false },
)
export type RejectedRecord = Static<typeof RejectedRecordSchema>

/**
 * Result of an ingest. A complete batch id is reported as `duplicate` and nothing is inserted;
 * a batch resumed after a failed stream reports its totals over every attempt in `accepted`
 * and `rejectedCount`, and lists in `rejected` only the records refused by this request.
 */
export const FlowLogIngestResponseSchema = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0 }),
    /** At most the first 1,000 rejected records are listed. */
    rejected: Type.Array(RejectedRecordSchema),
    /** Total number of rejected records. */
    rejectedCount: Type.Integer({ minimum: 0 }),
    duplicate: Type.Boolean(),
    batch: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type FlowLogIngestResponse = Static<typeof FlowLogIngestResponseSchema>

/** A stored Calico flow-log record (policy-core's `FlowLogRecord`) plus its store id. */
export const StoredFlowLogSchema = Type.Object(
  { id: Type.Integer(), record: Type.Record(Type.String(), Type.Unknown()) },
  { additionalProperties: false },
)
export type StoredFlowLog = Static<typeof StoredFlowLogSchema>

/** Filters shared by the flow-log query, aggregations and verdicts. Times are UNIX seconds. */
export const FlowLogFilterProperties = {
  /** Records whose window ends at or after this time. */
  from: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Records whose window starts before this time. */
  to: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Source or destination namespace. */
  namespace: Type.Optional(Type.String()),
  /** Source or destination name or aggregated name. */
  name: Type.Optional(Type.String()),
  /** `key=value` labels (comma-separated) that the source or destination carries. */
  labels: Type.Optional(Type.String()),
  action: Type.Optional(Type.Union([Type.Literal('allow'), Type.Literal('deny')])),
  reporter: Type.Optional(Type.Union([Type.Literal('src'), Type.Literal('dst')])),
  /** A policy hit's policy part as written in the record, e.g. `shop/default.allow-web` or `np:shop/allow-web`. */
  policy: Type.Optional(Type.String()),
  port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  /** Lowercase protocol as in the records: `tcp`, `udp`, … */
  protocol: Type.Optional(Type.String()),
}

/** `GET /api/v1/flowlogs`: newest first, keyset paging with `cursor` (the previous page's `next`). */
export const FlowLogQuerySchema = Type.Object(
  {
    ...FlowLogFilterProperties,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    cursor: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)
export type FlowLogQuery = Static<typeof FlowLogQuerySchema>

/** A page of records; pass `next` as `cursor` for the following page. */
export const FlowLogPageSchema = Type.Object(
  { items: Type.Array(StoredFlowLogSchema), next: Type.Optional(Type.Integer()) },
  { additionalProperties: false },
)
export type FlowLogPage = Static<typeof FlowLogPageSchema>

/** One side of an aggregated flow. */
export const FlowPeerSchema = Type.Object(
  {
    type: Type.String(),
    namespace: Type.String(),
    /** Aggregated name (`nginx-86c57db685-*`, `pub`, set name). */
    name: Type.String(),
  },
  { additionalProperties: false },
)
export type FlowPeer = Static<typeof FlowPeerSchema>

/** `GET /api/v1/flowlogs/aggregate?by=tuple|time`. */
export const FlowAggregateQuerySchema = Type.Object(
  {
    ...FlowLogFilterProperties,
    by: Type.Union([Type.Literal('tuple'), Type.Literal('time')]),
    /** Bucket width for `by=time`, e.g. `5m`, `1h` (default `1h`). */
    bucket: Type.Optional(Type.String({ pattern: '^[0-9]+[smhd]$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  },
  { additionalProperties: false },
)
export type FlowAggregateQuery = Static<typeof FlowAggregateQuerySchema>

/** Flows of one (source, destination, protocol, port), counted by action (records weighted by `num_flows`). */
export const FlowTupleAggregateSchema = Type.Object(
  {
    source: FlowPeerSchema,
    destination: FlowPeerSchema,
    proto: Type.String(),
    port: Type.Union([Type.Integer(), Type.Null()]),
    allowed: Type.Integer(),
    denied: Type.Integer(),
    records: Type.Integer(),
  },
  { additionalProperties: false },
)
export type FlowTupleAggregate = Static<typeof FlowTupleAggregateSchema>

/** Flows of one time bucket (`start` in UNIX seconds). */
export const FlowTimeBucketSchema = Type.Object(
  {
    start: Type.Integer(),
    allowed: Type.Integer(),
    denied: Type.Integer(),
    records: Type.Integer(),
  },
  { additionalProperties: false },
)
export type FlowTimeBucket = Static<typeof FlowTimeBucketSchema>

/** The aggregation asked for: `tuples` for `by=tuple`, `buckets` for `by=time`. */
export const FlowAggregateResponseSchema = Type.Object(
  {
    tuples: Type.Optional(Type.Array(FlowTupleAggregateSchema)),
    buckets: Type.Optional(Type.Array(FlowTimeBucketSchema)),
  },
  { additionalProperties: false },
)
export type FlowAggregateResponse = Static<typeof FlowAggregateResponseSchema>
