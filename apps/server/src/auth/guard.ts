import { type Resource, resourceKind } from '@policyboard/policy-core'
import type { FastifyRequest } from 'fastify'
import { resourceIdOf, tierOf } from '../store/index.ts'
import {
  canReadResource,
  canReadTier,
  canWritePolicy,
  forbiddenMessage,
  isAdmin,
  type Verb,
  writeRefusal,
} from './permissions.ts'
import { forbidden, principalOf } from './plugin.ts'

/**
 * Checks of one request against its resources, used by the handlers of `read` and `write`
 * routes after the route-level guard.
 */

/** Refuses (403) unless the caller may write `after` (and, for an update, `before`). */
export function requireWrite(
  request: FastifyRequest,
  after: Resource | undefined,
  before: Resource | undefined,
  verb?: Verb,
): void {
  const p = principalOf(request)
  const v: Verb = verb ?? (after === undefined ? 'delete' : before ? 'update' : 'create')
  for (const r of [after, before]) {
    if (!r) continue
    const why = writeRefusal(p, v, r)
    if (why) throw forbidden(why)
  }
}

/** Refuses (403) unless the caller may write every document: all or nothing. */
export function requireWriteAll(
  request: FastifyRequest,
  docs: ReadonlyArray<{ after: Resource; before: Resource | undefined }>,
): void {
  const p = principalOf(request)
  const refusals: string[] = []
  for (const [i, d] of docs.entries()) {
    const v: Verb = d.before ? 'update' : 'create'
    for (const r of [d.after, d.before]) {
      const why = r ? writeRefusal(p, v, r) : undefined
      if (why) refusals.push(`document ${i}: ${why}`)
    }
  }
  if (refusals.length === 1) throw forbidden(refusals[0] ?? '')
  if (refusals.length > 1) {
    throw forbidden(`${refusals[0]} (and ${refusals.length - 1} more; nothing was applied)`)
  }
}

/** Refuses (403) unless the caller may write policies of `tier` in `namespace`. */
export function requireTierWrite(
  request: FastifyRequest,
  verb: Verb,
  kind: string,
  tier: string,
  namespace: string | undefined,
): void {
  const p = principalOf(request)
  if (!canWritePolicy(p, tier, namespace)) {
    throw forbidden(forbiddenMessage(p.name, verb, kind, tier, namespace))
  }
}

/** Refuses (403) unless the caller may read `r`. */
export function requireRead(request: FastifyRequest, r: Resource): void {
  const p = principalOf(request)
  if (canReadResource(p, r)) return
  const id = resourceIdOf(r)
  const tier = id.kind === 'Tier' ? id.name : tierOf(r)
  throw forbidden(forbiddenMessage(p.name, 'get', resourceKind(r), tier, id.namespace || undefined))
}

/** A predicate over resources the caller may read. */
export function readableResources(request: FastifyRequest): (r: Resource) => boolean {
  const p = principalOf(request)
  if (isAdmin(p)) return () => true
  return (r) => canReadResource(p, r)
}

/** A predicate over tiers the caller may read. */
export function readableTier(request: FastifyRequest): (tier: string) => boolean {
  const p = principalOf(request)
  return (tier) => canReadTier(p, tier)
}

/**
 * The tiers the caller may read, or undefined when every tier (admins and bindings without a
 * tier list): a cache key part and a store filter.
 */
export function readScope(request: FastifyRequest): string[] | undefined {
  const p = principalOf(request)
  if (isAdmin(p) || p.bindings.some((b) => b.tiers === undefined)) return undefined
  return [...new Set(p.bindings.flatMap((b) => b.tiers ?? []))].sort()
}
