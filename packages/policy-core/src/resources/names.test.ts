import { describe, expect, it } from 'vitest'
import {
  BUILTIN_TIERS,
  bareName,
  enforcedKindOf,
  isPolicyKind,
  isStagedKind,
  legacyName,
  policyTier,
  renameForModel,
  resourceKey,
  stagedKindOf,
} from './names.ts'
import type { Resource } from './types.ts'
import { validateResource } from './validate.ts'

function res(raw: Record<string, unknown>): Resource {
  const r = validateResource({ apiVersion: 'projectcalico.org/v3', ...raw })
  if (!r.ok) throw new Error(r.errors.map(String).join('\n'))
  return r.value
}

const guardLegacy = res({
  kind: 'GlobalNetworkPolicy',
  metadata: { name: 'security.guard' },
  spec: { tier: 'security' },
})
const guardBare = res({
  kind: 'GlobalNetworkPolicy',
  metadata: { name: 'guard' },
  spec: { tier: 'security' },
})
const webDefault = res({
  kind: 'NetworkPolicy',
  metadata: { name: 'default.web', namespace: 'shop' },
  spec: {},
})
const knp = res({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'allow-web', namespace: 'shop' },
  spec: { podSelector: {} },
})
const sknp = res({
  kind: 'StagedKubernetesNetworkPolicy',
  metadata: { name: 'allow-web', namespace: 'shop' },
  spec: { podSelector: {} },
})
const set = res({ kind: 'GlobalNetworkSet', metadata: { name: 'a.b' }, spec: {} })

describe('naming', () => {
  it('finds the tier of a policy', () => {
    expect(policyTier(guardLegacy)).toBe('security')
    expect(policyTier(webDefault)).toBe('default')
    expect(policyTier(knp)).toBe('default')
    expect(policyTier(set)).toBeUndefined()
  })

  it.each([
    // resource, bare name, legacy name
    [guardLegacy, 'guard', 'security.guard'],
    [guardBare, 'guard', 'security.guard'],
    [webDefault, 'web', 'web'],
    [knp, 'allow-web', 'knp.default.allow-web'],
    [sknp, 'allow-web', 'knp.default.allow-web'],
    [set, 'a.b', 'a.b'],
  ] as const)('names %#', (r, bare, legacy) => {
    expect(bareName(r)).toBe(bare)
    expect(legacyName(r)).toBe(legacy)
  })

  it('renames for a naming model, leaving Kubernetes policies alone', () => {
    expect(renameForModel(guardBare, 'legacy').metadata.name).toBe('security.guard')
    expect(renameForModel(guardLegacy, 'v3.32').metadata.name).toBe('guard')
    expect(renameForModel(guardLegacy, 'legacy')).toBe(guardLegacy)
    expect(renameForModel(knp, 'legacy')).toBe(knp)
    expect(renameForModel(webDefault, 'legacy').metadata.name).toBe('web')
  })

  it('keys a resource by kind, namespace and bare name', () => {
    expect(resourceKey(guardLegacy)).toBe('GlobalNetworkPolicy/guard')
    expect(resourceKey(guardLegacy)).toBe(resourceKey(guardBare))
    expect(resourceKey(webDefault)).toBe('NetworkPolicy/shop/web')
    expect(resourceKey(knp)).toBe('KubernetesNetworkPolicy/shop/allow-web')
    expect(resourceKey(sknp)).toBe('StagedKubernetesNetworkPolicy/shop/allow-web')
  })

  it('relates staged and enforced kinds', () => {
    expect(isStagedKind('StagedNetworkPolicy')).toBe(true)
    expect(isStagedKind('NetworkPolicy')).toBe(false)
    expect(isPolicyKind('KubernetesNetworkPolicy')).toBe(true)
    expect(isPolicyKind('Tier')).toBe(false)
    expect(enforcedKindOf('StagedGlobalNetworkPolicy')).toBe('GlobalNetworkPolicy')
    expect(enforcedKindOf('StagedKubernetesNetworkPolicy')).toBe('KubernetesNetworkPolicy')
    expect(stagedKindOf('NetworkPolicy')).toBe('StagedNetworkPolicy')
    expect(stagedKindOf('Tier')).toBeUndefined()
  })

  it('has the built-in tiers as valid resources', () => {
    expect(BUILTIN_TIERS.map((t) => [t.metadata.name, t.spec.order, t.spec.defaultAction])).toEqual(
      [
        ['kube-admin', 1000, 'Pass'],
        ['default', 1_000_000, 'Deny'],
        ['kube-baseline', 10_000_000, 'Pass'],
      ],
    )
    for (const t of BUILTIN_TIERS) expect(validateResource(t)).toEqual({ ok: true, value: t })
  })
})
