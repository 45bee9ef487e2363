import type { VerdictTuple } from '@policyboard/api'
import { describe, expect, it } from 'vitest'
import { buildGraph } from './graph-model.ts'
import { LAYOUT_EDGES_PER_NODE, readBoxes, skeletonEdges, toElkGraph } from './layout.ts'

const peer = (namespace: string, name: string) => ({ type: 'wep', namespace, name })

function tuple(s: [string, string], d: [string, string], count: number): VerdictTuple {
  return {
    source: peer(...s),
    destination: peer(...d),
    proto: 'tcp',
    port: 80,
    count,
    enforced: 'Allow',
    staged: 'Allow',
  }
}

describe('skeletonEdges', () => {
  it("keeps each node's heaviest edges and drops the rest", () => {
    const edges = [1, 2, 3, 4].map((i) => ({
      id: `a->b${i}`,
      source: 'a',
      target: `b${i}`,
      count: i,
    }))
    const kept = skeletonEdges(edges)
    // every target keeps its only incoming edge
    expect(kept).toHaveLength(4)
    // parallel edges between one pair: only the heaviest few survive
    const fan = [1, 2, 3, 4].map((i) => ({ id: `a->b#${i}`, source: 'a', target: 'b', count: i }))
    const counts = skeletonEdges(fan).map((e) => e.count)
    expect(counts.sort((x, y) => y - x)).toEqual([4, 3, 2, 1].slice(0, LAYOUT_EDGES_PER_NODE))
    expect(skeletonEdges(fan, 1).map((e) => e.count)).toEqual([4])
  })
})

describe('toElkGraph', () => {
  const graph = buildGraph(
    [
      tuple(['shop', 'a'], ['shop', 'b'], 5),
      tuple(['shop', 'a'], ['db', 'c'], 2),
      tuple(['shop', 'b'], ['db', 'c'], 3),
    ],
    'enforced',
  )
  it('puts nodes in their namespace group, inner edges in the group, and lifts the others', () => {
    const elk = toElkGraph(graph)
    const ids = elk.children?.map((c) => c.id)
    expect(ids).toEqual(['group/db', 'group/shop'])
    const shop = elk.children?.find((c) => c.id === 'group/shop')
    expect(shop?.children?.map((c) => c.id)).toEqual(['wep/shop/a', 'wep/shop/b'])
    expect(shop?.edges?.map((e) => e.id)).toEqual(['wep/shop/a->wep/shop/b'])
    expect(elk.edges?.map((e) => [e.sources, e.targets])).toEqual([[['group/shop'], ['group/db']]])
  })
  it('reads boxes of groups and of nodes inside them', () => {
    const elk = toElkGraph(graph)
    const shop = elk.children?.find((c) => c.id === 'group/shop')
    if (shop) Object.assign(shop, { x: 10, y: 20, width: 300, height: 200 })
    const boxes = readBoxes(elk)
    expect(boxes['group/shop']).toEqual({ x: 10, y: 20, width: 300, height: 200 })
    expect(boxes['wep/shop/a']).toMatchObject({ x: 0, y: 0, height: 48 })
  })
})
