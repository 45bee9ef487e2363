import { readFileSync } from 'node:fs'
import type { APIRequestContext, Page, TestInfo } from '@playwright/test'
import { applyYaml, dataFile, expect, test } from '../fixtures.ts'

// What viewers and scoped editors are offered, and what the server does when the page is
// made to offer more than it should.

test.use({ signedOut: true })

const PASSWORD = 'permissions-password-123'

/** Creates (or replaces) a user with `roles` and signs the page's context in as that user. */
async function signInAs(
  page: Page,
  request: APIRequestContext,
  name: string,
  roles: Array<Record<string, unknown>>,
): Promise<void> {
  const put = await request.put(`/api/v1/users/${name}`, { data: { roles, password: PASSWORD } })
  expect(put.status(), await put.text()).toBe(200)
  const res = await page.context().request.post('/api/v1/auth/login', {
    data: { username: name, password: PASSWORD },
  })
  expect(res.status(), await res.text()).toBe(200)
}

/** Makes the page believe the user is an admin (`GET /api/v1/me` rewritten); the server is not told. */
async function pretendAdmin(page: Page): Promise<void> {
  await page.route('**/api/v1/me', async (route) => {
    const response = await route.fetch()
    const me = await response.json()
    await route.fulfill({ response, json: { ...me, user: { ...me.user, admin: true } } })
  })
}

const column = (page: Page, tier: string) =>
  page.locator(`[data-testid="tier-board.column"][data-tier="${tier}"]`)
const card = (page: Page, name: string) =>
  page.locator(`[data-testid="tier-board.card"][data-name="${name}"]`)

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) })
}

test('a viewer sees no write actions; a forced save is refused with the server’s message', async ({
  page,
  request,
}, testInfo) => {
  await signInAs(page, request, 'e2e-perm-viewer', [{ role: 'viewer' }])
  await page.goto('/board')
  await expect(page.getByTestId('tier-board')).toBeVisible()
  await expect(card(page, 'e2e-first')).toBeVisible()
  await expect(page.getByTestId('tier-board.new-tier')).toHaveCount(0)
  await expect(page.getByTestId('tier-board.export')).toBeVisible()
  const order = column(page, 'e2e-order')
  await expect(order.getByRole('button', { name: 'Download tier e2e-order' })).toBeVisible()
  await expect(order.getByRole('button', { name: 'Edit tier e2e-order' })).toHaveCount(0)
  await expect(order.getByRole('button', { name: 'Delete tier e2e-order' })).toHaveCount(0)
  await expect(order.getByTestId('tier-board.tier-handle')).toHaveCount(0)
  await expect(card(page, 'e2e-first')).toHaveAttribute('aria-disabled', 'true')
  await shot(page, testInfo, 'viewer-board')

  // A drag does nothing: the card is not draggable and no reorder is sent.
  let reorders = 0
  page.on('request', (r) => {
    if (r.url().includes('/policies/reorder')) reorders += 1
  })
  const from = await card(page, 'e2e-third').boundingBox()
  const to = await card(page, 'e2e-first').boundingBox()
  if (!from || !to) throw new Error('cards not laid out')
  await page.mouse.move(from.x + 20, from.y + 10)
  await page.mouse.down()
  await page.mouse.move(to.x + 20, to.y + 5, { steps: 10 })
  await page.mouse.up()
  await expect(order.getByTestId('tier-board.card').first()).toHaveAttribute(
    'data-name',
    'e2e-first',
  )
  expect(reorders).toBe(0)

  await page.goto('/policies/GlobalNetworkPolicy/e2e-first')
  await expect(page.getByRole('heading', { name: 'e2e-first' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Download YAML' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Edit', exact: true })).toHaveCount(0)
  await shot(page, testInfo, 'viewer-policy')

  await page.goto('/policies/GlobalNetworkPolicy/e2e-first/edit')
  await expect(page.getByTestId('policy-editor.no-write')).toHaveText(
    'Read only: you cannot write policies in tier "e2e-order".',
  )
  await expect(page.getByTestId('policy-editor.save')).toBeDisabled()
  await expect(page.getByTestId('policy-editor.stage')).toBeDisabled()
  await shot(page, testInfo, 'viewer-editor')

  await page.goto('/history?kind=NetworkPolicy&ns=e2e&name=e2e-allow-frontend')
  const items = page.getByTestId('history.item')
  await expect(items.first()).toBeVisible()
  if ((await items.count()) > 1) {
    await items.nth(1).click()
    await expect(page.getByTestId('history.no-rollback')).toBeVisible()
    await expect(page.getByTestId('history.rollback')).toHaveCount(0)
  }
  await shot(page, testInfo, 'viewer-history')

  await page.goto('/recommendations')
  await page.getByTestId('recommendations.namespace').filter({ hasText: 'tenant-b' }).click()
  await expect(page.getByTestId('recommendations.no-write')).toBeVisible()
  await expect(page.getByTestId('recommendations.generate')).toHaveCount(0)
  await shot(page, testInfo, 'viewer-recommendations')

  await page.goto('/default-deny')
  await expect(
    page.getByRole('button', { name: /Stage default deny|Enforce default deny/ }),
  ).toHaveCount(0)

  // Forced: the page is told the viewer is an admin, so it offers Save; the server refuses.
  await pretendAdmin(page)
  await page.goto('/policies/GlobalNetworkPolicy/e2e-first/edit')
  await expect(page.getByTestId('policy-editor.no-write')).toHaveCount(0)
  const put = page.waitForResponse(
    (r) => r.url().includes('/globalnetworkpolicies/e2e-first') && r.request().method() === 'PUT',
  )
  await page.getByTestId('policy-editor.save').click()
  const res = await put
  expect(res.status()).toBe(403)
  const message = 'user "e2e-perm-viewer" cannot update globalnetworkpolicies'
  const body = await res.json()
  expect(body.code).toBe('FORBIDDEN')
  expect(body.message).toContain(message)
  await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible()
  await shot(page, testInfo, 'viewer-forced-save')
})

