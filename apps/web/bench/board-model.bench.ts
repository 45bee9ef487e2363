/**
 * The board's derivations on 2,000 policies in 20 tiers: sorting, filtering, planning a drag,
 * and ranking the command palette. Each must stay well under a frame (16 ms) so typing in
 * the filter and dropping a card feel instant.
 */
import type { BoardResponse } from '@policyboard/api'
import { paletteItems, rankItems } from '../src/features/command-palette/palette-model.ts'
import {
  EMPTY_FILTER,
  filterBoard,
  planPolicyMove,
  sortBoard,
} from '../src/features/tier-board/board-model.ts'
import { policy, tier } from '../src/test/fixtures.ts'

const TIERS = 20
const PER_TIER = 100

function generate(): BoardResponse {
  const tiers = Array.from({ length: TIERS }, (_, t) =>
    tier(
      `tier-${t}`,
      (t + 1) * 100,
      Array.from({ length: PER_TIER }, (_, i) =>
        policy(`policy-${t}-${i}`, {
          kind: i % 3 === 0 ? 'GlobalNetworkPolicy' : 'NetworkPolicy',
          ...(i % 3 === 0 ? {} : { namespace: `team-${i % 17}` }),
          // Shuffled orders so sorting has work to do.
          order: ((i * 7919) % PER_TIER) * 10,
        }),
      ),
    ),
  )
  return { tiers: tiers.reverse(), window: { from: 0, to: 86_400 }, revision: '1' }
}

function time(label: string, runs: number, fn: () => unknown): void {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    fn()
    samples.push(performance.now() - t0)
  }
  samples.sort((a, b) => a - b)
  const median = samples[Math.floor(runs / 2)] as number
  const p95 = samples[Math.floor(runs * 0.95)] as number
  console.log(`${label.padEnd(44)} median ${median.toFixed(2)} ms   p95 ${p95.toFixed(2)} ms`)
}

const raw = generate()
const board = sortBoard(raw)
console.log(`board: ${TIERS} tiers, ${TIERS * PER_TIER} policies`)
time('sortBoard', 50, () => sortBoard(raw))
time('filterBoard (text "team-3")', 50, () =>
  filterBoard(board, { ...EMPTY_FILTER, text: 'team-3' }),
)
time('filterBoard (namespace + kind)', 50, () =>
  filterBoard(board, { ...EMPTY_FILTER, namespace: 'team-5', kind: 'namespaced' }),
)
time('planPolicyMove (across tiers)', 200, () =>
  planPolicyMove(board, { kind: 'GlobalNetworkPolicy', name: 'policy-3-0' }, 'tier-9', 50),
)
const items = paletteItems(board)
time('paletteItems', 50, () => paletteItems(board))
time('rankItems ("pol-12")', 50, () => rankItems(items, 'pol-12'))
