import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalSet } from './ast.ts'
import {
  compileSelector,
  evaluateSelector,
  normaliseSelector,
  parseSelector,
  printSelector,
  SelectorError,
  type SelectorNode,
  tryParseSelector,
} from './index.ts'

// A small label pool so that generated label sets often hit the labels a selector tests;
// it includes keywords and names inherited from Object.prototype.
const labelKey = fc.oneof(
  fc.constantFrom(
    'a',
    'b',
    'app',
    'in',
    'all',
    'contains',
    'has',
    'constructor',
    'toString',
    '__proto__',
  ),
  fc.stringMatching(/^[A-Za-z0-9_./-]{1,8}$/),
)
// No value can hold both quote characters (the language has no escapes).
const value = fc
  .oneof(
    fc.constantFrom('', 'x', 'y', 'web', '"', "'", 'a b', '&&', '}'),
    fc.string({ maxLength: 6 }),
  )
  .filter((v) => !(v.includes('"') && v.includes("'")))

const leaf: fc.Arbitrary<SelectorNode> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('eq', 'ne', 'contains', 'startsWith', 'endsWith'),
    label: labelKey,
    value,
  }) as fc.Arbitrary<SelectorNode>,
  fc
    .record({
      kind: fc.constantFrom('in', 'notIn'),
      label: labelKey,
      values: fc.array(value, { maxLength: 12 }).map(canonicalSet),
    })
    .map((n) => n as SelectorNode),
  labelKey.map((label): SelectorNode => ({ kind: 'has', label })),
  fc.constantFrom<SelectorNode>({ kind: 'all' }, { kind: 'global' }),
)

const { node: selectorArb } = fc.letrec<{ node: SelectorNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    tie('node').map((operand): SelectorNode => ({ kind: 'not', operand })),
    fc
      .record({
        kind: fc.constantFrom('and', 'or'),
        operands: fc.array(tie('node'), { minLength: 2, maxLength: 4 }),
      })
      .map((n) => n as SelectorNode),
  ),
}))

const labelsArb = fc.dictionary(labelKey, value, { maxKeys: 6 })

/** The tree with every `!(!x)` replaced by `x`, at any depth. */
function collapseDoubleNegation(n: SelectorNode): SelectorNode {
  switch (n.kind) {
    case 'not':
      return n.operand.kind === 'not'
        ? collapseDoubleNegation(n.operand.operand)
        : { kind: 'not', operand: collapseDoubleNegation(n.operand) }
    case 'and':
    case 'or':
      return { kind: n.kind, operands: n.operands.map(collapseDoubleNegation) }
    default:
      return n
  }
}

describe('selector properties', () => {
  it('print → parse gives the same tree (negated negations collapsed), and printing is idempotent', () => {
    fc.assert(
      fc.property(selectorArb, (ast) => {
        // Calico prints `!(!x)` as `!!x`, which parses as `x`; every other tree round-trips.
        const collapsed = collapseDoubleNegation(ast)
        const text = printSelector(collapsed)
        const reparsed = parseSelector(printSelector(ast))
        expect(reparsed).toEqual(collapsed)
        expect(printSelector(reparsed)).toBe(text)
        expect(normaliseSelector(text)).toBe(text)
      }),
      { numRuns: 2000 },
    )
  })

  it('the compiled matcher agrees with the interpreter', () => {
    fc.assert(
      fc.property(selectorArb, fc.array(labelsArb, { minLength: 1, maxLength: 8 }), (ast, sets) => {
        const matcher = compileSelector(ast)
        const reparsed = compileSelector(printSelector(ast))
        for (const labels of sets) {
          const expected = evaluateSelector(ast, labels)
          expect(matcher(labels)).toBe(expected)
          expect(reparsed(labels)).toBe(expected)
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('any text either parses to a canonical, re-parsable form or fails with a SelectorError', () => {
    const piece = fc.constantFrom(
      'a',
      'b',
      ' ',
      '\t',
      '\n',
      '"x"',
      "'y'",
      '"',
      "'",
      '==',
      '=',
      '!=',
      '!',
      '&&',
      '&',
      '||',
      '|',
      '(',
      ')',
      '{',
      '}',
      ',',
      'in',
      'not',
      'notin',
      'contains',
      'starts',
      'with',
      'ends',
      'has(',
      'all(',
      'global(',
      '%',
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const text = pieces.join('')
        const result = tryParseSelector(text)
        if (result.ok) {
          const canonical = printSelector(result.ast)
          expect(parseSelector(canonical)).toEqual(result.ast)
          expect(printSelector(parseSelector(canonical))).toBe(canonical)
        } else {
          expect(result.error).toBeInstanceOf(SelectorError)
          expect(result.error.range.start).toBeGreaterThanOrEqual(0)
          expect(result.error.range.end).toBeLessThanOrEqual(text.length)
        }
      }),
      { numRuns: 5000 },
    )
  })
})
