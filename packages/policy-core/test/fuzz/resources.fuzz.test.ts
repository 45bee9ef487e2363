/**
 * Fuzzing the YAML importer: `loadResources` on mutated resources of every kind (printed as
 * YAML, JSON or a `List`), and on raw strings and YAML token soups. It must never throw;
 * it either gives resources that validate again, or errors that are well-formed
 * PolicyErrors placed at a document and (for object documents) a field path.
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { stringify } from 'yaml'
import { loadResources, printResources, type Resource, validateResource } from '../../src/index.ts'
import {
  FUZZ_SCALE,
  fuzzRuns,
  isWellFormedError,
  mutate,
  mutations,
  rawText,
  validResource,
} from './arbitraries.ts'

const TARGETS = fuzzRuns({ valid: 500, mutated: 4_000, raw: 6_000 })
const ran = { valid: 0, mutated: 0, raw: 0 }
const TIMEOUT = 120_000 * FUZZ_SCALE

/** Asserts the contract of `loadResources` on one input text. */
function checkLoad(text: string): void {
  const result = loadResources(text)
  if (result.ok) {
    for (const r of result.value) {
      const again = validateResource(r)
      expect(again.ok, JSON.stringify(again)).toBe(true)
    }
    return
  }
  expect(result.errors.length).toBeGreaterThan(0)
  // YAML errors come alone (validation runs only on text that parsed).
  const parsed = !result.errors.some((e) => e.code === 'YAML_SYNTAX' || e.code === 'YAML_LIMIT')
  for (const e of result.errors) {
    expect(isWellFormedError(e), String(e)).toBe(true)
    if (!parsed) continue
    // The text parsed, so each error belongs to a document, and (unless the document is not
    // an object at all) to a field of it.
    expect(e.location.document, String(e)).toBeTypeOf('number')
    if (!e.message.startsWith('expected a resource object'))
      expect(e.path.length, String(e)).toBeGreaterThan(0)
  }
}

const format = fc.constantFrom('yaml', 'json', 'list', 'multi')

function print(docs: unknown[], how: string): string {
  switch (how) {
    case 'json':
      return docs.map((d) => JSON.stringify(d) ?? 'null').join('\n---\n')
    case 'list':
      return stringify({ apiVersion: 'v1', kind: 'List', items: docs })
    case 'multi':
      return JSON.stringify(docs)
    default:
      return docs.map((d) => stringify(d)).join('---\n')
  }
}

describe('loadResources (fuzz)', () => {
  it(
    'accepts valid resources of every kind and prints them back identically',
    () => {
      fc.assert(
        fc.property(
          fc.array(validResource, { minLength: 1, maxLength: 3 }),
          format,
          (docs, how) => {
            ran.valid++
            const result = loadResources(print(docs, how))
            expect(result.ok, JSON.stringify(result)).toBe(true)
            const resources = (result as { value: Resource[] }).value
            expect(loadResources(printResources(resources))).toEqual({ ok: true, value: resources })
          },
        ),
        { numRuns: TARGETS.valid },
      )
    },
    TIMEOUT,
  )

  it(
    'never throws on mutated resources, and places every error',
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(validResource, mutations), { minLength: 1, maxLength: 2 }),
          format,
          (pairs, how) => {
            ran.mutated++
            const docs = pairs.map(([doc, edits]) => mutate(doc, edits))
            checkLoad(print(docs, how))
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
          checkLoad(text)
        }),
        { numRuns: TARGETS.raw },
      )
    },
    TIMEOUT,
  )

  it('places an unknown empty top-level key at a path (found by fuzzing)', () => {
    const result = loadResources(': x\n')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain("['']")
  })

  it('reads a map used as a key without printing warnings (found by fuzzing)', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
    try {
      expect(loadResources('? {a: 1}\n: x\n').ok).toBe(false)
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })

  it.each([
    [
      'a selector expression',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a, namespace: a}\nspec:\n  podSelector:\n    matchExpressions: [{key: a, operator: null}]\n',
      'spec.podSelector.matchExpressions[0].operator',
    ],
    [
      'an ICMP match',
      'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: a}\nspec:\n  ingress: [{action: Allow, protocol: ICMP, icmp: {type: null, code: 1}}]\n',
      'spec.ingress[0].icmp.type',
    ],
    [
      'an endpoint port',
      'apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata: {name: a}\nspec:\n  node: n\n  interfaceName: eth0\n  ports: [{name: web, protocol: TCP, port: null}]\n',
      'spec.ports[0].port',
    ],
  ])('refuses a required field set to null in %s (found by fuzzing)', (_what, text, path) => {
    const result = loadResources(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain(path)
  })

  it('ran every generated input it was asked to', () => {
    // Last in the file: the properties above have all finished.
    for (const key of Object.keys(TARGETS) as Array<keyof typeof TARGETS>)
      expect(ran[key], key).toBeGreaterThanOrEqual(TARGETS[key])
  })
})
