import { applyYaml, expect, test } from '../fixtures.ts'

test.describe('default deny', () => {
  test('walks from the staged default deny to enforcing it, accepting recommendations on the way', async ({
    page,
    request,
  }, testInfo) => {
    const before = await request.get('/api/v1/stagedglobalnetworkpolicies/default-deny')
    expect(before.status()).toBe(200)
    const original = await before.json()
    try {
      await page.goto('/default-deny')
      const steps = page.getByTestId('default-deny.step')
      await expect(steps).toHaveCount(4)
      await expect(steps.nth(0)).toContainText('StagedGlobalNetworkPolicy')
      await expect(steps.nth(0)).toContainText('(staged)')
      // Step 2: the impact preview of the default deny alone (nothing accepted yet).
      await expect(page.getByTestId('default-deny.preview-scope')).toContainText(
        'default deny alone',
      )
      await expect(page.getByTestId('default-deny.blocked')).toHaveText(
        /\d+ flows would still be blocked\./,
      )
      // Step 3: one row per namespace; stage and accept each recommendation.
      const rows = page.getByTestId('default-deny.namespace')
      await expect(rows).toHaveCount(3)
      for (const ns of ['monitoring', 'storefront', 'tenant-b']) {
        const row = rows.filter({ hasText: ns })
        await row.getByRole('button', { name: 'Stage' }).click()
        await row.getByRole('button', { name: 'Accept' }).click()
        await expect(row).toContainText('accepted')
      }
      await page.screenshot({
        path: testInfo.outputPath('default-deny-staged.png'),
        fullPage: true,
      })
      // The preview is the default deny with the three accepted recommendations, and the
      // server agrees that nothing wanted is blocked any more.
      await expect(page.getByTestId('default-deny.preview-scope')).toContainText(
        'the 3 accepted recommendations',
      )
      const api = await request.post('/api/v1/impact', {
        data: {
          change: {
            type: 'staged-set',
            policies: [
              { kind: 'StagedGlobalNetworkPolicy', name: 'default-deny' },
              ...['monitoring', 'storefront', 'tenant-b'].map((ns) => ({
                kind: 'StagedNetworkPolicy',
                namespace: ns,
                name: `${ns}-recommendation`,
              })),
            ],
          },
          window: '24h',
          onlyChanged: true,
        },
      })
      expect(api.status(), await api.text()).toBe(200)
      expect((await api.json()).totals.allowedToDenied).toBe(0)
      await expect(page.getByTestId('default-deny.blocked')).toHaveText(
        'Nothing wanted is blocked: ready to enforce.',
      )

      await page.getByRole('button', { name: 'Enforce default deny' }).click()
      await expect(steps.nth(3)).toContainText('Enforced.')
      await expect(steps.nth(0)).toContainText('(enforced)')
      await page.screenshot({
        path: testInfo.outputPath('default-deny-enforced.png'),
        fullPage: true,
      })
      const gnp = await request.get('/api/v1/globalnetworkpolicies/default-deny')
      expect(gnp.status()).toBe(200)
      expect((await gnp.json()).spec.types).toEqual(['Ingress', 'Egress'])
    } finally {
      // Put the demo back as the other journeys expect it.
      for (const path of [
        '/api/v1/globalnetworkpolicies/default-deny',
        '/api/v1/namespaces/monitoring/stagednetworkpolicies/monitoring-recommendation',
        '/api/v1/namespaces/storefront/stagednetworkpolicies/storefront-recommendation',
        '/api/v1/namespaces/tenant-b/stagednetworkpolicies/tenant-b-recommendation',
        '/api/v1/tiers/namespace-isolation',
      ]) {
        await request.delete(path)
      }
      const { resourceVersion: _v, ...metadata } = original.metadata
      const exists = await request.get('/api/v1/stagedglobalnetworkpolicies/default-deny')
      if (exists.status() === 404) {
        await applyYaml(request, JSON.stringify({ ...original, metadata }))
      }
    }
  })
})
