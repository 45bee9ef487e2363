import type { LintFindingItem, LintResponse } from '@policyboard/api'
import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { mockApi, renderRoute } from '../../test/render.tsx'
import { LintBadge } from './LintBadge.tsx'

function finding(over: Partial<LintFindingItem>): LintFindingItem {
  return {
    code: 'SHADOWED_RULE',
    severity: 'warning',
    message: 'rule 1 can never match',
    resource: 'NetworkPolicy shop/web',
    path: 'spec.ingress[1]',
    fix: 'remove it',
    kind: 'policy',
    policy: { kind: 'NetworkPolicy', namespace: 'shop', name: 'web', tier: 'default' },
    tier: 'default',
    namespace: 'shop',
    ...over,
  }
}

function response(findings: LintFindingItem[]): LintResponse {
  return {
    findings,
    counts: { error: 0, warning: 0, info: 0 },
    window: { from: 0, to: 3600 },
    revision: '1',
  }
}

describe('LintBadge', () => {
  it('counts the policy findings, coloured by the worst, listed in the tooltip', async () => {
    const { calls } = mockApi({
      'GET /api/v1/lint': {
        body: response([
          finding({}),
          finding({
            code: 'SELECTS_NOTHING',
            severity: 'error',
            message: 'selects nothing',
            path: 'spec.selector',
          }),
          finding({
            policy: { kind: 'NetworkPolicy', namespace: 'shop', name: 'db', tier: 'default' },
          }),
        ]),
      },
    })
    renderRoute(
      <div>
        <LintBadge policy={{ kind: 'NetworkPolicy', namespace: 'shop', name: 'web' }} />
        <LintBadge policy={{ kind: 'NetworkPolicy', namespace: 'shop', name: 'db' }} />
        <LintBadge policy={{ kind: 'NetworkPolicy', namespace: 'shop', name: 'clean' }} />
      </div>,
    )
    const badges = await screen.findAllByTestId('lint.badge')
    expect(badges).toHaveLength(2)
    const web = badges[0] as HTMLElement
    expect(web.textContent).toContain('2')
    expect(web.dataset.severity).toBe('error')
    expect(web.className).toContain('lint-badge-error')
    expect(web.title).toContain('error SELECTS_NOTHING: selects nothing')
    expect(web.title).toContain('warning SHADOWED_RULE: rule 1 can never match')
    expect((badges[1] as HTMLElement).dataset.severity).toBe('warning')
    // One shared request for every badge, asking only for warnings and errors of policies.
    const lintCalls = calls.filter((c) => c.url.startsWith('/api/v1/lint'))
    expect(lintCalls).toHaveLength(1)
    expect(lintCalls[0]?.url).toContain('severity=warning')
    expect(lintCalls[0]?.url).toContain('kind=policy')
  })

  it('shows nothing when lint fails', async () => {
    const { calls } = mockApi({ 'GET /api/v1/lint': { status: 500, body: { message: 'boom' } } })
    renderRoute(<LintBadge policy={{ kind: 'NetworkPolicy', namespace: 'shop', name: 'web' }} />)
    await expect.poll(() => calls.length).toBe(1)
    expect(screen.queryByTestId('lint.badge')).toBeNull()
  })
})
