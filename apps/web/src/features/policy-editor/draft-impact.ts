/** Words of the editor's impact panel: what exactly a draft preview compares. */
import type { PolicyIdentity } from '@policyboard/policy-core'

function refText(ref: PolicyIdentity): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`
}

function sameRef(a: PolicyIdentity, b: PolicyIdentity): boolean {
  return a.kind === b.kind && (a.namespace ?? '') === (b.namespace ?? '') && a.name === b.name
}

/**
 * What the server compares for a draft, in words. The "before" side is always the enforced
 * view of the stored policies. A staged draft is judged as if enforced, in place of the stored
 * staged policy of its name, with every other staged policy left out; an enforced draft
 * replaces the stored policy of its kind, namespace and name, or is added when there is none.
 *
 * @param draft the draft's identity
 * @param stored the identity of the policy as loaded; absent for a new policy
 * @param staged whether the draft is of a staged kind
 */
export function draftImpactLabel(
  draft: PolicyIdentity,
  stored: PolicyIdentity | undefined,
  staged: boolean,
): string {
  const name = refText(draft)
  const replaces = stored !== undefined && sameRef(draft, stored)
  if (staged) {
    return `If this draft were enforced: the enforced policies now vs. with ${name} as drafted enforced${
      replaces ? ' in place of its stored staged version' : ''
    } (other staged policies left out)`
  }
  if (replaces) {
    return `If this draft were saved: the enforced policies now vs. with the stored ${name} replaced by this draft`
  }
  return `If this draft were saved: the enforced policies now vs. with ${name} added${
    stored ? ` (the stored ${refText(stored)} stays)` : ''
  }`
}
