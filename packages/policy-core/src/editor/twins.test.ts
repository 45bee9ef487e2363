import { describe, expect, it } from 'vitest'
import { createPolicy, policyKindOf, policyRef } from './policy.ts'
import { addRule } from './rules.ts'
import { enforcePlan, toEnforced, toStaged, twinRef } from './twins.ts'

describe('staged twins', () => {
  const np = addRule(
    {
      ...createPolicy('NetworkPolicy', { name: 'web', namespace: 'shop', tier: 'app' }),
      metadata: {
        name: 'web',
        namespace: 'shop',
        labels: { team: 'a' },
        resourceVersion: '7',
        uid: 'u',
      },
    },
    'ingress',
  )

  it.each([
    ['NetworkPolicy', 'StagedNetworkPolicy'],
    ['GlobalNetworkPolicy', 'StagedGlobalNetworkPolicy'],
    ['KubernetesNetworkPolicy', 'StagedKubernetesNetworkPolicy'],
  ] as const)('%s ↔ %s keeps name, namespace and spec', (enforced, staged) => {
    const p = createPolicy(enforced, { name: 'x', namespace: 'n' })
    const s = toStaged(p)
    expect(policyKindOf(s)).toBe(staged)
    expect(s.apiVersion).toBe('projectcalico.org/v3')
    expect(s.metadata).toEqual(p.metadata)
    expect(s.spec).toEqual({ stagedAction: 'Set', ...p.spec })
    const back = toEnforced(s)
    expect(back).toEqual({ ok: true, value: p })
  })

  it('drops server fields and keeps labels and rules', () => {
    const s = toStaged(np)
    expect(s.metadata).toEqual({ name: 'web', namespace: 'shop', labels: { team: 'a' } })
    expect(s.spec).toEqual({
      stagedAction: 'Set',
      tier: 'app',
      selector: 'all()',
      types: ['Ingress'],
      ingress: [{ action: 'Allow' }],
    })
    expect(Object.keys(s.spec)[0]).toBe('stagedAction')
    expect(np.metadata.resourceVersion).toBe('7')
  })

  it('refuses to build an enforced policy from a Delete', () => {
    const del = { ...toStaged(np), spec: { stagedAction: 'Delete' as const, tier: 'app' } }
    const r = toEnforced(del as never)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[0]?.path).toBe('spec.stagedAction')
  })

  it('plans enforcement: write then delete the staged one, or delete both for Delete', () => {
    const s = toStaged(np)
    const plan = enforcePlan(s)
    expect(plan.write && policyKindOf(plan.write)).toBe('NetworkPolicy')
    expect(plan.delete).toEqual([policyRef(s)])
    const del = { ...s, spec: { stagedAction: 'Delete' as const } } as never
    expect(enforcePlan(del)).toEqual({
      delete: [
        { kind: 'NetworkPolicy', namespace: 'shop', name: 'web' },
        { kind: 'StagedNetworkPolicy', namespace: 'shop', name: 'web' },
      ],
    })
    expect(enforcePlan(np)).toEqual({ delete: [] })
  })

  it('names the twin of either side', () => {
    expect(twinRef(np)).toEqual({ kind: 'StagedNetworkPolicy', namespace: 'shop', name: 'web' })
    expect(twinRef(toStaged(np))).toEqual({ kind: 'NetworkPolicy', namespace: 'shop', name: 'web' })
  })
})
