import type {
  ExplainRequest,
  ExplainResponse,
  ImpactChange,
  ImpactResponse,
} from '@policyboard/api'
import { queryOptions } from '@tanstack/react-query'
import { apiFetch } from '../../api/client.ts'

/** What a preview asks for, besides the change. */
export interface ImpactParams {
  /** `1h`, `24h`, `7d`. */
  window: string
  onlyChanged: boolean
  /** A group id whose traces to include. */
  traces?: string
}

/** Impact previews: keyed by the change and every parameter. */
export const impactQueries = {
  /** Prefix of every impact query. */
  all: () => ['impact'] as const,
  /** The preview of one change over a window. */
  preview: (change: ImpactChange, params: ImpactParams) =>
    queryOptions({
      queryKey: [...impactQueries.all(), 'preview', change, params] as const,
      queryFn: ({ signal }) =>
        apiFetch<ImpactResponse>('/api/v1/impact', {
          method: 'POST',
          body: {
            change,
            window: params.window,
            onlyChanged: params.onlyChanged,
            ...(params.traces ? { traces: params.traces, limit: 100000 } : {}),
          },
          signal,
        }),
      staleTime: 30_000,
    }),
}

/** Explanations of single flows. */
export const explainQueries = {
  /** Prefix of every explanation. */
  all: () => ['explain'] as const,
  /** Both verdicts of a flow or a stored record, with traces. */
  detail: (req: ExplainRequest) =>
    queryOptions({
      queryKey: [...explainQueries.all(), req] as const,
      queryFn: ({ signal }) =>
        apiFetch<ExplainResponse>('/api/v1/explain', { method: 'POST', body: req, signal }),
      staleTime: 30_000,
    }),
}
