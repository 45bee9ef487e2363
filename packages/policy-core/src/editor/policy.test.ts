import { describe, expect, it } from 'vitest'
import {
  createPolicy,
  isPolicyResourceKind,
  POLICY_RESOURCE_KINDS,
  policyKindInfo,
  policyKindOf,
  policyRef,
} from './policy.ts'

describe('createPolicy', () => {
  it.each(POLICY_RESOURCE_KINDS)('creates an empty %s that reports its own kind', (kind) => {
    const p = createPolicy(kind, { name: 'p', namespace: 'shop', tier: 'security' })
    expect(policyKindOf(p)).toBe(kind)
    expect(p.metadata.name).toBe('p')
    const info = policyKindInfo(kind)
    expect(p.metadata.namespace).toBe(info.namespaced ? 'shop' : undefined)
    expect((p.spec as { stagedAction?: string }).stagedAction).toBe(info.staged ? 'Set' : undefined)
    expect('ingress' in p.spec).toBe(false)
    expect('egress' in p.spec).toBe(false)
  })

  it('gives Calico kinds an all() selector, Ingress type and the tier', () => {
    expect(createPolicy('GlobalNetworkPolicy', { name: 'g', tier: 'security' })).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'g' },
      spec: { tier: 'security', selector: 'all()', types: ['Ingress'] },
    })
  })

  it('writes the Kubernetes kind under networking.k8s.io/v1 with an empty podSelector', () => {
    expect(createPolicy('KubernetesNetworkPolicy')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: '', namespace: 'default' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    })
  })

  it('leaves the tier unset when none is given (the default tier)', () => {
    expect(createPolicy('NetworkPolicy').spec).toEqual({ selector: 'all()', types: ['Ingress'] })
  })
})

describe('kind facts', () => {
  it('pairs every kind with its enforced and staged twins', () => {
    for (const kind of POLICY_RESOURCE_KINDS) {
      const info = policyKindInfo(kind)
      expect(policyKindInfo(info.stagedKind).enforcedKind).toBe(info.enforcedKind)
      expect(policyKindInfo(info.stagedKind).staged).toBe(true)
      expect(policyKindInfo(info.enforcedKind).staged).toBe(false)
      expect(policyKindInfo(info.stagedKind).namespaced).toBe(info.namespaced)
    }
  })

  it('knows the policy kinds and nothing else', () => {
    expect(isPolicyResourceKind('StagedGlobalNetworkPolicy')).toBe(true)
    expect(isPolicyResourceKind('Tier')).toBe(false)
    expect(isPolicyResourceKind('toString')).toBe(false)
  })

  it('identifies a policy by kind, namespace and name', () => {
    expect(policyRef(createPolicy('StagedNetworkPolicy', { name: 'a', namespace: 'x' }))).toEqual({
      kind: 'StagedNetworkPolicy',
      namespace: 'x',
      name: 'a',
    })
    expect(policyRef(createPolicy('GlobalNetworkPolicy', { name: 'a' }))).toEqual({
      kind: 'GlobalNetworkPolicy',
      name: 'a',
    })
  })
})
