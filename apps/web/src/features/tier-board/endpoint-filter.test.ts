import type { AppliedPolicy, EndpointPoliciesResponse, PolicyKind } from '@policyboard/api'
import { describe, expect, it } from 'vitest'
import { policy } from '../../test/fixtures.ts'
import { endpointRef, selectsEndpoint } from './endpoint-filter.ts'

function answer(
  enforced: AppliedPolicy[],
  staged: AppliedPolicy[],
  direction: 'ingress' | 'egress' = 'ingress',
): EndpointPoliciesResponse {
  const view = (ps: AppliedPolicy[]) => {
    const tiers = [...new Set(ps.map((p) => p.tier))].map((tier) => ({
      tier,
      defaultAction: 'Deny' as const,
      policies: ps.filter((p) => p.tier === tier),
    }))
    return direction === 'ingress' ? { ingress: tiers, egress: [] } : { ingress: [], egress: tiers }
  }
  return {
    namespace: 'shop',
    name: 'web-1',
    members: ['shop/web-1'],
    labels: { app: 'web' },
    judged: 'shop/web-1',
    enforced: view(enforced),
    staged: view(staged),
    revision: '3',
  }
}

function applied(kind: PolicyKind, name: string, tier: string, namespace?: string): AppliedPolicy {
  return {
    kind,
    name,
    tier,
    staged: kind.startsWith('Staged'),
    ...(namespace ? { namespace } : {}),
  }
}

describe('endpointRef', () => {
  it.each([
    ['shop/web-1', { namespace: 'shop', name: 'web-1' }],
    ['  shop/web-1 ', { namespace: 'shop', name: 'web-1' }],
    // A bare name is a host endpoint, asked about under the `-` namespace.
    ['node-1-eth0', { namespace: '-', name: 'node-1-eth0' }],
    ['', undefined],
    ['shop/', undefined],
    ['/web-1', undefined],
  ])('%j → %j', (text, expected) => {
    expect(endpointRef(text)).toEqual(expected)
  })
})

describe('selectsEndpoint', () => {
  const dns = policy('allow-dns', { kind: 'NetworkPolicy', namespace: 'shop', tier: 'security' })
  const web = policy('web', { kind: 'NetworkPolicy', namespace: 'shop' })
  const other = policy('web', { kind: 'NetworkPolicy', namespace: 'db' })
  const guard = policy('guard', { kind: 'StagedGlobalNetworkPolicy', tier: 'security' })
  const knp = policy('knp-db', { kind: 'KubernetesNetworkPolicy', namespace: 'shop' })

  it('keeps exactly the policies the server named, by kind, namespace and name', () => {
    const keep = selectsEndpoint(
      answer(
        [applied('NetworkPolicy', 'allow-dns', 'security', 'shop')],
        [applied('StagedGlobalNetworkPolicy', 'guard', 'security')],
        'egress',
      ),
    )
    expect([dns, web, other, guard, knp].filter(keep).map((p) => p.name)).toEqual([
      'allow-dns',
      'guard',
    ])
  })

  it('matches a legacy `<tier>.` name from the evaluator to the bare name on the board', () => {
    const keep = selectsEndpoint(
      answer([applied('NetworkPolicy', 'security.allow-dns', 'security', 'shop')], []),
    )
    expect(keep(dns)).toBe(true)
    expect(keep(web)).toBe(false)
  })

  it('selects nothing when no policy applies', () => {
    const keep = selectsEndpoint(answer([], []))
    expect([dns, web, other, guard, knp].some(keep)).toBe(false)
  })
})
