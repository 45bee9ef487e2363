/**
 * Fuzzing the selector parser: random token sequences and character-level mutations of
 * valid selectors. `tryParseSelector` never throws; an error is a SelectorError whose range
 * lies inside the text; a selector that parses prints to a canonical form that is a fixed
 * point, matches the same label sets, and compiles.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  compileSelector,
  normaliseSelector,
  printSelector,
  SelectorError,
  tryParseSelector,
  validateSelector,
} from '../../src/index.ts'
import { FUZZ_SCALE, fuzzRuns, labelKey, labelValue, validSelector } from './arbitraries.ts'

const TARGETS = fuzzRuns({ tokens: 14_000, mutated: 14_000 })
const ran = { tokens: 0, mutated: 0 }
const TIMEOUT = 120_000 * FUZZ_SCALE

const token = fc.oneof(
  fc.constantFrom(
    'has(',
    ')',
    '(',
    'all()',
    'global()',
    '==',
    '!=',
    ' in ',
    ' not in ',
    '{',
    '}',
    ',',
    '&&',
    '||',
    '!',
    ' contains ',
    ' starts with ',
    ' ends with ',
    ' ',
    '\t',
    '\n',
    "'",
    '"',
    '\\',
    'projectcalico.org/name',
    'a/b/c',
    '.',
    '/',
    '-',
    '_',
    '😀',
    '\u0000',
    '\uD800',
  ),
  labelKey,
  labelValue.map((v) => `'${v}'`),
  labelValue.map((v) => `"${v}"`),
  fc.string({ maxLength: 3 }),
)

const labelSet = fc.dictionary(labelKey, labelValue, { maxKeys: 4 })

/** An edit of a string: insert, delete or replace at a position taken modulo its length. */
const charEdit = fc.record({
  at: fc.nat(),
  del: fc.nat(3),
  insert: fc.oneof(fc.string({ maxLength: 3 }), token),
})

/** Asserts the contract of the selector facade on one text. */
function checkSelector(text: string, labelSets: Array<Record<string, string>>): void {
  const result = tryParseSelector(text)
  const validation = validateSelector(text)
  if (!result.ok) {
    const e = result.error
    expect(e).toBeInstanceOf(SelectorError)
    expect(['SELECTOR_SYNTAX', 'SELECTOR_LIMIT']).toContain(e.code)
    expect(e.message.length).toBeGreaterThan(0)
    expect(e.range.start, e.message).toBeGreaterThanOrEqual(0)
    expect(e.range.start, e.message).toBeLessThanOrEqual(e.range.end)
    expect(e.range.end, e.message).toBeLessThanOrEqual(text.length)
    expect(validation?.message).toBe(e.message)
    expect(() => compileSelector(text)).toThrow(SelectorError)
    return
  }
  expect(validation).toBeUndefined()
  const printed = printSelector(result.ast)
  const again = tryParseSelector(printed)
  expect(again.ok, printed).toBe(true)
  if (!again.ok) return
  expect(printSelector(again.ast)).toBe(printed)
  expect(normaliseSelector(printed)).toBe(printed)
  expect(normaliseSelector(text)).toBe(printed)
  const original = compileSelector(result.ast)
  const canonical = compileSelector(printed)
  for (const labels of labelSets) expect(canonical(labels), printed).toBe(original(labels))
}

describe('tryParseSelector (fuzz)', () => {
  it(
    'never throws on token soups, and places every error inside the text',
    () => {
      fc.assert(
        fc.property(
          fc.array(token, { maxLength: 16 }),
          fc.array(labelSet, { maxLength: 3 }),
          (tokens, sets) => {
            ran.tokens++
            checkSelector(tokens.join(''), sets)
          },
        ),
        { numRuns: TARGETS.tokens },
      )
    },
    TIMEOUT,
  )

  it(
    'never throws on edited valid selectors',
    () => {
      fc.assert(
        fc.property(
          validSelector,
          fc.array(charEdit, { minLength: 1, maxLength: 3 }),
          fc.array(labelSet, { maxLength: 3 }),
          (selector, edits, sets) => {
            ran.mutated++
            let text = selector
            for (const { at, del, insert } of edits) {
              const i = at % (text.length + 1)
              text = text.slice(0, i) + insert + text.slice(i + del)
            }
            checkSelector(text, sets)
          },
        ),
        { numRuns: TARGETS.mutated },
      )
    },
    TIMEOUT,
  )

  it('ran every generated input it was asked to', () => {
    // Last in the file: the properties above have all finished.
    for (const key of Object.keys(TARGETS) as Array<keyof typeof TARGETS>)
      expect(ran[key], key).toBeGreaterThanOrEqual(TARGETS[key])
  })
})
