import { expect, test } from '../fixtures.ts'

test.describe('flow explorer', () => {
  test('filters via the URL and explains a flow', async ({ page, request }, testInfo) => {
    await page.goto('/flows?action=deny')
    const rows = page.getByTestId('flows.row')
    await expect(rows.first()).toBeVisible()
    await expect(page.getByTestId('flows.filter-action')).toHaveValue('deny')
    const actions = await rows.locator('.badge').allTextContents()
    expect(actions.length).toBeGreaterThan(0)
    expect(new Set(actions)).toEqual(new Set(['deny']))
    await expect(page.getByTestId('flows.chart')).toBeVisible()

    // A namespace typed into the filter lands in the URL and narrows the records.
    const first = (await (await request.get('/api/v1/flowlogs?action=deny&limit=1')).json())
      .items[0].record
    const ns = first.dest_namespace !== '-' ? first.dest_namespace : first.source_namespace
    await page.getByTestId('flows.filter-namespace').fill(ns)
    await page.getByTestId('flows.filter-namespace').press('Enter')
    await expect(page).toHaveURL(new RegExp(`namespace=${ns}`))
    await page.reload()
    await expect(page.getByTestId('flows.filter-namespace')).toHaveValue(ns)
    await expect(rows.first()).toContainText(ns)

    // Explain: both views' traces of the record, from the evaluator.
    await rows.first().getByTestId('flows.explain').click()
    const panel = page.getByTestId('flows.explain-panel')
    await expect(panel.getByTestId('flows.trace-enforced')).toBeVisible()
    await expect(panel.getByTestId('flows.trace-staged')).toBeVisible()
    await expect(panel.getByTestId('flows.trace-enforced').getByTestId('trace.verdict')).toHaveText(
      'Deny',
    )
    await page.screenshot({ path: testInfo.outputPath('flows-explain.png'), fullPage: true })

    // Export follows the filters.
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('flows.csv')
  })
})
