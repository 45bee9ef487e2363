import { expect, test } from '../fixtures.ts'

test('theme: follows the system, switches, and is remembered', async ({
  board,
  page,
}, testInfo) => {
  await page.emulateMedia({ colorScheme: 'dark' })
  await board.goto()
  const html = page.locator('html')
  await expect(html).toHaveAttribute('data-theme', 'dark')
  const toggle = page.getByTestId('theme.toggle')
  await toggle.click() // system → light
  await expect(html).toHaveAttribute('data-theme', 'light')
  await page.reload()
  await expect(html).toHaveAttribute('data-theme', 'light')
  await toggle.click() // light → dark
  await expect(html).toHaveAttribute('data-theme', 'dark')
  await page.screenshot({ path: testInfo.outputPath('board-dark.png') })
  await testInfo.attach('board-dark', { path: testInfo.outputPath('board-dark.png') })
})

test('command palette: jump to a policy, a namespace and an action', async ({
  board,
  palette,
  page,
}) => {
  await board.goto()
  let dialog = await palette.open()
  await dialog.getByRole('combobox').fill('e2e-sec')
  await expect(dialog.getByRole('option').first()).toContainText('e2e-second')
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/policies\/GlobalNetworkPolicy\/e2e-second$/)
  await expect(page.getByRole('heading', { name: 'e2e-second' })).toBeVisible()

  dialog = await palette.open()
  await dialog.getByRole('combobox').fill('history')
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/history$/)

  dialog = await palette.open()
  await dialog.getByRole('combobox').fill('new tier')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('tier-dialog')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('tier-dialog')).toBeHidden()
})

test('filters live in the URL; back and forward restore them', async ({ board, page }) => {
  await board.goto()
  await page.getByLabel('Kind').selectOption('namespaced')
  await expect(page).toHaveURL(/kind=namespaced/)
  await expect(board.card('e2e-first')).toHaveCount(0)
  await expect(board.card('e2e-allow-frontend')).toBeVisible()
  await page.goBack()
  await expect(page).not.toHaveURL(/kind=/)
  await expect(board.card('e2e-first')).toBeVisible()
  await page.goForward()
  await expect(board.card('e2e-first')).toHaveCount(0)
})
