import { readFileSync } from 'node:fs'
import { applyYaml, dataFile, expect, test } from '../fixtures.ts'

test('roll a policy back from its history', async ({ page, request }, testInfo) => {
  // A change to roll back: the seed says port 8080, this edit says 9090.
  const seed = readFileSync(dataFile('seed.yaml'), 'utf8')
  await applyYaml(request, seed.replace('ports: [8080]', 'ports: [9090]'))

  await page.goto('/history?kind=NetworkPolicy&ns=e2e&name=e2e-allow-frontend')
  const items = page.getByTestId('history.item')
  await expect(items.first()).toContainText('update')
  await expect(items.first()).toContainText('current')

  // The revision before the newest holds the 8080 version.
  await items.nth(1).click()
  await expect(page).toHaveURL(/rev=\d+/)
  const diff = page.getByTestId('history.diff')
  await expect(diff).toBeVisible()
  await diff.getByRole('button', { name: 'Unified' }).click()
  await page.screenshot({ path: testInfo.outputPath('history.png') })
  await testInfo.attach('history', { path: testInfo.outputPath('history.png') })

  await page.getByTestId('history.rollback').click()
  await expect(items.first()).toContainText(/rollback of #\d+/)

  const res = await request.get('/api/v1/namespaces/e2e/networkpolicies/e2e-allow-frontend')
  const body = await res.json()
  expect(body.spec.ingress[0].destination.ports).toEqual([8080])
})

test("a legacy-named policy's page shows its history", async ({ board, page, request }) => {
  // The demo writes `security.quarantine` in tier security: the board names it by its bare name.
  const revs = await (
    await request.get('/api/v1/revisions?kind=GlobalNetworkPolicy&name=security.quarantine')
  ).json()
  expect(revs.items.length).toBeGreaterThan(0)
  await board.goto()
  const card = board.card('quarantine')
  await expect(card).toBeVisible()
  await card.getByRole('link', { name: 'quarantine' }).click()
  await expect(page).toHaveURL(/\/policies\/GlobalNetworkPolicy\/quarantine$/)
  await expect(page.getByRole('heading', { name: 'quarantine' })).toBeVisible()
  await expect(page.getByTestId('history.item')).toHaveCount(revs.items.length)
})
