/** URLs of the impact preview, kept apart from the page so the board can link to it cheaply. */

/** `?kind=…&ns=…&name=…` for one staged policy: what the board's impact links point to. */
export function impactHref(policy?: { kind: string; namespace?: string; name: string }): string {
  if (!policy) return '/impact'
  const p = new URLSearchParams({ kind: policy.kind, name: policy.name })
  if (policy.namespace) p.set('ns', policy.namespace)
  return `/impact?${p.toString()}`
}
