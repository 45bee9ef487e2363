import type { RollbackResponse } from '@policyboard/api'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client.ts'
import { boardQueries, historyQueries, policyQueries, tierQueries } from '../../api/queries.ts'

/** Restores a resource to its state after a revision (`POST /api/v1/revisions/:id/rollback`). */
export function useRollback() {
  const client = useQueryClient()
  return useMutation<RollbackResponse, Error, number>({
    mutationFn: (id) =>
      apiFetch<RollbackResponse>(`/api/v1/revisions/${id}/rollback`, { method: 'POST' }),
    onSuccess: () =>
      Promise.all(
        [boardQueries.all(), policyQueries.all(), tierQueries.all(), historyQueries.all()].map(
          (queryKey) => client.invalidateQueries({ queryKey }),
        ),
      ),
  })
}
