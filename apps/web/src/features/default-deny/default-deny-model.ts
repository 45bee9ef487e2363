/**
 * What the default-deny workflow previews: the staged default deny together with the
 * recommendations accepted so far, and no other staged policy.
 */
import type { ImpactChange, Recommendation } from '@policyboard/api'

/** A stored staged policy, as the impact API names it. */
export interface StagedRef {
  kind: string
  namespace?: string
  name: string
}

/** The accepted recommendation policies of the namespaces loaded so far. */
export function acceptedPolicies(recommendations: ReadonlyArray<Recommendation | undefined>) {
  const out: StagedRef[] = []
  for (const rec of recommendations) {
    if (!rec) continue
    for (const p of rec.policies) {
      if (rec.states[p.metadata.name] !== 'accepted') continue
      out.push({
        kind: p.kind,
        name: p.metadata.name,
        namespace: p.metadata.namespace ?? rec.namespace,
      })
    }
  }
  return out
}

/**
 * The impact change of the workflow: exactly the staged default deny and the accepted
 * recommendations enforced together (a staged policy elsewhere on the board plays no part).
 */
export function defaultDenyChange(
  defaultDeny: { kind: string; metadata: { name: string; namespace?: string } },
  accepted: readonly StagedRef[],
): ImpactChange {
  const deny: StagedRef = {
    kind: defaultDeny.kind,
    name: defaultDeny.metadata.name,
    ...(defaultDeny.metadata.namespace ? { namespace: defaultDeny.metadata.namespace } : {}),
  }
  return { type: 'staged-set', policies: [deny, ...accepted] }
}
