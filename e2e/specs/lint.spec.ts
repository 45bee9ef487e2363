import { expect, test } from '../fixtures.ts'

/** The fields of a lint finding (GET /api/v1/lint) these journeys read. */
interface LintFindingItem {
  code: string
  severity: 'error' | 'warning' | 'info'
  resource: string
  path: string
  fix: string
  policy?: { kind: string; namespace?: string; name: string; tier: string }
}

/** The part of the lint response these journeys read. */
interface LintResponse {
  findings: LintFindingItem[]
}

test('the lint page lists a finding the demo produces, with its fix and a link', async ({
  page,
  request,
}, testInfo) => {
  const res = await request.get('/api/v1/lint?kind=policy')
  expect(res.status(), await res.text()).toBe(200)
  const body = (await res.json()) as LintResponse
  // Prefer a warning or error about a policy (those link to the policy and badge its card).
  const known =
    body.findings.find((f) => f.policy && f.severity !== 'info') ??
    body.findings.find((f) => f.policy)
  expect(known, 'the demo yields at least one policy finding').toBeDefined()
  const f = known as LintFindingItem

  await page.goto('/lint')
  const group = page.locator(`[data-testid="lint.group"][data-resource="${f.resource}"]`)
  await expect(group).toBeVisible()
  const row = group.locator(`[data-testid="lint.finding"][data-code="${f.code}"]`).first()
  await expect(row).toContainText(f.severity)
  await expect(row).toContainText(f.fix)
  await expect(page.getByTestId('lint.summary')).toContainText(/\d+ (error|warning|info)/)
  await page.screenshot({ path: testInfo.outputPath('lint-page.png'), fullPage: false })

  // The severity filter lives in the URL and is applied by the server.
  await page.getByLabel('Severity').selectOption('error')
  await expect(page).toHaveURL(/severity=error/)
  const errors = body.findings.filter((x) => x.severity === 'error')
  if (errors.length === 0) await expect(page.getByTestId('lint.summary')).toHaveText('no findings')
  else await expect(page.getByTestId('lint.finding').first()).toContainText('error')

  // A finding links to its policy (the editor at the field when the finding names one).
  await page.goto('/lint')
  const link = group.getByRole('link').first()
  await link.click()
  await expect(page).toHaveURL(new RegExp(`/policies/${f.policy?.kind}/`))
})

test('a board card shows its lint badge', async ({ board, page, request }, testInfo) => {
  const res = await request.get('/api/v1/lint?kind=policy&severity=warning')
  const body = (await res.json()) as LintResponse
  const withPolicy = body.findings.filter((f) => f.policy)
  expect(withPolicy.length, 'the demo yields a policy warning or error').toBeGreaterThan(0)
  const target = (withPolicy[0] as LintFindingItem).policy as NonNullable<LintFindingItem['policy']>
  const expected = withPolicy.filter(
    (f) =>
      f.policy?.kind === target.kind &&
      f.policy?.name === target.name &&
      f.policy?.namespace === target.namespace,
  )

  await board.goto()
  const badge = board
    .card(target.name)
    .filter({ has: page.getByTestId('lint.badge') })
    .first()
    .getByTestId('lint.badge')
  await expect(badge).toBeVisible()
  await expect(badge).toHaveText(new RegExp(`${expected.length}$`))
  const worst = expected.some((f) => f.severity === 'error') ? 'error' : 'warning'
  await expect(badge).toHaveAttribute('data-severity', worst)
  await expect(badge).toHaveAttribute('title', new RegExp(expected[0]?.code ?? ''))
  await badge.scrollIntoViewIfNeeded()
  await page.screenshot({ path: testInfo.outputPath('lint-badge.png') })
})

test('label rules requiring a label the demo lacks produce MISSING_REQUIRED_LABEL', async ({
  page,
  request,
}, testInfo) => {
  const before = (await (await request.get('/api/v1/lint/label-rules')).json()) as {
    text: string
  }
  const inventory = (await (await request.get('/api/v1/inventory')).json()) as {
    endpoints: Array<{ name: string; namespace?: string; kind?: string; labels?: object }>
  }
  const key = 'e2e.example.com/cost-centre'
  const lacking = inventory.endpoints.filter(
    (e) => (e.kind ?? 'workload') === 'workload' && !(key in (e.labels ?? {})),
  )
  expect(lacking.length).toBeGreaterThan(0)
  try {
    await page.goto('/lint?tab=labels')
    const editor = page.getByTestId('lint.rules.text')
    await expect(editor).toBeVisible()
    // Invalid rules are refused with their path before anything is sent.
    await editor.fill('requireWorkloadLabels: [1]\n')
    await expect(page.getByTestId('lint.rules.errors')).toContainText('requireWorkloadLabels[0]')
    await expect(page.getByTestId('lint.rules.save')).toBeDisabled()

    await editor.fill(`requireWorkloadLabels: ['${key}']\n`)
    await page.getByTestId('lint.rules.save').click()
    const missing = page.locator('[data-testid="lint.finding"][data-code="MISSING_REQUIRED_LABEL"]')
    await expect(missing.first()).toBeVisible()
    await expect(missing).toHaveCount(lacking.length)
    const first = lacking[0]
    await expect(
      page.locator(
        `[data-testid="lint.group"][data-resource="Pod ${first?.namespace ?? 'default'}/${first?.name}"]`,
      ),
    ).toContainText(key)
    await page.screenshot({ path: testInfo.outputPath('lint-labels.png') })
  } finally {
    const restored = await request.put('/api/v1/lint/label-rules', { data: { text: before.text } })
    expect(restored.status()).toBe(200)
  }
})

test("the editor's findings panel lints the draft and highlights the linked field", async ({
  page,
  request,
}, testInfo) => {
  const body = (await (
    await request.get('/api/v1/lint?kind=policy&severity=warning')
  ).json()) as LintResponse
  const f = body.findings.find((x) => x.policy && x.path && !x.policy.kind.includes('Kubernetes'))
  expect(f, 'the demo yields a policy warning at a field').toBeDefined()
  const finding = f as LintFindingItem
  await page.goto('/lint?severity=warning')
  await page
    .locator(`[data-testid="lint.group"][data-resource="${finding.resource}"]`)
    .getByRole('link', { name: finding.path })
    .first()
    .click()
  await expect(page).toHaveURL(/\/edit\?field=/)
  const panel = page.getByTestId('lint.panel')
  const row = panel.locator(`[data-testid="lint.finding"][data-code="${finding.code}"]`).first()
  await expect(row).toBeVisible()
  await expect(row).toHaveClass(/is-active/)
  await row.scrollIntoViewIfNeeded()
  await page.screenshot({ path: testInfo.outputPath('lint-editor.png') })
})
