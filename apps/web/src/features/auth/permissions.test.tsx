import type { PolicyResource } from '@policyboard/policy-core'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { sampleBoard } from '../../test/fixtures.ts'
import { ADMIN_ME, meOf, mockApi, renderRoute } from '../../test/render.tsx'
import { HistoryList } from '../history/HistoryList.tsx'
import { PolicyEditor } from '../policy-editor/PolicyEditor.tsx'
import { mockFetch, renderWithProviders } from '../policy-editor/test-utils.tsx'
import { TierBoardPage } from '../tier-board/TierBoardPage.tsx'
import { canFrom, writeRefusalText } from './me.ts'

afterEach(() => vi.unstubAllGlobals())

const VIEWER = meOf(
  'vera',
  [{ role: 'viewer' }],
  [
    { tier: 'security', read: true, write: false },
    { tier: 'default', read: true, write: false },
  ],
)
const EDITOR = meOf(
  'eddie',
  [{ role: 'viewer' }, { role: 'editor', tiers: ['security'], namespaces: ['shop'] }],
  [
    { tier: 'security', read: true, write: true, namespaces: ['shop'] },
    { tier: 'default', read: true, write: false },
  ],
)

function column(tier: string): HTMLElement {
  const c = screen
    .getAllByTestId('tier-board.column')
    .find((e) => e.getAttribute('data-tier') === tier)
  if (!c) throw new Error(`no column ${tier}`)
  return c
}

function card(name: string): HTMLElement {
  const c = screen
    .getAllByTestId('tier-board.card')
    .find((e) => e.getAttribute('data-name') === name)
  if (!c) throw new Error(`no card ${name}`)
  return c
}

