import { describe, expect, it } from 'vitest'
import { draftImpactLabel } from './draft-impact.ts'

const web = { kind: 'NetworkPolicy', namespace: 'shop', name: 'web' } as const
const stagedWeb = { kind: 'StagedNetworkPolicy', namespace: 'shop', name: 'web' } as const

describe('draftImpactLabel', () => {
  it.each([
    [web, undefined, false, 'with NetworkPolicy shop/web added'],
    [web, web, false, 'with the stored NetworkPolicy shop/web replaced by this draft'],
    [{ ...web, name: 'web2' }, web, false, 'added (the stored NetworkPolicy shop/web stays)'],
    [stagedWeb, stagedWeb, true, 'enforced in place of its stored staged version'],
    [stagedWeb, undefined, true, 'StagedNetworkPolicy shop/web as drafted enforced (other'],
  ] as const)('%o over %o (staged %s) says %s', (draft, stored, staged, words) => {
    const label = draftImpactLabel(draft, stored, staged)
    expect(label).toContain(words)
    expect(label).toMatch(staged ? /^If this draft were enforced/ : /^If this draft were saved/)
  })
})
