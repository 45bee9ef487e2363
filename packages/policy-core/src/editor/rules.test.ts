import { describe, expect, it } from 'vitest'
import type { Rule } from '../resources/types.ts'
import { createPolicy, type PolicyResource } from './policy.ts'
import {
  addRule,
  defaultTypes,
  duplicateRule,
  effectiveTypes,
  moveRule,
  removeRule,
  replaceRule,
  rulesOf,
  setType,
} from './rules.ts'

const actions = (p: PolicyResource, d: 'ingress' | 'egress') =>
  rulesOf(p, d).map((r) => (r as Rule).action)

function withIngress(...list: Rule['action'][]): PolicyResource {
  return list.reduce<PolicyResource>(
    (p, action) => addRule(p, 'ingress', { action }),
    createPolicy('NetworkPolicy', { name: 'p' }),
  )
}

describe('rule lists', () => {
  it('adds an Allow rule for Calico kinds and an allow-all {} for Kubernetes kinds', () => {
    expect(rulesOf(addRule(createPolicy('NetworkPolicy'), 'ingress'), 'ingress')).toEqual([
      { action: 'Allow' },
    ])
    expect(rulesOf(addRule(createPolicy('KubernetesNetworkPolicy'), 'egress'), 'egress')).toEqual([
      {},
    ])
  })

  it('inserts at an index, clamped to the list', () => {
    const p = withIngress('Allow', 'Deny')
    expect(actions(addRule(p, 'ingress', { action: 'Pass' }, 1), 'ingress')).toEqual([
      'Allow',
      'Pass',
      'Deny',
    ])
    expect(actions(addRule(p, 'ingress', { action: 'Log' }, 99), 'ingress')).toEqual([
      'Allow',
      'Deny',
      'Log',
    ])
  })

  it('adds the direction to listed types when a rule of it is added', () => {
    const p = addRule(createPolicy('GlobalNetworkPolicy'), 'egress')
    expect(p.spec).toMatchObject({ types: ['Ingress', 'Egress'] })
    const k = addRule(createPolicy('StagedKubernetesNetworkPolicy'), 'egress')
    expect(k.spec).toMatchObject({ policyTypes: ['Ingress', 'Egress'] })
  })

  it('removes a rule and drops the list when it empties', () => {
    const p = withIngress('Allow', 'Deny')
    expect(actions(removeRule(p, 'ingress', 0), 'ingress')).toEqual(['Deny'])
    expect('ingress' in removeRule(removeRule(p, 'ingress', 0), 'ingress', 0).spec).toBe(false)
    expect(removeRule(p, 'ingress', 7)).toBe(p)
  })

  it('moves a rule up and down without mutating', () => {
    const p = withIngress('Allow', 'Deny', 'Pass')
    expect(actions(moveRule(p, 'ingress', 0, 2), 'ingress')).toEqual(['Deny', 'Pass', 'Allow'])
    expect(actions(moveRule(p, 'ingress', 2, 0), 'ingress')).toEqual(['Pass', 'Allow', 'Deny'])
    expect(actions(moveRule(p, 'ingress', 1, 50), 'ingress')).toEqual(['Allow', 'Pass', 'Deny'])
    expect(actions(p, 'ingress')).toEqual(['Allow', 'Deny', 'Pass'])
    expect(moveRule(p, 'ingress', 1, 1)).toBe(p)
  })

  it('duplicates a rule as a deep copy right after it, and replaces one', () => {
    const p = addRule(createPolicy('NetworkPolicy'), 'ingress', {
      action: 'Allow',
      source: { nets: ['10.0.0.0/8'] },
    })
    const d = duplicateRule(p, 'ingress', 0)
    expect(rulesOf(d, 'ingress')).toHaveLength(2)
    expect(rulesOf(d, 'ingress')[1]).toEqual(rulesOf(d, 'ingress')[0])
    expect(rulesOf(d, 'ingress')[1]).not.toBe(rulesOf(d, 'ingress')[0])
    expect(actions(replaceRule(d, 'ingress', 1, { action: 'Deny' }), 'ingress')).toEqual([
      'Allow',
      'Deny',
    ])
  })
})

describe('types', () => {
  it('defaults as Calico does', () => {
    const none = createPolicy('NetworkPolicy')
    expect(defaultTypes(none)).toEqual(['Ingress'])
    const egressOnly = {
      ...none,
      spec: { egress: [{ action: 'Allow' as const }] },
    } as PolicyResource
    expect(defaultTypes(egressOnly)).toEqual(['Egress'])
    const both = addRule(egressOnly, 'ingress')
    expect(defaultTypes(both)).toEqual(['Ingress', 'Egress'])
    expect(effectiveTypes(egressOnly)).toEqual(['Egress'])
  })

  it('includes and excludes a direction in Calico order', () => {
    const p = setType(createPolicy('NetworkPolicy'), 'egress', true)
    expect(p.spec).toMatchObject({ types: ['Ingress', 'Egress'] })
    expect(setType(p, 'ingress', false).spec).toMatchObject({ types: ['Egress'] })
    expect(setType(setType(p, 'ingress', false), 'egress', false).spec).not.toHaveProperty('types')
  })
})
