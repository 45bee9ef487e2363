import type { GlobalNetworkPolicy, NetworkPolicy, Resource, Tier } from '@policyboard/policy-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store, StoreError, ValidationFailure } from '../../src/store/index.ts'
import { BACKENDS, type TestDatabase, testDatabase } from '../backends.ts'

function tier(name: string, order?: number): Tier {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'Tier',
    metadata: { name },
    spec: order === undefined ? {} : { order },
  }
}

function gnp(name: string, tierName: string, order: number): GlobalNetworkPolicy {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: { name },
    spec: { tier: tierName, order, selector: 'all()', ingress: [{ action: 'Allow' }] },
  }
}

function np(namespace: string, name: string): NetworkPolicy {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: { selector: "app == 'web'", egress: [{ action: 'Deny' }] },
  }
}

async function expectStoreError(
  p: Promise<unknown>,
  code: string,
  status: number,
): Promise<StoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(StoreError)
  expect((err as StoreError).code).toBe(code)
  expect((err as StoreError).statusCode).toBe(status)
  return err as StoreError
}

describe.each(BACKENDS)('store on %s', (backend) => {
  let db: TestDatabase
  let store: Store

  beforeEach(async () => {
    db = await testDatabase(backend)
    store = await openStore(db)
  })
  afterEach(async () => {
    await store.db.close()
    await db.cleanup()
  })

  it('starts with the built-in tiers, which cannot be deleted', async () => {
    const tiers = await store.list({ kinds: ['Tier'] })
    expect(tiers.map((t) => t.metadata.name).sort()).toEqual([
      'default',
      'kube-admin',
      'kube-baseline',
    ])
    await expectStoreError(
      store.write('me', (w) => w.delete({ kind: 'Tier', namespace: '', name: 'default' })),
      'TIER_PROTECTED',
      409,
    )
  })

  it('creates, reads, updates with a version check, and records revisions', async () => {
    await store.write('alice', (w) => w.put(tier('security', 100)))
    const created = await store.write('alice', (w) => w.put(gnp('block', 'security', 10)))
    expect(created.operation).toBe('create')
    const v1 = created.resource.metadata.resourceVersion
    expect(v1).toMatch(/^[0-9]+$/)

    const same = await store.write('bob', (w) => w.put(gnp('block', 'security', 10)))
    expect(same.operation).toBe('unchanged')
    expect(same.resource.metadata.resourceVersion).toBe(v1)

    const updated = await store.write('bob', (w) =>
      w.put(gnp('block', 'security', 20), { expectedVersion: v1 }),
    )
    expect(updated.operation).toBe('update')
    expect(Number(updated.resource.metadata.resourceVersion)).toBeGreaterThan(Number(v1))

    const stale = await expectStoreError(
      store.write('carol', (w) => w.put(gnp('block', 'security', 30), { expectedVersion: v1 })),
      'CONFLICT',
      409,
    )
    expect(stale.currentResourceVersion).toBe(updated.resource.metadata.resourceVersion)

    const read = (await store.get({
      kind: 'GlobalNetworkPolicy',
      namespace: '',
      name: 'block',
    })) as GlobalNetworkPolicy
    expect(read.spec.order).toBe(20)
    // The legacy tier-prefixed spelling finds the same policy.
    const legacy = await store.get({
      kind: 'GlobalNetworkPolicy',
      namespace: '',
      name: 'security.block',
    })
    expect(legacy?.metadata.name).toBe('block')

    const history = await store.revisions({ kind: 'GlobalNetworkPolicy', name: 'block' })
    expect(history.map((r) => [r.operation, r.actor])).toEqual([
      ['update', 'bob'],
      ['create', 'alice'],
    ])
    expect((history[0]?.before as GlobalNetworkPolicy | undefined)?.spec.order).toBe(10)
    expect((history[0]?.after as GlobalNetworkPolicy | undefined)?.spec.order).toBe(20)
    expect(await store.revisions({ actor: 'bob' })).toHaveLength(1)
    expect(await store.revisions({ tier: 'security' })).toHaveLength(3)
  })

  it('refuses a policy in a missing tier and a tier that still has policies', async () => {
    await expectStoreError(
      store.write('me', (w) => w.put(gnp('x', 'nope', 1))),
      'TIER_NOT_FOUND',
      409,
    )
    await store.write('me', async (w) => {
      await w.put(tier('ops'))
      await w.put(gnp('x', 'ops', 1))
    })
    await expectStoreError(
      store.write('me', (w) => w.delete({ kind: 'Tier', namespace: '', name: 'ops' })),
      'TIER_NOT_EMPTY',
      409,
    )
    await store.write('me', (w) =>
      w.delete({ kind: 'GlobalNetworkPolicy', namespace: '', name: 'x' }),
    )
    await store.write('me', (w) => w.delete({ kind: 'Tier', namespace: '', name: 'ops' }))
    expect(await store.get({ kind: 'Tier', namespace: '', name: 'ops' })).toBeUndefined()
  })

  it('rolls a transaction back entirely when one write fails', async () => {
    const before = await store.revision()
    await expectStoreError(
      store.write('me', async (w) => {
        await w.put(np('shop', 'a'))
        await w.put(gnp('y', 'missing', 1))
      }),
      'TIER_NOT_FOUND',
      409,
    )
    expect(await store.get({ kind: 'NetworkPolicy', namespace: 'shop', name: 'a' })).toBeUndefined()
    expect(await store.revision()).toBe(before)
  })

  it('never stores what Calico would refuse, whoever writes it, and keeps nothing of the write', async () => {
    const before = await store.revision()
    const mixed: NetworkPolicy = {
      ...np('shop', 'mixed'),
      spec: {
        selector: 'all()',
        egress: [{ action: 'Allow', destination: { notNets: ['10.0.0.0/8', 'fc00::/7'] } }],
      },
    }
    const err = await store
      .write('me', async (w) => {
        await w.put(np('shop', 'fine'))
        await w.put(mixed)
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(err).toBeInstanceOf(ValidationFailure)
    expect((err as ValidationFailure).message).toContain('NetworkPolicy shop/mixed')
    expect((err as ValidationFailure).errors.map((e) => e.path)).toEqual([
      'spec.egress[0].destination.notNets',
    ])
    expect(
      await store.get({ kind: 'NetworkPolicy', namespace: 'shop', name: 'fine' }),
    ).toBeUndefined()
    expect(await store.revision()).toBe(before)
  })

  it('rolls back a resource to a revision, as a new revision', async () => {
    const a = await store.write('me', (w) => w.put(np('shop', 'a')))
    const changed: NetworkPolicy = { ...np('shop', 'a'), spec: { selector: 'all()' } }
    await store.write('me', (w) => w.put(changed))
    const rev = await store.rollback(Number(a.resource.metadata.resourceVersion), 'undo-bot')
    expect(rev.actor).toBe('undo-bot')
    expect(rev.rollbackOf).toBe(Number(a.resource.metadata.resourceVersion))
    const now = (await store.get({
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'a',
    })) as NetworkPolicy
    expect(now.spec.selector).toBe("app == 'web'")
    await expectStoreError(
      store.rollback(Number(a.resource.metadata.resourceVersion), 'x'),
      'CONFLICT',
      409,
    )
    // Rolling back to a delete removes the resource.
    await store.write('me', (w) =>
      w.delete({ kind: 'NetworkPolicy', namespace: 'shop', name: 'a' }),
    )
    const del = (await store.revisions({ name: 'a' }))[0]
    await store.write('me', (w) => w.put(np('shop', 'a')))
    await store.rollback(del?.id ?? 0, 'me')
    expect(await store.get({ kind: 'NetworkPolicy', namespace: 'shop', name: 'a' })).toBeUndefined()
  })

  it('replaces the inventory in bulk and bumps the revision counter', async () => {
    const r0 = await store.revision()
    await store.replaceInventory('me', {
      namespaces: [{ name: 'shop', labels: { team: 'a' } }],
      serviceAccounts: [{ name: 'default', namespace: 'shop' }],
      endpoints: [{ name: 'web-1', namespace: 'shop', labels: { app: 'web' }, ips: ['10.0.0.1'] }],
    })
    expect(await store.revision()).toBe(r0 + 1)
    await store.replaceInventory('me', { endpoints: [] })
    const inv = await store.inventory()
    expect(inv.namespaces).toEqual([{ name: 'shop', labels: { team: 'a' } }])
    expect(inv.endpoints).toEqual([])
  })

  it('serialises concurrent writers so that exactly one conditional write wins', async () => {
    const a = await store.write('me', (w) => w.put(np('shop', 'race')))
    const v = a.resource.metadata.resourceVersion
    const attempts = [1, 2, 3, 4].map((i) =>
      store.write(`w${i}`, (w) =>
        w.put({ ...np('shop', 'race'), spec: { selector: `n == '${i}'` } } as Resource, {
          expectedVersion: v,
        }),
      ),
    )
    const results = await Promise.allSettled(attempts)
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
  })
})
