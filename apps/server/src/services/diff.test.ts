import { describe, expect, it } from 'vitest'
import { fieldDiff } from './diff.ts'

describe('fieldDiff', () => {
  it.each([
    ['equal objects', { a: 1, b: [1, 2] }, { a: 1, b: [1, 2] }, []],
    [
      'changed leaf',
      { spec: { order: 1 } },
      { spec: { order: 2 } },
      [{ path: 'spec.order', before: 1, after: 2 }],
    ],
    ['added key', { spec: {} }, { spec: { tier: 'x' } }, [{ path: 'spec.tier', after: 'x' }]],
    [
      'array element changed and removed',
      { r: [{ action: 'Allow' }, { action: 'Deny' }] },
      { r: [{ action: 'Deny' }] },
      [
        { path: 'r[0].action', before: 'Allow', after: 'Deny' },
        { path: 'r[1].action', before: 'Deny' },
      ],
    ],
    ['created from nothing', undefined, { a: { b: 1 } }, [{ path: 'a.b', after: 1 }]],
  ])('%s', (_name, before, after, expected) => {
    expect(fieldDiff(before, after)).toEqual(expected)
  })
})
