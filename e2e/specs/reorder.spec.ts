import { expect, test } from '../fixtures.ts'

/** The seeded policies of tier e2e-order (other journeys may add their own there). */
const SEEDED = ['e2e-first', 'e2e-second', 'e2e-third']

test('drag a policy to the top of its tier; the order survives a reload', async ({
  board,
  page,
}, testInfo) => {
  await board.goto()
  await expect
    .poll(() => board.cardNames('e2e-order', SEEDED))
    .toEqual(['e2e-first', 'e2e-second', 'e2e-third'])

  const reorder = page.waitForResponse((r) => r.url().includes('/api/v1/policies/reorder'))
  await board.dragCard('e2e-third', 'e2e-first')
  expect((await reorder).status()).toBe(200)
  await expect
    .poll(() => board.cardNames('e2e-order', SEEDED))
    .toEqual(['e2e-third', 'e2e-first', 'e2e-second'])

  await page.reload()
  await expect
    .poll(() => board.cardNames('e2e-order', SEEDED))
    .toEqual(['e2e-third', 'e2e-first', 'e2e-second'])
  await page.screenshot({ path: testInfo.outputPath('reordered.png') })
  await testInfo.attach('reordered', { path: testInfo.outputPath('reordered.png') })
})

test('a refused move is rolled back on the board', async ({ board, page }) => {
  await board.goto()
  // The server cannot be made to fail on demand, so this one answer is mocked.
  await page.route('**/api/v1/policies/reorder', (route) =>
    route.fulfill({
      status: 409,
      contentType: 'application/json',
      body: JSON.stringify({
        statusCode: 409,
        code: 'CONFLICT',
        message: 'resource version is stale',
      }),
    }),
  )
  await board.dragCard('e2e-third', 'e2e-first')
  await expect(page.getByText('The move was undone')).toBeVisible()
  await expect
    .poll(() => board.cardNames('e2e-order', SEEDED))
    .toEqual(['e2e-first', 'e2e-second', 'e2e-third'])
})

test('keyboard: move focus, reorder with Alt+↑, open with Enter', async ({ board, page }) => {
  await board.goto('?q=e2e-')
  await board.card('e2e-second').click({ position: { x: 200, y: 40 } })
  await page.keyboard.press('j')
  await expect(board.card('e2e-third')).toBeFocused()
  const reorder = page.waitForResponse((r) => r.url().includes('/api/v1/policies/reorder'))
  await page.keyboard.press('Alt+ArrowUp')
  expect((await reorder).status()).toBe(200)
  await expect
    .poll(() => board.cardNames('e2e-order', SEEDED))
    .toEqual(['e2e-first', 'e2e-third', 'e2e-second'])
  await page.keyboard.press('/')
  await expect(page.getByTestId('tier-board.filter')).toBeFocused()
  await page.keyboard.press('Escape')
  await board.card('e2e-first').focus()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/policies\/GlobalNetworkPolicy\/e2e-first$/)
})
