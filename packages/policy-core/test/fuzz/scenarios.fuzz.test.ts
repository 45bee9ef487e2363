/**
 * Fuzzing the scenario reader: mutated copies of the conformance scenarios (shared and our
 * own), printed as YAML or JSON, with their resources as a YAML string or a list. `readScenario`
 * never throws; its errors are well-formed and carry a field path; a scenario it accepts
 * simulates without throwing and gives Allow or Deny for every flow in both views.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { parse, parseAllDocuments, stringify } from 'yaml'
import { readScenario, simulateScenario } from '../../src/index.ts'
import { OWN_SCENARIOS, SHARED_SCENARIOS, yamlFiles } from '../scenario-files.ts'
import {
  FUZZ_SCALE,
  fuzzRuns,
  isWellFormedError,
  mutate,
  mutations,
  rawText,
} from './arbitraries.ts'

const TARGETS = fuzzRuns({ mutated: 600, raw: 2_000 })
const ran = { mutated: 0, raw: 0 }
const TIMEOUT = 120_000 * FUZZ_SCALE

const dirs = [SHARED_SCENARIOS, OWN_SCENARIOS]

/** Each scenario as a plain object, twice: resources as a YAML string and as a list. */
const bases: unknown[] = dirs.flatMap(yamlFiles).flatMap((file) => {
  const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  const resources =
    typeof doc.resources === 'string'
      ? parseAllDocuments(doc.resources).map((d) => d.toJS() as unknown)
      : doc.resources
  return [doc, { ...doc, resources }]
})

/** Asserts the contract of `readScenario` on one text. */
function checkScenario(text: string): void {
  const result = readScenario(text)
  if (!result.ok) {
    expect(result.errors.length).toBeGreaterThan(0)
    for (const e of result.errors) {
      expect(isWellFormedError(e), String(e)).toBe(true)
      // Only an unreadable text, a document that is not a scenario object at all, or a
      // resource (placed by its document index) that is not an object has no field to point at.
      const whole =
        e.code === 'YAML_SYNTAX' ||
        e.message.startsWith('expected a scenario object') ||
        (e.location.document !== undefined && e.message.startsWith('expected a resource object'))
      if (!whole) expect(e.path.length, String(e)).toBeGreaterThan(0)
    }
    return
  }
  const sim = simulateScenario(result.value, { pending: true })
  expect(sim.flows.map((f) => f.id)).toEqual(result.value.flows.map((f) => f.id))
  for (const f of sim.flows) {
    expect(['Allow', 'Deny']).toContain(f.enforced.action)
    expect(['Allow', 'Deny']).toContain(f.staged.action)
  }
}

describe('readScenario (fuzz)', () => {
  it('finds scenarios to mutate', () => {
    expect(bases.length).toBeGreaterThanOrEqual(4)
  })

  it(
    'never throws on mutated scenarios, places every error, and simulates what it accepts',
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...bases),
          fc.option(mutations, { freq: 4 }),
          fc.boolean(),
          (base, edits, json) => {
            ran.mutated++
            const doc = edits ? mutate(base, edits) : base
            checkScenario(json ? JSON.stringify(doc) : stringify(doc))
          },
        ),
        { numRuns: TARGETS.mutated },
      )
    },
    TIMEOUT,
  )

  it(
    'never throws on raw strings and YAML token soups',
    () => {
      fc.assert(
        fc.property(rawText, (text) => {
          ran.raw++
          checkScenario(text)
        }),
        { numRuns: TARGETS.raw },
      )
    },
    TIMEOUT,
  )

  it('reads tagged YAML without printing warnings (found by fuzzing)', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
    try {
      expect(readScenario('!<tag:x> {}').ok).toBe(false)
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })

  it('ran every generated input it was asked to', () => {
    // Last in the file: the properties above have all finished.
    for (const key of Object.keys(TARGETS) as Array<keyof typeof TARGETS>)
      expect(ran[key], key).toBeGreaterThanOrEqual(TARGETS[key])
  })
})
