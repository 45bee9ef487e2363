import { dataFile, expect, test } from '../fixtures.ts'

test('an invalid file is rejected in the browser with its document and field path', async ({
  importPage,
  page,
}) => {
  await importPage.goto()
  await importPage.chooseFile(dataFile('import-invalid.yaml'))
  const errors = page.getByTestId('import.errors')
  await expect(errors).toBeVisible()
  await expect(errors).toContainText('document 1')
  await expect(errors).toContainText('spec.ingress[0].action')
  await expect(page.getByTestId('import.preview')).toHaveCount(0)
})

test('import a file: dry-run diff first, then apply', async ({
  importPage,
  board,
  page,
}, testInfo) => {
  await importPage.goto()
  await importPage.chooseFile(dataFile('import-valid.yaml'))
  await expect(page.getByTestId('import.valid')).toContainText('2 resources')
  await expect(page.getByTestId('import.apply')).toBeDisabled()

  await page.getByTestId('import.preview').click()
  const preview = page.getByTestId('import.dry-run')
  await expect(preview).toBeVisible()
  const changed = preview.getByTestId('import.result').filter({ hasText: 'e2e-allow-frontend' })
  await expect(changed).toContainText('changed')
  await expect(changed).toContainText('8080')
  await expect(changed).toContainText('8443')
  await page.screenshot({ path: testInfo.outputPath('dry-run.png') })
  await testInfo.attach('dry-run', { path: testInfo.outputPath('dry-run.png') })

  await page.getByTestId('import.apply').click()
  await expect(page.getByTestId('import.applied')).toContainText('Applied 2 resources')

  await board.goto()
  await expect(board.card('e2e-imported')).toBeVisible()
})
