import { describe, expect, it } from 'vitest'
import { type TokenKind, tokenize } from './tokenize.ts'

/** [input, expected kinds with values ('kind' or 'kind:value')], from Calico's tokenizer tests and ours. */
const tokenTable: [string, string[]][] = [
  ['a=="b"', ['label:a', 'eq', 'string:b', 'eof']],
  ['label == "value"', ['label:label', 'eq', 'string:value', 'eof']],
  ['label contains "value"', ['label:label', 'contains', 'string:value', 'eof']],
  ['contains contains "contains"', ['label:contains', 'contains', 'string:contains', 'eof']],
  ["contains contains 'contains'", ['label:contains', 'contains', 'string:contains', 'eof']],
  ['label contains"value"', ['label:label', 'contains', 'string:value', 'eof']],
  ['label startswith "value"', ['label:label', 'startsWith', 'string:value', 'eof']],
  ['label endswith "value"', ['label:label', 'endsWith', 'string:value', 'eof']],
  ['label starts with "value"', ['label:label', 'startsWith', 'string:value', 'eof']],
  ['startswith starts with "value"', ['label:startswith', 'startsWith', 'string:value', 'eof']],
  ['label ends with "value"', ['label:label', 'endsWith', 'string:value', 'eof']],
  ['endswith ends with "value"', ['label:endswith', 'endsWith', 'string:value', 'eof']],
  ['label starts  with "value"', ['label:label', 'startsWith', 'string:value', 'eof']],
  ['label ends \t with "value"', ['label:label', 'endsWith', 'string:value', 'eof']],
  [
    'a not in "bar" && !has(foo) || b in c',
    [
      'label:a',
      'notIn',
      'string:bar',
      'and',
      'not',
      'has:foo',
      'or',
      'label:b',
      'in',
      'label:c',
      'eof',
    ],
  ],
  ['has(calico/k8s_ns)', ['has:calico/k8s_ns', 'eof']],
  ['has(calico/k8s_ns/role)', ['has:calico/k8s_ns/role', 'eof']],
  ['has(calico/k8s_NS-.1/role)', ['has:calico/k8s_NS-.1/role', 'eof']],
  [
    'calico/k8s_ns == "kube-system" && k8s-app == "kube-dns"',
    [
      'label:calico/k8s_ns',
      'eq',
      'string:kube-system',
      'and',
      'label:k8s-app',
      'eq',
      'string:kube-dns',
      'eof',
    ],
  ],
  [
    'a  not  in  "bar"  &&  ! has( foo )  ||  b  in  c ',
    [
      'label:a',
      'notIn',
      'string:bar',
      'and',
      'not',
      'has:foo',
      'or',
      'label:b',
      'in',
      'label:c',
      'eof',
    ],
  ],
  [
    'a notin"bar"&&!has(foo)||b in"c"',
    [
      'label:a',
      'notIn',
      'string:bar',
      'and',
      'not',
      'has:foo',
      'or',
      'label:b',
      'in',
      'string:c',
      'eof',
    ],
  ],
  ['a not in {}', ['label:a', 'notIn', 'lbrace', 'rbrace', 'eof']],
  ['a not in {"a"}', ['label:a', 'notIn', 'lbrace', 'string:a', 'rbrace', 'eof']],
  [
    'a not in {"a","B"}',
    ['label:a', 'notIn', 'lbrace', 'string:a', 'comma', 'string:B', 'rbrace', 'eof'],
  ],
  ['global()', ['global', 'eof']],
  ['all()', ['all', 'eof']],
  ['all( \t)', ['all', 'eof']],
  ['', ['eof']],
  [' \t ', ['eof']],
  ['a != "b"', ['label:a', 'ne', 'string:b', 'eof']],
  ['!a', ['not', 'label:a', 'eof']],
  ['(a)', ['lparen', 'label:a', 'rparen', 'eof']],
  // Quotes have no escapes: a literal ends at the next quote of its own kind.
  [`a == "it's"`, ['label:a', 'eq', "string:it's", 'eof']],
  [`a == '"'`, ['label:a', 'eq', 'string:"', 'eof']],
  ['a == "x\\"', ['label:a', 'eq', 'string:x\\', 'eof']],
  ['a == "&& || } \n"', ['label:a', 'eq', 'string:&& || } \n', 'eof']],
  ['a == ""', ['label:a', 'eq', 'string:', 'eof']],
  // Keywords are labels unless they follow a label.
  ['in in {}', ['label:in', 'in', 'lbrace', 'rbrace', 'eof']],
  ['not not in {}', ['label:not', 'notIn', 'lbrace', 'rbrace', 'eof']],
  ['all == "x"', ['label:all', 'eq', 'string:x', 'eof']],
  ['has == "x"', ['label:has', 'eq', 'string:x', 'eof']],
  ['global != "x"', ['label:global', 'ne', 'string:x', 'eof']],
  // `has` followed by a space is a label named has.
  ['has (a)', ['label:has']],
  ['1abc == "x"', ['label:1abc', 'eq', 'string:x', 'eof']],
  ['-x == "x"', ['label:-x', 'eq', 'string:x', 'eof']],
  ['/a/b == "x"', ['label:/a/b', 'eq', 'string:x', 'eof']],
]

