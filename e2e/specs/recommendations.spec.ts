import { expect, test } from '../fixtures.ts'

const POLICY = '/api/v1/namespaces/tenant-b/stagednetworkpolicies/tenant-b-recommendation'

test.describe('recommendations', () => {
  test.afterEach(async ({ request }) => {
    for (const path of [POLICY, '/api/v1/tiers/namespace-isolation']) {
      const res = await request.delete(path)
      expect([200, 204, 404], `${path}: ${await res.text()}`).toContain(res.status())
    }
  })

  test('stages and accepts the recommendation of a namespace, with its evidence', async ({
    page,
    request,
  }, testInfo) => {
    await page.goto('/recommendations')
    await page.getByTestId('recommendations.namespace').filter({ hasText: 'tenant-b' }).click()
    await expect(page).toHaveURL(/\/recommendations\/tenant-b$/)
    const detail = page.getByTestId('recommendations.detail')
    await expect(page.getByTestId('recommendations.yaml')).toContainText(
      'name: tenant-b-recommendation',
    )
    await expect(page.getByTestId('recommendations.yaml')).toContainText('stagedAction: Learn')
    // Every rule with the flows behind it; lateral movement listed apart, never allowed.
    const evidence = page.getByTestId('recommendations.evidence')
    await expect(evidence).toContainText('tenant-b/web')
    await expect(evidence).toContainText('pub')
    await expect(page.getByTestId('recommendations.denied')).toContainText('debug-shell')
    await expect(page.getByRole('region', { name: 'Impact preview' })).toBeVisible()
    await page.screenshot({ path: testInfo.outputPath('recommendation-new.png'), fullPage: true })

    await page.getByTestId('recommendations.generate').click()
    await expect(detail.getByTestId('recommendations.state')).toHaveText('learning')
    // The engine's status: rules just written, so Learning until they stay unchanged.
    await expect(detail.getByTestId('recommendations.status')).toHaveText('Learning')
    await detail.getByRole('button', { name: /^Accept/ }).click()
    await expect(detail.getByTestId('recommendations.state')).toHaveText('accepted')
    await page.screenshot({
      path: testInfo.outputPath('recommendation-accepted.png'),
      fullPage: true,
    })

    const stored = await (await request.get(POLICY)).json()
    expect(stored.kind).toBe('StagedNetworkPolicy')
    expect(stored.spec.stagedAction).toBe('Set')
    expect(stored.spec.tier).toBe('namespace-isolation')
    // What was stored exports as Calico accepts it: one IP family per rule.
    for (const rule of [...(stored.spec.ingress ?? []), ...(stored.spec.egress ?? [])]) {
      for (const nets of [
        rule.source?.nets,
        rule.source?.notNets,
        rule.destination?.nets,
        rule.destination?.notNets,
      ]) {
        const families = new Set((nets ?? []).map((n: string) => n.includes(':')))
        expect(families.size, JSON.stringify(rule)).toBeLessThanOrEqual(1)
      }
    }
  })
})
