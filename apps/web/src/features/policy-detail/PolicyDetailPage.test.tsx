import { screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { sampleBoard } from '../../test/fixtures.ts'
import { mockApi, renderRoute } from '../../test/render.tsx'
import { PolicyDetailPage } from './PolicyDetailPage.tsx'

describe('PolicyDetailPage', () => {
  afterEach(() => vi.restoreAllMocks())

  it('says plainly that a policy does not exist, with the way back', async () => {
    mockApi({
      'GET /api/v1/board': { body: sampleBoard() },
      'GET /api/v1/globalnetworkpolicies/nope': {
        status: 404,
        body: { statusCode: 404, code: 'NOT_FOUND', message: 'GlobalNetworkPolicy nope not found' },
      },
    })
    renderRoute(<PolicyDetailPage />, {
      path: '/policies/:kind/:namespace?/:name',
      url: '/policies/GlobalNetworkPolicy/nope',
    })
    expect(await screen.findByText('No such policy')).toBeTruthy()
    expect(screen.getByRole('link', { name: 'Back to the board' }).getAttribute('href')).toBe(
      '/board',
    )
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull()
  })

  it('links a staged policy to its impact preview', async () => {
    const board = sampleBoard()
    const staged = board.tiers[0]?.policies.find((p) => p.isStaged)
    if (!staged) throw new Error('fixture has no staged policy')
    mockApi({
      'GET /api/v1/board': { body: board },
      [`GET /api/v1/stagedglobalnetworkpolicies/${staged.name}`]: { body: staged.resource },
      'GET /api/v1/revisions': { body: { items: [] } },
    })
    renderRoute(<PolicyDetailPage />, {
      path: '/policies/:kind/:namespace?/:name',
      url: `/policies/StagedGlobalNetworkPolicy/${staged.name}`,
    })
    const link = await screen.findByTestId('impact.link')
    expect(link.getAttribute('href')).toBe(
      `/impact?kind=StagedGlobalNetworkPolicy&name=${staged.name}`,
    )
  })
})
