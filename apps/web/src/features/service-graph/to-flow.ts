/**
 * Converting the graph model and its layout into React Flow's nodes and edges: the only place
 * that knows React Flow's shapes. Pure, so the conversion is tested without a browser.
 */
import { type Edge, MarkerType, type Node } from '@xyflow/react'
import type { EdgeVerdict, GraphEdge, GraphModel, GraphNode } from './graph-model.ts'
import { type GraphLayout, groupNodeId } from './layout.ts'

/** Data of a service node (workload, host endpoint, network set, outside address). */
export interface ServiceNodeData extends Record<string, unknown> {
  node: GraphNode
  /** True when the node is the focus of "hide unrelated". */
  isFocus: boolean
}
/** Data of a collapsed namespace node. */
export interface NamespaceNodeData extends Record<string, unknown> {
  node: GraphNode
  isFocus: boolean
}
/** Data of an expanded namespace's group frame. */
export interface GroupNodeData extends Record<string, unknown> {
  namespace: string
  /** Nodes inside the group. */
  size: number
}

/** Every node React Flow draws, discriminated by `type`. */
export type AppNode =
  | Node<ServiceNodeData, 'service'>
  | Node<NamespaceNodeData, 'namespace'>
  | Node<GroupNodeData, 'group'>

/** Data of a flow edge. */
export interface FlowEdgeData extends Record<string, unknown> {
  edge: GraphEdge
  verdict: EdgeVerdict
  /** Stroke width in pixels, from the edge's volume. */
  width: number
}

/** Every edge React Flow draws. */
export type AppEdge = Edge<FlowEdgeData, 'flow'>

/** Stroke colour per verdict class (CSS variables of the app's theme). */
export const VERDICT_COLOURS: Readonly<Record<EdgeVerdict, string>> = {
  allowed: 'var(--graph-allowed)',
  denied: 'var(--graph-denied)',
  'would-deny': 'var(--graph-would-deny)',
  'would-allow': 'var(--graph-would-allow)',
  unknown: 'var(--graph-unknown)',
}

/** Words for each verdict class, as the legend and panels print them. */
export const VERDICT_LABELS: Readonly<Record<EdgeVerdict, string>> = {
  allowed: 'Allowed',
  denied: 'Denied',
  'would-deny': 'Would be denied (staged)',
  'would-allow': 'Would be newly allowed (staged)',
  unknown: 'Unresolved endpoint',
}

/**
 * Stroke width from volume, on a log scale relative to the busiest edge: 1.5 px for the
 * quietest, 7 px for the busiest.
 */
export function strokeWidth(count: number, max: number): number {
  if (max <= 1) return 2
  const t = Math.log(count + 1) / Math.log(max + 1)
  return Math.round((1.5 + 5.5 * t) * 10) / 10
}

/**
 * React Flow nodes and edges for a laid-out graph. Nodes without a box in the layout are
 * left out (the layout is for another shape of the graph).
 */
export function toFlowElements(
  graph: GraphModel,
  layout: GraphLayout,
  focus?: string,
): { nodes: AppNode[]; edges: AppEdge[] } {
  const nodes: AppNode[] = []
  const sizes = new Map<string, number>()
  for (const n of graph.nodes) {
    if (n.namespace && n.kind !== 'namespace')
      sizes.set(n.namespace, (sizes.get(n.namespace) ?? 0) + 1)
  }
  // Groups first: drawn beneath everything.
  for (const ns of graph.groups) {
    const id = groupNodeId(ns)
    const box = layout.boxes[id]
    if (!box) continue
    nodes.push({
      id,
      type: 'group',
      position: { x: box.x, y: box.y },
      width: box.width,
      height: box.height,
      data: { namespace: ns, size: sizes.get(ns) ?? 0 },
      selectable: false,
      zIndex: -1,
    })
  }
  const shown = new Set<string>()
  for (const n of graph.nodes) {
    const box = layout.boxes[n.id]
    if (!box) continue
    shown.add(n.id)
    // Children are placed at absolute positions rather than given a `parentId`: React Flow
    // lifts the edges of child nodes above all nodes, which drew curves across labels.
    const group =
      n.kind !== 'namespace' && n.namespace ? layout.boxes[groupNodeId(n.namespace)] : undefined
    const base = {
      id: n.id,
      position: { x: box.x + (group?.x ?? 0), y: box.y + (group?.y ?? 0) },
      width: box.width,
      height: box.height,
    }
    if (n.kind === 'namespace') {
      nodes.push({ ...base, type: 'namespace', data: { node: n, isFocus: n.id === focus } })
    } else {
      nodes.push({ ...base, type: 'service', data: { node: n, isFocus: n.id === focus } })
    }
  }
  let max = 1
  for (const e of graph.edges) max = Math.max(max, e.count)
  const edges: AppEdge[] = graph.edges
    .filter((e) => shown.has(e.source) && shown.has(e.target))
    .map((e) => ({
      id: e.id,
      type: 'flow',
      source: e.source,
      target: e.target,
      className: `verdict-${e.verdict}`,
      markerEnd: {
        type: MarkerType.ArrowClosed,
        color: VERDICT_COLOURS[e.verdict],
        width: 14,
        height: 14,
        markerUnits: 'userSpaceOnUse',
      },
      data: { edge: e, verdict: e.verdict, width: strokeWidth(e.count, max) },
    }))
  return { nodes, edges }
}
