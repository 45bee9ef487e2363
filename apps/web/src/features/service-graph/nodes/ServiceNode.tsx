import { Handle, type NodeProps, Position } from '@xyflow/react'
import { memo } from 'react'
import type { GraphNodeKind } from '../graph-model.ts'
import { nodeTitle } from '../layout.ts'
import type { AppNode } from '../to-flow.ts'

const KIND_LABEL: Record<GraphNodeKind, string> = {
  workload: 'workload',
  host: 'host',
  networkset: 'network set',
  external: 'outside',
  namespace: 'namespace',
}

/** A workload, host endpoint, network set or outside address. */
export const ServiceNode = memo(function ServiceNode({
  data,
  selected,
}: NodeProps<Extract<AppNode, { type: 'service' }>>) {
  const { node, isFocus } = data
  const title = nodeTitle(node)
  return (
    <div
      className={`graph-node graph-node-${node.kind}${selected ? ' is-selected' : ''}${isFocus ? ' is-focus' : ''}`}
      data-testid="service-graph.node"
      data-node-id={node.id}
      title={node.id}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <span className="graph-node-kind">{KIND_LABEL[node.kind]}</span>
      <span className="graph-node-label">{title}</span>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  )
})
