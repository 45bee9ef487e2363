import type { EndpointPoliciesResponse } from '@policyboard/api'
import { queryOptions } from '@tanstack/react-query'
import { apiFetch } from '../../api/client.ts'
import type { EndpointRef } from './endpoint-filter.ts'

/** The board's own reads beyond the board itself. */
export const boardEndpointQueries = {
  /** Prefix of every query of the endpoint filter. */
  all: () => ['board-endpoint'] as const,
  /**
   * The policies applying to one endpoint, per direction and view, as the server judges them
   * at the board's `revision` (a new revision asks again).
   */
  policies: (ref: EndpointRef, revision: string) =>
    queryOptions({
      queryKey: [...boardEndpointQueries.all(), 'policies', { ...ref, revision }] as const,
      queryFn: ({ signal }) =>
        apiFetch<EndpointPoliciesResponse>(
          `/api/v1/endpoints/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}/policies`,
          { signal },
        ),
      staleTime: 30_000,
    }),
}
