/**
 * Runs every conformance scenario: the shared ones (beside the repository, in
 * ../shared/conformance) and our own (packages/policy-core/scenarios). Each flow is its own
 * test case: enforced.action must equal `expect`, staged.action `expectStaged ?? expect`.
 */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readScenario, simulateScenario } from '../src/index.ts'
import { OWN_SCENARIOS, SHARED_SCENARIOS, yamlFiles } from './scenario-files.ts'

describe('conformance folders', () => {
  it('finds the shared conformance scenarios beside the repository', () => {
    expect(yamlFiles(SHARED_SCENARIOS).length).toBeGreaterThan(0)
  })
  it('finds our own scenarios', () => {
    expect(yamlFiles(OWN_SCENARIOS).length).toBeGreaterThan(0)
  })
})

for (const [root, label] of [
  [SHARED_SCENARIOS, 'shared'],
  [OWN_SCENARIOS, 'own'],
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
