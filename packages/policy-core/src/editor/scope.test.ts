import { describe, expect, it } from 'vitest'
import type { GlobalNetworkPolicy, NetworkPolicy } from '../resources/types.ts'
import { createPolicy } from './policy.ts'
import { changeScope } from './scope.ts'

const np: NetworkPolicy = {
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: 'app == "web"',
    ingress: [
      { action: 'Allow', source: { selector: 'app == "lb"' } },
      { action: 'Allow', source: { namespaceSelector: 'team == "ops"' } },
      { action: 'Deny', source: { nets: ['10.0.0.0/8'] } },
      { action: 'Deny', source: { notSelector: 'has(x)' } },
    ],
    egress: [{ action: 'Allow', destination: { serviceAccounts: { names: ['db'] } } }],
  },
}

describe('changeScope', () => {
  it('namespaced → global keeps the meaning with namespace selectors', () => {
    const r = changeScope(np, { scope: 'global' })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.notes).toEqual([])
    const g = r.value.policy as GlobalNetworkPolicy
    expect(g.kind).toBe('GlobalNetworkPolicy')
    expect(g.metadata).toEqual({ name: 'web' })
    expect(Object.keys(g.spec)).toEqual(['selector', 'namespaceSelector', 'ingress', 'egress'])
    expect(g.spec.namespaceSelector).toBe('projectcalico.org/name == "shop"')
    const sources = g.spec.ingress?.map((r) => r.source)
    expect(sources).toEqual([
      { namespaceSelector: 'projectcalico.org/name == "shop"', selector: 'app == "lb"' },
      { namespaceSelector: 'team == "ops"' },
      { nets: ['10.0.0.0/8'] },
      { namespaceSelector: 'projectcalico.org/name == "shop"', notSelector: 'has(x)' },
    ])
    expect(g.spec.egress?.[0]?.destination?.namespaceSelector).toBe(
      'projectcalico.org/name == "shop"',
    )
  })

  it('global → namespaced round-trips what namespaced → global produced', () => {
    const g = changeScope(np, { scope: 'global' })
    if (!g.ok) throw new Error('unexpected')
    const back = changeScope(g.value.policy, { scope: 'namespaced', namespace: 'shop' })
    expect(back).toEqual({ ok: true, value: { policy: np, notes: [] } })
  })

  it('global → namespaced notes what changes meaning', () => {
    const g: GlobalNetworkPolicy = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'g' },
      spec: {
        selector: 'all()',
        namespaceSelector: 'team == "a"',
        applyOnForward: true,
        ingress: [{ action: 'Allow', source: { selector: 'role == "db"' } }],
      },
    }
    const r = changeScope(g, { scope: 'namespaced', namespace: 'x' })
    if (!r.ok) throw new Error('unexpected')
    expect(r.value.policy).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'g', namespace: 'x' },
      spec: {
        selector: 'all()',
        ingress: [
          { action: 'Allow', source: { namespaceSelector: 'all()', selector: 'role == "db"' } },
        ],
      },
    })
    expect(r.value.notes).toHaveLength(3)
  })

  it('accepts the Kubernetes name label as naming the namespace', () => {
    const g = createPolicy('StagedGlobalNetworkPolicy', { name: 'g' })
    const withNs = {
      ...g,
      spec: { ...g.spec, namespaceSelector: "kubernetes.io/metadata.name == 'x'" },
    } as never
    const r = changeScope(withNs, { scope: 'namespaced', namespace: 'x' })
    if (!r.ok) throw new Error('unexpected')
    expect(r.value.policy.kind).toBe('StagedNetworkPolicy')
    expect(r.value.notes).toEqual([])
  })

  it('refuses Kubernetes kinds', () => {
    const r = changeScope(createPolicy('KubernetesNetworkPolicy'), { scope: 'global' })
    expect(r.ok).toBe(false)
  })

  it('only moves the namespace when the scope is already namespaced', () => {
    const r = changeScope(np, { scope: 'namespaced', namespace: 'other' })
    if (!r.ok) throw new Error('unexpected')
    expect(r.value.policy.metadata.namespace).toBe('other')
    expect(r.value.policy.spec).toEqual(np.spec)
  })
})
