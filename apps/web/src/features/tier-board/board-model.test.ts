import { describe, expect, it } from 'vitest'
import { policy, sampleBoard, tier } from '../../test/fixtures.ts'
import {
  appliesTo,
  assignOrders,
  between,
  EMPTY_FILTER,
  filterBoard,
  formatCount,
  moveFocus,
  parsePolicyId,
  planPolicyMove,
  planTierMove,
  policyId,
  ruleCounts,
  ruleSummary,
  sortBoard,
} from './board-model.ts'

const names = (
  b: { tiers: Array<{ name: string; policies: Array<{ name: string }> }> },
  t: string,
) => b.tiers.find((x) => x.name === t)?.policies.map((p) => p.name)

describe('sortBoard', () => {
  it('orders tiers by order (unset last) then name, and policies by order then name/namespace/kind', () => {
    const board = sortBoard({
      ...sampleBoard(),
      tiers: [
        tier('zeta', null),
        tier('b', 10),
        tier('a', 10),
        tier('first', 1, [
          policy('z', {}),
          policy('m', { order: 5, namespace: 'b', kind: 'NetworkPolicy' }),
          policy('m', { order: 5, namespace: 'a', kind: 'NetworkPolicy' }),
          policy('c', { order: 1 }),
        ]),
      ],
    })
    expect(board.tiers.map((t) => t.name)).toEqual(['first', 'a', 'b', 'zeta'])
    expect(board.tiers[0]?.policies.map((p) => `${p.namespace ?? ''}/${p.name}`)).toEqual([
      '/c',
      'a/m',
      'b/m',
      '/z',
    ])
  })
})

describe('filterBoard', () => {
  const board = sampleBoard()
  it.each([
    [{ text: 'dns' }, { security: ['allow-dns'], default: [] }],
    [{ namespace: 'shop' }, { security: ['allow-dns'], default: ['web', 'knp-db'] }],
    [{ kind: 'global' as const }, { security: ['deny-egress', 'quarantine'], default: [] }],
    [{ kind: 'kubernetes' as const }, { security: [], default: ['knp-db'] }],
    [{ state: 'staged' as const }, { security: ['quarantine'], default: [] }],
    [
      { state: 'enforced' as const, text: 'SHOP' },
      { security: ['allow-dns'], default: ['web', 'knp-db'] },
    ],
  ])('filter %o keeps %o', (f, expected) => {
    const out = filterBoard(board, { ...EMPTY_FILTER, ...f })
    expect(names(out, 'security')).toEqual(expected.security)
    expect(names(out, 'default')).toEqual(expected.default)
    expect(out.tiers).toHaveLength(3)
  })
  it('applies an endpoint predicate', () => {
    const out = filterBoard(board, EMPTY_FILTER, (p) => p.name === 'web')
    expect(names(out, 'default')).toEqual(['web'])
    expect(names(out, 'security')).toEqual([])
  })
})

describe('between', () => {
  it.each([
    [100, 200, 150],
    [100, 110, 105],
    [0, 1000, 500],
    [100, 101, 100.5],
    [1000, 1_000_000, 500_000],
  ])('between(%d, %d) = %d', (lo, hi, want) => {
    expect(between(lo, hi)).toBe(want)
  })
  it('always lands strictly inside', () => {
    for (const [lo, hi] of [
      [1, 1.0001],
      [-5, -4.99],
      [99.5, 100],
    ] as const) {
      const v = between(lo, hi)
      expect(v).toBeGreaterThan(lo)
      expect(v).toBeLessThan(hi)
    }
  })
})

describe('assignOrders', () => {
  it('gives only the moved slot a new order when there is room', () => {
    expect(assignOrders([{ order: 100 }, { order: 300, moved: true }, { order: 200 }])).toEqual([
      100, 150, 200,
    ])
    expect(assignOrders([{ order: 300, moved: true }, { order: 100 }, { order: 200 }])).toEqual([
      50, 100, 200,
    ])
    expect(assignOrders([{ order: 200 }, { order: 300 }, { order: 100, moved: true }])).toEqual([
      200, 300, 400,
    ])
  })
  it('renumbers ties it has to split', () => {
    const out = assignOrders([{ order: 100 }, { order: 5, moved: true }, { order: 100 }])
    expect(out[0]).toBe(100)
    expect(out[1]).toBeGreaterThan(100)
    expect(out[2]).toBeGreaterThan(out[1] as number)
  })
  it('keeps pinned slots and numbers free ones around them', () => {
    const out = assignOrders([
      { order: 1000, fixed: true },
      { order: 5, moved: true },
      { order: 1_000_000, fixed: true },
    ])
    expect(out).toEqual([1000, 500_000, 1_000_000])
    const before = assignOrders([
      { order: 7, moved: true },
      { order: 1000, fixed: true },
    ])
    expect(before).toEqual([500, 1000])
  })
  it('leaves a trailing run of unordered slots alone but orders a moved one', () => {
    expect(assignOrders([{ order: 100 }, { order: undefined }, { order: undefined }])).toEqual([
      100,
      undefined,
      undefined,
    ])
    expect(assignOrders([{ order: 100 }, { order: undefined }, { order: 1, moved: true }])).toEqual(
      [100, 200, 300],
    )
  })
  it('always produces strictly increasing orders for ordered slots', () => {
    const slots = [
      { order: 5 },
      { order: 5 },
      { order: 3, moved: true },
      { order: 5 },
      { order: 1000, fixed: true },
      { order: 2 },
    ]
    const out = assignOrders(slots) as number[]
    for (let i = 1; i < out.length; i++) expect(out[i]).toBeGreaterThan(out[i - 1] as number)
    expect(out[4]).toBe(1000)
  })
})

