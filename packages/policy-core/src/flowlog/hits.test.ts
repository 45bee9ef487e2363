import { describe, expect, it } from 'vitest'
import { PolicyError } from '../errors.ts'
import { formatHitString, hitRefersTo, parseHitString } from './hits.ts'
import type { HitNaming, PolicyHit } from './types.ts'

type Row = [string, Omit<PolicyHit, 'index' | 'action' | 'ruleIndex'> & Partial<PolicyHit>]

/** Legacy (Calico ≤ v3.31 / Enterprise) strings, each with the hit it names. */
const LEGACY: Row[] = [
  [
    '0|security|security.block-bad|deny|0',
    { tier: 'security', kind: 'GlobalNetworkPolicy', name: 'security.block-bad', staged: false },
  ],
  [
    '2|default|policy-demo/default.access-nginx|allow|2',
    {
      tier: 'default',
      kind: 'NetworkPolicy',
      namespace: 'policy-demo',
      name: 'access-nginx',
      staged: false,
    },
  ],
  [
    '0|default|shop/knp.default.allow-lb|allow|0',
    {
      tier: 'default',
      kind: 'KubernetesNetworkPolicy',
      namespace: 'shop',
      name: 'allow-lb',
      staged: false,
    },
  ],
  [
    '1|platform|platform.staged:dns|pass|-1',
    { tier: 'platform', kind: 'GlobalNetworkPolicy', name: 'platform.dns', staged: true },
  ],
  [
    '0|namespace-isolation|curl-ns/namespace-isolation.staged:curl-ns-vfzgh|allow|3',
    {
      tier: 'namespace-isolation',
      kind: 'NetworkPolicy',
      namespace: 'curl-ns',
      name: 'namespace-isolation.curl-ns-vfzgh',
      staged: true,
    },
  ],
  [
    '0|default|shop/staged:knp.default.deny-all|deny|-1',
    {
      tier: 'default',
      kind: 'KubernetesNetworkPolicy',
      namespace: 'shop',
      name: 'deny-all',
      staged: true,
    },
  ],
  [
    '1|__PROFILE__|__PROFILE__.kns.curl-ns|allow|0',
    { tier: '__PROFILE__', kind: 'Profile', name: 'kns.curl-ns', staged: false },
  ],
  [
    '3|default|default.default-deny|deny|-2',
    { tier: 'default', kind: 'GlobalNetworkPolicy', name: 'default-deny', staged: false },
  ],
  [
    '0|kube-admin|kcnp.kube-admin.block|deny|1',
    { tier: 'kube-admin', kind: 'KubernetesClusterNetworkPolicy', name: 'block', staged: false },
  ],
]

/** Kind-based (Calico ≥ v3.32) strings. */
const KIND: Row[] = [
  [
    '0|default|knp:namespace/name|allow|2',
    {
      tier: 'default',
      kind: 'KubernetesNetworkPolicy',
      namespace: 'namespace',
      name: 'name',
      staged: false,
    },
  ],
  [
    '1|__PROFILE__|pro:kns.default|allow|0',
    { tier: '__PROFILE__', kind: 'Profile', name: 'kns.default', staged: false },
  ],
  [
    '0|tier1|snp:namespace1/policy1|allow|0',
    {
      tier: 'tier1',
      kind: 'NetworkPolicy',
      namespace: 'namespace1',
      name: 'policy1',
      staged: true,
    },
  ],
  [
    '0|kube-admin|kcnp:name|deny|1',
    { tier: 'kube-admin', kind: 'KubernetesClusterNetworkPolicy', name: 'name', staged: false },
  ],
  [
    '0|security|gnp:security.quarantine|deny|0',
    { tier: 'security', kind: 'GlobalNetworkPolicy', name: 'security.quarantine', staged: false },
  ],
  [
    '4|default|sgnp:default-deny|deny|-1',
    { tier: 'default', kind: 'GlobalNetworkPolicy', name: 'default-deny', staged: true },
  ],
  [
    '2|app|np:storefront/app.frontend|allow|1',
    {
      tier: 'app',
      kind: 'NetworkPolicy',
      namespace: 'storefront',
      name: 'app.frontend',
      staged: false,
    },
  ],
  [
    '0|default|sknp:tenant-b/web|pass|0',
    {
      tier: 'default',
      kind: 'KubernetesNetworkPolicy',
      namespace: 'tenant-b',
      name: 'web',
      staged: true,
    },
  ],
]

function expectHit(s: string): PolicyHit {
  const hit = parseHitString(s)
  if (hit instanceof PolicyError) throw new Error(`${s}: ${hit.message}`)
  return hit
}

