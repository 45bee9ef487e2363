import { expect, test } from '../fixtures.ts'

test.describe('can X reach Y', () => {
  test('names the deciding policy for an inventory pair', async ({ page, request }, testInfo) => {
    const inventory = await (await request.get('/api/v1/inventory')).json()
    const ref = (e: { namespace?: string; name: string }) => `${e.namespace}/${e.name}`
    const frontend = inventory.endpoints.find(
      (e: { labels?: Record<string, string> }) => e.labels?.app === 'frontend',
    )
    const cart = inventory.endpoints.find(
      (e: { labels?: Record<string, string> }) => e.labels?.app === 'cartservice',
    )
    expect(frontend && cart).toBeTruthy()
    const flow = {
      source: { endpoint: ref(frontend) },
      destination: { endpoint: ref(cart) },
      protocol: 'TCP',
      port: 7070,
    }
    // What the evaluator says, through the API: the page must name the same policy.
    const api = await (await request.post('/api/v1/explain', { data: flow })).json()
    const decided = api.enforced.ingress.decidedBy
    expect(decided.by).toBe('rule')

    await page.goto('/reach')
    await page.getByLabel('Source').fill(ref(frontend))
    await page.getByLabel('Destination').fill(ref(cart))
    await page.getByLabel('Port').fill('7070')
    await page.getByRole('button', { name: 'Check' }).click()
    await expect(page).toHaveURL(/port=7070/)
    const verdicts = page.getByTestId('reach.verdict')
    await expect(verdicts.first()).toContainText(
      api.enforced.action === 'Allow' ? 'can reach' : 'cannot reach',
    )
    await expect(verdicts.first()).toContainText(decided.policy.name)
    await page.screenshot({ path: testInfo.outputPath('reach.png'), fullPage: true })

    // An address outside the cluster is judged too.
    await page.goto(
      `/reach?from=${encodeURIComponent(ref(frontend))}&to=8.8.8.8&protocol=TCP&port=443`,
    )
    await expect(page.getByTestId('reach.result')).toBeVisible()
  })
})
