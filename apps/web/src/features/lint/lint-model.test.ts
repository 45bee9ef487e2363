import type { LintFindingItem } from '@policyboard/api'
import { describe, expect, it } from 'vitest'
import {
  countPhrase,
  findingHref,
  findingsByPolicy,
  groupByResource,
  policyKey,
  worstSeverity,
} from './lint-model.ts'

function finding(over: Partial<LintFindingItem>): LintFindingItem {
  return {
    code: 'SHADOWED_RULE',
    severity: 'warning',
    message: 'rule 1 is shadowed',
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

describe('lint model', () => {
  it('finds the worst severity', () => {
    expect(worstSeverity([])).toBeUndefined()
    expect(worstSeverity([finding({ severity: 'info' }), finding({})])).toBe('warning')
    expect(worstSeverity([finding({}), finding({ severity: 'error' })])).toBe('error')
  })

  it('groups by resource, errors first', () => {
    const groups = groupByResource([
      finding({ resource: 'A', severity: 'info' }),
      finding({ resource: 'B', severity: 'warning' }),
      finding({ resource: 'A', severity: 'error' }),
      finding({ resource: 'C', severity: 'warning' }),
    ])
    expect(groups.map((g) => [g.resource, g.worst, g.findings.length])).toEqual([
      ['A', 'error', 2],
      ['B', 'warning', 1],
      ['C', 'warning', 1],
    ])
  })

  it('keeps warnings and errors per policy for badges', () => {
    const { policy: _, ...label } = finding({ code: 'MISSING_REQUIRED_LABEL', kind: 'label' })
    const map = findingsByPolicy([finding({}), finding({ severity: 'info' }), label])
    const key = policyKey({ kind: 'NetworkPolicy', namespace: 'shop', name: 'web' })
    expect([...map.keys()]).toEqual([key])
    expect(map.get(key)).toHaveLength(1)
  })

  it('links to the editor at the field, or to the policy page', () => {
    expect(findingHref(finding({}))).toBe(
      '/policies/NetworkPolicy/shop/web/edit?field=spec.ingress%5B1%5D',
    )
    expect(findingHref(finding({ path: '' }))).toBe('/policies/NetworkPolicy/shop/web')
    const { policy: _, ...pod } = finding({ resource: 'Pod shop/web-1' })
    expect(findingHref(pod)).toBeUndefined()
  })

  it('phrases counts', () => {
    expect(countPhrase([])).toBe('')
    expect(
      countPhrase([finding({ severity: 'error' }), finding({}), finding({ severity: 'warning' })]),
    ).toBe('1 error, 2 warnings')
  })
})
