/**
 * The editor's server calls: tiers to choose from, saving (create, update with
 * resourceVersion), staging, enforcing and the impact preview. Mutations invalidate the
 * board and policy queries by prefix and await it.
 */
import type { ImpactRequest, ImpactResponse, PolicyRef, ResourceList } from '@policyboard/api'
import { resourcePath } from '@policyboard/api'
import {
  enforcePlan,
  type PolicyIdentity,
  type PolicyResource,
  policyRef,
  type Resource,
} from '@policyboard/policy-core'
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client.ts'
import { boardQueries, policyQueries } from '../../api/queries.ts'

/** Queries of the editor page. */
export const editorQueries = {
  /** Tier names, for the tier select. */
  tiers: () =>
    queryOptions({
      queryKey: ['tiers', 'list'] as const,
      queryFn: ({ signal }) => apiFetch<ResourceList>(resourcePath('Tier'), { signal }),
      select: (list: ResourceList) => list.items.map((t) => t.metadata.name).sort(),
      staleTime: 30_000,
    }),
  /**
   * The impact of enforcing one stored staged policy (the others left out): the stored
   * flows of the last day whose verdict would change, from the server's impact preview.
   */
  enforceImpact: (staged: PolicyIdentity) =>
    queryOptions({
      queryKey: [
        'impact',
        'staged',
        { kind: staged.kind, namespace: staged.namespace ?? '', name: staged.name },
      ] as const,
      queryFn: ({ signal }) =>
        apiFetch<ImpactResponse>('/api/v1/impact', {
          method: 'POST',
          body: {
            change: { type: 'staged', ...staged },
            onlyChanged: true,
            limit: 20,
          } satisfies ImpactRequest,
          signal,
        }),
      retry: false,
    }),
}

/** The API's reference to a policy. */
export function toApiRef(ref: PolicyIdentity): PolicyRef {
  return {
    kind: ref.kind,
    name: ref.name,
    ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}),
  }
}

function pathOf(ref: PolicyIdentity): string {
  return resourcePath(ref.kind, ref.namespace, ref.name)
}

/** Writes a policy: `create` refuses an existing name; `replace` is conditional on `resourceVersion` when given. */
async function writePolicy(
  policy: PolicyResource,
  mode: 'create' | 'replace',
  resourceVersion?: string,
): Promise<Resource> {
  const ref = policyRef(policy)
  const body = {
    ...policy,
    metadata: { ...policy.metadata, ...(resourceVersion ? { resourceVersion } : {}) },
  }
  if (mode === 'create') {
    return apiFetch<Resource>(resourcePath(ref.kind, ref.namespace), { method: 'POST', body })
  }
  return apiFetch<Resource>(pathOf(ref), { method: 'PUT', body })
}

function useInvalidate() {
  const qc = useQueryClient()
  return async () => {
    await Promise.all([
      qc.invalidateQueries({ queryKey: policyQueries.all() }),
      qc.invalidateQueries({ queryKey: boardQueries.all() }),
    ])
  }
}

/** What a save writes. */
export interface SaveRequest {
  policy: PolicyResource
  /** `create` for a new policy (fails if the name is taken), `replace` for an edit. */
  mode: 'create' | 'replace'
  /** The version the edit started from: a stale one makes the server answer 409. */
  resourceVersion?: string
}

/** Saves a policy (create, or replace conditional on its version). */
export function useSavePolicy() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (req: SaveRequest) => writePolicy(req.policy, req.mode, req.resourceVersion),
    onSuccess: invalidate,
  })
}

/** Enforces a staged policy: writes the enforced kind, then deletes the staged one (its version guards the delete). */
export function useEnforcePolicy() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: async ({
      staged,
      resourceVersion,
    }: {
      staged: PolicyResource
      resourceVersion?: string
    }) => {
      const plan = enforcePlan(staged)
      const written = plan.write ? await writePolicy(plan.write, 'replace') : undefined
      for (const ref of plan.delete) {
        const own = ref.kind === policyRef(staged).kind
        await apiFetch(pathOf(ref), {
          method: 'DELETE',
          query: own && resourceVersion ? { resourceVersion } : {},
        })
      }
      return written
    },
    onSuccess: invalidate,
  })
}
