import type { PolicyResource } from '@policyboard/policy-core'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { impactResponse } from '../../test/fixtures.ts'
import { PolicyEditor } from './PolicyEditor.tsx'
import { mockFetch, type RecordedRequest, renderWithProviders } from './test-utils.tsx'

afterEach(() => vi.unstubAllGlobals())

const stored: PolicyResource = {
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name: 'web', namespace: 'shop', resourceVersion: '7' },
  spec: {
    tier: 'default',
    selector: 'app == "web"',
    types: ['Ingress'],
    ingress: [{ action: 'Allow' }],
  },
}

interface DraftBody {
  change: { type: string; resource: PolicyResource }
  window: string
}

function impactCalls(calls: readonly RecordedRequest[]): DraftBody[] {
  return calls
    .filter((c) => c.method === 'POST' && c.url === '/api/v1/impact')
    .map((c) => c.body as DraftBody)
}

function orderOf(body: DraftBody): unknown {
  return (body.change.resource.spec as { order?: number }).order
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the editor impact panel', () => {
  it('replays the settled valid draft, never an invalid one, and shows its counts', {
    timeout: 20_000,
  }, async () => {
    const calls = mockFetch((req) =>
      req.url === '/api/v1/impact'
        ? [200, impactResponse(orderOf(req.body as DraftBody) === 6 ? 3 : 0)]
        : [404, { code: 'NOT_FOUND', message: 'no' }],
    )
    renderWithProviders(<PolicyEditor initial={stored} resourceVersion="7" tiers={[]} />)
    const panel = screen.getByTestId('policy-editor.draft-impact')

    // The loaded policy is valid: it is previewed once edits have settled.
    await waitFor(() => expect(impactCalls(calls)).toHaveLength(1), { timeout: 3000 })
    expect(impactCalls(calls)[0]).toMatchObject({
      change: { type: 'draft', resource: { metadata: { name: 'web', namespace: 'shop' } } },
      window: '24h',
    })
    expect(within(panel).getByTestId('impact.label').textContent).toContain(
      'with the stored NetworkPolicy shop/web replaced by this draft',
    )

    // Two quick edits make one request, carrying the last draft.
    const order = screen.getByRole('spinbutton', { name: 'Order' })
    fireEvent.change(order, { target: { value: '5' } })
    fireEvent.change(order, { target: { value: '6' } })
    expect(within(panel).getByTestId('policy-editor.impact-state').textContent).toContain(
      'waiting for edits to settle',
    )
    await waitFor(() => expect(impactCalls(calls)).toHaveLength(2), { timeout: 3000 })
    expect(impactCalls(calls)[1]?.change.resource.spec).toMatchObject({
      order: 6,
      selector: 'app == "web"',
      ingress: [{ action: 'Allow' }],
    })
    await waitFor(() =>
      expect(within(panel).getByTestId('impact.allowed-to-denied').textContent).toContain('3'),
    )
    expect(within(panel).queryByTestId('impact.groups')).toBeNull()
    fireEvent.click(within(panel).getByTestId('impact.expand'))
    expect(within(panel).getByTestId('impact.group').textContent).toContain('shop/web-*')

    // An invalid draft is not sent; the panel says why.
    fireEvent.change(screen.getByRole('combobox', { name: 'Protocol' }), {
      target: { value: 'tcp' },
    })
    await waitFor(
      () =>
        expect(within(panel).getByTestId('policy-editor.impact-state').textContent).toContain(
          'fix the errors',
        ),
      { timeout: 3000 },
    )
    await sleep(800)
    expect(impactCalls(calls)).toHaveLength(2)
    expect(within(panel).queryByTestId('impact.preview')).toBeNull()
  })

  it('says a new policy is added', { timeout: 20_000 }, async () => {
    const calls = mockFetch((req) =>
      req.url === '/api/v1/impact'
        ? [200, impactResponse(0)]
        : [404, { code: 'NOT_FOUND', message: 'no' }],
    )
    const fresh = { ...stored, metadata: { name: 'web', namespace: 'shop' } }
    renderWithProviders(<PolicyEditor initial={fresh} tiers={[]} />)
    await waitFor(() => expect(impactCalls(calls)).toHaveLength(1), { timeout: 3000 })
    const panel = screen.getByTestId('policy-editor.draft-impact')
    expect(within(panel).getByTestId('impact.label').textContent).toBe(
      'If this draft were saved: the enforced policies now vs. with NetworkPolicy shop/web added',
    )
    await waitFor(() => expect(within(panel).getByTestId('impact.empty')).toBeTruthy())
  })
})
