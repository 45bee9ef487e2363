import {
  Background,
  Controls,
  type EdgeTypes,
  MiniMap,
  type NodeTypes,
  ReactFlow,
} from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { useMemo } from 'react'
import { FlowEdge } from './edges/FlowEdge.tsx'
import type { GraphModel } from './graph-model.ts'
import type { GraphLayout } from './layout.ts'
import { GroupNode } from './nodes/GroupNode.tsx'
import { NamespaceNode } from './nodes/NamespaceNode.tsx'
import { ServiceNode } from './nodes/ServiceNode.tsx'
import { type AppEdge, type AppNode, toFlowElements } from './to-flow.ts'

// Module-level constants: new objects on each render would make React Flow remount every node.
const nodeTypes: NodeTypes = { service: ServiceNode, namespace: NamespaceNode, group: GroupNode }
const edgeTypes: EdgeTypes = { flow: FlowEdge }
const PRO_OPTIONS = { hideAttribution: true }
const FIT_VIEW_OPTIONS = { padding: 0.12, maxZoom: 1.2 }

function miniMapColour(node: AppNode): string {
  if (node.type === 'group') return 'rgba(59, 91, 219, 0.12)'
  if (node.type === 'namespace') return '#ae3ec9'
  return '#5f6b7a'
}

/** What the canvas reports: a click on a node or edge, a double-click on a namespace. */
export interface GraphCanvasProps {
  graph: GraphModel
  layout: GraphLayout
  focus?: string
  selectedNode?: string
  selectedEdge?: string
  onSelectNode: (id: string | undefined) => void
  onSelectEdge: (id: string | undefined) => void
  /** Double-click on a collapsed namespace or a group: drill into the namespace. */
  onDrill: (namespace: string) => void
}

/**
 * The read-only React Flow canvas: no dragging, connecting or deleting. Only visible elements
 * are rendered and nodes are memoised, so panning a 500-node graph stays smooth.
 */
export function GraphCanvas(props: GraphCanvasProps) {
  const { graph, layout, focus, selectedNode, selectedEdge } = props
  const { nodes, edges } = useMemo(() => {
    const els = toFlowElements(graph, layout, focus)
    return {
      nodes: els.nodes.map((n) =>
        n.id === selectedNode ? { ...n, selected: true } : n,
      ) as AppNode[],
      edges: els.edges.map((e) =>
        e.id === selectedEdge ? { ...e, selected: true } : e,
      ) as AppEdge[],
    }
  }, [graph, layout, focus, selectedNode, selectedEdge])
  return (
    <ReactFlow<AppNode, AppEdge>
      key={layout.hash}
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      nodesDraggable={false}
      nodesConnectable={false}
      edgesFocusable
      elementsSelectable
      deleteKeyCode={null}
      onlyRenderVisibleElements
      fitView
      fitViewOptions={FIT_VIEW_OPTIONS}
      minZoom={0.05}
      maxZoom={2}
      proOptions={PRO_OPTIONS}
      onNodeClick={(_, n) => {
        if (n.type !== 'group') props.onSelectNode(n.id)
      }}
      onNodeDoubleClick={(_, n) => {
        if (n.type === 'namespace') props.onDrill(n.data.node.label)
        else if (n.type === 'group') props.onDrill(n.data.namespace)
      }}
      onEdgeClick={(_, e) => props.onSelectEdge(e.id)}
      onPaneClick={() => {
        props.onSelectNode(undefined)
        props.onSelectEdge(undefined)
      }}
    >
      <Background gap={24} size={1} />
      <Controls showInteractive={false} />
      <MiniMap pannable zoomable nodeColor={miniMapColour} nodeStrokeWidth={0} />
    </ReactFlow>
  )
}
