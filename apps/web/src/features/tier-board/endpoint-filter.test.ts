import type { InventoryResponse, PolicyKind } from '@policyboard/api'
import { describe, expect, it } from 'vitest'
import { policy } from '../../test/fixtures.ts'
import { findEndpoint, selectsEndpoint } from './endpoint-filter.ts'

const inventory: InventoryResponse = {
  revision: '1',
  namespaces: [
    { name: 'shop', labels: { team: 'web' } },
    { name: 'db', labels: { team: 'data' } },
  ],
  serviceAccounts: [{ name: 'api', namespace: 'shop', labels: { tier: 'front' } }],
  endpoints: [
    { name: 'web-1', namespace: 'shop', labels: { app: 'web' }, serviceAccount: 'api' },
    { name: 'pg-0', namespace: 'db', labels: { app: 'pg' } },
    { name: 'node-1-eth0', kind: 'host', labels: { role: 'node' } },
  ],
}

function withSpec(
  name: string,
  kind: PolicyKind,
  spec: Record<string, unknown>,
  namespace?: string,
) {
  const p = policy(name, { kind, ...(namespace ? { namespace } : {}) })
  return { ...p, resource: { ...p.resource, spec } as typeof p.resource }
}

describe('selectsEndpoint', () => {
  const web = findEndpoint(inventory, 'shop/web-1')
  const host = findEndpoint(inventory, 'node-1-eth0')
  if (!web || !host) throw new Error('fixture endpoints missing')
  const forWeb = selectsEndpoint(inventory, web)
  const forHost = selectsEndpoint(inventory, host)

  it.each([
    [
      'namespaced policy in its namespace',
      withSpec('a', 'NetworkPolicy', { selector: "app == 'web'" }, 'shop'),
      true,
    ],
    [
      'namespaced policy in another namespace',
      withSpec('b', 'NetworkPolicy', { selector: "app == 'web'" }, 'db'),
      false,
    ],
    [
      'global with matching namespace selector',
      withSpec('c', 'GlobalNetworkPolicy', {
        selector: 'all()',
        namespaceSelector: "team == 'web'",
      }),
      true,
    ],
    [
      'global with other namespace selector',
      withSpec('d', 'GlobalNetworkPolicy', { namespaceSelector: "team == 'data'" }),
      false,
    ],
    [
      'implicit namespace label',
      withSpec('e', 'GlobalNetworkPolicy', { selector: "projectcalico.org/namespace == 'shop'" }),
      true,
    ],
    [
      'service account selector',
      withSpec('f', 'GlobalNetworkPolicy', { serviceAccountSelector: "tier == 'front'" }),
      true,
    ],
    [
      'Kubernetes pod selector',
      withSpec(
        'g',
        'KubernetesNetworkPolicy',
        { podSelector: { matchLabels: { app: 'web' } } },
        'shop',
      ),
      true,
    ],
    [
      'Kubernetes expression',
      withSpec(
        'h',
        'KubernetesNetworkPolicy',
        { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] } },
        'shop',
      ),
      false,
    ],
    [
      'invalid selector selects nothing',
      withSpec('i', 'GlobalNetworkPolicy', { selector: 'app ==' }),
      false,
    ],
  ])('%s', (_why, p, expected) => {
    expect(forWeb(p)).toBe(expected)
  })

  it('host endpoints: globals without a namespace selector only', () => {
    expect(forHost(withSpec('a', 'GlobalNetworkPolicy', { selector: "role == 'node'" }))).toBe(true)
    expect(
      forHost(
        withSpec('b', 'GlobalNetworkPolicy', { selector: 'all()', namespaceSelector: 'all()' }),
      ),
    ).toBe(false)
    expect(forHost(withSpec('c', 'NetworkPolicy', {}, 'shop'))).toBe(false)
  })

  it('finds endpoints by namespace/name or host name', () => {
    expect(findEndpoint(inventory, 'db/pg-0')?.name).toBe('pg-0')
    expect(findEndpoint(inventory, 'nope/x')).toBeUndefined()
    expect(findEndpoint(inventory, '  ')).toBeUndefined()
  })
})