describe('parseHitString / formatHitString', () => {
  for (const [naming, rows] of [
    ['legacy', LEGACY],
    ['v3.32', KIND],
  ] as Array<[HitNaming, Row[]]>) {
    describe(naming, () => {
      it.each(rows)('%s', (s, want) => {
        const hit = expectHit(s)
        const [index, , , action, rule] = s.split('|')
        expect(hit).toEqual({
          index: Number(index),
          action,
          ruleIndex: Number(rule),
          ...want,
        })
        if (!('namespace' in want)) expect(hit).not.toHaveProperty('namespace')
        // printing in the same model gives the string back
        expect(formatHitString(hit, naming)).toBe(s)
        // printing in the other model and parsing again names the same policy
        const other = formatHitString(hit, naming === 'legacy' ? 'v3.32' : 'legacy')
        expect(hitRefersTo(expectHit(other), { ...hit })).toBe(true)
      })
    })
  }

  it('accepts the documentation spelling staged:<tier>.<name> as the staged policy', () => {
    expect(expectHit('0|tier1|ns2/staged:tier1.policy1|allow|0')).toMatchObject({
      kind: 'NetworkPolicy',
      namespace: 'ns2',
      name: 'tier1.policy1',
      staged: true,
    })
  })

  it('prints a bare name with its tier prefix in the legacy model', () => {
    const hit: PolicyHit = {
      index: 0,
      tier: 'security',
      kind: 'GlobalNetworkPolicy',
      name: 'quarantine',
      staged: true,
      action: 'deny',
      ruleIndex: 0,
    }
    expect(formatHitString(hit, 'legacy')).toBe('0|security|security.staged:quarantine|deny|0')
    expect(formatHitString(hit, 'v3.32')).toBe('0|security|sgnp:quarantine|deny|0')
    expect(formatHitString({ ...hit, tier: 'default', staged: false }, 'legacy')).toBe(
      '0|default|default.quarantine|deny|0',
    )
  })

  const BAD: Array<[string, string]> = [
    ['0|security|security.x|deny', 'four fields'],
    ['a|security|security.x|deny|0', 'index is not a number'],
    ['-1|security|security.x|deny|0', 'negative index'],
    ['0||security.x|deny|0', 'empty tier'],
    ['0|security|security.x|log|0', 'log is a rule action, never a hit action'],
    ['0|security|security.x|Allow|0', 'actions are lowercase'],
    ['0|security|security.x|deny|-3', 'rule index below -2'],
    ['0|security|security.x|deny|x', 'rule index is not a number'],
    ['0|security||deny|0', 'empty policy'],
    ['0|security|other.x|deny|0', 'legacy name without its tier prefix'],
    ['0|default|xnp:ns/x|allow|0', 'unknown kind code'],
    ['0|default|np:x|allow|0', 'namespaced kind without a namespace'],
    ['0|default|np:/x|allow|0', 'empty namespace'],
    ['0|default|gnp:ns/x|allow|0', 'cluster-scoped kind with a namespace'],
    ['0|default|pro:kns.default|allow|0', 'profile outside the __PROFILE__ tier'],
    ['0|__PROFILE__|gnp:x|allow|0', 'policy in the __PROFILE__ tier'],
    ['0|__PROFILE__|__PROFILE__.|allow|0', 'profile without a name'],
  ]
  it.each(BAD)('refuses %s (%s)', (s) => {
    const r = parseHitString(s)
    expect(r).toBeInstanceOf(PolicyError)
    expect((r as PolicyError).code).toBe('INVALID_VALUE')
    expect((r as PolicyError).message).toMatch(/^expected /)
  })
})

describe('hitRefersTo', () => {
  const policy = {
    kind: 'GlobalNetworkPolicy' as const,
    staged: false,
    tier: 'security',
    name: 'security.quarantine',
  }
  it('matches names with or without the tier prefix', () => {
    expect(hitRefersTo(expectHit('0|security|security.quarantine|deny|0'), policy)).toBe(true)
    expect(hitRefersTo(expectHit('0|security|gnp:quarantine|deny|0'), policy)).toBe(true)
  })
  it('tells staged from enforced, and kinds and tiers apart', () => {
    expect(hitRefersTo(expectHit('0|security|security.staged:quarantine|deny|0'), policy)).toBe(
      false,
    )
    expect(hitRefersTo(expectHit('0|security|np:ns/security.quarantine|deny|0'), policy)).toBe(
      false,
    )
    expect(hitRefersTo(expectHit('0|platform|gnp:quarantine|deny|0'), policy)).toBe(false)
  })
})
