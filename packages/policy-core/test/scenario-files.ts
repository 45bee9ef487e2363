/** Where the conformance scenarios are, for the suites that run every one of them. */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The shared conformance scenarios, beside the repository (../shared/conformance). */
export const SHARED_SCENARIOS = fileURLToPath(
  new URL('../../../../shared/conformance/', import.meta.url),
)
/** Our own scenarios (packages/policy-core/scenarios). */
export const OWN_SCENARIOS = fileURLToPath(new URL('../scenarios/', import.meta.url))

/** Every `.yaml`/`.yml` file below `dir`, in name order, sub-folders included. */
export function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path))
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) out.push(path)
  }
  return out
}
