import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  compileSelector,
  evaluateSelector,
  hasNegatedNegation,
  normaliseSelector,
  parseSelector,
  printSelector,
  validateSelector,
} from './index.ts'

/** One row of the shared conformance file (cases taken from Calico's own selector tests). */
type ConformanceRow =
  | { selector: string; valid: boolean }
  | { selector: string; labels: Record<string, string>; matches: boolean }
  | { selector: string; canonical: string }

// The shared folder sits beside the repository root (also in CI). Every JSON file in it whose
// name speaks of selectors is a table of cases (selectors.json, and any further suites).
const sharedDir = fileURLToPath(new URL('../../../../../shared/conformance/', import.meta.url))

function selectorFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...selectorFiles(path))
    else if (name.endsWith('.json') && name.toLowerCase().includes('selector')) out.push(path)
  }
  return out
}

const files = selectorFiles(sharedDir)
const suites: Array<[string, ConformanceRow[]]> = files.map((f) => [
  relative(sharedDir, f),
  JSON.parse(readFileSync(f, 'utf8')) as ConformanceRow[],
])
const rows = suites.flatMap(([, r]) => r)

it('finds the shared selector cases beside the repository', () => {
  expect(files.map((f) => relative(sharedDir, f))).toContain('selectors.json')
})

describe('shared selector conformance cases', () => {
  it('has cases of every kind', () => {
    expect(rows.filter((r) => 'valid' in r).length).toBeGreaterThan(0)
    expect(rows.filter((r) => 'matches' in r).length).toBeGreaterThan(0)
    expect(rows.filter((r) => 'canonical' in r).length).toBeGreaterThan(0)
  })

  for (const row of rows) {
    if ('valid' in row) {
      it(`${JSON.stringify(row.selector)} is ${row.valid ? 'valid' : 'invalid'}`, () => {
        expect(validateSelector(row.selector) === undefined).toBe(row.valid)
        if (row.valid) {
          const ast = parseSelector(row.selector)
          const canonical = printSelector(ast)
          expect(validateSelector(canonical)).toBeUndefined()
          // Calico prints `!(!x)` as `!!x`, which re-parses as `x`: no idempotence there.
          if (!hasNegatedNegation(ast))
            expect(printSelector(parseSelector(canonical))).toBe(canonical)
        } else {
          expect(() => parseSelector(row.selector)).toThrow()
        }
      })
    } else if ('matches' in row) {
      it(`${JSON.stringify(row.selector)} ${row.matches ? 'matches' : 'does not match'} ${JSON.stringify(row.labels)}`, () => {
        const ast = parseSelector(row.selector)
        expect(compileSelector(ast)(row.labels)).toBe(row.matches)
        expect(evaluateSelector(ast, row.labels)).toBe(row.matches)
        // Re-checked after canonicalising.
        const canonical = printSelector(ast)
        expect(compileSelector(canonical)(row.labels)).toBe(row.matches)
      })
    } else {
      it(`${JSON.stringify(row.selector)} canonicalises to ${row.canonical}`, () => {
        expect(normaliseSelector(row.selector)).toBe(row.canonical)
        const ast = parseSelector(row.selector)
        expect(printSelector(ast)).toBe(row.canonical)
        if (!hasNegatedNegation(ast)) expect(normaliseSelector(row.canonical)).toBe(row.canonical)
      })
    }
  }
})
