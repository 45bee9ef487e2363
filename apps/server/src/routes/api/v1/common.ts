import { ErrorBodySchema } from '@policyboard/api'

/** Response schemas of the error statuses a route can return. */
export function errors(...codes: number[]): Record<number, typeof ErrorBodySchema> {
  const out: Record<number, typeof ErrorBodySchema> = {}
  for (const c of codes) out[c] = ErrorBodySchema
  return out
}
