import { describe, expect, it } from 'vitest'
import type { Labels } from '../resources/types.ts'
import {
  compileSelector,
  evaluateSelector,
  hasNegatedNegation,
  normaliseSelector,
  parseSelector,
  printSelector,
  SELECTOR_LIMITS,
  SelectorError,
  tryParseSelector,
  validateSelector,
} from './index.ts'

/** A selector with label sets it matches and label sets it does not. */
interface MatchCase {
  sel: string
  matches: Labels[]
  nonMatches: Labels[]
}

/** Calico's `parser_test.go` selector table, then our own cases of the semantics in §1.3. */
const matchTable: MatchCase[] = [
  {
    sel: 'a == "b"',
    matches: [{ a: 'b' }, { a: 'b', c: 'd' }],
    nonMatches: [{}, { a: 'c' }, { c: 'd' }],
  },
  {
    sel: 'a == "b" && c == "d"',
    matches: [{ a: 'b', c: 'd' }],
    nonMatches: [{}, { a: 'b', c: 'e' }, { a: 'c', c: 'd' }, { c: 'd' }, { a: 'b' }],
  },
  {
    sel: 'a == "b" || c == "d"',
    matches: [{ a: 'b', c: 'd' }, { a: 'b' }, { c: 'd' }],
    nonMatches: [{}, { a: 'e', c: 'e' }, { c: 'e' }, { a: 'e' }],
  },
  {
    sel: `a in {"'", '"', "c"}`,
    matches: [{ a: 'c' }, { a: '"' }, { a: "'" }],
    nonMatches: [{}, { a: 'e' }],
  },
  {
    sel: `a not in {"'", '"', "c"}`,
    matches: [{}, { a: 'e' }],
    nonMatches: [{ a: 'c' }, { a: '"' }, { a: "'" }],
  },
  { sel: "a == 'a'", matches: [{ a: 'a' }], nonMatches: [{ a: 'b' }, {}] },
  { sel: 'a == "a"', matches: [{ a: 'a' }], nonMatches: [] },
  { sel: 'a != "b"', matches: [{ a: 'a' }], nonMatches: [] },
  { sel: 'a != "a"', matches: [{}], nonMatches: [{ a: 'a' }] },
  { sel: "a != 'a'", matches: [], nonMatches: [{ a: 'a' }] },
  {
    sel: 'a contains "a"',
    matches: [{ a: 'a' }, { a: 'bab' }, { a: 'aaa', b: 'c' }],
    nonMatches: [{}, { a: 'b' }, { b: 'aaa' }],
  },
  {
    sel: 'a starts with "a"',
    matches: [{ a: 'a' }, { a: 'abb' }, { a: 'aaa', b: 'c' }],
    nonMatches: [{}, { a: 'b' }, { a: 'baa' }, { b: 'aaa' }],
  },
  {
    sel: 'a ends with "a"',
    matches: [{ a: 'a' }, { a: 'bba' }, { a: 'aaa', b: 'c' }],
    nonMatches: [{}, { a: 'b' }, { a: 'aab' }, { b: 'aaa' }],
  },
  { sel: 'a in {"a"}', matches: [{ a: 'a' }], nonMatches: [{ a: 'b' }] },
  { sel: '!a in {"a"}', matches: [{ a: 'b' }], nonMatches: [] },
  { sel: 'a in {"a", "b"}', matches: [{ a: 'a' }, { a: 'b' }], nonMatches: [{ a: 'c' }] },
  { sel: 'a not in {"d", "e"}', matches: [{ a: 'a' }], nonMatches: [] },
  { sel: 'a not in {"a"}', matches: [], nonMatches: [{ a: 'a' }] },
  { sel: 'has(a)', matches: [{ a: 'b' }], nonMatches: [] },
  { sel: 'has(b)', matches: [], nonMatches: [{ a: 'b' }] },
  { sel: '!has(a)', matches: [{ b: 'b' }], nonMatches: [{ a: 'b' }] },
  { sel: '!!has(b)', matches: [], nonMatches: [{ a: 'b' }] },
  { sel: '! has(a)', matches: [], nonMatches: [{ a: 'b' }] },
  { sel: '!!! has(a)', matches: [], nonMatches: [{ a: 'b' }] },
  { sel: '!!!has(a)', matches: [], nonMatches: [{ a: 'b' }] },
  { sel: '!! ! has(a)', matches: [], nonMatches: [{ a: 'b' }] },
  { sel: '! !!has(a)', matches: [], nonMatches: [{ a: 'b' }] },
  { sel: '', matches: [{}, { a: 'b' }], nonMatches: [] },
  { sel: ' ', matches: [{}], nonMatches: [] },
  { sel: 'all()', matches: [{}], nonMatches: [] },
  { sel: ' all()', matches: [{}, { a: 'b' }], nonMatches: [] },
  { sel: 'global()', matches: [{}], nonMatches: [] },
  { sel: ' global()', matches: [{}, { a: 'b' }], nonMatches: [] },
  { sel: "a == 'a1' && b == 'b1'", matches: [{ a: 'a1', b: 'b1' }], nonMatches: [] },
  { sel: "a == 'a1' && b != 'b1'", matches: [], nonMatches: [{ a: 'a1', b: 'b1' }] },
  { sel: "a != 'a1' && b == 'b1'", matches: [], nonMatches: [{ a: 'a1', b: 'b1' }] },
  { sel: "a != 'a1' && b != 'b1'", matches: [], nonMatches: [{ a: 'a1', b: 'b1' }] },
  { sel: "a != 'a1' && !b == 'b1'", matches: [], nonMatches: [{ a: 'a1', b: 'b1' }] },
  { sel: "!a == 'a1' && b == 'b1'", matches: [], nonMatches: [{ a: 'a1', b: 'b1' }] },
  { sel: 'has(a) && !has(b)', matches: [{ a: 'a' }], nonMatches: [] },
  { sel: '!has(b) && has(a)', matches: [{ a: 'a' }], nonMatches: [] },
  { sel: '!(!has(a) || has(b))', matches: [{ a: 'a' }], nonMatches: [] },
  { sel: '!(has(b) || !has(a))', matches: [{ a: 'a' }], nonMatches: [] },
  { sel: "a == 'a1' || b == 'b1'", matches: [{ a: 'a1', b: 'b1' }], nonMatches: [] },
  { sel: "a == 'a1' || b != 'b1'", matches: [{ a: 'a1', b: 'b1' }], nonMatches: [] },
  { sel: "a != 'a1' || b == 'b1'", matches: [{ a: 'a1', b: 'b1' }], nonMatches: [] },
  { sel: "a != 'a1' || b != 'b1'", matches: [], nonMatches: [{ a: 'a1', b: 'b1' }] },
  { sel: "! a == 'a1' || ! b == 'b1'", matches: [], nonMatches: [{ a: 'a1', b: 'b1' }] },
  // Our own: presence, empty values, absent labels.
  { sel: 'has(a)', matches: [{ a: '' }], nonMatches: [{}, { A: 'x' }] },
  { sel: 'a == ""', matches: [{ a: '' }], nonMatches: [{}, { a: ' ' }] },
  { sel: 'a != ""', matches: [{}, { a: 'x' }], nonMatches: [{ a: '' }] },
  { sel: '!a == "a"', matches: [{}, { a: 'b' }], nonMatches: [{ a: 'a' }] },
  { sel: 'a in {}', matches: [], nonMatches: [{}, { a: '' }, { a: 'x' }] },
  { sel: 'a not in {}', matches: [{}, { a: '' }, { a: 'x' }], nonMatches: [] },
  { sel: 'a in {""}', matches: [{ a: '' }], nonMatches: [{}, { a: 'x' }] },
  { sel: 'a contains ""', matches: [{ a: '' }, { a: 'x' }], nonMatches: [{}] },
  { sel: 'a starts with ""', matches: [{ a: '' }], nonMatches: [{}] },
  { sel: 'a ends with ""', matches: [{ a: 'x' }], nonMatches: [{}] },
  { sel: '!a contains "x"', matches: [{}, { a: 'y' }], nonMatches: [{ a: 'axa' }] },
  { sel: '!a starts with "x"', matches: [{}], nonMatches: [{ a: 'xa' }] },
  // Exact, case-sensitive comparison; no numeric folding.
  { sel: 'a == "B"', matches: [{ a: 'B' }], nonMatches: [{ a: 'b' }, { A: 'B' }] },
  { sel: 'a == "01"', matches: [{ a: '01' }], nonMatches: [{ a: '1' }] },
  { sel: 'a contains "Ab"', matches: [{ a: 'xAbx' }], nonMatches: [{ a: 'xabx' }] },
  // Precedence: ! over &&, && over ||.
  {
    sel: 'a == "1" || b == "1" && c == "1"',
    matches: [{ a: '1' }, { b: '1', c: '1' }],
    nonMatches: [{ b: '1' }],
  },
  {
    sel: '(a == "1" || b == "1") && c == "1"',
    matches: [{ a: '1', c: '1' }],
    nonMatches: [{ a: '1' }],
  },
  { sel: '!(a == "1" && b == "1")', matches: [{}, { a: '1' }], nonMatches: [{ a: '1', b: '1' }] },
  { sel: '!a == "1" && b == "1"', matches: [{ b: '1' }], nonMatches: [{ a: '1', b: '1' }] },
  { sel: '!all()', matches: [], nonMatches: [{}, { a: 'b' }] },
  { sel: '!global()', matches: [], nonMatches: [{}] },
  { sel: 'all() && !all()', matches: [], nonMatches: [{}] },
  { sel: 'all() || !all()', matches: [{}], nonMatches: [] },
  {
    sel: 'has(a) && has(b) && has(c) && has(d) && has(e)',
    matches: [{ a: '', b: '', c: '', d: '', e: '' }],
    nonMatches: [{ a: '', b: '', c: '', d: '' }],
  },
  { sel: 'has(a) || has(b) || has(c) || has(d)', matches: [{ d: '' }], nonMatches: [{ e: '' }] },
  {
    sel: 'a in {"1","2","3","4","5","6","7","8","9","10"}',
    matches: [{ a: '10' }, { a: '1' }],
    nonMatches: [{ a: '11' }, {}],
  },
  { sel: 'a not in {"1","2","3","4","5"}', matches: [{ a: '6' }, {}], nonMatches: [{ a: '5' }] },
  // Keywords as label keys.
  {
    sel: 'contains contains "contains"',
    matches: [{ contains: 'xcontainsx' }],
    nonMatches: [{ contains: 'x' }],
  },
  { sel: 'in in {"in"}', matches: [{ in: 'in' }], nonMatches: [{}] },
  {
    sel: 'all == "x" && has(global)',
    matches: [{ all: 'x', global: '' }],
    nonMatches: [{ all: 'x' }],
  },
  // Label names shared with Object.prototype members are ordinary labels.
  { sel: 'has(constructor)', matches: [{ constructor: '' }], nonMatches: [{}] },
  {
    sel: 'has(toString) || has(__proto__)',
    matches: [JSON.parse('{"__proto__":"x"}')],
    nonMatches: [{}],
  },
  {
    sel: 'constructor != "x"',
    matches: [{}, { constructor: 'y' }],
    nonMatches: [{ constructor: 'x' }],
  },
  { sel: 'constructor not in {"x"}', matches: [{}], nonMatches: [{ constructor: 'x' }] },
  { sel: 'constructor contains ""', matches: [{ constructor: '' }], nonMatches: [{}] },
  { sel: 'valueOf starts with "f"', matches: [{ valueOf: 'fn' }], nonMatches: [{}] },
  { sel: '__proto__ == "x"', matches: [JSON.parse('{"__proto__":"x"}')], nonMatches: [{}] },
  // Values with quote characters, spaces and operators inside.
  { sel: `a == "it's"`, matches: [{ a: "it's" }], nonMatches: [{ a: 'its' }] },
  { sel: `a == 'say "hi"'`, matches: [{ a: 'say "hi"' }], nonMatches: [] },
  { sel: 'a == "x && y || }"', matches: [{ a: 'x && y || }' }], nonMatches: [] },
  { sel: 'a == "line\nbreak"', matches: [{ a: 'line\nbreak' }], nonMatches: [] },
  {
    sel: 'calico/k8s_ns == "kube-system" && k8s-app == "kube-dns"',
    matches: [{ 'calico/k8s_ns': 'kube-system', 'k8s-app': 'kube-dns' }],
    nonMatches: [{ 'k8s-app': 'kube-dns' }],
  },
]

