import type { ImpactGroup } from '@policyboard/api'
import { describe, expect, it } from 'vitest'
import { describeChange, peerLabel, portLabel, shownVerdict } from './impact-model.ts'

describe('impact model', () => {
  it.each([
    [{ type: 'staged-all' as const }, 'every staged policy enforced'],
    [
      { type: 'staged' as const, kind: 'StagedNetworkPolicy', namespace: 'shop', name: 'deny' },
      'StagedNetworkPolicy shop/deny enforced',
    ],
    [{ type: 'revision' as const, id: 4 }, 'revision 4'],
    [
      {
        type: 'staged-set' as const,
        policies: [
          { kind: 'StagedGlobalNetworkPolicy', name: 'default-deny' },
          { kind: 'StagedNetworkPolicy', namespace: 'shop', name: 'allow-web' },
        ],
      },
      '2 staged policies enforced together',
    ],
    [
      {
        type: 'draft' as const,
        resource: { kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'b' } },
      },
      'unsaved NetworkPolicy b/a',
    ],
  ])('describes %j', (change, text) => {
    expect(describeChange(change)).toBe(text)
  })

  it('labels peers and ports', () => {
    expect(peerLabel('-', 'pub')).toBe('pub')
    expect(peerLabel('shop', 'web-*')).toBe('shop/web-*')
    expect(portLabel('tcp', 443)).toBe('tcp/443')
    expect(portLabel('icmp', null)).toBe('icmp')
  })

  it('shows the verdict after the change only when changes are applied', () => {
    const g = { before: 'Allow', after: 'Deny' } as ImpactGroup
    expect(shownVerdict(g, true)).toBe('Deny')
    expect(shownVerdict(g, false)).toBe('Allow')
  })
})
