import type { LintDraftResponse } from '@policyboard/api'
import type { Resource } from '@policyboard/policy-core'
import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { mockApi, renderRoute } from '../../test/render.tsx'
import { FindingsPanel } from './FindingsPanel.tsx'

const draft = {
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: "app == 'web'", ingress: [{ action: 'Allow' }, { action: 'Deny' }] },
} as unknown as Resource

const answer: LintDraftResponse = {
  findings: [
    {
      code: 'SHADOWED_RULE',
      severity: 'warning',
      message: 'ingress rule 1 can never match: rule 0 matches everything it matches',
      resource: 'NetworkPolicy shop/web',
      path: 'spec.ingress[1]',
      fix: 'remove the rule or move it above rule 0',
      kind: 'policy',
    },
  ],
  counts: { error: 0, warning: 1, info: 0 },
}

describe('FindingsPanel', () => {
  it('lints the draft through the server and lists the findings with their fix', async () => {
    const { calls } = mockApi({ 'POST /api/v1/lint': { body: answer } })
    renderRoute(<FindingsPanel policy={draft} debounceMs={0} />, {
      url: '/?field=spec.ingress%5B1%5D',
    })
    const row = await screen.findByTestId('lint.finding')
    expect(row.dataset.code).toBe('SHADOWED_RULE')
    expect(row.textContent).toContain('spec.ingress[1]')
    expect(row.textContent).toContain('remove the rule or move it above rule 0')
    // The finding at the address's field is highlighted.
    expect(row.className).toContain('is-active')
    expect(screen.getByTestId('lint.panel.summary').textContent).toBe('1 warning')
    const post = calls.find((c) => c.method === 'POST')
    expect(post?.body).toEqual({ policy: draft })
  })

  it('does not send an invalid draft', async () => {
    const { calls } = mockApi({ 'POST /api/v1/lint': { body: answer } })
    renderRoute(<FindingsPanel policy={draft} isValid={false} debounceMs={0} />)
    expect(await screen.findByText('fix the errors to lint the draft')).toBeTruthy()
    await new Promise((r) => setTimeout(r, 20))
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0)
  })
})
