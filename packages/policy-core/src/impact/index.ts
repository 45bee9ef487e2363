export type { ChangedPolicySet, PolicyChange } from './change.ts'
export { changedPolicySet } from './change.ts'
export type { ComputeImpactOptions, ModelView } from './compute.ts'
export { computeImpact } from './compute.ts'
export type { ImpactInventory } from './records.ts'
export { evaluatorProtocol, groupKeyOf, recordsToFlows, tupleOfRecord } from './records.ts'
export type {
  FlowTuple,
  FlowTuplePeer,
  ImpactChangeKind,
  ImpactCounts,
  ImpactExample,
  ImpactFlow,
  ImpactGroup,
  ImpactGroupKey,
  ImpactResult,
  ResolvedPeer,
  UncertainReason,
} from './types.ts'
export { UNCERTAIN_REASONS } from './types.ts'
