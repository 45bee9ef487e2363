import { BaseEdge, type EdgeProps, getBezierPath } from '@xyflow/react'
import { memo } from 'react'
import { type AppEdge, VERDICT_COLOURS } from '../to-flow.ts'

/** An observed flow: colour from its verdict class, width from its volume, dashed when staged changes it. */
export const FlowEdge = memo(function FlowEdge({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  data,
  selected,
  markerEnd,
}: EdgeProps<AppEdge>) {
  const [path] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  })
  const verdict = data?.verdict ?? 'unknown'
  const dashed = verdict === 'would-deny' || verdict === 'would-allow'
  return (
    <BaseEdge
      id={id}
      path={path}
      markerEnd={markerEnd}
      interactionWidth={14}
      style={{
        stroke: VERDICT_COLOURS[verdict],
        strokeWidth: (data?.width ?? 2) + (selected ? 1.5 : 0),
        strokeDasharray: dashed ? '7 4' : undefined,
        opacity: selected ? 1 : 0.78,
      }}
    />
  )
})
