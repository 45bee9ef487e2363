import type {
  LabelRulesResponse,
  LintDraftResponse,
  LintResponse,
  LintSeverityName,
} from '@policyboard/api'
import type { Resource } from '@policyboard/policy-core'
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client.ts'

/** Filters of `GET /api/v1/lint`; every one is optional and lives in the page's URL. */
export interface LintFilters {
  /** Hit-count window, e.g. `24h`. */
  window?: string
  /** Least serious severity shown. */
  severity?: LintSeverityName
  /** `policy` or `label`. */
  kind?: 'policy' | 'label'
  tier?: string
  namespace?: string
}

/** Lint queries; keys carry every variable. */
export const lintQueries = {
  /** Prefix of every lint query. */
  all: () => ['lint'] as const,
  /** Findings of the stored set. */
  list: (filters: LintFilters = {}) =>
    queryOptions({
      queryKey: [...lintQueries.all(), 'list', filters] as const,
      queryFn: ({ signal }) =>
        apiFetch<LintResponse>('/api/v1/lint', { query: { ...filters }, signal }),
      staleTime: 30_000,
    }),
  /** Findings about a draft policy (the editor); `text` is the draft's JSON, the key. */
  draft: (text: string) =>
    queryOptions({
      queryKey: [...lintQueries.all(), 'draft', text] as const,
      queryFn: ({ signal }) =>
        apiFetch<LintDraftResponse>('/api/v1/lint', {
          method: 'POST',
          body: { policy: JSON.parse(text) as Resource },
          signal,
        }),
      staleTime: 30_000,
    }),
  /** The stored label rules. */
  labelRules: () =>
    queryOptions({
      queryKey: [...lintQueries.all(), 'label-rules'] as const,
      queryFn: ({ signal }) => apiFetch<LabelRulesResponse>('/api/v1/lint/label-rules', { signal }),
    }),
}

/** Saves the label rules' text and refreshes every lint query. */
export function useSaveLabelRules() {
  const qc = useQueryClient()
  return useMutation<LabelRulesResponse, Error, string>({
    mutationFn: (text) =>
      apiFetch<LabelRulesResponse>('/api/v1/lint/label-rules', { method: 'PUT', body: { text } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: lintQueries.all() }),
  })
}
