import {
  ApiErrorCodes,
  type PolicyRef,
  type ReorderRequest,
  type ReorderResponse,
} from '@policyboard/api'
import { bareName, NAMESPACED_KINDS, type Resource, resourceKind } from '@policyboard/policy-core'
import { notFound, StoreError } from '../store/errors.ts'
import { resourceIdOf, type Store, type StoreWriter, tierOf } from '../store/index.ts'
import { compareByOrder, policyOrder } from './board.ts'

/** Gap between orders when a tier is respaced. */
const STEP = 10

function idOf(ref: PolicyRef) {
  return {
    kind: ref.kind,
    namespace: NAMESPACED_KINDS.has(ref.kind) ? (ref.namespace ?? '') : '',
    name: ref.name,
  }
}

function same(r: Resource, ref: PolicyRef | null): boolean {
  if (!ref) return false
  const id = resourceIdOf(r)
  const want = idOf(ref)
  return (
    id.kind === want.kind &&
    id.namespace === want.namespace &&
    (id.name === want.name || r.metadata.name === want.name)
  )
}

function withOrder(r: Resource, tier: string, order: number): Resource {
  const spec = { ...(r.spec as Record<string, unknown>), tier, order }
  return { ...r, spec } as Resource
}

/**
 * Moves a policy within or across tiers, between the given neighbours. The moved policy gets
 * an order between theirs; only when none fits (equal or unset orders) is the tier respaced
 * (orders 10, 20, …). One transaction; stale versions and stale neighbours are refused (409).
 *
 * `authorize` is called, before anything is written, on every other policy whose order the
 * respacing would change; it throws to refuse the whole move (the caller's 403 naming that
 * policy). Orders are never computed around policies the caller cannot write: the move is
 * all or nothing, like an apply.
 */
export async function reorderPolicy(
  store: Store,
  req: ReorderRequest,
  actor: string,
  authorize?: (renumbered: Resource) => void,
): Promise<ReorderResponse> {
  const kind = req.policy.kind
  if (kind === 'KubernetesNetworkPolicy' || kind === 'StagedKubernetesNetworkPolicy') {
    throw new StoreError(
      ApiErrorCodes.CONFLICT,
      409,
      `${kind} has a fixed place (tier default, order 1000)`,
    )
  }
  return store.write(actor, async (w: StoreWriter) => {
    const moved = await w.get(idOf(req.policy))
    if (!moved) throw notFound(`${kind} ${req.policy.name}`)
    if (
      req.resourceVersion !== undefined &&
      req.resourceVersion !== moved.metadata.resourceVersion
    ) {
      throw new StoreError(
        ApiErrorCodes.CONFLICT,
        409,
        `${kind} ${req.policy.name} was modified: expected resourceVersion ${req.resourceVersion}`,
        moved.metadata.resourceVersion,
      )
    }
    const tier = req.tier ?? tierOf(moved) ?? 'default'
    const others = (await w.list({ tier }))
      .filter((r) => !same(r, req.policy))
      .map((r) => ({ r, order: policyOrder(r), name: bareName(r) }))
      .sort(compareByOrder)
    let at = 0
    if (req.after) {
      const i = others.findIndex((o) => same(o.r, req.after))
      if (i < 0)
        throw new StoreError(
          ApiErrorCodes.CONFLICT,
          409,
          `${req.after.name} is not in tier ${tier}`,
        )
      at = i + 1
    }
    const next = others[at]
    if (
      (req.before === null) !== (next === undefined) ||
      (req.before && next && !same(next.r, req.before))
    ) {
      throw new StoreError(
        ApiErrorCodes.CONFLICT,
        409,
        'the neighbours given are not adjacent in the tier: reload the board',
      )
    }
    const prevOrder = at > 0 ? (others[at - 1]?.order ?? null) : undefined
    const nextOrder = next ? next.order : undefined
    let order: number | undefined
    const current = policyOrder(moved)
    if (prevOrder === undefined && (nextOrder === undefined || nextOrder === null))
      order = current ?? 100
    else if (prevOrder === undefined)
      order = (nextOrder as number) > 0 ? (nextOrder as number) / 2 : (nextOrder as number) - STEP
    else if (prevOrder !== null && (nextOrder === undefined || nextOrder === null))
      order = prevOrder + STEP
    else if (
      prevOrder !== null &&
      nextOrder !== null &&
      nextOrder !== undefined &&
      nextOrder - prevOrder > 1e-6
    ) {
      order = (prevOrder + nextOrder) / 2
    }
    const changed: ReorderResponse['changed'] = []
    const write = async (r: Resource, o: number) => {
      const res = await w.put(withOrder(r, tier, o))
      if (res.operation === 'unchanged') return
      const id = resourceIdOf(r)
      changed.push({
        kind: resourceKind(r),
        ...(id.namespace ? { namespace: id.namespace } : {}),
        name: r.metadata.name,
        tier,
        order: o,
        resourceVersion: res.resource.metadata.resourceVersion ?? '',
      })
    }
    if (order !== undefined) await write(moved, order)
    else {
      const sequence = [
        ...others.slice(0, at).map((o) => o.r),
        moved,
        ...others.slice(at).map((o) => o.r),
      ]
      const renumbered = sequence
        .map((r, i) => ({ r, o: (i + 1) * STEP }))
        .filter(({ r }) => !resourceKind(r).includes('Kubernetes'))
      if (authorize) {
        for (const { r, o } of renumbered) {
          if (r !== moved && (policyOrder(r) !== o || tierOf(r) !== tier)) authorize(r)
        }
      }
      for (const { r, o } of renumbered) await write(r, o)
    }
    return { changed, revision: String(w.revision) }
  })
}
