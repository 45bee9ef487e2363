import type { BoardResponse, ReorderResponse } from '@policyboard/api'
import { resourcePath } from '@policyboard/api'
import type { Tier } from '@policyboard/policy-core'
import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client.ts'
import { boardQueries, historyQueries, policyQueries, tierQueries } from '../../api/queries.ts'
import type { MovePlan, TierOrderChange } from './board-model.ts'

interface Snapshot {
  key: QueryKey
  previous: BoardResponse | undefined
}

/** Writes the optimistic board after cancelling in-flight board fetches; returns what to restore. */
async function optimistic(
  client: ReturnType<typeof useQueryClient>,
  key: QueryKey,
  board: BoardResponse,
): Promise<Snapshot> {
  await client.cancelQueries({ queryKey: boardQueries.all() })
  const previous = client.getQueryData<BoardResponse>(key)
  client.setQueryData(key, board)
  return { key, previous }
}

/** Refetches everything a board change touches; awaited so the UI settles on server truth. */
function invalidateBoard(client: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    client.invalidateQueries({ queryKey: boardQueries.all() }),
    client.invalidateQueries({ queryKey: policyQueries.all() }),
    client.invalidateQueries({ queryKey: historyQueries.all() }),
  ])
}

/**
 * Moves a policy (`POST /api/v1/policies/reorder`). The board shows the new place at once
 * and goes back to the old one if the server refuses.
 */
export function useReorderPolicy(boardKey: QueryKey) {
  const client = useQueryClient()
  return useMutation<ReorderResponse, Error, MovePlan, Snapshot>({
    mutationFn: (plan) =>
      apiFetch<ReorderResponse>('/api/v1/policies/reorder', { method: 'POST', body: plan.request }),
    onMutate: (plan) => optimistic(client, boardKey, plan.board),
    onError: (_e, _plan, snap) => {
      if (snap) client.setQueryData(snap.key, snap.previous)
    },
    onSettled: () => invalidateBoard(client),
  })
}

/** Reorders tiers by writing each changed tier's `spec.order`, optimistically. */
export function useMoveTier(boardKey: QueryKey) {
  const client = useQueryClient()
  return useMutation<void, Error, { board: BoardResponse; changes: TierOrderChange[] }, Snapshot>({
    mutationFn: async ({ changes }) => {
      for (const c of changes) {
        const tier = await apiFetch<Tier>(resourcePath('Tier', undefined, c.name))
        await apiFetch<Tier>(resourcePath('Tier', undefined, c.name), {
          method: 'PUT',
          body: { ...tier, spec: { ...tier.spec, order: c.order } },
        })
      }
    },
    onMutate: ({ board }) => optimistic(client, boardKey, board),
    onError: (_e, _v, snap) => {
      if (snap) client.setQueryData(snap.key, snap.previous)
    },
    onSettled: () =>
      Promise.all([
        invalidateBoard(client),
        client.invalidateQueries({ queryKey: tierQueries.all() }),
      ]),
  })
}

/** What the tier dialog edits. */
export interface TierInput {
  name: string
  /** Empty = unset (after every ordered tier). */
  order: number | null
  defaultAction: 'Deny' | 'Pass'
  /** The version being edited; absent when creating. */
  resourceVersion?: string
}

/** The Tier resource for a dialog's input. */
export function tierResource(input: TierInput): Tier {
  const spec: Tier['spec'] = { defaultAction: input.defaultAction }
  if (input.order !== null) spec.order = input.order
  const metadata: Tier['metadata'] = { name: input.name }
  if (input.resourceVersion) metadata.resourceVersion = input.resourceVersion
  return { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata, spec }
}

/** Creates (POST) or replaces (PUT) a tier. */
export function useSaveTier() {
  const client = useQueryClient()
  return useMutation<Tier, Error, { input: TierInput; isNew: boolean }>({
    mutationFn: ({ input, isNew }) =>
      isNew
        ? apiFetch<Tier>(resourcePath('Tier'), { method: 'POST', body: tierResource(input) })
        : apiFetch<Tier>(resourcePath('Tier', undefined, input.name), {
            method: 'PUT',
            body: tierResource(input),
          }),
    onSuccess: () =>
      Promise.all([
        invalidateBoard(client),
        client.invalidateQueries({ queryKey: tierQueries.all() }),
      ]),
  })
}

/** Deletes a tier (the server refuses a non-empty or built-in one). */
export function useDeleteTier() {
  const client = useQueryClient()
  return useMutation<unknown, Error, { name: string; resourceVersion?: string }>({
    mutationFn: ({ name, resourceVersion }) =>
      apiFetch(resourcePath('Tier', undefined, name), {
        method: 'DELETE',
        query: { resourceVersion },
      }),
    onSuccess: () =>
      Promise.all([
        invalidateBoard(client),
        client.invalidateQueries({ queryKey: tierQueries.all() }),
      ]),
  })
}
