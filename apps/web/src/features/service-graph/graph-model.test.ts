import type { FlowPeer, VerdictTuple } from '@policyboard/api'
import { describe, expect, it } from 'vitest'
import {
  buildGraph,
  COLLAPSE_THRESHOLD,
  classifyVerdict,
  collapseNamespaces,
  deriveGraph,
  type EdgeVerdict,
  filterTuples,
  type GraphViewState,
  graphHash,
  hideUnrelated,
  namespacesOf,
  parseViewState,
  peerNode,
  portsOf,
  viewStateParams,
} from './graph-model.ts'

const wep = (namespace: string, name: string): FlowPeer => ({ type: 'wep', namespace, name })
const PUB: FlowPeer = { type: 'net', namespace: '-', name: 'pub' }

function tuple(
  source: FlowPeer,
  destination: FlowPeer,
  port: number | null,
  enforced: VerdictTuple['enforced'] = 'Allow',
  staged: VerdictTuple['staged'] = enforced,
  count = 1,
): VerdictTuple {
  return {
    source,
    destination,
    proto: port === null ? 'icmp' : 'tcp',
    port,
    count,
    enforced,
    staged,
  }
}

const FRONT = wep('shop', 'frontend-7d4b9c-*')
const CART = wep('shop', 'cartservice-5f6d8-*')
const REDIS = wep('shop', 'redis-cart-0')
const DNS = wep('kube-system', 'coredns-66bff-*')
const PROM = wep('monitoring', 'prometheus-0')

const TUPLES: VerdictTuple[] = [
  tuple(PUB, FRONT, 8080, 'Allow', 'Allow', 40),
  tuple(FRONT, CART, 7070, 'Allow', 'Allow', 10),
  tuple(FRONT, CART, 9555, 'Allow', 'Deny', 2),
  tuple(CART, REDIS, 6379, 'Allow', 'Allow', 5),
  tuple(FRONT, DNS, 53, 'Allow', 'Deny', 8),
  tuple(CART, DNS, 53, 'Allow', 'Allow', 3),
  tuple(PROM, FRONT, 9090, 'Deny', 'Allow', 1),
  tuple(PROM, CART, 9090, 'Deny', 'Deny', 1),
]

function view(partial: Partial<GraphViewState> = {}): GraphViewState {
  return { view: 'enforced', namespaces: [], verdicts: [], ports: [], ...partial }
}

describe('classifyVerdict', () => {
  const rows: Array<[VerdictTuple['enforced'], VerdictTuple['staged'], EdgeVerdict, EdgeVerdict]> =
    [
      // enforced, staged, class in the enforced view, class in the staged view
      ['Allow', 'Allow', 'allowed', 'allowed'],
      ['Deny', 'Deny', 'denied', 'denied'],
      ['Allow', 'Deny', 'allowed', 'would-deny'],
      ['Deny', 'Allow', 'denied', 'would-allow'],
      ['Unknown', 'Unknown', 'unknown', 'unknown'],
      // an unresolved enforced side is not a change the staged policies made
      ['Unknown', 'Deny', 'unknown', 'denied'],
    ]
  it.each(rows)('%s/%s → %s (enforced), %s (staged)', (enforced, staged, inEnforced, inStaged) => {
    expect(classifyVerdict(enforced, staged, 'enforced')).toBe(inEnforced)
    expect(classifyVerdict(enforced, staged, 'staged')).toBe(inStaged)
  })
})

describe('peerNode', () => {
  it('aggregates pod names as flow logs do and keeps aggregated names', () => {
    expect(peerNode(wep('shop', 'nginx-86c57db685-x7k2p')).id).toBe('wep/shop/nginx-86c57db685-*')
    expect(peerNode(wep('shop', 'nginx-86c57db685-*')).id).toBe('wep/shop/nginx-86c57db685-*')
    expect(peerNode(wep('shop', 'web-0')).label).toBe('web-0')
  })
  it('names network sets, outside addresses and host endpoints', () => {
    expect(peerNode({ type: 'ns', namespace: '-', name: 'threats' })).toEqual({
      id: 'ns/-/threats',
      kind: 'networkset',
      label: 'threats',
    })
    expect(peerNode({ type: 'ns', namespace: 'shop', name: 'gw' })).toMatchObject({
      id: 'ns/shop/gw',
      namespace: 'shop',
    })
    expect(peerNode(PUB)).toEqual({ id: 'net/pub', kind: 'external', label: 'pub' })
    expect(peerNode({ type: 'hep', namespace: '-', name: 'node-1' }).kind).toBe('host')
  })
})

