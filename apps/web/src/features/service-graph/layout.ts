/**
 * Turning the graph model into an ELK graph and reading positions back. Pure and shared by the
 * layout worker and the benchmark, so both lay out with the same options.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api'
import type { GraphModel, GraphNode } from './graph-model.ts'

/** A node's box after layout, relative to its group when it has one (as React Flow wants). */
export interface NodeBox {
  x: number
  y: number
  width: number
  height: number
}

/** Positions for every node and group (groups keyed `group/<namespace>`). */
export interface GraphLayout {
  /** The `graphHash` the layout was computed for. */
  hash: string
  boxes: Record<string, NodeBox>
  /** Milliseconds the layout took in the worker. */
  ms: number
}

/** The node id of an expanded namespace's group. */
export function groupNodeId(namespace: string): string {
  return `group/${namespace}`
}

/**
 * Options of the root graph. Layered left to right, flows reading from callers to callees.
 * React Flow draws its own curves between handles, so ELK's edge routes are discarded: the
 * cheap polyline router is enough, and a lower crossing-minimisation thoroughness keeps a
 * 500-node/5,000-edge graph well under the 3-second budget.
 */
export const LAYOUT_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'SEPARATE_CHILDREN',
  'elk.edgeRouting': 'POLYLINE',
  'elk.layered.thoroughness': '2',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.spacing.nodeNodeBetweenLayers': '110',
  'elk.spacing.nodeNode': '48',
  'elk.spacing.componentComponent': '60',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
}

/** Options of a namespace group: room at the top for its title. */
export const GROUP_OPTIONS: Readonly<Record<string, string>> = {
  'elk.padding': '[top=48,left=24,bottom=24,right=24]',
  'elk.spacing.nodeNode': '56',
  'elk.layered.spacing.nodeNodeBetweenLayers': '80',
}

/** Node height in pixels, for every kind. */
export const NODE_HEIGHT = 48
const COLLAPSED_HEIGHT = 64

/** What a node shows as its title: outside addresses get words, others their label. */
export function nodeTitle(node: GraphNode): string {
  if (node.kind === 'external') {
    if (node.label === 'pub') return 'Public internet'
    if (node.label === 'pvt') return 'Private network'
  }
  return node.label
}

/** A node's size: wide enough for its title (about 7.9 px a character in 13 px mono), clamped. */
export function nodeSize(node: GraphNode): { width: number; height: number } {
  const chars = Math.max(nodeTitle(node).length, node.kind === 'namespace' ? 16 : 8)
  const width = Math.round(Math.min(320, Math.max(140, chars * 7.9 + 32)))
  return { width, height: node.kind === 'namespace' ? COLLAPSED_HEIGHT : NODE_HEIGHT }
}

/** An edge considered for layout, with its volume. */
interface WeightedEdge {
  id: string
  source: string
  target: string
  count: number
}

/**
 * At most this many of a node's heaviest outgoing and incoming edges shape the layout. Layered
 * layout cost grows with the dummy nodes long edges create; dense service graphs (5,000 edges
 * on 500 nodes) took tens of seconds with every edge, and the heaviest few per node already
 * give the left-to-right reading of who calls whom. React Flow still draws every edge.
 */
export const LAYOUT_EDGES_PER_NODE = 2

/** Above this many nodes, one edge per node and direction shapes the layout (half the work). */
export const LARGE_GRAPH_NODES = 200

/** The edges that shape a container's layout: each node's heaviest in and out edges. */
export function skeletonEdges(
  edges: readonly WeightedEdge[],
  perNode = LAYOUT_EDGES_PER_NODE,
): WeightedEdge[] {
  const byCount = [...edges].sort((a, b) => b.count - a.count || a.id.localeCompare(b.id))
  const outs = new Map<string, number>()
  const ins = new Map<string, number>()
  const keep: WeightedEdge[] = []
  for (const e of byCount) {
    const o = outs.get(e.source) ?? 0
    const i = ins.get(e.target) ?? 0
    if (o < perNode || i < perNode) {
      keep.push(e)
      outs.set(e.source, o + 1)
      ins.set(e.target, i + 1)
    }
  }
  return keep.sort((a, b) => a.id.localeCompare(b.id))
}

function elkEdges(edges: readonly WeightedEdge[], perNode: number): ElkExtendedEdge[] {
  return skeletonEdges(edges, perNode).map((e) => ({
    id: e.id,
    sources: [e.source],
    targets: [e.target],
  }))
}

/**
 * The ELK graph of a model. Each group is laid out on its own with the edges inside it
 * (`SEPARATE_CHILDREN`), then the root lays out groups and free nodes with the edges between
 * them lifted to the groups and summed. Routing every edge across the hierarchy
 * (`INCLUDE_CHILDREN`) took minutes and gigabytes on 5,000 edges.
 */
export function toElkGraph(graph: GraphModel): ElkNode {
  const groups = new Map<string, ElkNode>()
  const inner = new Map<string, WeightedEdge[]>()
  for (const ns of graph.groups) {
    groups.set(groupNodeId(ns), {
      id: groupNodeId(ns),
      layoutOptions: { ...GROUP_OPTIONS },
      children: [],
    })
    inner.set(groupNodeId(ns), [])
  }
  const parentOf = new Map<string, string>()
  const children: ElkNode[] = []
  for (const n of graph.nodes) {
    const elkNode: ElkNode = { id: n.id, ...nodeSize(n) }
    const gid = n.kind !== 'namespace' && n.namespace ? groupNodeId(n.namespace) : undefined
    const group = gid === undefined ? undefined : groups.get(gid)
    if (group && gid !== undefined) {
      group.children?.push(elkNode)
      parentOf.set(n.id, gid)
    } else children.push(elkNode)
  }
  const lifted = new Map<string, WeightedEdge>()
  for (const e of graph.edges) {
    if (e.source === e.target) continue
    const sp = parentOf.get(e.source)
    const tp = parentOf.get(e.target)
    if (sp !== undefined && sp === tp) {
      inner.get(sp)?.push({ id: e.id, source: e.source, target: e.target, count: e.count })
      continue
    }
    const s = sp ?? e.source
    const t = tp ?? e.target
    if (s === t) continue
    const id = `${s}->${t}`
    const prev = lifted.get(id)
    if (prev) prev.count += e.count
    else lifted.set(id, { id, source: s, target: t, count: e.count })
  }
  const perNode = graph.nodes.length > LARGE_GRAPH_NODES ? 1 : LAYOUT_EDGES_PER_NODE
  for (const [gid, group] of groups) group.edges = elkEdges(inner.get(gid) ?? [], perNode)
  return {
    id: 'root',
    layoutOptions: { ...LAYOUT_OPTIONS },
    children: [...groups.values(), ...children],
    edges: elkEdges([...lifted.values()], perNode),
  }
}

/** Reads every node's box from a laid-out ELK graph (children relative to their parent). */
export function readBoxes(root: ElkNode): Record<string, NodeBox> {
  const boxes: Record<string, NodeBox> = {}
  const visit = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      boxes[c.id] = { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 }
      visit(c)
    }
  }
  visit(root)
  return boxes
}
