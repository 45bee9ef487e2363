/**
 * Runs every conformance scenario: the shared ones (beside the repository, in
 * ../shared/conformance) and our own (packages/policy-core/scenarios). Each flow is its own
 * test case: enforced.action must equal `expect`, staged.action `expectStaged ?? expect`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readScenario, simulateScenario } from '../src/index.ts'

const sharedDir = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url))
const ownDir = fileURLToPath(new URL('../scenarios/', import.meta.url))

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path))
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) out.push(path)
  }
  return out
}

describe('conformance folders', () => {
  it('finds the shared conformance scenarios beside the repository', () => {
    expect(yamlFiles(sharedDir).length).toBeGreaterThan(0)
  })
  it('finds our own scenarios', () => {
    expect(yamlFiles(ownDir).length).toBeGreaterThan(0)
  })
})

for (const [root, label] of [
  [sharedDir, 'shared'],
  [ownDir, 'own'],
] as const) {
  for (const file of yamlFiles(root)) {
    const name = `${label}/${relative(root, file)}`
    const parsed = readScenario(readFileSync(file, 'utf8'))
    describe(name, () => {
      if (!parsed.ok) {
        it('is a valid scenario', () => {
          expect(parsed.errors.map(String)).toEqual([])
        })
        return
      }
      const result = simulateScenario(parsed.value)
      parsed.value.flows.forEach((flow, i) => {
        it(flow.id, () => {
          expect(flow.expect, 'every conformance flow states expect').toBeDefined()
          const got = result.flows[i]
          expect(got?.id).toBe(flow.id)
          expect({ enforced: got?.enforced.action, staged: got?.staged.action }).toEqual({
            enforced: flow.expect,
            staged: flow.expectStaged ?? flow.expect,
          })
        })
      })
    })
  }
}
