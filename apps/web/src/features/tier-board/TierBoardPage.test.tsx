import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { policy, sampleBoard, tier } from '../../test/fixtures.ts'
import { mockApi, renderRoute } from '../../test/render.tsx'
import { TierBoardPage } from './TierBoardPage.tsx'

function columns() {
  return screen.getAllByTestId('tier-board.column').map((c) => c.getAttribute('data-tier'))
}

function cardNames(tier: string) {
  const column = screen
    .getAllByTestId('tier-board.column')
    .find((c) => c.getAttribute('data-tier') === tier)
  return column
    ? within(column)
        .queryAllByTestId('tier-board.card')
        .map((c) => c.getAttribute('data-name'))
    : []
}

describe('TierBoardPage', () => {
  afterEach(() => vi.restoreAllMocks())

  it('shows tiers left to right and policies top to bottom in evaluation order', async () => {
    const board = sampleBoard()
    // The server's order does not matter: the board sorts.
    board.tiers.reverse()
    mockApi({ 'GET /api/v1/board': { body: board } })
    renderRoute(<TierBoardPage />, { path: '/board', url: '/board' })
    await screen.findByTestId('tier-board')
    expect(columns()).toEqual(['security', 'kube-admin', 'default'])
    expect(cardNames('security')).toEqual(['deny-egress', 'allow-dns', 'quarantine'])
    expect(cardNames('default')).toEqual(['web', 'knp-db'])
    // kube-admin is a built-in Pass tier: collapsed until opened.
    expect(screen.getByRole('region', { name: 'Tier kube-admin (collapsed)' })).toBeTruthy()
  })

  it('marks staged policies with their staged action', async () => {
    mockApi({ 'GET /api/v1/board': { body: sampleBoard() } })
    renderRoute(<TierBoardPage />, { path: '/board', url: '/board' })
    const staged = await screen.findByTestId('tier-board.staged')
    expect(staged.textContent).toBe('staged · Set')
    expect(staged.closest('[data-testid="tier-board.card"]')?.className).toContain('card-staged')
  })

  it('gives every staged card, and only those, an impact link to its preview', async () => {
    const board = sampleBoard()
    mockApi({ 'GET /api/v1/board': { body: board } })
    renderRoute(<TierBoardPage />, { path: '/board', url: '/board' })
    await screen.findByTestId('tier-board')
    const staged = board.tiers.flatMap((t) => t.policies).filter((p) => p.isStaged)
    expect(staged.length).toBeGreaterThan(0)
    const links = screen.getAllByTestId('impact.link')
    expect(links).toHaveLength(staged.length)
    for (const p of staged) {
      const card = screen
        .getAllByTestId('tier-board.card')
        .find((c) => c.getAttribute('data-name') === p.name)
      const href = card ? within(card).getByTestId('impact.link').getAttribute('href') : null
      const expected = new URLSearchParams({ kind: p.kind, name: p.name })
      if (p.namespace) expected.set('ns', p.namespace)
      expect(href).toBe(`/impact?${expected.toString()}`)
    }
  })

  it('filters from the URL and writes filters back to it', async () => {
    mockApi({ 'GET /api/v1/board': { body: sampleBoard() } })
    const { router } = renderRoute(<TierBoardPage />, { path: '/board', url: '/board?ns=shop' })
    await screen.findByTestId('tier-board')
    expect(cardNames('security')).toEqual(['allow-dns'])
    expect(cardNames('default')).toEqual(['web', 'knp-db'])
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'kubernetes' } })
    await waitFor(() => expect(router.state.location.search).toBe('?ns=shop&kind=kubernetes'))
    expect(cardNames('default')).toEqual(['knp-db'])
    expect(screen.getByText('No match')).toBeTruthy()
  })

  it('filters by "selects endpoint" with the server\'s answer for that endpoint', async () => {
    const inventory = {
      revision: '1',
      namespaces: [{ name: 'shop', labels: {} }],
      serviceAccounts: [],
      endpoints: [{ name: 'web-1', namespace: 'shop', labels: { app: 'web' } }],
    }
    const tiers = (names: Array<[string, string, string?]>) =>
      [...new Set(names.map(([, t]) => t))].map((tier) => ({
        tier,
        defaultAction: 'Deny' as const,
        policies: names
          .filter(([, t]) => t === tier)
          .map(([name, t, ns]) => ({
            kind: ns ? 'NetworkPolicy' : 'StagedGlobalNetworkPolicy',
            name,
            tier: t,
            staged: !ns,
            ...(ns ? { namespace: ns } : {}),
          })),
      }))
    const { calls } = mockApi({
      'GET /api/v1/board': { body: sampleBoard() },
      'GET /api/v1/inventory': { body: inventory },
      'GET /api/v1/endpoints/shop/web-1/policies': {
        body: {
          namespace: 'shop',
          name: 'web-1',
          members: ['shop/web-1'],
          labels: { app: 'web' },
          judged: 'shop/web-1',
          enforced: { ingress: tiers([['web', 'default', 'shop']]), egress: [] },
          staged: { ingress: [], egress: tiers([['quarantine', 'security']]) },
          revision: '10',
        },
      },
    })
    renderRoute(<TierBoardPage />, { path: '/board', url: '/board?endpoint=shop%2Fweb-1' })
    await waitFor(() => expect(cardNames('default')).toEqual(['web']))
    expect(cardNames('security')).toEqual(['quarantine'])
    expect(calls.some((c) => c.url.startsWith('/api/v1/endpoints/shop/web-1/policies'))).toBe(true)
  })

  it('says so when the endpoint is not in the inventory, and asks the server nothing', async () => {
    const { calls } = mockApi({
      'GET /api/v1/board': { body: sampleBoard() },
      'GET /api/v1/inventory': {
        body: { revision: '1', namespaces: [], serviceAccounts: [], endpoints: [] },
      },
    })
    renderRoute(<TierBoardPage />, { path: '/board', url: '/board?endpoint=shop%2Fnope' })
    await screen.findByText(/no endpoint "shop\/nope" in the inventory/)
    expect(cardNames('default')).toEqual([])
    expect(calls.some((c) => c.url.includes('/api/v1/endpoints/'))).toBe(false)
  })

  it('moves keyboard focus with j and k and focuses the filter with /', async () => {
    mockApi({ 'GET /api/v1/board': { body: sampleBoard() } })
    renderRoute(<TierBoardPage />, { path: '/board', url: '/board' })
    await screen.findByTestId('tier-board')
    const user = userEvent.setup()
    await user.keyboard('j')
    await waitFor(() =>
      expect(document.activeElement?.getAttribute('data-name')).toBe('deny-egress'),
    )
    await user.keyboard('jj')
    await waitFor(() =>
      expect(document.activeElement?.getAttribute('data-name')).toBe('quarantine'),
    )
    await user.keyboard('{ArrowRight}')
    await waitFor(() => expect(document.activeElement?.getAttribute('data-name')).toBe('knp-db'))
    await user.keyboard('/')
    expect(document.activeElement).toBe(screen.getByTestId('tier-board.filter'))
  })

  it('creates a tier from the dialog and shows the server refusal with its field', async () => {
    const { calls } = mockApi({
      'GET /api/v1/board': { body: sampleBoard() },
      'POST /api/v1/tiers': {
        status: 400,
        body: {
          statusCode: 400,
          code: 'VALIDATION',
          message: 'invalid tier',
          errors: [{ code: 'INVALID_VALUE', message: 'expected a number', path: 'spec.order' }],
        },
      },
    })
    renderRoute(<TierBoardPage />, { path: '/board', url: '/board?dialog=new-tier' })
    const dialog = await screen.findByTestId('tier-dialog')
    const user = userEvent.setup()
    await user.type(within(dialog).getByLabelText('Name'), 'audit')
    await user.selectOptions(within(dialog).getByLabelText('Position'), 'After security (100)')
    expect((within(dialog).getByLabelText('Order') as HTMLInputElement).value).toBe('600')
    await user.click(within(dialog).getByRole('button', { name: 'Create tier' }))
    const alert = await within(dialog).findByText('spec.order')
    expect(alert).toBeTruthy()
    const post = calls.find((c) => c.method === 'POST')
    expect(post?.body).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: 'audit' },
      spec: { defaultAction: 'Deny', order: 600 },
    })
  })

  it('renders only the cards in view of a long column', async () => {
    // jsdom has no layout: give every element the size of a column on screen.
    vi.spyOn(Element.prototype, 'clientHeight', 'get').mockReturnValue(800)
    vi.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(288)
    vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(124)
    const long = Array.from({ length: 1000 }, (_, i) =>
      policy(`p-${String(i).padStart(4, '0')}`, { order: i }),
    )
    mockApi({ 'GET /api/v1/board': { body: { ...sampleBoard(), tiers: [tier('big', 10, long)] } } })
    renderRoute(<TierBoardPage />, { path: '/board', url: '/board' })
    await screen.findByTestId('tier-board')
    await waitFor(() =>
      expect(screen.queryAllByTestId('tier-board.card').length).toBeGreaterThan(0),
    )
    expect(screen.queryAllByTestId('tier-board.card').length).toBeLessThan(50)
    expect(screen.getByText('1000')).toBeTruthy()
  })
})
