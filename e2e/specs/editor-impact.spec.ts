import type { APIRequestContext } from '@playwright/test'
import { expect, test } from '../fixtures.ts'

// Impact previews before a change is made: the editor's draft and a rollback from history,
// on the demo's storefront cart service, whose one ingress rule admits the frontend and the
// checkout. The expected counts come from the server's impact route for the same change.

const NUMBER = new Intl.NumberFormat('en')
const CART = '/api/v1/namespaces/storefront/networkpolicies/cartservice'

interface Policy {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string; resourceVersion?: string }
  spec: { ingress?: unknown[]; types?: string[] } & Record<string, unknown>
}

async function storedCart(request: APIRequestContext): Promise<Policy> {
  const res = await request.get(CART)
  expect(res.status(), await res.text()).toBe(200)
  return (await res.json()) as Policy
}

/** The cart service without its ingress rules: what removing the allow rule drafts. */
function withoutIngress(p: Policy): Policy {
  const { ingress: _ingress, ...spec } = p.spec
  return { ...p, spec }
}

async function impactOf(request: APIRequestContext, change: unknown) {
  const res = await request.post('/api/v1/impact', {
    data: { change, window: '24h', onlyChanged: true },
  })
  expect(res.status(), await res.text()).toBe(200)
  return res.json()
}

test("the editor previews an unsaved draft's impact", async ({ page, request }, testInfo) => {
  const stored = await storedCart(request)
  expect(stored.spec.ingress?.length).toBe(1)
  const expected = await impactOf(request, { type: 'draft', resource: withoutIngress(stored) })
  expect(expected.totals.allowedToDenied).toBeGreaterThan(0)

  await page.goto('/policies/NetworkPolicy/storefront/cartservice/edit')
  await expect(page.getByTestId('policy-editor')).toBeVisible()
  const panel = page.getByTestId('policy-editor.draft-impact')
  // The policy as loaded changes nothing.
  await expect(panel.getByTestId('impact.allowed-to-denied')).toContainText('0')
  await expect(panel.getByTestId('impact.label')).toContainText(
    `with the stored NetworkPolicy storefront/${stored.metadata.name} replaced by this draft`,
  )

  const sent = page.waitForRequest(
    (r) =>
      r.method() === 'POST' &&
      r.url().endsWith('/api/v1/impact') &&
      (r.postDataJSON()?.change?.resource?.spec?.ingress ?? []).length === 0,
  )
  await page.getByRole('button', { name: 'Remove ingress rule 1', exact: true }).click()
  await expect(panel.getByTestId('policy-editor.impact-state')).toContainText('waiting')
  const body = (await sent).postDataJSON()
  expect(body.change.type).toBe('draft')
  expect(body.change.resource.metadata.name).toBe(stored.metadata.name)
  expect(body.change.resource.spec.types).toEqual(stored.spec.types)

  const totals = panel.getByTestId('impact.totals')
  await expect(totals.getByTestId('impact.allowed-to-denied')).toContainText(
    NUMBER.format(expected.totals.allowedToDenied),
  )
  await expect(totals.getByTestId('impact.denied-to-allowed')).toContainText(
    NUMBER.format(expected.totals.deniedToAllowed),
  )
  await expect(totals.getByTestId('impact.uncertain')).toContainText(
    NUMBER.format(expected.totals.uncertain),
  )
  await page.screenshot({ path: testInfo.outputPath('editor-impact-summary.png'), fullPage: true })

  // Expanded: the groups, and the traces of one, where the app tier now ends in a deny.
  await panel.getByTestId('impact.expand').click()
  const rows = panel.getByTestId('impact.group')
  await expect(rows).toHaveCount(Math.min(expected.groups.length, 50))
  await expect(rows.first()).toContainText('cartservice')
  await rows.first().getByRole('button').click()
  await expect(panel.getByTestId('impact.trace-before').getByTestId('trace.verdict')).toHaveText(
    'Allow',
  )
  await expect(panel.getByTestId('impact.trace-after').getByTestId('trace.verdict')).toHaveText(
    'Deny',
  )
  await panel.scrollIntoViewIfNeeded()
  await page.screenshot({ path: testInfo.outputPath('editor-impact-groups.png'), fullPage: true })

  // Nothing was saved.
  await expect(page.getByText('• unsaved')).toBeVisible()
  const after = await storedCart(request)
  expect(after.metadata.resourceVersion).toBe(stored.metadata.resourceVersion)
  expect(after.spec.ingress?.length).toBe(1)
})

test('history previews what rolling back to a revision would change', async ({
  page,
  request,
}, testInfo) => {
  const stored = await storedCart(request)
  const put = await request.put(CART, { data: withoutIngress(stored) })
  expect(put.status(), await put.text()).toBe(200)
  try {
    await page.goto(`/history?kind=NetworkPolicy&ns=storefront&name=${stored.metadata.name}`)
    const items = page.getByTestId('history.item')
    await expect(items.first()).toContainText('current')
    await expect(page.getByTestId('history.preview-impact')).toHaveCount(0)

    // The revision before the newest still has the allow rule: rolling back re-opens the flows.
    await items.nth(1).click()
    await expect(page).toHaveURL(/rev=\d+/)
    const id = Number(new URL(page.url()).searchParams.get('rev'))
    const expected = await impactOf(request, { type: 'revision', id })
    expect(expected.totals.deniedToAllowed).toBeGreaterThan(0)
    expect(expected.totals.allowedToDenied).toBe(0)

    await page.getByTestId('history.preview-impact').click()
    const panel = page.getByTestId('history.impact')
    await expect(panel.getByTestId('impact.label')).toContainText(`Rolling back to #${id}`)
    await expect(panel.getByTestId('impact.denied-to-allowed')).toContainText(
      NUMBER.format(expected.totals.deniedToAllowed),
    )
    await expect(panel.getByTestId('impact.allowed-to-denied')).toContainText('0')
    await expect(page.getByTestId('history.rollback')).toBeVisible()
    await page.screenshot({ path: testInfo.outputPath('history-impact.png'), fullPage: true })
  } finally {
    const now = await storedCart(request)
    const res = await request.put(CART, {
      data: {
        ...stored,
        metadata: { ...stored.metadata, resourceVersion: now.metadata.resourceVersion },
      },
    })
    expect(res.status(), await res.text()).toBe(200)
  }
})
