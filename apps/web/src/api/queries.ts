/**
 * `queryOptions` factories: each keeps a key and its fetcher together. Keys are
 * hierarchical (`['board', {window}]`, `['policies', 'detail', ref]`) so a mutation can
 * invalidate a whole family by its prefix.
 */
import type {
  BoardResponse,
  InventoryResponse,
  PolicyRef,
  RevisionListQuery,
  RevisionListResponse,
} from '@policyboard/api'
import { resourcePath } from '@policyboard/api'
import type { Resource, Tier } from '@policyboard/policy-core'
import { queryOptions } from '@tanstack/react-query'
import { apiFetch } from './client.ts'
import type { HitWindow } from './types.ts'

/** The board: tiers and their policies with hit counts over a window. */
export const boardQueries = {
  /** Prefix of every board query. */
  all: () => ['board'] as const,
  /** The board with hit counts over `window`. */
  detail: (window: HitWindow) =>
    queryOptions({
      queryKey: [...boardQueries.all(), { window }] as const,
      queryFn: ({ signal }) =>
        apiFetch<BoardResponse>('/api/v1/board', { query: { window }, signal }),
    }),
}

/** Single policies, as stored resources. */
export const policyQueries = {
  /** Prefix of every policy query. */
  all: () => ['policies'] as const,
  /** One policy resource by kind, namespace and name. */
  detail: (ref: PolicyRef) =>
    queryOptions({
      queryKey: [
        ...policyQueries.all(),
        'detail',
        { kind: ref.kind, namespace: ref.namespace ?? '', name: ref.name },
      ] as const,
      queryFn: ({ signal }) =>
        apiFetch<Resource>(resourcePath(ref.kind, ref.namespace, ref.name), { signal }),
    }),
}

/** Tier resources. */
export const tierQueries = {
  /** Prefix of every tier query. */
  all: () => ['tiers'] as const,
  /** One tier resource. */
  detail: (name: string) =>
    queryOptions({
      queryKey: [...tierQueries.all(), 'detail', name] as const,
      queryFn: ({ signal }) => apiFetch<Tier>(resourcePath('Tier', undefined, name), { signal }),
    }),
}

/** Filter of the change history: everything, one tier, or one resource. */
export type HistoryFilter = Pick<RevisionListQuery, 'kind' | 'namespace' | 'name' | 'tier'>

/** Stored revisions (history, audit, rollback). */
export const historyQueries = {
  /** Prefix of every history query. */
  all: () => ['history'] as const,
  /** Revisions, newest first, optionally for one resource or tier. */
  list: (filter: HistoryFilter = {}) =>
    queryOptions({
      queryKey: [
        ...historyQueries.all(),
        'list',
        {
          kind: filter.kind ?? '',
          namespace: filter.namespace ?? '',
          name: filter.name ?? '',
          tier: filter.tier ?? '',
        },
      ] as const,
      queryFn: ({ signal }) =>
        apiFetch<RevisionListResponse>('/api/v1/revisions', {
          query: { ...filter, limit: 200 },
          signal,
        }),
    }),
}

/** The endpoint inventory (namespaces, service accounts, endpoints). */
export const inventoryQueries = {
  /** Prefix of every inventory query. */
  all: () => ['inventory'] as const,
  /** The whole inventory. */
  detail: () =>
    queryOptions({
      queryKey: [...inventoryQueries.all(), 'detail'] as const,
      queryFn: ({ signal }) => apiFetch<InventoryResponse>('/api/v1/inventory', { signal }),
      staleTime: 60_000,
    }),
}
