import type { EndpointPoliciesResponse, VerdictResponse } from '@policyboard/api'
import { queryOptions } from '@tanstack/react-query'
import { apiFetch } from '../../api/client.ts'

/** Most tuples the graph asks for: enough for a 5,000-edge graph with room to spare. */
export const GRAPH_TUPLE_LIMIT = 20000

/** The service graph's data: judged tuples and per-endpoint policies. */
export const graphQueries = {
  /** Prefix of every graph query. */
  all: () => ['service-graph'] as const,
  /** Every stored tuple of the last day with its enforced and staged verdicts. */
  verdicts: () =>
    queryOptions({
      queryKey: [...graphQueries.all(), 'verdicts', { limit: GRAPH_TUPLE_LIMIT }] as const,
      queryFn: ({ signal }) =>
        apiFetch<VerdictResponse>('/api/v1/verdicts', {
          query: { limit: GRAPH_TUPLE_LIMIT },
          signal,
        }),
      staleTime: 30_000,
    }),
  /** Labels and applicable policies of a workload (pod or aggregated name) or host endpoint. */
  endpointPolicies: (namespace: string, name: string) =>
    queryOptions({
      queryKey: [...graphQueries.all(), 'endpoint-policies', { namespace, name }] as const,
      queryFn: ({ signal }) =>
        apiFetch<EndpointPoliciesResponse>(
          `/api/v1/endpoints/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/policies`,
          { signal },
        ),
      staleTime: 30_000,
    }),
}
