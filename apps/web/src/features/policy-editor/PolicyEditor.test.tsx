import { createPolicy, type PolicyResource, printPolicyYaml } from '@policyboard/policy-core'
import { fireEvent, screen, waitFor } from '@testing-library/react'
import { EditorView } from '@uiw/react-codemirror'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PolicyEditor } from './PolicyEditor.tsx'
import { mockFetch, renderWithProviders } from './test-utils.tsx'

afterEach(() => vi.unstubAllGlobals())

const stored: PolicyResource = {
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name: 'web', namespace: 'shop', resourceVersion: '7' },
  spec: {
    tier: 'default',
    selector: 'app == "web"',
    types: ['Ingress'],
    ingress: [{ action: 'Allow' }],
  },
}

async function yamlView(): Promise<EditorView> {
  // The YAML editor is lazy-loaded: wait for its chunk, then talk to the view directly.
  const dom = await waitFor(
    () => {
      const el = document.querySelector('.cm-content')
      if (!el) throw new Error('the YAML editor has not loaded yet')
      return el as HTMLElement
    },
    { timeout: 10_000 },
  )
  const view = EditorView.findFromDOM(dom)
  if (!view) throw new Error('no CodeMirror view')
  return view
}

function replaceYaml(view: EditorView, text: string) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } })
}

describe('PolicyEditor', () => {
  it('prints the form into the YAML as it is edited', { timeout: 20_000 }, async () => {
    mockFetch(() => [404, { code: 'NOT_FOUND', message: 'no' }])
    renderWithProviders(
      <PolicyEditor initial={createPolicy('GlobalNetworkPolicy')} tiers={['security']} />,
    )
    const view = await yamlView()
    fireEvent.change(screen.getByRole('textbox', { name: 'Name' }), {
      target: { value: 'deny-all' },
    })
    fireEvent.change(screen.getByRole('combobox', { name: 'Tier' }), {
      target: { value: 'security' },
    })
    fireEvent.click(screen.getByRole('button', { name: '+ Add egress rule' }))
    fireEvent.change(screen.getByRole('combobox', { name: 'Action' }), {
      target: { value: 'Deny' },
    })
    await waitFor(() => expect(view.state.doc.toString()).toContain('name: deny-all'))
    const yaml = view.state.doc.toString()
    expect(yaml).toContain('tier: security')
    expect(yaml).toMatch(/egress:\n\s+- action: Deny/)
    expect(yaml).toMatch(/types:\n\s+- Ingress\n\s+- Egress/)
  })

  it('follows a YAML edit in the form, and keeps the form when the YAML is invalid', {
    timeout: 20_000,
  }, async () => {
    mockFetch(() => [404, { code: 'NOT_FOUND', message: 'no' }])
    renderWithProviders(<PolicyEditor initial={stored} resourceVersion="7" tiers={[]} />)
    const view = await yamlView()
    const text = printPolicyYaml(stored).replace('selector: app == "web"', 'selector: app == "api"')
    replaceYaml(view, `${text.trimEnd()}\n  order: 42\n`)
    await waitFor(() =>
      expect((screen.getByRole('spinbutton', { name: 'Order' }) as HTMLInputElement).value).toBe(
        '42',
      ),
    )
    expect(
      (screen.getByRole('textbox', { name: 'Policy selector' }) as HTMLInputElement).value,
    ).toBe('app == "api"')

    replaceYaml(view, text.replace('action: Allow', 'action: Maybe'))
    await waitFor(() =>
      expect(screen.getByTestId('policy-editor.yaml-problems').textContent).toContain(
        'spec.ingress[0].action',
      ),
    )
    expect((screen.getByRole('spinbutton', { name: 'Order' }) as HTMLInputElement).value).toBe('42')
    expect(screen.getByTestId('policy-editor.save')).toHaveProperty('disabled', true)
    await waitFor(() =>
      expect(document.querySelector('.cm-lintRange-error')?.textContent).toBe('Maybe'),
    )
  })

  it('shows a validation error at its field', async () => {
    mockFetch(() => [404, { code: 'NOT_FOUND', message: 'no' }])
    renderWithProviders(<PolicyEditor initial={stored} resourceVersion="7" tiers={[]} />)
    fireEvent.change(screen.getByRole('combobox', { name: 'Protocol' }), {
      target: { value: 'tcp' },
    })
    const error = await screen.findByText(
      (_, el) => el?.getAttribute('data-path') === 'spec.ingress[0].protocol',
    )
    expect(error.textContent?.length).toBeGreaterThan(0)
  })

  it('saves with the loaded resourceVersion and explains a conflict', async () => {
    const calls = mockFetch((req) =>
      req.method === 'PUT'
        ? [
            409,
            {
              statusCode: 409,
              code: 'CONFLICT',
              message: 'resourceVersion 7 is stale',
              currentResourceVersion: '9',
            },
          ]
        : [404, { code: 'NOT_FOUND', message: 'no' }],
    )
    const onReload = vi.fn()
    renderWithProviders(
      <PolicyEditor initial={stored} resourceVersion="7" tiers={[]} onReload={onReload} />,
    )
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Order' }), { target: { value: '5' } })
    fireEvent.click(screen.getByTestId('policy-editor.save'))
    await screen.findByTestId('policy-editor.conflict')
    const put = calls.find((c) => c.method === 'PUT')
    expect(put?.url).toBe('/api/v1/namespaces/shop/networkpolicies/web')
    expect(put?.body).toMatchObject({
      metadata: { name: 'web', resourceVersion: '7' },
      spec: { order: 5 },
    })
    fireEvent.click(screen.getByTestId('policy-editor.reload'))
    expect(onReload).toHaveBeenCalled()
  })

  it('stages changes of an enforced policy as its staged twin', async () => {
    const calls = mockFetch((req) =>
      req.method === 'PUT' ? [201, req.body] : [404, { code: 'NOT_FOUND', message: 'no' }],
    )
    renderWithProviders(<PolicyEditor initial={stored} resourceVersion="7" tiers={[]} />)
    fireEvent.click(screen.getByTestId('policy-editor.stage'))
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true))
    const put = calls.find((c) => c.method === 'PUT')
    expect(put?.url).toBe('/api/v1/namespaces/shop/stagednetworkpolicies/web')
    expect(put?.body).toMatchObject({
      kind: 'StagedNetworkPolicy',
      spec: { stagedAction: 'Set', selector: 'app == "web"' },
    })
    expect((put?.body as PolicyResource | undefined)?.metadata.resourceVersion).toBeUndefined()
  })
})