/** Selectors Calico rejects, each with the reason (Calico's `badSelectors`, then ours). */
const invalidTable: [string, string][] = [
  ['b == b', 'label compared with a label'],
  ['b contains b', 'label compared with a label'],
  ['b starts with b', 'label compared with a label'],
  ['b ends with b', 'label compared with a label'],
  ["'b1' == b", 'literal on the left'],
  ['b', 'bare label'],
  ['a b', 'label followed by a label'],
  ['!', 'negation of nothing'],
  ['foo == "bar" &', 'single &'],
  ['foo == "bar" |', 'single |'],
  ['foo != ||', 'operator with no value'],
  ['foo in {"", ||', 'unterminated set'],
  ['foo in ""', 'in needs a set literal'],
  ['"FOO', 'unterminated string'],
  [`"FOO'`, 'unterminated string (other quote does not close)'],
  ["'FOO", 'unterminated string'],
  ['(', 'unterminated parenthesis'],
  ['(a == "foo"', 'unterminated parenthesis'],
  [')', 'unmatched closing parenthesis'],
  ['()', 'empty parentheses'],
  ['%', 'unexpected character'],
  ['a == "b" && %', 'unexpected character'],
  ['a == "b" || %', 'unexpected character'],
  ['a ', 'label not followed by an operator'],
  ['has(foo) &&', '&& not followed by an operand'],
  // Ours.
  ['a == "b"\n', 'a trailing newline is not whitespace (YAML block scalars keep one)'],
  ['\na == "b"', 'a leading newline is not whitespace'],
  ['a == "b"\r\n', 'CR LF is not whitespace'],
  ['a ==', 'no value after =='],
  ['a == "b" c == "d"', 'two expressions without && or ||'],
  ['a == "b" && && c == "d"', 'doubled &&'],
  ['&& a == "b"', 'leading &&'],
  ['|| a == "b"', 'leading ||'],
  ['a == "b" ||', 'trailing ||'],
  ['a === "b"', '=== is == followed by a single ='],
  ['a = "b"', 'single ='],
  ['a != b', 'label compared with a label'],
  ['a == "b" !', 'trailing !'],
  ['!()', 'empty parentheses'],
  ['(a == "b"))', 'unmatched closing parenthesis'],
  ['((a == "b")', 'unterminated parenthesis'],
  ['a in {"a" "b"}', 'set items need a comma between them'],
  ['a in {,}', 'a comma with no item'],
  ['a in {"a",,}', 'two commas'],
  ['a in {"a"', 'unterminated set'],
  ['a in {a}', 'set items must be strings'],
  ['a in ("a", "b")', 'Kubernetes set syntax is not Calico syntax'],
  ['a in', 'in with no set'],
  ['a not in "x"', 'not in needs a set literal'],
  ['a contains {"x"}', 'contains takes a string'],
  ['a == {"x"}', '== takes a string'],
  ['!a', 'Kubernetes existence syntax is not Calico syntax'],
  ['a=b', 'Kubernetes equality syntax is not Calico syntax'],
  ['has (a)', 'has( must not have a space before ('],
  ['has()', 'has( needs a label'],
  ['has(a', "has( needs a closing ')'"],
  ['has(a b)', 'has( takes one label'],
  ['has(a) == "b"', 'has() is not a label'],
  ['all', 'bare label named all'],
  ['all ()', 'all( must not have a space before ('],
  ['all(x)', 'all( takes nothing'],
  ['global(a)', 'global( takes nothing'],
  ['global(', "global( needs a closing ')'"],
  ['a starts "x"', "starts without 'with'"],
  ['a ends "x"', "ends without 'with'"],
  ['a not "x"', "not without 'in'"],
  ['a startswithx "x"', 'operator words end at a word boundary'],
  ['a containsx "x"', 'operator words end at a word boundary'],
  ['a:b == "c"', "':' is not a label character"],
  ['a@b == "c"', "'@' is not a label character"],
  ['é == "c"', 'label characters are ASCII'],
  ['a\u00a0== "b"', 'no-break space is not whitespace'],
  ['a == "b" &&\u2003c == "d"', 'em space is not whitespace'],
  ['a == "b\'', 'a string ends only at its own quote'],
  [`${'k'.repeat(513)} == "v"`, 'label longer than 512 characters'],
  [`has(${'k'.repeat(513)})`, 'label longer than 512 characters'],
]

