/**
 * The policy set after a change, for the impact preview: the whole staged set, one staged
 * policy, a chosen set of staged policies, an unsaved draft, or a resource as it was at a
 * revision of the history.
 */
import { ErrorCodes, PolicyError, type Result } from '../errors.ts'
import type { ViewName } from '../evaluator/types.ts'
import { isStagedKind, resourceKey } from '../resources/names.ts'
import { type Resource, resourceKind } from '../resources/types.ts'

/** What to preview. */
export type PolicyChange =
  /** Every staged policy enforced at once (the evaluator's staged view). */
  | { type: 'staged-all' }
  /** One staged policy enforced, the other staged policies left out. */
  | { type: 'staged'; kind: string; namespace?: string; name: string }
  /**
   * Exactly these stored staged policies enforced together, every other staged policy left
   * out (e.g. a default deny plus the allow policies accepted to go with it).
   */
  | { type: 'staged-set'; policies: ReadonlyArray<StagedPolicyName> }
  /** An unsaved resource laid over the stored ones (replacing the stored one of the same name). */
  | { type: 'draft'; resource: Resource }
  /**
   * A resource as it was after a revision: `resource` is that state, or null when the
   * revision deleted it (then `kind`, `namespace` and `name` say what to remove).
   */
  | {
      type: 'revision'
      resource: Resource | null
      kind: string
      namespace?: string
      name: string
    }

/** A stored staged policy, by kind, namespace (namespaced kinds) and name. */
export interface StagedPolicyName {
  kind: string
  namespace?: string
  /** The bare name; a legacy `<tier>.` prefixed name is accepted too. */
  name: string
}

/** The changed policy set and the view that judges it. */
export interface ChangedPolicySet {
  /** Resources of the changed set (tiers, policies, network sets). */
  resources: Resource[]
  /** `staged` when the change is a staged policy (judged as if enforced), else `enforced`. */
  view: ViewName
  /** True when the resources are the stored ones unchanged (the same compiled model serves). */
  unchanged: boolean
}

function keyOf(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`
}

/** The stored staged policy a name stands for (bare or legacy-prefixed), if any. */
function findStaged(stored: readonly Resource[], p: StagedPolicyName): Resource | undefined {
  const target = keyOf(p.kind, p.namespace, p.name)
  return stored.find(
    (r) =>
      isStagedKind(resourceKind(r)) &&
      (resourceKey(r) === target ||
        keyOf(resourceKind(r), r.metadata.namespace, r.metadata.name) === target),
  )
}

function missingStaged(p: StagedPolicyName, field: string): PolicyError {
  return new PolicyError(
    ErrorCodes.IMPACT_CHANGE,
    `expected a stored staged policy, found no ${keyOf(p.kind, p.namespace, p.name)}`,
    { field },
  )
}

/**
 * The policy set to judge "after" a change, to compare with the stored set's enforced view.
 * A staged change keeps only that staged policy (others are left out, so only its effect
 * shows); an enforced one replaces the stored resource of the same kind, namespace and name.
 *
 * @returns the set and view, or an `IMPACT_CHANGE` error when the staged policy is not stored.
 */
export function changedPolicySet(
  stored: readonly Resource[],
  change: PolicyChange,
): Result<ChangedPolicySet> {
  if (change.type === 'staged-all') {
    return { ok: true, value: { resources: [...stored], view: 'staged', unchanged: true } }
  }
  if (change.type === 'staged-set') {
    const chosen = new Set<Resource>()
    const errors: PolicyError[] = []
    for (const [i, p] of change.policies.entries()) {
      const found = findStaged(stored, p)
      if (found) chosen.add(found)
      else errors.push(missingStaged(p, `change.policies[${i}]`))
    }
    if (errors.length) return { ok: false, errors }
    const resources = stored.filter((r) => !isStagedKind(resourceKind(r)) || chosen.has(r))
    return { ok: true, value: { resources, view: 'staged', unchanged: false } }
  }
  let target: string
  let replacement: Resource | null
  if (change.type === 'staged') {
    const found = findStaged(stored, change)
    if (!found) return { ok: false, errors: [missingStaged(change, 'change')] }
    target = resourceKey(found)
    replacement = found
  } else if (change.type === 'draft') {
    target = resourceKey(change.resource)
    replacement = change.resource
  } else {
    target = change.resource
      ? resourceKey(change.resource)
      : keyOf(change.kind, change.namespace, change.name)
    replacement = change.resource
  }
  const staged = replacement !== null && isStagedKind(resourceKind(replacement))
  const resources = stored.filter((r) => {
    if (resourceKey(r) === target) return false
    return !(staged && isStagedKind(resourceKind(r)))
  })
  if (replacement) resources.push(replacement)
  return { ok: true, value: { resources, view: staged ? 'staged' : 'enforced', unchanged: false } }
}
