import { describe, expect, it } from 'vitest'
import { diffFields } from './diff.ts'

describe('diffFields', () => {
  it('reports changed, added and removed leaves with their paths', () => {
    const a = {
      metadata: { name: 'p' },
      spec: { order: 1, ingress: [{ action: 'Allow' }], tier: 't' },
    }
    const b = {
      metadata: { name: 'p', labels: { 'a.b/c': 'x' } },
      spec: { order: 2, ingress: [{ action: 'Deny' }, { action: 'Allow' }] },
    }
    expect(diffFields(a, b)).toEqual([
      { path: 'metadata.labels', after: { 'a.b/c': 'x' } },
      { path: 'spec.order', before: 1, after: 2 },
      { path: 'spec.ingress[0].action', before: 'Allow', after: 'Deny' },
      { path: 'spec.ingress[1]', after: { action: 'Allow' } },
      { path: 'spec.tier', before: 't' },
    ])
  })

  it('quotes keys that are not plain words', () => {
    expect(diffFields({ l: { 'a.b/c': 'x' } }, { l: { 'a.b/c': 'y' } })).toEqual([
      { path: "l['a.b/c']", before: 'x', after: 'y' },
    ])
  })

  it('is empty for equal values', () => {
    expect(diffFields({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([])
  })
})
