import type { BoardResponse } from '@policyboard/api'
import { QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { sampleBoard } from '../../test/fixtures.ts'
import { mockApi, testQueryClient } from '../../test/render.tsx'
import { planPolicyMove } from './board-model.ts'
import { useReorderPolicy } from './useBoardMutations.ts'

const key = ['board', { window: '24h' }] as const

function setup(answer: { status: number; body: unknown }) {
  let release: () => void = () => {}
  const gate = new Promise<void>((r) => {
    release = r
  })
  mockApi({
    'POST /api/v1/policies/reorder': answer,
    'GET /api/v1/board': { body: sampleBoard() },
  })
  const client = testQueryClient()
  client.setQueryData(key, sampleBoard())
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  )
  const hook = renderHook(() => useReorderPolicy(key), { wrapper })
  return { client, hook, gate, release }
}

const names = (b: BoardResponse | undefined) => b?.tiers[0]?.policies.map((p) => p.name)

describe('useReorderPolicy', () => {
  it('shows the move at once and keeps it when the server agrees', async () => {
    const { client, hook } = setup({ status: 200, body: { changed: [], revision: '11' } })
    const plan = planPolicyMove(
      sampleBoard(),
      { kind: 'StagedGlobalNetworkPolicy', name: 'quarantine' },
      'security',
      0,
    )
    if (!plan) throw new Error('expected a plan')
    act(() => hook.result.current.mutate(plan))
    await waitFor(() =>
      expect(names(client.getQueryData<BoardResponse>(key))).toEqual([
        'quarantine',
        'deny-egress',
        'allow-dns',
      ]),
    )
    await waitFor(() => expect(hook.result.current.isSuccess).toBe(true))
  })

  it('puts the card back when the server refuses', async () => {
    const { client, hook } = setup({
      status: 409,
      body: { statusCode: 409, code: 'CONFLICT', message: 'stale' },
    })
    const plan = planPolicyMove(
      sampleBoard(),
      { kind: 'StagedGlobalNetworkPolicy', name: 'quarantine' },
      'security',
      0,
    )
    if (!plan) throw new Error('expected a plan')
    client.getQueryCache().find({ queryKey: key })
    act(() => hook.result.current.mutate(plan))
    await waitFor(() => expect(hook.result.current.isError).toBe(true))
    expect(hook.result.current.error).toMatchObject({ status: 409, code: 'CONFLICT' })
    expect(names(client.getQueryData<BoardResponse>(key))).toEqual([
      'deny-egress',
      'allow-dns',
      'quarantine',
    ])
  })
})
