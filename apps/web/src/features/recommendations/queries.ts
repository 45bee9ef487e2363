import type {
  DefaultDenyAction,
  DefaultDenyState,
  Recommendation,
  RecommendationDecision,
  RecommendationList,
} from '@policyboard/api'
import type { Resource } from '@policyboard/policy-core'
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client.ts'

/** Recommendations and the default-deny state; keys carry every variable. */
export const recommendationQueries = {
  /** Prefix of every recommendation query. */
  all: () => ['recommendations'] as const,
  /** Every non-system namespace in brief. */
  list: () =>
    queryOptions({
      queryKey: [...recommendationQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiFetch<RecommendationList>('/api/v1/recommendations', { signal }),
    }),
  /** One namespace's recommendation (computed, nothing written). */
  detail: (namespace: string, perWorkload: boolean) =>
    queryOptions({
      queryKey: [...recommendationQueries.all(), 'detail', { namespace, perWorkload }] as const,
      queryFn: ({ signal }) =>
        apiFetch<Recommendation>(`/api/v1/recommendations/${encodeURIComponent(namespace)}`, {
          query: perWorkload ? { perWorkload: 'true' } : {},
          signal,
        }),
    }),
  /** The default-deny workflow's state. */
  defaultDeny: () =>
    queryOptions({
      queryKey: [...recommendationQueries.all(), 'default-deny'] as const,
      queryFn: ({ signal }) =>
        apiFetch<DefaultDenyState>('/api/v1/recommendations/default-deny', { signal }),
    }),
}

/** Everything a recommendation write can change: recommendations, board, impact previews. */
async function invalidate(qc: ReturnType<typeof useQueryClient>): Promise<void> {
  await Promise.all([
    qc.invalidateQueries({ queryKey: recommendationQueries.all() }),
    qc.invalidateQueries({ queryKey: ['board'] }),
    qc.invalidateQueries({ queryKey: ['impact'] }),
    qc.invalidateQueries({ queryKey: ['policies'] }),
  ])
}

/** Regenerates and stores a namespace's recommendation (staged, `Learn`). */
export function useGenerateRecommendation() {
  const qc = useQueryClient()
  return useMutation<Recommendation, Error, { namespace: string; perWorkload: boolean }>({
    mutationFn: ({ namespace, perWorkload }) =>
      apiFetch<Recommendation>(`/api/v1/recommendations/${encodeURIComponent(namespace)}`, {
        method: 'POST',
        query: perWorkload ? { perWorkload: 'true' } : {},
      }),
    onSuccess: () => invalidate(qc),
  })
}

/** Accepts (`Set`), dismisses (`Ignore`) or re-activates (`Learn`) a stored recommendation. */
export function useDecideRecommendation() {
  const qc = useQueryClient()
  return useMutation<Resource, Error, RecommendationDecision & { namespace: string }>({
    mutationFn: ({ namespace, ...body }) =>
      apiFetch<Resource>(`/api/v1/recommendations/${encodeURIComponent(namespace)}/decision`, {
        method: 'POST',
        body,
      }),
    onSuccess: () => invalidate(qc),
  })
}

/** Stages the proposed default deny, or enforces the staged one. */
export function useDefaultDenyStep() {
  const qc = useQueryClient()
  return useMutation<{ resource: Resource; state: DefaultDenyState }, Error, DefaultDenyAction>({
    mutationFn: (body) =>
      apiFetch('/api/v1/recommendations/default-deny', { method: 'POST', body }),
    onSuccess: () => invalidate(qc),
  })
}
