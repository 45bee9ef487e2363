import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { applyYaml, expect, test } from '../fixtures.ts'

// The policy editor journeys: build a policy with the form, read and download its YAML,
// edit the YAML and watch the form follow, stage a change and enforce it.

/** The YAML pane's text, as CodeMirror holds it. */
async function yamlText(page: Page): Promise<string> {
  const content = page.getByTestId('policy-editor.yaml').locator('.cm-content')
  await expect(content).toBeVisible()
  return content.evaluate((el) =>
    [...el.querySelectorAll('.cm-line')].map((l) => l.textContent ?? '').join('\n'),
  )
}

/** Replaces the YAML pane's text the way a paste does. */
async function replaceYaml(page: Page, text: string): Promise<void> {
  const content = page.getByTestId('policy-editor.yaml').locator('.cm-content')
  await content.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.insertText(text)
}

test('create a policy with the form, see its YAML and download it', async ({ page }, testInfo) => {
  const name = `e2e-editor-${Date.now().toString(36)}`
  await page.goto('/policies/new?kind=NetworkPolicy&namespace=storefront')
  await expect(page.getByTestId('policy-editor')).toBeVisible()

  await page.getByRole('textbox', { name: 'Name' }).fill(name)
  const selector = page.getByRole('textbox', { name: 'Policy selector', exact: true })
  await selector.fill('app == "cartservice"')
  await expect(
    page.getByTestId('policy-editor.selector').getByTestId('selector-builder.matches'),
  ).toContainText(/Matches [1-9]\d* endpoints? now/)
  await page.getByRole('spinbutton', { name: 'Order' }).fill('300')
  await page.getByRole('button', { name: '+ Add ingress rule' }).click()
  const rule = page.getByTestId('policy-editor.rule').first()
  await rule.getByRole('combobox', { name: 'Protocol', exact: true }).fill('TCP')
  await rule
    .getByRole('textbox', { name: 'Source selector', exact: true })
    .fill('app == "frontend"')
  const ports = rule.getByRole('combobox', { name: 'Destination ports', exact: true })
  await ports.fill('7070')
  await ports.press('Enter')

  await expect.poll(() => yamlText(page)).toContain(`name: ${name}`)
  const yaml = await yamlText(page)
  expect(yaml).toContain('namespace: storefront')
  expect(yaml).toContain('selector: app == "cartservice"')
  expect(yaml).toMatch(
    /ingress:\n\s+- action: Allow\n\s+protocol: TCP\n\s+source:\n\s+selector: app == "frontend"\n\s+destination:\n\s+ports:\n\s+- 7070/,
  )
  await page.screenshot({ path: testInfo.outputPath('editor-new.png'), fullPage: true })

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('policy-editor.download').click(),
  ])
  expect(download.suggestedFilename()).toBe(`${name}.yaml`)
  const file = readFileSync(await download.path(), 'utf8')
  expect(file.trim()).toBe(yaml.trim())
  expect(file).toContain('kind: NetworkPolicy')

  await page.getByTestId('policy-editor.save').click()
  await expect(page).toHaveURL(new RegExp(`/policies/NetworkPolicy/storefront/${name}/edit$`))
  const stored = await page.request.get(`/api/v1/namespaces/storefront/networkpolicies/${name}`)
  expect(stored.status()).toBe(200)
  expect((await stored.json()).spec.ingress[0].destination.ports).toEqual([7070])
})

test('edit the YAML and see the form follow; invalid YAML keeps the form', async ({
  page,
  request,
}, testInfo) => {
  await applyYaml(
    request,
    [
      'apiVersion: projectcalico.org/v3',
      'kind: GlobalNetworkPolicy',
      'metadata:',
      '  name: e2e-yaml-edit',
      'spec:',
      '  tier: e2e-order',
      '  order: 40',
      "  selector: app == 'web'",
      '  ingress:',
      '    - action: Allow',
    ].join('\n'),
  )
  await page.goto('/policies/GlobalNetworkPolicy/e2e-yaml-edit/edit')
  await expect(page.getByRole('spinbutton', { name: 'Order' })).toHaveValue('40')
  const yaml = await yamlText(page)
  const edited = yaml.replace('order: 40', 'order: 45').replace('action: Allow', 'action: Deny')
  await replaceYaml(page, edited)
  await expect(page.getByRole('spinbutton', { name: 'Order' })).toHaveValue('45')
  await expect(page.getByRole('combobox', { name: 'Action' })).toHaveValue('Deny')

  await replaceYaml(
    page,
    edited.replace("app == 'web'", 'app == (').replace('order: 45', 'order: 46'),
  )
  await expect(page.getByTestId('policy-editor.yaml-problems')).toContainText('spec.selector')
  await expect(
    page.getByTestId('policy-editor.yaml').locator('.cm-lintRange-error').first(),
  ).toBeVisible()
  await expect(page.getByRole('spinbutton', { name: 'Order' })).toHaveValue('45')
  await expect(page.getByTestId('policy-editor.save')).toBeDisabled()
  await page.screenshot({ path: testInfo.outputPath('editor-yaml-invalid.png'), fullPage: true })
})

test('stage a change to an enforced policy and enforce it', async ({ page, request }, testInfo) => {
  await page.goto('/policies/GlobalNetworkPolicy/e2e-first/edit')
  await expect(page.getByRole('spinbutton', { name: 'Order' })).toHaveValue('10')
  await page.getByRole('spinbutton', { name: 'Order' }).fill('15')
  await page.getByTestId('policy-editor.stage').click()
  await expect(page).toHaveURL(/\/policies\/StagedGlobalNetworkPolicy\/e2e-first\/edit$/)
  await expect(page.getByTestId('policy-editor.kind-badge')).toHaveText('StagedGlobalNetworkPolicy')
  await expect(page.getByRole('spinbutton', { name: 'Order' })).toHaveValue('15')
  // The enforced policy is untouched until the staged one is enforced.
  expect(
    (await (await request.get('/api/v1/globalnetworkpolicies/e2e-first')).json()).spec.order,
  ).toBe(10)

  await page.getByTestId('policy-editor.enforce').click()
  const dialog = page.getByTestId('policy-editor.enforce-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('policy-editor.enforce-diff')).toContainText('spec.order')
  await expect(dialog).toContainText('Deletes StagedGlobalNetworkPolicy e2e-first')
  await expect(
    dialog.getByTestId('policy-editor.impact').or(dialog.getByText('No impact preview')),
  ).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('editor-enforce-dialog.png') })
  await dialog.getByTestId('policy-editor.enforce-confirm').click()

  await expect(page).toHaveURL(/\/policies\/GlobalNetworkPolicy\/e2e-first\/edit$/)
  await expect(page.getByRole('spinbutton', { name: 'Order' })).toHaveValue('15')
  expect((await request.get('/api/v1/stagedglobalnetworkpolicies/e2e-first')).status()).toBe(404)
  expect(
    (await (await request.get('/api/v1/globalnetworkpolicies/e2e-first')).json()).spec.order,
  ).toBe(15)
})