/** Input → canonical form (Calico's canonicalisation and visitor tests, then ours). */
const canonicalTable: [string, string][] = [
  ['', 'all()'],
  [' all() ', 'all()'],
  [' (all() )', 'all()'],
  ['! (has( b)||! has(a ))', '!(has(b) || !has(a))'],
  ['! (a == "b"&&! c != "d")', '!(a == "b" && !c != "d")'],
  [`a == "'"`, `a == "'"`],
  [`a == '"'`, `a == '"'`],
  [`a contains '"'`, `a contains '"'`],
  [`a contains "'"`, `a contains "'"`],
  [`a startswith '"'`, `a starts with '"'`],
  [`a endswith "'"`, `a ends with "'"`],
  [`a!='"'`, `a != '"'`],
  ['a in {"d"}', 'a in {"d"}'],
  ['a in {"a", "b"}', 'a in {"a", "b"}'],
  ['a in {"d", "a", "b"}', 'a in {"a", "b", "d"}'],
  ['a in {"z", "x", "y", "a"}', 'a in {"a", "x", "y", "z"}'],
  ['a in {"z", "z", "x", "y", "x", "a"}', 'a in {"a", "x", "y", "z"}'],
  ["k == 'v'", 'k == "v"'],
  ["k != 'v'", 'k != "v"'],
  ["k contains 'v'", 'k contains "v"'],
  ["k starts with 'v'", 'k starts with "v"'],
  ["k ends with 'v'", 'k ends with "v"'],
  ["k == 'v' && x == 'y'", '(k == "v" && x == "y")'],
  ["k == 'v' || has(x)", '(k == "v" || has(x))'],
  ["!(k == 'v')", '!k == "v"'],
  ["k in {'v'}", 'k in {"v"}'],
  ["k not in {'v'}", 'k not in {"v"}'],
  [
    "!(!(k == 'v' && has(t) || all()) && (a in {'b', 'c'}))",
    '!(!((k == "v" && has(t)) || all()) && a in {"b", "c"})',
  ],
  // Ours.
  ['a == "b" && c == "d" && e == "f"', '(a == "b" && c == "d" && e == "f")'],
  ['(a == "b" && c == "d") && e == "f"', '((a == "b" && c == "d") && e == "f")'],
  ['a == "b" && (c == "d" && e == "f")', '(a == "b" && (c == "d" && e == "f"))'],
  ['a == "b" || c == "d" && e == "f"', '(a == "b" || (c == "d" && e == "f"))'],
  ['(a == "b" || c == "d") && e == "f"', '((a == "b" || c == "d") && e == "f")'],
  ['((a == "b"))', 'a == "b"'],
  ['(((a == "b" && c == "d")))', '(a == "b" && c == "d")'],
  ['!(a == "b" || c == "d")', '!(a == "b" || c == "d")'],
  ['!!a == "b"', 'a == "b"'],
  // As Calico's String(): a negated negation prints as `!!`, which re-parses as the bare term.
  ['!(!has(a))', '!!has(a)'],
  ['!(!(!has(a)))', '!!!has(a)'],
  ['!(!(a == "b" || c == "d"))', '!!(a == "b" || c == "d")'],
  ['a notin {"x"}', 'a not in {"x"}'],
  ['a not \t in {"x"}', 'a not in {"x"}'],
  ['a in {}', 'a in {}'],
  ['a in {"a",}', 'a in {"a"}'],
  ['a in { "b" , "a" , }', 'a in {"a", "b"}'],
  [`a in {'"', "'", "'"}`, `a in {'"', "'"}`],
  ['a in {"b", "B", "a", "A", "_", "0"}', 'a in {"0", "A", "B", "_", "a", "b"}'],
  ['a in {"é", "z", "😀", "\uffff"}', 'a in {"z", "é", "\uffff", "😀"}'],
  ['has( a )', 'has(a)'],
  ['all( )', 'all()'],
  ['global(\t)', 'global()'],
  ["\t a=='b'\t", 'a == "b"'],
  ['a == "b"\n', 'a == "b"'],
  ['\r\n a == "b" \n', 'a == "b"'],
  ['a == "b" &&', 'a == "b" &&'],
  ['contains contains "contains"', 'contains contains "contains"'],
  ['a == "x" && all()', '(a == "x" && all())'],
]

