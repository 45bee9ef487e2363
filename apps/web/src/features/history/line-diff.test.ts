import { describe, expect, it } from 'vitest'
import { diffLines, sideBySide } from './line-diff.ts'

describe('diffLines', () => {
  it('keeps common lines and marks the rest', () => {
    const d = diffLines('a\nb\nc\n', 'a\nB\nc\nd\n')
    expect(d.map((l) => `${l.op}:${l.text}`)).toEqual([
      'same:a',
      'del:b',
      'add:B',
      'same:c',
      'add:d',
    ])
    expect(d[3]).toEqual({ op: 'same', text: 'c', before: 3, after: 3 })
  })
  it('handles empty sides', () => {
    expect(diffLines('', 'x\n').map((l) => l.op)).toEqual(['add'])
    expect(diffLines('x', '').map((l) => l.op)).toEqual(['del'])
    expect(diffLines('', '')).toEqual([])
  })
  it('pairs changes side by side', () => {
    const rows = sideBySide(diffLines('a\nb\nc', 'a\nx\ny\nc'))
    expect(rows.map((r) => [r.left?.text ?? '', r.right?.text ?? ''])).toEqual([
      ['a', 'a'],
      ['b', 'x'],
      ['', 'y'],
      ['c', 'c'],
    ])
  })
})