describe('permissions (useCan)', () => {
  it('decides writes per tier and namespace, and explains refusals of resources', () => {
    const can = canFrom(EDITOR)
    expect(can.admin).toBe(false)
    expect(can.writeAny).toBe(true)
    expect(can.write('security', 'shop')).toBe(true)
    expect(can.write('security', 'db')).toBe(false)
    expect(can.write('security')).toBe(false)
    expect(can.write('default', 'shop')).toBe(false)
    expect(canFrom(undefined).writeAny).toBe(false)
    expect(canFrom(ADMIN_ME).write('anything')).toBe(true)
    const np = (namespace: string, tier?: string) => ({
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace },
      spec: tier ? { tier } : {},
    })
    expect(writeRefusalText(can, np('shop', 'security'))).toBeUndefined()
    expect(writeRefusalText(can, np('db', 'security'))).toBe(
      'NetworkPolicy db/p: you cannot write policies in tier "security" and namespace "db"',
    )
    expect(writeRefusalText(can, np('shop'))).toBe(
      'NetworkPolicy shop/p: you cannot write policies in tier "default" and namespace "shop"',
    )
    expect(writeRefusalText(can, { kind: 'Tier', metadata: { name: 'x' } })).toBe(
      'Tier x: only admins may write Tier resources',
    )
  })

  it('shows a viewer the board without tier actions or drags, downloads kept', async () => {
    mockApi({ 'GET /api/v1/me': { body: VIEWER }, 'GET /api/v1/board': { body: sampleBoard() } })
    renderRoute(<TierBoardPage />, { path: '/board', url: '/board' })
    await screen.findByTestId('tier-board')
    // /me answers after the board may have: wait until the admin-less view settles.
    await waitFor(() => expect(screen.queryByTestId('tier-board.new-tier')).toBeNull())
    const security = column('security')
    expect(within(security).queryByRole('button', { name: 'Edit tier security' })).toBeNull()
    expect(within(security).queryByRole('button', { name: 'Delete tier security' })).toBeNull()
    expect(within(security).queryByTestId('tier-board.tier-handle')).toBeNull()
    expect(within(security).getByRole('button', { name: 'Download tier security' })).toBeTruthy()
    expect(screen.getByTestId('tier-board.export')).toBeTruthy()
    for (const name of ['deny-egress', 'allow-dns', 'web']) {
      expect(card(name).getAttribute('aria-disabled'), name).toBe('true')
    }
  })

  it('lets an editor of one tier and namespace drag only its own cards', async () => {
    mockApi({ 'GET /api/v1/me': { body: EDITOR }, 'GET /api/v1/board': { body: sampleBoard() } })
    renderRoute(<TierBoardPage />, { path: '/board', url: '/board' })
    await screen.findByTestId('tier-board')
    await waitFor(() => expect(card('allow-dns').getAttribute('aria-disabled')).toBe('false'))
    // A global policy of the tier is outside the editor's namespace; default is not its tier.
    expect(card('deny-egress').getAttribute('aria-disabled')).toBe('true')
    expect(card('web').getAttribute('aria-disabled')).toBe('true')
    expect(screen.queryByTestId('tier-board.new-tier')).toBeNull()
    expect(screen.queryByTestId('tier-board.tier-handle')).toBeNull()
  })

  it('gives admins every tier action', async () => {
    mockApi({ 'GET /api/v1/board': { body: sampleBoard() } })
    renderRoute(<TierBoardPage />, { path: '/board', url: '/board' })
    await screen.findByTestId('tier-board.new-tier')
    const security = column('security')
    expect(within(security).getByRole('button', { name: 'Edit tier security' })).toBeTruthy()
    expect(within(security).getByTestId('tier-board.tier-handle')).toBeTruthy()
    expect(card('deny-egress').getAttribute('aria-disabled')).toBe('false')
  })

  it('disables saving in the editor, with the reason, outside the user’s tier or namespace', async () => {
    const stored: PolicyResource = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'db', namespace: 'db', resourceVersion: '3' },
      spec: { tier: 'security', selector: 'all()', types: ['Ingress'] },
    }
    mockFetch(() => [404, { code: 'NOT_FOUND', message: 'no' }])
    renderWithProviders(
      <PolicyEditor initial={stored} resourceVersion="3" tiers={[]} />,
      '/',
      EDITOR,
    )
    const note = await screen.findByTestId('policy-editor.no-write')
    expect(note.textContent).toBe(
      'Read only: you cannot write policies in tier "security" and namespace "db".',
    )
    const save = screen.getByTestId('policy-editor.save') as HTMLButtonElement
    expect(save.disabled).toBe(true)
    expect(save.title).toBe(note.textContent)
    expect((screen.getByTestId('policy-editor.stage') as HTMLButtonElement).disabled).toBe(true)
  })

  it('enables saving in the editor inside the user’s tier and namespace', async () => {
    const stored: PolicyResource = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'shop', resourceVersion: '3' },
      spec: { tier: 'security', selector: 'all()', types: ['Ingress'] },
    }
    mockFetch(() => [404, { code: 'NOT_FOUND', message: 'no' }])
    renderWithProviders(
      <PolicyEditor initial={stored} resourceVersion="3" tiers={[]} />,
      '/',
      EDITOR,
    )
    await screen.findByTestId('policy-editor')
    expect(screen.queryByTestId('policy-editor.no-write')).toBeNull()
    expect((screen.getByTestId('policy-editor.save') as HTMLButtonElement).disabled).toBe(false)
  })

  it('offers no rollback to a viewer', async () => {
    const gnp = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'web' },
      spec: { tier: 'default' },
    }
    const rev = (id: number) => ({
      id,
      at: '2026-01-01T00:00:00Z',
      actor: 'ana',
      kind: 'GlobalNetworkPolicy',
      name: 'web',
      tier: 'default',
      operation: id === 3 ? 'create' : 'update',
      before: id === 3 ? null : gnp,
      after: gnp,
    })
    mockApi({
      'GET /api/v1/me': { body: VIEWER },
      'GET /api/v1/revisions': { body: { items: [rev(7), rev(3)] } },
    })
    renderRoute(<HistoryList filter={{}} />)
    const items = await screen.findAllByTestId('history.item')
    await userEvent.click(items[1] as HTMLElement)
    await screen.findByTestId('history.no-rollback')
    expect(screen.queryByTestId('history.rollback')).toBeNull()
  })
})
