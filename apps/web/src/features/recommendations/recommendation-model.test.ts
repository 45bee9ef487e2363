import type { Recommendation } from '@policyboard/api'
import { describe, expect, it } from 'vitest'
import { deniedFlows, flowText, ruleRows } from './recommendation-model.ts'

const key = {
  sourceNamespace: 'shop',
  sourceWorkload: 'web-*',
  sourceType: 'wep' as const,
  destinationNamespace: '-',
  destinationWorkload: 'pub',
  destinationType: 'net' as const,
  protocol: 'tcp',
  port: 443,
}

const rec: Recommendation = {
  namespace: 'shop',
  policies: [
    {
      apiVersion: 'projectcalico.org/v3',
      kind: 'StagedNetworkPolicy',
      metadata: { name: 'shop-recommendation', namespace: 'shop' },
      spec: {
        egress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [443, 8443] } }],
        stagedAction: 'Learn',
      },
    },
  ],
  states: { 'shop-recommendation': 'new' },
  evidence: [
    {
      policy: 'shop-recommendation',
      direction: 'egress',
      ruleIndex: 0,
      scope: 'Public',
      peer: 'pub',
      flows: [{ key, count: 3 }],
      count: 3,
    },
  ],
  excluded: [
    { key, count: 2, reason: 'denied' },
    { key, count: 1, reason: 'decided' },
  ],
  yaml: '',
}

describe('recommendation model', () => {
  it('lists each rule with its ports, protocol and evidence', () => {
    expect(ruleRows(rec)).toEqual([
      expect.objectContaining({ scope: 'Public', ports: '443, 8443', protocol: 'TCP', count: 3 }),
    ])
  })
  it('names flows and keeps only denied exclusions as lateral movement', () => {
    expect(flowText({ key, count: 1 })).toBe('shop/web-* → pub tcp/443')
    expect(deniedFlows(rec)).toHaveLength(1)
  })
})