describe('buildGraph (aggregation)', () => {
  it('makes one node per peer and one edge per ordered pair, summing volume', () => {
    const g = buildGraph(TUPLES, 'enforced')
    expect(g.nodes.map((n) => n.id)).toEqual([
      'net/pub',
      'wep/kube-system/coredns-66bff-*',
      'wep/monitoring/prometheus-0',
      'wep/shop/cartservice-5f6d8-*',
      'wep/shop/frontend-7d4b9c-*',
      'wep/shop/redis-cart-0',
    ])
    const fc = g.edges.find(
      (e) => e.id === 'wep/shop/frontend-7d4b9c-*->wep/shop/cartservice-5f6d8-*',
    )
    expect(fc?.count).toBe(12)
    expect(fc?.ports).toEqual(['tcp/7070', 'tcp/9555'])
    expect(fc?.flows).toHaveLength(2)
    expect(g.edges).toHaveLength(7)
    expect(g.groups).toEqual(['kube-system', 'monitoring', 'shop'])
  })
  it('merges pods of one controller into one node', () => {
    const g = buildGraph(
      [
        tuple(wep('shop', 'api-5d8f7b-x7k2p'), REDIS, 6379),
        tuple(wep('shop', 'api-5d8f7b-qq4zt'), REDIS, 6379, 'Allow', 'Allow', 2),
      ],
      'enforced',
    )
    expect(g.nodes).toHaveLength(2)
    expect(g.edges).toHaveLength(1)
    expect(g.edges[0]?.count).toBe(3)
  })
  it('gives an edge its most important class and counts per class', () => {
    const g = buildGraph(TUPLES, 'staged')
    const fc = g.edges.find(
      (e) => e.id === 'wep/shop/frontend-7d4b9c-*->wep/shop/cartservice-5f6d8-*',
    )
    expect(fc?.verdict).toBe('would-deny')
    expect(fc?.byVerdict).toEqual({ allowed: 10, 'would-deny': 2 })
    const enforced = buildGraph(TUPLES, 'enforced')
    expect(enforced.edges.find((e) => e.id === fc?.id)?.verdict).toBe('allowed')
    const pf = g.edges.find(
      (e) => e.source === 'wep/monitoring/prometheus-0' && e.target.includes('frontend'),
    )
    expect(pf?.verdict).toBe('would-allow')
  })
  it('prints port-less protocols without a port', () => {
    const g = buildGraph([tuple(FRONT, CART, null)], 'enforced')
    expect(g.edges[0]?.ports).toEqual(['icmp'])
  })
})

describe('collapseNamespaces', () => {
  const full = buildGraph(TUPLES, 'enforced')
  it('keeps the graph as it is when every namespace is open', () => {
    expect(collapseNamespaces(full, 'all')).toBe(full)
  })
  it('folds a namespace into one node, re-aggregating edges and counting internal flows', () => {
    const g = collapseNamespaces(full, new Set(['kube-system', 'monitoring']))
    const shop = g.nodes.find((n) => n.id === 'namespace/shop')
    expect(shop).toMatchObject({ kind: 'namespace', members: 3, internalFlows: 12 + 5 })
    expect(g.nodes.some((n) => n.namespace === 'shop' && n.kind !== 'namespace')).toBe(false)
    expect(g.groups).toEqual(['kube-system', 'monitoring'])
    const toDns = g.edges.find((e) => e.id === 'namespace/shop->wep/kube-system/coredns-66bff-*')
    expect(toDns?.count).toBe(11)
    expect(g.edges.find((e) => e.id === 'net/pub->namespace/shop')?.count).toBe(40)
    expect(
      g.edges.find((e) => e.id === 'wep/monitoring/prometheus-0->namespace/shop')?.flows,
    ).toHaveLength(2)
    expect(g.edges.some((e) => e.source === e.target)).toBe(false)
  })
  it('collapses everything namespaced when nothing is expanded', () => {
    const g = collapseNamespaces(full, new Set())
    expect(g.nodes.map((n) => n.id)).toEqual([
      'namespace/kube-system',
      'namespace/monitoring',
      'namespace/shop',
      'net/pub',
    ])
    expect(g.groups).toEqual([])
  })
})

describe('hideUnrelated', () => {
  const full = buildGraph(TUPLES, 'enforced')
  it('keeps the focus, its peers in both directions and their edges', () => {
    const g = hideUnrelated(full, 'wep/shop/redis-cart-0')
    expect(g.nodes.map((n) => n.id)).toEqual([
      'wep/shop/cartservice-5f6d8-*',
      'wep/shop/redis-cart-0',
    ])
    expect(g.edges.map((e) => e.id)).toEqual([
      'wep/shop/cartservice-5f6d8-*->wep/shop/redis-cart-0',
    ])
    const dns = hideUnrelated(full, 'wep/kube-system/coredns-66bff-*')
    expect(dns.edges).toHaveLength(2)
    expect(dns.groups).toEqual(['kube-system', 'shop'])
  })
  it('focuses the collapsed namespace that stands for a hidden node', () => {
    const collapsed = collapseNamespaces(full, new Set(['kube-system', 'monitoring']))
    const g = hideUnrelated(collapsed, 'wep/shop/redis-cart-0')
    expect(g.nodes.map((n) => n.id)).toContain('namespace/shop')
    expect(g.nodes.map((n) => n.id)).toContain('net/pub')
  })
  it('leaves the graph alone for an unknown focus', () => {
    expect(hideUnrelated(full, 'wep/nowhere/x')).toBe(full)
  })
})

