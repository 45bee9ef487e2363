import type { VerdictTuple } from '@policyboard/api'
import { describe, expect, it } from 'vitest'
import { buildGraph } from './graph-model.ts'
import type { GraphLayout } from './layout.ts'
import { strokeWidth, toFlowElements } from './to-flow.ts'

const t = (s: string, d: string, count: number): VerdictTuple => ({
  source: { type: 'wep', namespace: 'shop', name: s },
  destination:
    d === 'pub'
      ? { type: 'net', namespace: '-', name: 'pub' }
      : { type: 'wep', namespace: 'shop', name: d },
  proto: 'tcp',
  port: 80,
  count,
  enforced: 'Allow',
  staged: 'Deny',
})

describe('strokeWidth', () => {
  it('grows with volume on a log scale, within 1.5–7 px', () => {
    expect(strokeWidth(1, 1000)).toBeGreaterThanOrEqual(1.5)
    expect(strokeWidth(1000, 1000)).toBe(7)
    expect(strokeWidth(10, 1000)).toBeLessThan(strokeWidth(100, 1000))
  })
})

describe('toFlowElements', () => {
  const graph = buildGraph([t('a', 'b', 10), t('a', 'pub', 1)], 'staged')
  const layout: GraphLayout = {
    hash: 'x',
    ms: 1,
    boxes: {
      'group/shop': { x: 10, y: 5, width: 400, height: 200 },
      'wep/shop/a': { x: 20, y: 44, width: 130, height: 48 },
      'wep/shop/b': { x: 200, y: 44, width: 130, height: 48 },
      'net/pub': { x: 500, y: 0, width: 130, height: 48 },
    },
  }
  it('puts groups first and places their nodes at absolute positions inside them', () => {
    const { nodes } = toFlowElements(graph, layout, 'wep/shop/a')
    expect(nodes.map((n) => [n.id, n.type, n.position])).toEqual([
      ['group/shop', 'group', { x: 10, y: 5 }],
      ['net/pub', 'service', { x: 500, y: 0 }],
      ['wep/shop/a', 'service', { x: 30, y: 49 }],
      ['wep/shop/b', 'service', { x: 210, y: 49 }],
    ])
    expect(nodes.find((n) => n.id === 'wep/shop/a')?.data).toMatchObject({ isFocus: true })
  })
  it('styles edges by verdict and volume, and drops edges to nodes without a box', () => {
    const { edges } = toFlowElements(graph, layout)
    expect(edges.map((e) => [e.id, e.className, e.data?.width])).toEqual([
      ['wep/shop/a->net/pub', 'verdict-would-deny', 3.1],
      ['wep/shop/a->wep/shop/b', 'verdict-would-deny', 7],
    ])
    const partial = {
      ...layout,
      boxes: { ...layout.boxes, 'net/pub': undefined },
    } as unknown as GraphLayout
    expect(toFlowElements(graph, partial).edges).toHaveLength(1)
  })
})
