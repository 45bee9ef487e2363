import type { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  FlowAggregateQuerySchema,
  FlowAggregateResponseSchema,
  FlowLogIngestQuerySchema,
  FlowLogIngestResponseSchema,
  FlowLogPageSchema,
  FlowLogQuerySchema,
} from '@policyboard/api'
import { ingestFlowLogs } from '../../../services/ingest.ts'
import { errors } from './common.ts'

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 }

/** `15m` → 900. */
export function durationSeconds(text: string): number {
  const unit = text.at(-1) ?? 's'
  return Number(text.slice(0, -1)) * (UNITS[unit] ?? 1)
}

/** Flow-log ingestion (streamed), query with keyset paging, and aggregations. */
export const flowLogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Ingestion reads the request stream itself, line by line, so the body is never held in
  // memory and the body limit does not apply.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload))

  app.post(
    '/flowlogs',
    {
      schema: {
        tags: ['flow logs'],
        summary: 'Ingest Calico flow-log records (JSON lines or a JSON array), streamed',
        description:
          'Idempotent and resumable per batch id (`?batch=` or header `x-policyboard-batch`): a complete batch is reported as duplicate and not inserted; a batch whose earlier stream failed midway resumes after its last committed line, and `accepted`/`rejectedCount` are then the batch totals.',
        querystring: FlowLogIngestQuerySchema,
        response: { 200: FlowLogIngestResponseSchema, ...errors(400) },
      },
    },
    async (request) => {
      const header = request.headers['x-policyboard-batch']
      const batch = request.query.batch ?? (Array.isArray(header) ? header[0] : header)
      return ingestFlowLogs(app.flows, request.body as Readable, batch || undefined)
    },
  )

  app.get(
    '/flowlogs',
    {
      schema: {
        tags: ['flow logs'],
        summary: 'Stored records, newest first, with filters and keyset paging',
        querystring: FlowLogQuerySchema,
        response: { 200: FlowLogPageSchema, ...errors(400) },
      },
    },
    async (request) => app.flows.query(request.query),
  )

  app.get(
    '/flowlogs/aggregate',
    {
      schema: {
        tags: ['flow logs'],
        summary: 'Records aggregated by (source, destination, protocol, port) or by time bucket',
        querystring: FlowAggregateQuerySchema,
        response: { 200: FlowAggregateResponseSchema, ...errors(400) },
      },
    },
    async (request) => {
      const q = request.query
      if (q.by === 'tuple') return { tuples: await app.flows.aggregateByTuple(q) }
      return {
        buckets: await app.flows.aggregateByTime(q, Math.max(1, durationSeconds(q.bucket ?? '1h'))),
      }
    },
  )
}
