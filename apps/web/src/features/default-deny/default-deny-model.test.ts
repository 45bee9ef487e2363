import type { Recommendation } from '@policyboard/api'
import { describe, expect, it } from 'vitest'
import { acceptedPolicies, defaultDenyChange } from './default-deny-model.ts'

function rec(namespace: string, states: Record<string, Recommendation['states'][string]>) {
  return {
    namespace,
    policies: Object.keys(states).map((name) => ({
      apiVersion: 'projectcalico.org/v3',
      kind: 'StagedNetworkPolicy',
      metadata: { name, namespace },
      spec: { selector: 'all()' },
    })),
    states,
    evidence: [],
    excluded: [],
  } as unknown as Recommendation
}

describe('default deny preview', () => {
  it('keeps only accepted recommendations, from every loaded namespace', () => {
    const accepted = acceptedPolicies([
      rec('shop', { 'rec-shop': 'accepted' }),
      undefined,
      rec('db', { 'rec-db': 'learning', 'rec-db-2': 'accepted' }),
      rec('ops', { 'rec-ops': 'dismissed' }),
      rec('new', { 'rec-new': 'new' }),
    ])
    expect(accepted).toEqual([
      { kind: 'StagedNetworkPolicy', name: 'rec-shop', namespace: 'shop' },
      { kind: 'StagedNetworkPolicy', name: 'rec-db-2', namespace: 'db' },
    ])
  })

  it('previews the default deny with exactly the accepted recommendations', () => {
    const change = defaultDenyChange(
      { kind: 'StagedGlobalNetworkPolicy', metadata: { name: 'default-deny' } },
      [{ kind: 'StagedNetworkPolicy', name: 'rec-shop', namespace: 'shop' }],
    )
    expect(change).toEqual({
      type: 'staged-set',
      policies: [
        { kind: 'StagedGlobalNetworkPolicy', name: 'default-deny' },
        { kind: 'StagedNetworkPolicy', name: 'rec-shop', namespace: 'shop' },
      ],
    })
  })
})
