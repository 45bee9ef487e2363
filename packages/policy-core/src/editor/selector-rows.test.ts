import { describe, expect, it } from 'vitest'
import { parseSelector, printSelector } from '../selector/index.ts'
import { rowsToSelector, type SelectorRow, selectorToRows } from './selector-rows.ts'

const row = (key: string, operator: SelectorRow['operator'], ...values: string[]): SelectorRow => ({
  key,
  operator,
  values,
})

describe('selectorToRows', () => {
  it.each<[string, SelectorRow[]]>([
    ['', []],
    ['all()', []],
    ["app == 'web'", [row('app', '==', 'web')]],
    ['app != "web"', [row('app', '!=', 'web')]],
    ['env in {"prod", "dev"}', [row('env', 'in', 'dev', 'prod')]],
    ['env notin {}', [row('env', 'not in')]],
    ['has(tier) && !has(legacy)', [row('tier', 'has'), row('legacy', '!has')]],
    [
      'a contains "x" && b startswith "y" && c ends with "z"',
      [row('a', 'contains', 'x'), row('b', 'starts with', 'y'), row('c', 'ends with', 'z')],
    ],
    // Parentheses around an AND inside an AND do not change its meaning.
    [
      '(a == "1" && b == "2") && c == "3"',
      [row('a', '==', '1'), row('b', '==', '2'), row('c', '==', '3')],
    ],
  ])('%s → rows', (text, rows) => {
    expect(selectorToRows(text)).toEqual(rows)
  })

  it.each([
    ['a == "1" || b == "2"', 'an OR has no row form'],
    ['global()', 'global() is not a label term'],
    ['!a == "b"', 'only has() may be negated in a row'],
    ['all() && a == "b"', 'all() inside an AND is not a row'],
    ['a == ', 'does not parse'],
  ])('%s → undefined (%s)', (text) => {
    expect(selectorToRows(text)).toBeUndefined()
  })
})

describe('rowsToSelector', () => {
  it('prints canonical text through the selector printer', () => {
    expect(rowsToSelector([row('app', '==', 'web')])).toBe('app == "web"')
    expect(rowsToSelector([row('app', '==', 'web'), row('env', 'in', 'b', 'a', 'b')])).toBe(
      '(app == "web" && env in {"a", "b"})',
    )
    expect(rowsToSelector([row('q', '==', 'say "hi"')])).toBe(`q == 'say "hi"'`)
    expect(rowsToSelector([row('x', '!has')])).toBe('!has(x)')
  })

  it('skips rows still being filled in and gives "" for none', () => {
    expect(rowsToSelector([])).toBe('')
    expect(rowsToSelector([row('', '==', 'x'), row('a', '==')])).toBe('')
    expect(rowsToSelector([row('a', 'has'), row(' ', 'has')])).toBe('has(a)')
  })

  it.each([
    'app == "web"',
    '(a != "1" && b in {"x", "y"} && has(c) && !has(d))',
    '(a contains "x" && b starts with "y" && c ends with "z" && d not in {})',
  ])('round-trips canonical %s', (text) => {
    const rows = selectorToRows(text)
    expect(rows).toBeDefined()
    expect(rowsToSelector(rows ?? [])).toBe(text)
    expect(printSelector(parseSelector(text))).toBe(text)
  })
})
