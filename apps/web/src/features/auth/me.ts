import type { Me } from '@policyboard/api'
import { queryOptions, useQuery } from '@tanstack/react-query'
import { apiFetch } from '../../api/client.ts'

/** `GET /api/v1/me`: the signed-in user, roles and permissions per tier. */
export const meQuery = queryOptions({
  queryKey: ['me'] as const,
  queryFn: ({ signal }) => apiFetch<Me>('/api/v1/me', { signal }),
  retry: false,
  staleTime: 60_000,
})

/** What the signed-in user may do, for hiding actions (the server enforces it anyway). */
export interface Can {
  /** Whether the user is an admin (tiers, users, audit, import of cluster kinds). */
  admin: boolean
  /** Whether the user may write policies in some tier. */
  writeAny: boolean
  /** Whether the user may write policies of `tier` (in `namespace`, when given). */
  write: (tier: string, namespace?: string) => boolean
}

/** Permissions from a `Me`: nothing while unknown. */
export function canFrom(me: Me | undefined): Can {
  const admin = me?.user.admin ?? false
  const tiers = new Map((me?.tiers ?? []).map((t) => [t.tier, t]))
  return {
    admin,
    writeAny: admin || (me?.tiers ?? []).some((t) => t.write),
    write: (tier, namespace) => {
      if (admin) return true
      const t = tiers.get(tier)
      if (!t?.write) return false
      return !t.namespaces || (namespace !== undefined && t.namespaces.includes(namespace))
    },
  }
}

/** The signed-in user's permissions (nothing while loading or signed out). */
export function useCan(): Can {
  const me = useQuery(meQuery)
  return canFrom(me.data)
}

const ADMIN_KINDS = new Set(['Tier', 'GlobalNetworkSet', 'HostEndpoint'])

/**
 * Why the user may not write resource `r`, or undefined when allowed: policies need write
 * rights on their tier (Kubernetes policies: `default`) and namespace; tiers, global network
 * sets and host endpoints need an admin; network sets need some write right. The server
 * decides; this only hides what it would refuse.
 */
export function writeRefusalText(
  can: Can,
  r: { kind: string; metadata: { name: string; namespace?: string }; spec?: unknown },
): string | undefined {
  if (can.admin) return undefined
  const what = `${r.kind} ${[r.metadata.namespace, r.metadata.name].filter(Boolean).join('/')}`
  if (ADMIN_KINDS.has(r.kind)) return `${what}: only admins may write ${r.kind} resources`
  if (!r.kind.includes('NetworkPolicy')) {
    return can.writeAny ? undefined : `${what}: you have no write rights`
  }
  const spec = r.spec as { tier?: unknown } | undefined
  const tier = typeof spec?.tier === 'string' && spec.tier ? spec.tier : 'default'
  if (can.write(tier, r.metadata.namespace)) return undefined
  return `${what}: you cannot write policies in tier "${tier}"${r.metadata.namespace ? ` and namespace "${r.metadata.namespace}"` : ''}`
}
