import { describe, expect, it } from 'vitest'
import { compareCodePoints } from './ast.ts'
import {
  compileSelector,
  MATCH_ALL,
  MATCH_NONE,
  parseSelector,
  prefixSelector,
  printSelector,
  selectorLabels,
} from './index.ts'

/** Calico's PrefixVisitor tests: input, output with every label prefixed by `visited/`. */
const prefixTable: [string, string][] = [
  ["k == 'v'", 'visited/k == "v"'],
  ["k != 'v'", 'visited/k != "v"'],
  ["k contains 'v'", 'visited/k contains "v"'],
  ["k starts with 'v'", 'visited/k starts with "v"'],
  ["k ends with 'v'", 'visited/k ends with "v"'],
  ["k == 'v' && x == 'y'", '(visited/k == "v" && visited/x == "y")'],
  ["k == 'v' || has(x)", '(visited/k == "v" || has(visited/x))'],
  ["!(k == 'v')", '!visited/k == "v"'],
  ["k in {'v'}", 'visited/k in {"v"}'],
  ["k not in {'v'}", 'visited/k not in {"v"}'],
  [
    "!(!(k == 'v' && has(t) || all()) && (a in {'b', 'c'}))",
    '!(!((visited/k == "v" && has(visited/t)) || all()) && visited/a in {"b", "c"})',
  ],
  ['global() && all()', '(global() && all())'],
]

describe('prefixSelector', () => {
  it.each(prefixTable)('%j → %j', (input, output) => {
    const ast = parseSelector(input)
    expect(printSelector(prefixSelector(ast, 'visited/'))).toBe(output)
    // The input tree is left unchanged.
    expect(printSelector(ast)).toBe(printSelector(parseSelector(input)))
  })

  it('turns a namespace selector into one over pcns. labels', () => {
    const matcher = compileSelector(prefixSelector(parseSelector('team == "a"'), 'pcns.'))
    expect(matcher({ 'pcns.team': 'a' })).toBe(true)
    expect(matcher({ team: 'a' })).toBe(false)
  })
})

describe('selectorLabels', () => {
  it.each([
    ['', []],
    ['all() && global()', []],
    ['a == "x" && (has(b) || !c in {"y"}) && a != "z"', ['a', 'b', 'c']],
    ['x contains "" || y starts with "" || z ends with "" || w not in {}', ['x', 'y', 'z', 'w']],
  ] as [string, string[]][])('%j refers to %j', (text, labels) => {
    expect(selectorLabels(parseSelector(text))).toEqual(labels)
  })
})

describe('compiled constants', () => {
  it.each([
    ['', MATCH_ALL],
    ['all()', MATCH_ALL],
    ['global()', MATCH_ALL],
    ['!all()', MATCH_NONE],
    ['a in {}', MATCH_NONE],
    ['!a in {}', MATCH_ALL],
    ['a not in {}', MATCH_ALL],
    ['all() && all()', MATCH_ALL],
    ['has(a) || all()', MATCH_ALL],
    ['has(a) && !all()', MATCH_NONE],
  ] as const)('%j compiles to a shared constant', (text, constant) => {
    expect(compileSelector(text)).toBe(constant)
  })

  it('compiles an and/or of one remaining operand to that operand alone', () => {
    const m = compileSelector('all() && a == "b"')
    expect(m({ a: 'b' })).toBe(true)
    expect(m({})).toBe(false)
  })

  it('treats a label whose value is undefined as absent', () => {
    const labels = { a: undefined } as unknown as Record<string, string>
    expect(compileSelector('has(a)')(labels)).toBe(false)
    expect(compileSelector('a != "x"')(labels)).toBe(true)
    expect(compileSelector('a not in {"x"}')(labels)).toBe(true)
  })

  it('works on label objects without a prototype', () => {
    const labels = Object.assign(Object.create(null), { a: 'b' }) as Record<string, string>
    expect(compileSelector('a == "b" && !has(constructor)')(labels)).toBe(true)
  })
})

describe('compareCodePoints', () => {
  it('orders by code point (UTF-8 byte order), not UTF-16 unit', () => {
    const values = ['😀', '\uffff', 'é', 'z', 'A', '']
    expect([...values].sort(compareCodePoints)).toEqual(['', 'A', 'z', 'é', '\uffff', '😀'])
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0)
    expect(compareCodePoints('a', 'a')).toBe(0)
  })
})