function checkMatches(c: MatchCase, text: string): void {
  const ast = parseSelector(text)
  const matcher = compileSelector(ast)
  for (const labels of c.matches) {
    expect(matcher(labels), `${text} should match ${JSON.stringify(labels)}`).toBe(true)
    expect(evaluateSelector(ast, labels)).toBe(true)
  }
  for (const labels of c.nonMatches) {
    expect(matcher(labels), `${text} should not match ${JSON.stringify(labels)}`).toBe(false)
    expect(evaluateSelector(ast, labels)).toBe(false)
  }
}

describe('selector matching', () => {
  it.each(matchTable)('$sel', (c) => {
    expect(validateSelector(c.sel)).toBeUndefined()
    checkMatches(c, c.sel)
    // Every row is re-checked after canonicalising.
    checkMatches(c, printSelector(parseSelector(c.sel)))
  })
})

describe('invalid selectors', () => {
  it.each(invalidTable)('rejects %j (%s)', (text) => {
    const error = validateSelector(text)
    expect(error).toBeInstanceOf(SelectorError)
    expect(error?.code).toMatch(/^SELECTOR_(SYNTAX|LIMIT)$/)
    expect(error?.message).toMatch(/^[a-z]/)
    expect(error?.range.start).toBeGreaterThanOrEqual(0)
    expect(error?.range.end).toBeLessThanOrEqual(text.length)
    expect(error?.range.start).toBeLessThanOrEqual(error?.range.end ?? -1)
    expect(() => parseSelector(text)).toThrow(SelectorError)
    expect(() => compileSelector(text)).toThrow(SelectorError)
    const tried = tryParseSelector(text)
    expect(tried.ok).toBe(false)
  })
})

