/** URLs of policy pages, built in one place. */
import type { PolicyRef } from '@policyboard/api'

/** `/policies/<kind>/<namespace>/<name>` (no namespace segment for global kinds). */
export function policyHref(ref: PolicyRef): string {
  const parts = [ref.kind, ref.namespace, ref.name].filter((x): x is string => Boolean(x))
  return `/policies/${parts.map(encodeURIComponent).join('/')}`
}

/** The editor's URL for a policy. */
export function policyEditHref(ref: PolicyRef): string {
  return `${policyHref(ref)}/edit`
}
