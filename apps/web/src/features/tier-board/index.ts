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

/** The tier page, in a chunk of its own (with the history list it shows). */
export function loadTierPage() {
  return import('./TierPage.tsx').then((m) => ({ default: m.TierPage }))
}
