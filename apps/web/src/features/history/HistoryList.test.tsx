import type { Revision } from '@policyboard/api'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { impactResponse } from '../../test/fixtures.ts'
import { meOf, mockApi, renderRoute } from '../../test/render.tsx'
import { currentRevisionIds, HistoryList, rollbackImpactLabel } from './HistoryList.tsx'

afterEach(() => vi.unstubAllGlobals())

function gnp(port: number) {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: { name: 'web' },
    spec: { tier: 'default', ingress: [{ action: 'Allow', destination: { ports: [port] } }] },
  }
}

const revisions: Revision[] = [
  {
    id: 7,
    at: '2026-01-02T00:00:00Z',
    actor: 'ana',
    kind: 'GlobalNetworkPolicy',
    name: 'web',
    operation: 'update',
    before: gnp(80) as never,
    after: gnp(8080) as never,
  },
  {
    id: 3,
    at: '2026-01-01T00:00:00Z',
    actor: 'ana',
    kind: 'GlobalNetworkPolicy',
    name: 'web',
    operation: 'create',
    before: null,
    after: gnp(80) as never,
  },
]

describe('HistoryList', () => {
  it('marks the newest revision of each resource as current', () => {
    expect([...currentRevisionIds(revisions)]).toEqual([7])
  })

  it('shows a diff and rolls back to an older version', async () => {
    const { calls } = mockApi({
      'GET /api/v1/revisions': { body: { items: revisions } },
      'POST /api/v1/revisions/3/rollback': {
        body: { revision: { ...revisions[0], id: 8, rollbackOf: 3 }, revisionCounter: '8' },
      },
    })
    renderRoute(<HistoryList filter={{ kind: 'GlobalNetworkPolicy', name: 'web' }} />)
    const items = await screen.findAllByTestId('history.item')
    expect(items).toHaveLength(2)
    const user = userEvent.setup()

    await user.click(items[0] as HTMLElement)
    expect(screen.getByText('This is the current version.')).toBeTruthy()
    const diff = screen.getByTestId('history.diff')
    expect(diff.querySelector('.diff-del')?.textContent).toContain('80')
    expect(diff.querySelector('.diff-add')?.textContent).toContain('8080')

    await user.click(items[1] as HTMLElement)
    await user.click(screen.getByTestId('history.rollback'))
    await waitFor(() =>
      expect(
        calls.some((c) => c.method === 'POST' && c.url === '/api/v1/revisions/3/rollback'),
      ).toBe(true),
    )
    expect(calls.find((c) => c.method === 'GET')?.url).toContain('kind=GlobalNetworkPolicy')
  })

  it('previews the impact of rolling back, read-only, for a viewer', async () => {
    const viewer = meOf(
      'vera',
      [{ role: 'viewer' }],
      [{ tier: 'default', read: true, write: false }],
    )
    const { calls } = mockApi({
      'GET /api/v1/me': { body: viewer },
      'GET /api/v1/revisions': { body: { items: revisions } },
      'POST /api/v1/impact': { body: impactResponse(4) },
    })
    renderRoute(<HistoryList filter={{ kind: 'GlobalNetworkPolicy', name: 'web' }} />)
    const items = await screen.findAllByTestId('history.item')
    const user = userEvent.setup()

    // The current version has nothing to roll back to, so nothing to preview.
    await user.click(items[0] as HTMLElement)
    expect(screen.queryByTestId('history.preview-impact')).toBeNull()

    await user.click(items[1] as HTMLElement)
    await screen.findByTestId('history.no-rollback')
    expect(screen.queryByTestId('history.rollback')).toBeNull()
    await user.click(screen.getByTestId('history.preview-impact'))
    const panel = screen.getByTestId('history.impact')
    await waitFor(() =>
      expect(within(panel).getByTestId('impact.allowed-to-denied').textContent).toContain('4'),
    )
    const impact = calls.filter((c) => c.method === 'POST' && c.url === '/api/v1/impact')
    expect(impact).toHaveLength(1)
    expect(impact[0]?.body).toMatchObject({ change: { type: 'revision', id: 3 }, window: '24h' })
    expect(within(panel).getByTestId('impact.label').textContent).toBe(
      rollbackImpactLabel(revisions[1] as Revision),
    )
    expect(calls.some((c) => c.url.includes('rollback'))).toBe(false)

    await user.click(screen.getByTestId('history.preview-impact'))
    expect(screen.queryByTestId('history.impact')).toBeNull()
  })

  it.each([
    [revisions[1], 'with GlobalNetworkPolicy web as it was after #3'],
    [{ ...revisions[1], after: null }, 'with GlobalNetworkPolicy web removed'],
    [
      { ...revisions[1], kind: 'StagedNetworkPolicy', namespace: 'shop' },
      'StagedNetworkPolicy shop/web as it was after #3, enforced (other staged policies left out)',
    ],
  ])('labels the rollback preview of %#', (r, words) => {
    expect(rollbackImpactLabel(r as Revision)).toContain(words)
  })
})