describe('planPolicyMove', () => {
  it('moves inside a tier, naming its new neighbours', () => {
    const plan = planPolicyMove(
      sampleBoard(),
      { kind: 'StagedGlobalNetworkPolicy', name: 'quarantine' },
      'security',
      0,
    )
    expect(plan?.request).toEqual({
      policy: { kind: 'StagedGlobalNetworkPolicy', name: 'quarantine' },
      resourceVersion: '1',
      tier: 'security',
      after: null,
      before: { kind: 'GlobalNetworkPolicy', name: 'deny-egress' },
    })
    expect(plan?.board.tiers[0]?.policies.map((p) => p.order)).toEqual([50, 100, 200])
    expect(names(plan?.board ?? { tiers: [] }, 'security')).toEqual([
      'quarantine',
      'deny-egress',
      'allow-dns',
    ])
  })
  it('moves across tiers before a Kubernetes policy', () => {
    const plan = planPolicyMove(
      sampleBoard(),
      { kind: 'GlobalNetworkPolicy', name: 'deny-egress' },
      'default',
      1,
    )
    expect(plan?.request.after).toEqual({ kind: 'NetworkPolicy', namespace: 'shop', name: 'web' })
    expect(plan?.request.before).toEqual({
      kind: 'KubernetesNetworkPolicy',
      namespace: 'shop',
      name: 'knp-db',
    })
    expect(plan?.board.tiers[2]?.policies.map((p) => p.order)).toEqual([500, 800, 1000])
    expect(names(plan?.board ?? { tiers: [] }, 'default')).toEqual(['web', 'deny-egress', 'knp-db'])
    expect(names(plan?.board ?? { tiers: [] }, 'security')).toEqual(['allow-dns', 'quarantine'])
  })
  it('refuses Kubernetes policies, locked tiers and no-op moves', () => {
    const b = sampleBoard()
    expect(
      planPolicyMove(
        b,
        { kind: 'KubernetesNetworkPolicy', namespace: 'shop', name: 'knp-db' },
        'security',
        0,
      ),
    ).toBeNull()
    expect(
      planPolicyMove(b, { kind: 'GlobalNetworkPolicy', name: 'deny-egress' }, 'kube-admin', 0),
    ).toBeNull()
    expect(
      planPolicyMove(b, { kind: 'GlobalNetworkPolicy', name: 'deny-egress' }, 'security', 0),
    ).toBeNull()
  })
})

describe('planTierMove', () => {
  it('places a user tier between built-in anchors', () => {
    const plan = planTierMove(sampleBoard(), 'security', 1)
    expect(plan?.changes).toEqual([{ name: 'security', order: 500_000 }])
    expect(plan?.board.tiers.map((t) => t.name)).toEqual(['kube-admin', 'security', 'default'])
  })
  it('never moves a built-in tier', () => {
    expect(planTierMove(sampleBoard(), 'default', 0)).toBeNull()
  })
})

describe('moveFocus', () => {
  const sizes = [3, 0, 2]
  it.each([
    [null, 'j', { tier: 0, card: 0 }],
    [{ tier: 0, card: 0 }, 'j', { tier: 0, card: 1 }],
    [{ tier: 0, card: 2 }, 'ArrowDown', { tier: 0, card: 2 }],
    [{ tier: 0, card: 1 }, 'k', { tier: 0, card: 0 }],
    [{ tier: 0, card: 2 }, 'ArrowRight', { tier: 2, card: 1 }],
    [{ tier: 2, card: 0 }, 'h', { tier: 0, card: 0 }],
    [{ tier: 2, card: 0 }, 'l', { tier: 2, card: 0 }],
  ] as const)('from %o, %s goes to %o', (from, key, to) => {
    expect(moveFocus(sizes, from, key)).toEqual(to)
  })
})

describe('small helpers', () => {
  it('round-trips policy ids', () => {
    const ref = { kind: 'NetworkPolicy' as const, namespace: 'shop', name: 'web' }
    expect(parsePolicyId(policyId(ref))).toEqual(ref)
    expect(parsePolicyId(policyId({ kind: 'GlobalNetworkPolicy', name: 'g' }))).toEqual({
      kind: 'GlobalNetworkPolicy',
      name: 'g',
    })
  })
  it('summarises rules and counts', () => {
    const rules = [
      { action: 'Allow' as const },
      { action: 'Deny' as const },
      { action: 'Allow' as const },
    ]
    expect(ruleSummary(ruleCounts(policy('x', { rules }).resource))).toBe('2 allow · 1 deny')
    expect(ruleSummary(ruleCounts(policy('x', { rules: [] }).resource))).toBe('no rules')
    expect(
      ruleCounts(policy('k', { kind: 'KubernetesNetworkPolicy', namespace: 'a' }).resource).Allow,
    ).toBe(1)
    expect(
      appliesTo(policy('k', { kind: 'KubernetesNetworkPolicy', namespace: 'a' }).resource),
    ).toBe('app=k')
    expect(appliesTo(policy('g').resource)).toBe("app == 'g'")
    expect([950, 1200, 34_400, 1_500_000].map(formatCount)).toEqual(['950', '1.2k', '34k', '1.5M'])
  })
})