describe('canonical form', () => {
  it.each(canonicalTable)('%j → %j', (input, canonical) => {
    expect(normaliseSelector(input)).toBe(canonical)
    if (validateSelector(canonical) !== undefined) return // invalid input comes back trimmed
    // Calico prints `!(!x)` as `!!x`, which re-parses as `x`: no idempotence there.
    const parsed = tryParseSelector(input.trim())
    if (parsed.ok && hasNegatedNegation(parsed.ast)) return
    expect(normaliseSelector(canonical)).toBe(canonical)
    const trimmed = input.trim()
    if (validateSelector(trimmed) === undefined) {
      expect(parseSelector(canonical)).toEqual(parseSelector(trimmed))
    }
  })
})

describe('error details', () => {
  const cases: [string, string, RegExp, { start: number; end: number }][] = [
    ['has(app', 'SELECTOR_SYNTAX', /^expected '\)' after has\(app/, { start: 0, end: 7 }],
    ['a == "b', 'SELECTOR_SYNTAX', /unterminated string/, { start: 5, end: 7 }],
    ['a == b', 'SELECTOR_SYNTAX', /expected a quoted string after '=='/, { start: 5, end: 6 }],
    [
      'tier foo "x"',
      'SELECTOR_SYNTAX',
      /expected an operator after label "tier"/,
      { start: 5, end: 8 },
    ],
    ['a in "x"', 'SELECTOR_SYNTAX', /expected a set literal/, { start: 5, end: 8 }],
    ['a in {"x" "y"}', 'SELECTOR_SYNTAX', /expected ',' or '}'/, { start: 10, end: 13 }],
    ['(a == "b"', 'SELECTOR_SYNTAX', /expected '\)'/, { start: 9, end: 9 }],
    ['a == "b" c', 'SELECTOR_SYNTAX', /expected '&&', '\|\|' or the end/, { start: 9, end: 10 }],
    ['a == "b" &', 'SELECTOR_SYNTAX', /expected '&&'/, { start: 9, end: 10 }],
    ['()', 'SELECTOR_SYNTAX', /unexpected '\)'/, { start: 1, end: 2 }],
    ['a == "b" &&', 'SELECTOR_SYNTAX', /unexpected end of selector/, { start: 11, end: 11 }],
    ['a == "b"\n', 'SELECTOR_SYNTAX', /unexpected character "\\n"/, { start: 8, end: 9 }],
  ]
  it.each(cases)('%j', (text, code, message, range) => {
    const error = validateSelector(text)
    expect(error?.code).toBe(code)
    expect(error?.message).toMatch(message)
    expect(error?.range).toEqual(range)
    expect(error?.toJSON()).toMatchObject({ code, range })
  })

  it('names the label length limit', () => {
    const label = 'k'.repeat(SELECTOR_LIMITS.maxLabelLength + 1)
    const error = validateSelector(`x == "1" && ${label} == "v"`)
    expect(error?.code).toBe('SELECTOR_LIMIT')
    expect(error?.message).toContain('maxLabelLength')
    expect(error?.message).toContain('512')
    expect(error?.range).toEqual({ start: 12, end: 12 + label.length })
  })

  it('names the input length limit', () => {
    const text = `a == "${'x'.repeat(SELECTOR_LIMITS.maxLength)}"`
    const error = validateSelector(text)
    expect(error?.code).toBe('SELECTOR_LIMIT')
    expect(error?.message).toContain('maxLength')
  })

  it('accepts input up to the length limit', () => {
    const text = `a == "${'x'.repeat(SELECTOR_LIMITS.maxLength - 7)}"`
    expect(text.length).toBe(SELECTOR_LIMITS.maxLength)
    expect(validateSelector(text)).toBeUndefined()
  })

  it('names the nesting depth limit, and accepts nesting up to it', () => {
    const nest = (n: number) => `${'('.repeat(n)}a == "b"${')'.repeat(n)}`
    expect(validateSelector(nest(SELECTOR_LIMITS.maxDepth))).toBeUndefined()
    const error = validateSelector(nest(SELECTOR_LIMITS.maxDepth + 1))
    expect(error?.code).toBe('SELECTOR_LIMIT')
    expect(error?.message).toContain('maxDepth')
    // Long runs of `!` are not nesting: they collapse by parity without recursion.
    expect(normaliseSelector(`${'!'.repeat(10_001)}has(a)`)).toBe('!has(a)')
  })

  it('names the set size limit, and accepts sets up to it', () => {
    // Duplicates count: the limit is on the literal as written.
    const set = (n: number) =>
      `a in {${Array.from({ length: n }, (_, i) => (i % 2 ? '"y"' : '"x"')).join(',')}}`
    expect(validateSelector(set(SELECTOR_LIMITS.maxSetSize))).toBeUndefined()
    const error = validateSelector(set(SELECTOR_LIMITS.maxSetSize + 1))
    expect(error?.code).toBe('SELECTOR_LIMIT')
    expect(error?.message).toContain('maxSetSize')
  })

  it('is a PolicyError that can be placed at a field', () => {
    const error = validateSelector('a ==')
    expect(error?.name).toBe('SelectorError')
    const placed = error?.at({ field: 'spec.selector', resource: 'NetworkPolicy default/x' })
    expect(placed?.path).toBe('spec.selector')
    expect(placed?.range).toEqual(error?.range)
  })

  it('returns the tree from tryParseSelector', () => {
    expect(tryParseSelector('has(a)')).toEqual({ ok: true, ast: { kind: 'has', label: 'a' } })
  })

  it('leaves invalid text trimmed but otherwise unaltered in normaliseSelector', () => {
    expect(normaliseSelector('  a ==  ')).toBe('a ==')
  })
})
