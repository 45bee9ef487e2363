import { describe, expect, it } from 'vitest'
import {
  endpointSelectorLabels,
  labelVocabulary,
  previewSelector,
  type SelectorInventory,
} from './matching.ts'

const inventory: SelectorInventory = {
  namespaces: [
    { name: 'shop', labels: { team: 'a' } },
    { name: 'ops', labels: { team: 'b' } },
  ],
  serviceAccounts: [{ name: 'api', namespace: 'shop', labels: { tier: 'backend' } }],
  endpoints: [
    { name: 'web-1', namespace: 'shop', labels: { app: 'web' } },
    { name: 'api-1', namespace: 'shop', labels: { app: 'api' }, serviceAccount: 'api' },
    { name: 'mon-1', namespace: 'ops', labels: { app: 'mon' } },
    { name: 'node-1', kind: 'host', labels: { role: 'node' } },
  ],
}
const names = (r: ReturnType<typeof previewSelector>) =>
  r.ok ? r.endpoints.map((e) => e.name) : r.error.message

describe('endpointSelectorLabels', () => {
  it('adds Calico implicit labels to workloads', () => {
    expect(endpointSelectorLabels(inventory.endpoints[1] as never, inventory)).toEqual({
      app: 'api',
      'pcns.team': 'a',
      'pcns.kubernetes.io/metadata.name': 'shop',
      'pcns.projectcalico.org/name': 'shop',
      'pcsa.tier': 'backend',
      'pcsa.projectcalico.org/name': 'api',
      'projectcalico.org/namespace': 'shop',
      'projectcalico.org/orchestrator': 'k8s',
      'projectcalico.org/serviceaccount': 'api',
    })
  })

  it('leaves host endpoints with their own labels', () => {
    expect(endpointSelectorLabels(inventory.endpoints[3] as never, inventory)).toEqual({
      role: 'node',
    })
  })
})

describe('previewSelector', () => {
  it.each<[string, Parameters<typeof previewSelector>[0], string[]]>([
    [
      'an endpoint selector',
      { selector: 'app in {"web", "mon"}', subject: 'endpoint' },
      ['web-1', 'mon-1'],
    ],
    ['all()', { selector: 'all()', subject: 'endpoint' }, ['web-1', 'api-1', 'mon-1', 'node-1']],
    [
      'implicit namespace label',
      { selector: 'projectcalico.org/namespace == "ops"', subject: 'endpoint' },
      ['mon-1'],
    ],
    [
      'restricted to a namespace',
      { selector: '', subject: 'endpoint', namespace: 'shop' },
      ['web-1', 'api-1'],
    ],
    ['a namespace selector', { selector: 'team == "a"', subject: 'namespace' }, ['web-1', 'api-1']],
    ['namespace all()', { selector: 'all()', subject: 'namespace' }, ['web-1', 'api-1', 'mon-1']],
    ['namespace global()', { selector: 'global()', subject: 'namespace' }, ['node-1']],
    [
      'a service-account selector',
      { selector: 'tier == "backend"', subject: 'serviceAccount' },
      ['api-1'],
    ],
    [
      'service account by name',
      { selector: 'projectcalico.org/name == "default"', subject: 'serviceAccount' },
      ['web-1', 'mon-1'],
    ],
  ])('%s', (_, preview, expected) => {
    expect(names(previewSelector(preview, inventory))).toEqual(expected)
  })

  it('returns the parse error with its range', () => {
    const r = previewSelector({ selector: 'app == ', subject: 'endpoint' }, inventory)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.range.start).toBeGreaterThanOrEqual(4)
  })
})

describe('labelVocabulary', () => {
  it('lists endpoint label keys with their values, implicit ones included', () => {
    const v = labelVocabulary(inventory, 'endpoint')
    expect(v.get('app')).toEqual(['api', 'mon', 'web'])
    expect(v.get('projectcalico.org/namespace')).toEqual(['ops', 'shop'])
    expect([...v.keys()].some((k) => k.startsWith('pcns.'))).toBe(false)
  })

  it('lists namespace and service-account labels', () => {
    expect(labelVocabulary(inventory, 'namespace').get('projectcalico.org/name')).toEqual([
      'ops',
      'shop',
    ])
    expect(labelVocabulary(inventory, 'namespace').get('team')).toEqual(['a', 'b'])
    expect(labelVocabulary(inventory, 'serviceAccount').get('tier')).toEqual(['backend'])
  })
})