test('an editor of one tier and namespace gets actions there only; the server refuses the rest', async ({
  page,
  request,
}, testInfo) => {
  // The seed might have been changed by a previous journey: start from it.
  await applyYaml(request, readFileSync(dataFile('seed.yaml'), 'utf8'))
  await signInAs(page, request, 'e2e-perm-editor', [
    { role: 'viewer' },
    { role: 'editor', tiers: ['e2e-export'], namespaces: ['e2e'] },
  ])
  await page.goto('/board')
  await expect(card(page, 'e2e-allow-frontend')).toHaveAttribute('aria-disabled', 'false')
  // A global policy of the same tier is outside the editor's namespaces; e2e-order is not its tier.
  await expect(card(page, 'e2e-staged-lockdown')).toHaveAttribute('aria-disabled', 'true')
  await expect(card(page, 'e2e-first')).toHaveAttribute('aria-disabled', 'true')
  await expect(page.getByTestId('tier-board.new-tier')).toHaveCount(0)
  await expect(
    column(page, 'e2e-export').getByRole('button', { name: 'Edit tier e2e-export' }),
  ).toHaveCount(0)
  await shot(page, testInfo, 'editor-board')

  await page.goto('/policies/NetworkPolicy/e2e/e2e-allow-frontend')
  await expect(page.getByRole('link', { name: 'Edit', exact: true })).toBeVisible()
  await page.goto('/policies/NetworkPolicy/e2e/e2e-allow-frontend/edit')
  await expect(page.getByTestId('policy-editor.save')).toBeEnabled()
  await expect(page.getByTestId('policy-editor.no-write')).toHaveCount(0)

  await page.goto('/policies/StagedGlobalNetworkPolicy/e2e-staged-lockdown')
  await expect(page.getByRole('heading', { name: 'e2e-staged-lockdown' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Edit', exact: true })).toHaveCount(0)
  await page.goto('/policies/StagedGlobalNetworkPolicy/e2e-staged-lockdown/edit')
  await expect(page.getByTestId('policy-editor.no-write')).toHaveText(
    'Read only: you cannot write policies in tier "e2e-export".',
  )
  await expect(page.getByTestId('policy-editor.save')).toBeDisabled()
  await expect(page.getByTestId('policy-editor.enforce')).toBeDisabled()

  // Forced: told it is an admin, the page saves the global policy; the server refuses.
  await pretendAdmin(page)
  await page.reload()
  await expect(page.getByTestId('policy-editor.save')).toBeEnabled()
  await page.getByTestId('policy-editor.save').click()
  const message =
    'user "e2e-perm-editor" cannot update stagedglobalnetworkpolicies in tier "e2e-export"'
  await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible()
  await shot(page, testInfo, 'editor-forced-save')
})
