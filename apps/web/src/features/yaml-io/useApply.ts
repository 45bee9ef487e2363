import type { ApplyResponse } from '@policyboard/api'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client.ts'
import { boardQueries, historyQueries, policyQueries, tierQueries } from '../../api/queries.ts'

/** Sends YAML to `POST /api/v1/apply` (all or nothing); `dryRun` only computes the changes. */
export function useApply() {
  const client = useQueryClient()
  return useMutation<ApplyResponse, Error, { yaml: string; dryRun: boolean }>({
    mutationFn: ({ yaml, dryRun }) =>
      apiFetch<ApplyResponse>('/api/v1/apply', {
        method: 'POST',
        query: { dryRun },
        body: { yaml },
      }),
    onSuccess: (res) => {
      if (res.dryRun) return
      return Promise.all(
        [boardQueries.all(), policyQueries.all(), tierQueries.all(), historyQueries.all()].map(
          (queryKey) => client.invalidateQueries({ queryKey }),
        ),
      ).then(() => undefined)
    },
  })
}
