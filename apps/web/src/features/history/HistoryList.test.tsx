import type { Revision } from '@policyboard/api'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { mockApi, renderRoute } from '../../test/render.tsx'
import { currentRevisionIds, HistoryList } from './HistoryList.tsx'

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
})
