import { expect, test } from '../fixtures.ts'

test('create a tier, then edit and delete it', async ({ board, page }, testInfo) => {
  const name = `e2e-new-${testInfo.repeatEachIndex}-${Date.now() % 100000}`
  await board.goto()
  await page.getByTestId('tier-board.new-tier').click()
  const dialog = page.getByTestId('tier-dialog')
  await expect(dialog).toBeVisible()
  await expect(page).toHaveURL(/dialog=new-tier/)
  await dialog.getByLabel('Name').fill(name)
  await dialog.getByLabel('Position').selectOption({ label: 'After e2e-order (150)' })
  await expect(dialog.getByLabel('Order')).toHaveValue('155')
  await dialog.getByLabel('Default action').selectOption('Pass')
  await dialog.getByRole('button', { name: 'Create tier' }).click()
  await expect(dialog).toBeHidden()

  const column = board.column(name)
  await expect(column).toBeVisible()
  await expect(column).toContainText('end: Pass')
  const tiers = await board.tierNames()
  expect(tiers.indexOf(name)).toBe(tiers.indexOf('e2e-order') + 1)

  await page.reload()
  await expect(board.column(name)).toContainText('order 155')
  await page.screenshot({ path: testInfo.outputPath('tier-created.png') })
  await testInfo.attach('tier-created', { path: testInfo.outputPath('tier-created.png') })

  await column.getByRole('button', { name: `Edit tier ${name}` }).click()
  await dialog.getByLabel('Order').fill('157')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(board.column(name)).toContainText('order 157')

  await board
    .column(name)
    .getByRole('button', { name: `Delete tier ${name}` })
    .click()
  await page.getByRole('dialog').getByRole('button', { name: 'Delete tier' }).click()
  await expect(board.column(name)).toHaveCount(0)
})

test('an invalid tier name is explained before anything is sent', async ({ board, page }) => {
  await board.goto('?dialog=new-tier')
  const dialog = page.getByTestId('tier-dialog')
  await dialog.getByLabel('Name').fill('Not_Valid')
  await dialog.getByRole('button', { name: 'Create tier' }).click()
  await expect(dialog.getByRole('alert')).toContainText('expected lowercase letters')
})