/** Inputs the tokenizer rejects, each with the reason. */
const tokenErrors: [string, string][] = [
  ['label starts foo "value"', "'starts' not followed by 'with'"],
  ['label ends foo "value"', "'ends' not followed by 'with'"],
  ['label squiggles "value"', 'no operator after a label'],
  ['label containsx "value"', 'an operator word must end at a word boundary'],
  ['label inx {}', 'an operator word must end at a word boundary'],
  ['label startswithx "v"', 'an operator word must end at a word boundary'],
  ['a = "b"', 'a single = is not an operator'],
  ['a == "b" & c == "d"', 'a single & is not an operator'],
  ['a == "b" | c == "d"', 'a single | is not an operator'],
  ['"abc', 'unterminated double-quoted string'],
  ["'abc", 'unterminated single-quoted string'],
  [`"abc'`, 'a string only ends at its own quote character'],
  ['has()', 'has( needs a label'],
  ['has(a', "has(a needs a closing ')'"],
  ['has(a b)', 'has( takes one label'],
  ['has("a")', 'has( takes a label, not a string'],
  ['all(x)', 'only blanks may appear inside all('],
  ['global(a)', 'only blanks may appear inside global('],
  ['all(', "all( needs a closing ')'"],
  ['%', 'not a character of the language'],
  ['a:b == "c"', "':' is not a label character"],
  ['a == "b"\n', 'a newline is not whitespace'],
  ['\ra == "b"', 'a carriage return is not whitespace'],
  ['a\u00a0== "b"', 'a no-break space is not whitespace'],
  ['ä == "b"', 'label characters are ASCII only'],
  [`${'a'.repeat(513)} == "b"`, 'label longer than 512 characters'],
  [`has(${'a'.repeat(513)})`, 'label longer than 512 characters'],
]

function show(tokens: readonly { kind: TokenKind; value: string }[]): string[] {
  return tokens.map((t) =>
    t.kind === 'label' || t.kind === 'string' || t.kind === 'has' ? `${t.kind}:${t.value}` : t.kind,
  )
}

describe('tokenize', () => {
  it.each(tokenTable)('tokenizes %j', (input, expected) => {
    const result = tokenize(input)
    if (expected.length === 1) {
      // Only the first token is asserted; the rest is an error or garbage.
      expect(result.ok ? show(result.tokens).slice(0, 1) : ['error']).toEqual(expected)
      return
    }
    expect(result.ok).toBe(true)
    if (result.ok) expect(show(result.tokens)).toEqual(expected)
  })

  it.each(tokenErrors)('rejects %j (%s)', (input) => {
    const result = tokenize(input)
    expect(result.ok).toBe(false)
  })

  it('records where each token is', () => {
    const result = tokenize(' a  == "b c"&&has( x )')
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.tokens.map((t) => [t.kind, t.start, t.end])).toEqual([
      ['label', 1, 2],
      ['eq', 4, 6],
      ['string', 7, 12],
      ['and', 12, 14],
      ['has', 14, 22],
      ['eof', 22, 22],
    ])
  })

  it('accepts a label of exactly 512 characters', () => {
    const label = 'x'.repeat(512)
    const result = tokenize(`has(${label})`)
    expect(result.ok && result.tokens[0]?.value).toBe(label)
  })
})
