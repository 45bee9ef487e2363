import { describe, expect, it } from 'vitest'
import type {
  KubernetesNetworkPolicy,
  LabelSelector,
  StagedKubernetesNetworkPolicy,
} from '../resources/types.ts'
import { convertKubernetesPolicy, k8sSelectorToCalico, simplifyPorts } from './kubernetes.ts'

function knp(spec: KubernetesNetworkPolicy['spec'], name = 'p'): KubernetesNetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'ns' },
    spec,
  }
}

describe('k8sSelectorToCalico', () => {
  it.each([
    [undefined, 'pod', "projectcalico.org/orchestrator == 'k8s'"],
    [{}, 'pod', "projectcalico.org/orchestrator == 'k8s'"],
    [undefined, 'namespace', ''],
    [{}, 'namespace', 'all()'],
    [{ matchLabels: { b: '2', a: '1' } }, 'namespace', "a == '1' && b == '2'"],
    [
      {
        matchExpressions: [
          { key: 'k', operator: 'In' as const, values: ['x', 'y'] },
          { key: 'n', operator: 'NotIn' as const, values: ['z'] },
          { key: 'e', operator: 'Exists' as const },
          { key: 'd', operator: 'DoesNotExist' as const },
        ],
      },
      'pod',
      "projectcalico.org/orchestrator == 'k8s' && k in { 'x', 'y' } && n not in { 'z' } && has(e) && ! has(d)",
    ],
  ] as const)('%j as %s selector → %s', (sel, kind, want) => {
    expect(k8sSelectorToCalico(sel as LabelSelector | undefined, kind)).toBe(want)
  })
})

describe('simplifyPorts', () => {
  it('puts named ports first and merges numbers into ranges (Calico SimplifyPorts example)', () => {
    const items = [
      { lo: 81, hi: 90 },
      { lo: 4, hi: 4 },
      { lo: 2, hi: 2 },
      { name: 'foo' },
      { lo: 80, hi: 81 },
      { lo: 3, hi: 3 },
      { lo: 1, hi: 1 },
      { lo: 9090, hi: 9090 },
      { name: 'http' },
    ]
    expect(simplifyPorts(items)).toEqual(['foo', 'http', '1:4', '80:90', 9090])
  })
})

describe('convertKubernetesPolicy', () => {
  it('maps the policy level: name, tier, order, selector, default types', () => {
    const { policy, errors } = convertKubernetesPolicy(
      knp({ podSelector: { matchLabels: { app: 'web' } } }),
    )
    expect(errors).toEqual([])
    expect(policy.metadata.name).toBe('knp.default.p')
    expect(policy.spec).toEqual({
      tier: 'default',
      order: 1000,
      selector: "projectcalico.org/orchestrator == 'k8s' && app == 'web'",
      types: ['Ingress'],
    })
  })

  it('keeps the bare name in v3.32 naming and orders types Ingress first', () => {
    const { policy } = convertKubernetesPolicy(
      knp({ podSelector: {}, policyTypes: ['Egress', 'Ingress'] }),
      {
        naming: 'v3.32',
      },
    )
    expect(policy.metadata.name).toBe('p')
    expect(policy.spec.types).toEqual(['Ingress', 'Egress'])
  })

  it('groups ports by protocol (sorted), TCP by default, a port-less entry absorbing its protocol', () => {
    const { policy } = convertKubernetesPolicy(
      knp({
        podSelector: {},
        ingress: [
          {
            from: [
              { podSelector: { matchLabels: { a: 'b' } } },
              { ipBlock: { cidr: '10.1.2.3/8', except: ['10.9.9.9/16'] } },
            ],
            ports: [
              { port: 80 },
              { protocol: 'UDP', port: 53 },
              { protocol: 'SCTP' },
              { protocol: 'SCTP', port: 9 },
            ],
          },
        ],
      }),
    )
    expect(policy.spec.ingress).toEqual([
      {
        action: 'Allow',
        protocol: 'SCTP',
        source: { selector: "projectcalico.org/orchestrator == 'k8s' && a == 'b'" },
      },
      {
        action: 'Allow',
        protocol: 'SCTP',
        source: { nets: ['10.0.0.0/8'], notNets: ['10.9.0.0/16'] },
      },
      {
        action: 'Allow',
        protocol: 'TCP',
        source: { selector: "projectcalico.org/orchestrator == 'k8s' && a == 'b'" },
        destination: { ports: [80] },
      },
      {
        action: 'Allow',
        protocol: 'TCP',
        source: { nets: ['10.0.0.0/8'], notNets: ['10.9.0.0/16'] },
        destination: { ports: [80] },
      },
      {
        action: 'Allow',
        protocol: 'UDP',
        source: { selector: "projectcalico.org/orchestrator == 'k8s' && a == 'b'" },
        destination: { ports: [53] },
      },
      {
        action: 'Allow',
        protocol: 'UDP',
        source: { nets: ['10.0.0.0/8'], notNets: ['10.9.0.0/16'] },
        destination: { ports: [53] },
      },
    ])
  })

  it('converts endPort to a range, a namespace-only peer with the orchestrator term, egress into destination', () => {
    const { policy } = convertKubernetesPolicy(
      knp({
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 8000, endPort: 8100 }] }],
      }),
    )
    expect(policy.spec.egress).toEqual([
      {
        action: 'Allow',
        protocol: 'TCP',
        destination: {
          ports: ['8000:8100'],
          selector: "projectcalico.org/orchestrator == 'k8s'",
          namespaceSelector: 'all()',
        },
      },
    ])
  })

  it('an empty rule allows everything; an invalid port drops only its rule, with an error', () => {
    const { policy, errors } = convertKubernetesPolicy(
      knp({ podSelector: {}, ingress: [{}, { ports: [{ port: 90, endPort: 80 }] }] }),
    )
    expect(policy.spec.ingress).toEqual([{ action: 'Allow' }])
    expect(errors).toHaveLength(1)
    expect(errors[0]?.code).toBe('CONVERSION')
    expect(errors[0]?.path).toBe('spec.ingress[1]')
  })

  it('converts a staged Kubernetes policy to a StagedNetworkPolicy keeping stagedAction', () => {
    const sknp: StagedKubernetesNetworkPolicy = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'StagedKubernetesNetworkPolicy',
      metadata: { name: 'x', namespace: 'ns' },
      spec: { podSelector: {}, stagedAction: 'Delete' },
    }
    const { policy } = convertKubernetesPolicy(sknp)
    expect(policy.kind).toBe('StagedNetworkPolicy')
    expect(policy.metadata.name).toBe('knp.default.x')
    expect(policy.spec.stagedAction).toBe('Delete')
  })
})
