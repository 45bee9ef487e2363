export type { BoardFilter, BoardFocus, KindFilter, MovePlan, StateFilter } from './board-model.ts'
export {
  assignOrders,
  comparePolicies,
  compareTiers,
  filterBoard,
  moveFocus,
  planPolicyMove,
  planTierMove,
  sortBoard,
} from './board-model.ts'
export { TierBoardPage } from './TierBoardPage.tsx'
export { TierPage } from './TierPage.tsx'
