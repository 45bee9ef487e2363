import { E2E_ADMIN_PASSWORD, E2E_ADMIN_TOKEN, expect, test } from '../fixtures.ts'

test.describe('signed out', () => {
  test.use({ signedOut: true })

  test('the login page takes a password or a token; a wrong one is refused and audited', async ({
    page,
    request,
  }, testInfo) => {
    const errors: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    await page.goto('/board')
    await expect(page).toHaveURL(/\/login\?next=%2Fboard/)
    await expect(page.getByRole('heading', { name: 'Sign in to Policyboard' })).toBeVisible()
    await page.screenshot({ path: testInfo.outputPath('login.png') })

    await page.getByLabel('Username').fill('admin')
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('alert')).toHaveText('wrong username, password or token')

    await page.getByLabel('Password').fill(E2E_ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page).toHaveURL(/\/board$/)
    await expect(page.getByTestId('tier-board')).toBeVisible()
    await expect(page.getByTestId('user-menu')).toContainText('admin')

    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page).toHaveURL(/\/login/)
    await page.getByRole('tab', { name: 'API token' }).click()
    await page.getByLabel('API token').fill(E2E_ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByTestId('tier-board')).toBeVisible()

    // The failed login is in the audit log, on the admin-only page.
    await page.getByRole('link', { name: 'Audit' }).click()
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible()
    await expect(
      page.locator('[data-testid="audit.row"][data-event="login"]', { hasText: 'failure' }).first(),
    ).toBeVisible()
    await page.screenshot({ path: testInfo.outputPath('audit.png'), fullPage: false })
    const audit = await request.get('/api/v1/audit?event=login&outcome=failure')
    expect((await audit.json()).items.length).toBeGreaterThan(0)
    // The built app runs under the Content-Security-Policy without violations.
    expect(errors.filter((e) => /Content Security Policy|Refused to/.test(e))).toEqual([])
  })

  test('a viewer is not offered writes, and the server refuses them', async ({ page, request }) => {
    const put = await request.put('/api/v1/users/e2e-viewer', {
      data: { roles: [{ role: 'viewer' }], password: 'viewer-password-123' },
    })
    expect(put.status(), await put.text()).toBe(200)
    await page.goto('/login')
    await page.getByLabel('Username').fill('e2e-viewer')
    await page.getByLabel('Password').fill('viewer-password-123')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByTestId('tier-board')).toBeVisible()
    await expect(page.getByRole('link', { name: 'New policy' })).toHaveCount(0)
    await expect(page.getByRole('link', { name: 'Audit' })).toHaveCount(0)
    const res = await page.request.post('/api/v1/apply', { data: { yaml: '' } })
    // Without the CSRF header a cookie request is refused before anything else.
    expect(res.status()).toBe(403)
    expect((await res.json()).code).toBe('CSRF')
  })
})
