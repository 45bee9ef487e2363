import type { NodeProps } from '@xyflow/react'
import { memo } from 'react'
import type { AppNode } from '../to-flow.ts'

/** The frame of an expanded namespace, titled with its name. */
export const GroupNode = memo(function GroupNode({
  data,
}: NodeProps<Extract<AppNode, { type: 'group' }>>) {
  return (
    <div className="graph-group" data-testid="service-graph.group" data-namespace={data.namespace}>
      <div className="graph-group-title">
        <span className="graph-group-kind">namespace</span> {data.namespace}
      </div>
    </div>
  )
})