describe('filterTuples', () => {
  it('filters by namespace on either side', () => {
    const out = filterTuples(
      TUPLES,
      { namespaces: ['kube-system'], verdicts: [], ports: [] },
      'enforced',
    )
    expect(out).toHaveLength(2)
    expect(
      filterTuples(TUPLES, { namespaces: ['monitoring'], verdicts: [], ports: [] }, 'enforced'),
    ).toHaveLength(2)
  })
  it('filters by port', () => {
    const out = filterTuples(
      TUPLES,
      { namespaces: [], verdicts: [], ports: [53, 6379] },
      'enforced',
    )
    expect(out.map((t) => t.port)).toEqual([6379, 53, 53])
  })
  it('filters by verdict class in the chosen view', () => {
    const f = { namespaces: [], verdicts: ['would-deny'] as EdgeVerdict[], ports: [] }
    expect(filterTuples(TUPLES, f, 'staged')).toHaveLength(2)
    expect(filterTuples(TUPLES, f, 'enforced')).toHaveLength(0)
    const denied = { namespaces: [], verdicts: ['denied'] as EdgeVerdict[], ports: [] }
    expect(filterTuples(TUPLES, denied, 'enforced')).toHaveLength(2)
  })
  it('combines filters', () => {
    const f = { namespaces: ['shop'], verdicts: ['allowed'] as EdgeVerdict[], ports: [53] }
    expect(filterTuples(TUPLES, f, 'enforced')).toHaveLength(2)
    expect(filterTuples(TUPLES, f, 'staged')).toHaveLength(1)
  })
})

describe('portsOf and namespacesOf', () => {
  it('lists distinct ports and namespaces, sorted', () => {
    expect(portsOf(TUPLES)).toEqual([53, 6379, 7070, 8080, 9090, 9555])
    expect(namespacesOf(buildGraph(TUPLES, 'enforced'))).toEqual([
      'kube-system',
      'monitoring',
      'shop',
    ])
  })
})

describe('graphHash', () => {
  it('ignores verdicts and volume but not shape', () => {
    const a = graphHash(buildGraph(TUPLES, 'enforced'))
    expect(graphHash(buildGraph(TUPLES, 'staged'))).toBe(a)
    const louder = TUPLES.map((t) => ({ ...t, count: t.count * 3 }))
    expect(graphHash(buildGraph(louder, 'enforced'))).toBe(a)
    expect(graphHash(buildGraph(TUPLES.slice(1), 'enforced'))).not.toBe(a)
    expect(graphHash(collapseNamespaces(buildGraph(TUPLES, 'enforced'), new Set()))).not.toBe(a)
  })
})

describe('view state in the URL', () => {
  it('round-trips every field and leaves defaults out', () => {
    const state: GraphViewState = {
      view: 'staged',
      namespaces: ['shop', 'kube-system'],
      focus: 'wep/shop/frontend-7d4b9c-*',
      verdicts: ['would-deny', 'denied'],
      ports: [53, 8080],
      expanded: ['shop'],
    }
    const params = viewStateParams(state)
    expect(parseViewState(new URLSearchParams(params.toString()))).toEqual(state)
    expect(viewStateParams(view()).toString()).toBe('')
  })
  it('drops values it does not know', () => {
    const s = parseViewState(new URLSearchParams('view=weird&verdict=allowed,nope&port=80,x,70000'))
    expect(s).toEqual(view({ verdicts: ['allowed'], ports: [80] }))
  })
  it('keeps an empty expanded list apart from no list', () => {
    expect(parseViewState(new URLSearchParams('expanded=')).expanded).toEqual([])
    expect(parseViewState(new URLSearchParams('')).expanded).toBeUndefined()
  })
})

describe('deriveGraph', () => {
  it('opens every namespace for a small graph', () => {
    const g = deriveGraph(TUPLES, view())
    expect(g.nodes.some((n) => n.kind === 'namespace')).toBe(false)
  })
  it(`collapses namespaces by default above ${COLLAPSE_THRESHOLD} nodes`, () => {
    const many = Array.from({ length: COLLAPSE_THRESHOLD + 1 }, (_, i) =>
      tuple(wep(`ns-${i % 5}`, `app-${i}`), PUB, 443),
    )
    const g = deriveGraph(many, view())
    expect(g.nodes.map((n) => n.id)).toEqual([
      'namespace/ns-0',
      'namespace/ns-1',
      'namespace/ns-2',
      'namespace/ns-3',
      'namespace/ns-4',
      'net/pub',
    ])
    const drilled = deriveGraph(many, view({ namespaces: ['ns-1'], expanded: ['ns-1'] }))
    expect(drilled.groups).toEqual(['ns-1'])
    expect(drilled.nodes).toHaveLength(13)
  })
  it('applies filters, then the focus', () => {
    const g = deriveGraph(
      TUPLES,
      view({ view: 'staged', verdicts: ['would-deny'], focus: 'net/pub' }),
    )
    // the focus is filtered away, so nothing is hidden
    expect(g.nodes).toHaveLength(3)
    const h = deriveGraph(TUPLES, view({ view: 'staged', focus: 'wep/shop/redis-cart-0' }))
    expect(h.edges).toHaveLength(1)
  })
})
