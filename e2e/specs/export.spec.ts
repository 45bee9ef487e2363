import { readFile } from 'node:fs/promises'
import { parseAllDocuments } from 'yaml'
import { expect, test } from '../fixtures.ts'

test("download a tier's YAML and read it back", async ({ board, page }, testInfo) => {
  await board.goto()
  await board.column('e2e-export').getByRole('button', { name: 'Download tier e2e-export' }).click()
  const dialog = page.getByTestId('export-dialog')
  await expect(dialog).toBeVisible()
  await dialog.getByLabel('Staged policies').selectOption('exclude')
  const downloading = page.waitForEvent('download')
  await dialog.getByTestId('export-dialog.download').click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/e2e-export.*\.yaml$/)
  const file = testInfo.outputPath(download.suggestedFilename())
  await download.saveAs(file)
  await testInfo.attach('export', { path: file, contentType: 'application/yaml' })

  const docs = parseAllDocuments(await readFile(file, 'utf8')).map((d) => d.toJS())
  const names = docs.map((d) => `${d.kind}/${d.metadata.name}`)
  expect(names).toContain('NetworkPolicy/e2e-allow-frontend')
  expect(names.some((n) => n.startsWith('Staged'))).toBe(false)
  const np = docs.find((d) => d.metadata.name === 'e2e-allow-frontend')
  expect(np.metadata.namespace).toBe('e2e')
  expect(np.spec.tier).toBe('e2e-export')
  expect(np.metadata.resourceVersion).toBeUndefined()
})

test('download the whole board with staged policies only', async ({ board, page }, testInfo) => {
  await board.goto()
  await page.getByTestId('tier-board.export').click()
  const dialog = page.getByTestId('export-dialog')
  await dialog.getByLabel('Staged policies').selectOption('only')
  const downloading = page.waitForEvent('download')
  await dialog.getByTestId('export-dialog.download').click()
  const file = testInfo.outputPath('board.yaml')
  await (await downloading).saveAs(file)
  const kinds = parseAllDocuments(await readFile(file, 'utf8'))
    .map((d) => d.toJS()?.kind as string | undefined)
    .filter((k) => k && k !== 'Tier')
  expect(kinds.length).toBeGreaterThan(0)
  for (const k of kinds) expect(k).toMatch(/^Staged/)
})
