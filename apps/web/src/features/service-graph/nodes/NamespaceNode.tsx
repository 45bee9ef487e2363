import { Handle, type NodeProps, Position } from '@xyflow/react'
import { memo } from 'react'
import type { AppNode } from '../to-flow.ts'

/** A collapsed namespace: one node for all its workloads and sets; double-click drills in. */
export const NamespaceNode = memo(function NamespaceNode({
  data,
  selected,
}: NodeProps<Extract<AppNode, { type: 'namespace' }>>) {
  const { node, isFocus } = data
  return (
    <div
      className={`graph-node graph-node-namespace${selected ? ' is-selected' : ''}${isFocus ? ' is-focus' : ''}`}
      data-testid="service-graph.namespace"
      data-node-id={node.id}
      title="Double-click to open"
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <span className="graph-node-kind">namespace</span>
      <span className="graph-node-label">{node.label}</span>
      <span className="graph-node-meta">
        {node.members} {node.members === 1 ? 'node' : 'nodes'}
        {node.internalFlows ? ` · ${node.internalFlows.toLocaleString()} internal flows` : ''}
      </span>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  )
})
