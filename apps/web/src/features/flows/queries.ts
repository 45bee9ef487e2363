import type { FlowAggregateResponse, FlowLogPage } from '@policyboard/api'
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query'
import { apiFetch } from '../../api/client.ts'

/** Page size of the explorer's table. */
export const PAGE_SIZE = 200

/** Stored flow-log records and their aggregations; keys carry the whole API query. */
export const flowQueries = {
  /** Prefix of every flow query. */
  all: () => ['flows'] as const,
  /** Records newest first, page by page. */
  records: (query: Record<string, string | number>) =>
    infiniteQueryOptions({
      queryKey: [...flowQueries.all(), 'records', query] as const,
      queryFn: ({ signal, pageParam }) =>
        apiFetch<FlowLogPage>('/api/v1/flowlogs', {
          query: { ...query, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) },
          signal,
        }),
      initialPageParam: 0,
      getNextPageParam: (last) => last.next,
    }),
  /** Allowed and denied flows per time bucket. */
  timeline: (query: Record<string, string | number>, bucket: string) =>
    queryOptions({
      queryKey: [...flowQueries.all(), 'timeline', query, bucket] as const,
      queryFn: ({ signal }) =>
        apiFetch<FlowAggregateResponse>('/api/v1/flowlogs/aggregate', {
          query: { ...query, by: 'time', bucket },
          signal,
        }),
    }),
  /** Tuples (for autocomplete values). */
  tuples: (query: Record<string, string | number>) =>
    queryOptions({
      queryKey: [...flowQueries.all(), 'tuples', query] as const,
      queryFn: ({ signal }) =>
        apiFetch<FlowAggregateResponse>('/api/v1/flowlogs/aggregate', {
          query: { ...query, by: 'tuple', limit: 2000 },
          signal,
        }),
      staleTime: 60_000,
    }),
}
