import { describe, expect, it } from 'vitest'
import type { PolicyHit } from '../flowlog/types.ts'
import type {
  Endpoint,
  GlobalNetworkPolicySpec,
  K8sNetworkPolicySpec,
  NetworkPolicySpec,
  Resource,
  StagedAction,
} from '../resources/types.ts'
import { lintPolicies } from './lint.ts'
import type { LintCode, LintInput } from './types.ts'

const V3 = 'projectcalico.org/v3' as const

function tier(name: string, order?: number, defaultAction?: 'Deny' | 'Pass'): Resource {
  return {
    apiVersion: V3,
    kind: 'Tier',
    metadata: { name },
    spec: {
      ...(order !== undefined ? { order } : {}),
      ...(defaultAction ? { defaultAction } : {}),
    },
  }
}
function gnp(name: string, spec: GlobalNetworkPolicySpec): Resource {
  return { apiVersion: V3, kind: 'GlobalNetworkPolicy', metadata: { name }, spec }
}
function np(ns: string, name: string, spec: NetworkPolicySpec): Resource {
  return { apiVersion: V3, kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec }
}
function snp(
  ns: string,
  name: string,
  stagedAction: StagedAction,
  spec: NetworkPolicySpec = {},
): Resource {
  return {
    apiVersion: V3,
    kind: 'StagedNetworkPolicy',
    metadata: { name, namespace: ns },
    spec: { stagedAction, ...spec },
  }
}
function knp(ns: string, name: string, spec: K8sNetworkPolicySpec): Resource {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec,
  }
}
function pod(ns: string, name: string, labels: Record<string, string>, ip: string): Endpoint {
  return { name, namespace: ns, labels, ips: [ip] }
}

const dnsPod = pod('kube-system', 'coredns-1', { 'k8s-app': 'kube-dns' }, '10.0.9.10')
const webPod = pod('shop', 'web-1', { app: 'web' }, '10.0.0.1')
const dbPod = pod('shop', 'db-1', { app: 'db' }, '10.0.0.2')

/** `resource path` of each finding of one code. */
function found(input: LintInput, code: LintCode): string[] {
  return lintPolicies(input)
    .filter((f) => f.code === code)
    .map((f) => `${f.resource} ${f.path}`.trim())
}

interface Row {
  name: string
  input: LintInput
  expected: string[]
}

function table(code: LintCode, rows: Row[]): void {
  describe(code, () => {
    it.each(rows)('$name', ({ input, expected }) => {
      expect(found(input, code)).toEqual(expected)
    })
  })
}

const allowAll = { action: 'Allow' as const }

table('SHADOWED_RULE', [
  {
    name: 'a later rule with narrower ports under an earlier Allow of the same protocol',
    input: {
      resources: [
        gnp('p', {
          selector: 'app == "web"',
          ingress: [
            { action: 'Allow', protocol: 'TCP', destination: { ports: ['80:90'] } },
            { action: 'Deny', protocol: 'TCP', destination: { ports: [85] } },
          ],
        }),
      ],
    },
    expected: ['GlobalNetworkPolicy p spec.ingress[1]'],
  },
  {
    name: 'a narrower CIDR under an earlier Deny with a wider CIDR',
    input: {
      resources: [
        gnp('p', {
          egress: [
            { action: 'Deny', destination: { nets: ['10.0.0.0/8'] } },
            {
              action: 'Allow',
              protocol: 'UDP',
              destination: { nets: ['10.1.2.0/24'], ports: [53] },
            },
          ],
        }),
      ],
    },
    expected: ['GlobalNetworkPolicy p spec.egress[1]'],
  },
  {
    name: 'selectors equal only in canonical form still shadow',
    input: {
      resources: [
        np('shop', 'p', {
          ingress: [
            { action: 'Allow', source: { selector: "b == 'x' && a == 'y'" } },
            { action: 'Allow', protocol: 'TCP', source: { selector: '(b == "x" && a == "y")' } },
          ],
        }),
      ],
    },
    expected: ['NetworkPolicy shop/p spec.ingress[1]'],
  },
  {
    name: 'a rule after an unconditional Pass',
    input: {
      resources: [
        gnp('p', { ingress: [{ action: 'Pass' }, { action: 'Allow', protocol: 'TCP' }] }),
      ],
    },
    expected: ['GlobalNetworkPolicy p spec.ingress[1]'],
  },
  {
    name: 'an earlier policy of the same tier applying to all() shadows a later rule',
    input: {
      resources: [
        tier('sec', 10),
        gnp('first', {
          tier: 'sec',
          order: 1,
          ingress: [{ action: 'Deny', source: { nets: ['192.0.2.0/24'] } }],
        }),
        np('shop', 'second', {
          tier: 'sec',
          order: 2,
          ingress: [{ action: 'Allow', source: { nets: ['192.0.2.8/29'] } }],
        }),
      ],
    },
    expected: ['NetworkPolicy shop/second spec.ingress[0]'],
  },
  {
    name: 'an earlier GNP with the same selector shadows a later NP rule of the same tier',
    input: {
      resources: [
        gnp('first', {
          order: 1,
          selector: 'app == "web"',
          ingress: [{ action: 'Deny', protocol: 'TCP' }],
        }),
        np('shop', 'second', {
          order: 2,
          selector: "app == 'web'",
          ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80] } }],
        }),
      ],
    },
    expected: ['NetworkPolicy shop/second spec.ingress[0]'],
  },
  {
    name: 'no: the earlier rule is a Log rule',
    input: { resources: [gnp('p', { ingress: [{ action: 'Log' }, { action: 'Allow' }] })] },
    expected: [],
  },
  {
    name: 'no: ports of the later rule reach outside the earlier range',
    input: {
      resources: [
        gnp('p', {
          ingress: [
            { action: 'Allow', protocol: 'TCP', destination: { ports: ['80:90'] } },
            { action: 'Deny', protocol: 'TCP', destination: { ports: ['85:95'] } },
          ],
        }),
      ],
    },
    expected: [],
  },
  {
    name: 'no: different protocols',
    input: {
      resources: [
        gnp('p', {
          ingress: [
            { action: 'Allow', protocol: 'TCP' },
            { action: 'Deny', protocol: 'UDP' },
          ],
        }),
      ],
    },
    expected: [],
  },
  {
    name: 'no: the earlier rule has a notSelector the later lacks',
    input: {
      resources: [
        gnp('p', {
          ingress: [
            { action: 'Allow', source: { notSelector: 'has(x)' } },
            { action: 'Deny', source: { selector: 'has(y)' } },
          ],
        }),
      ],
    },
    expected: [],
  },
  {
    name: 'no: same selector text but different namespaces (rule scoping differs)',
    input: {
      resources: [
        tier('sec', 10),
        np('a', 'first', {
          tier: 'sec',
          order: 1,
          selector: 'all()',
          ingress: [{ action: 'Deny', source: { selector: 'app == "x"' } }],
        }),
        gnp('second', {
          tier: 'sec',
          order: 2,
          ingress: [{ action: 'Allow', source: { selector: 'app == "x"' } }],
        }),
      ],
    },
    expected: [],
  },
  {
    name: 'no: the earlier policy applies to fewer endpoints',
    input: {
      resources: [
        tier('sec', 10),
        gnp('first', {
          tier: 'sec',
          order: 1,
          selector: 'app == "web"',
          ingress: [{ action: 'Deny' }],
        }),
        gnp('second', { tier: 'sec', order: 2, ingress: [{ action: 'Allow' }] }),
      ],
    },
    expected: [],
  },
])

table('PASS_IN_LAST_TIER', [
  {
    name: 'a Pass rule in default, the last tier with policies',
    input: { resources: [gnp('p', { ingress: [{ action: 'Pass', protocol: 'TCP' }] })] },
    expected: ['GlobalNetworkPolicy p spec.ingress[0].action'],
  },
  {
    name: 'a Pass rule in a user tier after default (order above 1e6)',
    input: {
      resources: [
        tier('late', 2_000_000),
        gnp('p', { tier: 'late', egress: [{ action: 'Pass' }] }),
        gnp('q', { ingress: [allowAll] }),
      ],
    },
    expected: ['GlobalNetworkPolicy p spec.egress[0].action'],
  },
  {
    name: 'no: a later tier has policies',
    input: {
      resources: [
        tier('sec', 10),
        gnp('p', { tier: 'sec', ingress: [{ action: 'Pass' }] }),
        gnp('q', { ingress: [allowAll] }),
      ],
    },
    expected: [],
  },
])

table('EMPTY_TIER', [
  {
    name: 'a declared tier without policies',
    input: { resources: [tier('empty', 5)] },
    expected: ['Tier empty'],
  },
  {
    name: 'no: a staged policy counts',
    input: { resources: [tier('sec', 5), snp('shop', 'p', 'Set', { tier: 'sec' })] },
    expected: [],
  },
])

table('UNDECLARED_TIER', [
  {
    name: 'a policy in a tier with no Tier resource',
    input: { resources: [gnp('p', { tier: 'ghost' })] },
    expected: ['GlobalNetworkPolicy p spec.tier'],
  },
  {
    name: 'no: built-in tiers',
    input: { resources: [gnp('p', { tier: 'kube-admin' }), gnp('q', {})] },
    expected: [],
  },
  {
    name: 'no: declared',
    input: { resources: [tier('sec', 1), gnp('p', { tier: 'sec' })] },
    expected: [],
  },
])

table('ORDER_UNSET', [
  {
    name: 'one policy without order among ordered ones',
    input: { resources: [gnp('a', { order: 10 }), gnp('b', {})] },
    expected: ['GlobalNetworkPolicy b spec.order'],
  },
  {
    name: 'a Kubernetes policy has order 1000',
    input: { resources: [np('shop', 'a', {}), knp('shop', 'k', { podSelector: {} })] },
    expected: ['NetworkPolicy shop/a spec.order'],
  },
  {
    name: 'no: nobody has an order',
    input: { resources: [gnp('a', {}), gnp('b', {})] },
    expected: [],
  },
])

table('STAGED_IDENTICAL', [
  {
    name: 'a staged Set equal to its enforced twin',
    input: {
      resources: [
        np('shop', 'p', { selector: 'app == "web"', ingress: [allowAll] }),
        snp('shop', 'p', 'Set', { selector: 'app == "web"', ingress: [allowAll], tier: 'default' }),
      ],
    },
    expected: ['StagedNetworkPolicy shop/p spec'],
  },
  {
    name: 'no: the staged copy changes a rule',
    input: {
      resources: [
        np('shop', 'p', { selector: 'app == "web"', ingress: [allowAll] }),
        snp('shop', 'p', 'Set', { selector: 'app == "web"', ingress: [{ action: 'Deny' }] }),
      ],
    },
    expected: [],
  },
  {
    name: 'no: the twin is in another namespace',
    input: { resources: [np('a', 'p', {}), snp('b', 'p', 'Set', {})] },
    expected: [],
  },
])

table('STAGED_DELETE_NO_TWIN', [
  {
    name: 'a staged Delete of a policy that does not exist',
    input: { resources: [snp('shop', 'gone', 'Delete')] },
    expected: ['StagedNetworkPolicy shop/gone spec.stagedAction'],
  },
  {
    name: 'no: the twin exists',
    input: { resources: [np('shop', 'p', {}), snp('shop', 'p', 'Delete')] },
    expected: [],
  },
])

table('SLOW_SELECTOR', [
  {
    name: '!= and || in a rule selector',
    input: {
      resources: [
        gnp('p', { ingress: [{ action: 'Allow', source: { selector: 'a != "x" || b == "y"' } }] }),
      ],
    },
    expected: ['GlobalNetworkPolicy p spec.ingress[0].source.selector'],
  },
  {
    name: 'all() in a rule selector, not in in a notSelector',
    input: {
      resources: [
        gnp('p', {
          egress: [
            {
              action: 'Allow',
              destination: { selector: 'all()', notSelector: 'env not in {"a"}' },
            },
          ],
        }),
      ],
    },
    expected: [
      'GlobalNetworkPolicy p spec.egress[0].destination.notSelector',
      'GlobalNetworkPolicy p spec.egress[0].destination.selector',
    ],
  },
  {
    name: 'no: positive forms, and namespaceSelector all()',
    input: {
      resources: [
        gnp('p', {
          selector: 'a != "b"',
          ingress: [
            {
              action: 'Allow',
              source: { selector: 'app in {"a", "b"} && has(x)', namespaceSelector: 'all()' },
            },
          ],
        }),
      ],
    },
    expected: [],
  },
  {
    name: 'no: a slow form beside a label the selector requires (Calico indexes by it)',
    input: {
      resources: [
        gnp('p', {
          ingress: [
            { action: 'Allow', source: { selector: 'app == "web" && env != "prod"' } },
            { action: 'Allow', source: { selector: '(tier == "a" && !has(x)) || tier == "b"' } },
            { action: 'Allow', source: { selector: 'has(role) && !(role in {"admin"})' } },
          ],
        }),
      ],
    },
    expected: [],
  },
  {
    name: '|| whose branches require different labels',
    input: {
      resources: [
        gnp('p', {
          egress: [{ action: 'Allow', destination: { selector: 'a == "1" || b == "2"' } }],
        }),
      ],
    },
    expected: ['GlobalNetworkPolicy p spec.egress[0].destination.selector'],
  },
])

table('ALLOW_ALL_INGRESS', [
  {
    name: 'a GNP on all() with an unconditional Allow',
    input: { resources: [gnp('p', { ingress: [allowAll] })] },
    expected: ['GlobalNetworkPolicy p spec.ingress[0]'],
  },
  {
    name: 'a Kubernetes policy with an empty podSelector and ingress [{}]',
    input: { resources: [knp('shop', 'k', { podSelector: {}, ingress: [{}] })] },
    expected: ['KubernetesNetworkPolicy shop/k spec.ingress'],
  },
  {
    name: 'no: the rule has a protocol',
    input: { resources: [gnp('p', { ingress: [{ action: 'Allow', protocol: 'TCP' }] })] },
    expected: [],
  },
  {
    name: 'no: the policy selects some endpoints',
    input: { resources: [gnp('p', { selector: 'app == "web"', ingress: [allowAll] })] },
    expected: [],
  },
])

table('ALLOW_ALL_EGRESS', [
  {
    name: 'an NP on every pod of its namespace',
    input: { resources: [np('shop', 'p', { egress: [allowAll] })] },
    expected: ['NetworkPolicy shop/p spec.egress[0]'],
  },
  {
    name: 'no: egress rules present but the type is Ingress only',
    input: { resources: [np('shop', 'p', { types: ['Ingress'], egress: [allowAll] })] },
    expected: [],
  },
])

function hit(
  tierName: string,
  kind: PolicyHit['kind'],
  name: string,
  namespace?: string,
): PolicyHit {
  return {
    index: 0,
    tier: tierName,
    kind,
    name,
    ...(namespace ? { namespace } : {}),
    staged: false,
    action: 'allow',
    ruleIndex: 0,
  }
}

table('UNUSED_POLICY', [
  {
    name: 'flows hit one of two policies (legacy tier-prefixed name)',
    input: {
      resources: [tier('sec', 1), gnp('sec.used', { tier: 'sec' }), np('shop', 'idle', {})],
      flows: [{ policyHits: [hit('sec', 'GlobalNetworkPolicy', 'sec.used')] }],
    },
    expected: ['NetworkPolicy shop/idle'],
  },
  {
    name: 'hit counts keyed by resource key',
    input: {
      resources: [np('shop', 'a', {}), np('shop', 'b', {})],
      hitCounts: { 'NetworkPolicy/shop/a': 3, 'NetworkPolicy/shop/b': 0 },
    },
    expected: ['NetworkPolicy shop/b'],
  },
  { name: 'no: without flow data', input: { resources: [np('shop', 'a', {})] }, expected: [] },
])

table('SELECTS_NOTHING', [
  {
    name: 'an NP selecting a label no pod of its namespace has',
    input: {
      resources: [
        np('shop', 'p', { selector: 'app == "api"' }),
        np('other', 'q', { selector: 'app == "web"' }),
      ],
      endpoints: [webPod],
    },
    expected: ['NetworkPolicy other/q spec.selector', 'NetworkPolicy shop/p spec.selector'],
  },
  {
    name: 'a GNP whose namespaceSelector matches no namespace',
    input: {
      resources: [gnp('p', { namespaceSelector: 'team == "x"' })],
      namespaces: [{ name: 'shop', labels: { team: 'y' } }],
      endpoints: [webPod],
    },
    expected: ['GlobalNetworkPolicy p spec.selector'],
  },
  {
    name: 'a Kubernetes policy whose podSelector matches nothing',
    input: {
      resources: [knp('shop', 'k', { podSelector: { matchLabels: { app: 'nope' } } })],
      endpoints: [webPod],
    },
    expected: ['KubernetesNetworkPolicy shop/k spec.podSelector'],
  },
  {
    name: 'no: matches a pod (namespace selector by name label)',
    input: {
      resources: [
        gnp('p', {
          selector: 'app == "web"',
          namespaceSelector: 'kubernetes.io/metadata.name == "shop"',
        }),
      ],
      endpoints: [webPod],
    },
    expected: [],
  },
  {
    name: 'no: without an inventory',
    input: { resources: [np('shop', 'p', { selector: 'app == "api"' })] },
    expected: [],
  },
])

table('RULE_SELECTOR_MATCHES_NOTHING', [
  {
    name: 'an NP rule selector for pods of another namespace (scoped to its own)',
    input: {
      resources: [
        np('other', 'p', {
          selector: 'all()',
          ingress: [{ action: 'Allow', source: { selector: 'app == "web"' } }],
        }),
      ],
      endpoints: [webPod, pod('other', 'x', { app: 'x' }, '10.0.1.1')],
    },
    expected: ['NetworkPolicy other/p spec.ingress[0].source.selector'],
  },
  {
    name: 'no: a network set carries the label',
    input: {
      resources: [
        np('shop', 'p', {
          ingress: [{ action: 'Allow', source: { selector: 'role == "partners"' } }],
        }),
        {
          apiVersion: V3,
          kind: 'NetworkSet',
          metadata: { name: 'partners', namespace: 'shop', labels: { role: 'partners' } },
          spec: { nets: ['198.51.100.0/24'] },
        },
      ],
      endpoints: [webPod],
    },
    expected: [],
  },
  {
    name: 'no: namespaceSelector reaches the other namespace',
    input: {
      resources: [
        np('other', 'p', {
          ingress: [
            { action: 'Allow', source: { selector: 'app == "web"', namespaceSelector: 'all()' } },
          ],
        }),
      ],
      endpoints: [webPod],
    },
    expected: [],
  },
])

table('DEFAULT_DENY_BLOCKS_DNS', [
  {
    name: 'statically: a default-deny egress KNP with no DNS rule',
    input: { resources: [knp('shop', 'deny', { podSelector: {}, policyTypes: ['Egress'] })] },
    expected: ['KubernetesNetworkPolicy shop/deny spec.policyTypes'],
  },
  {
    name: 'statically: no, a DNS rule allows UDP 53 to kube-dns',
    input: {
      resources: [
        np('shop', 'deny', {
          types: ['Egress'],
          egress: [
            {
              action: 'Allow',
              protocol: 'UDP',
              destination: {
                selector: "k8s-app == 'kube-dns'",
                namespaceSelector: "projectcalico.org/name == 'kube-system'",
                ports: [53],
              },
            },
          ],
        }),
      ],
    },
    expected: [],
  },
  {
    name: 'statically: a DNS rule scoped to the wrong namespace does not help',
    input: {
      resources: [
        np('shop', 'deny', {
          types: ['Egress'],
          egress: [
            {
              action: 'Allow',
              protocol: 'UDP',
              destination: { selector: "k8s-app == 'kube-dns'", ports: [53] },
            },
          ],
        }),
      ],
    },
    expected: ['NetworkPolicy shop/deny spec.types'],
  },
  {
    name: 'statically: no, the tier passes by default',
    input: {
      resources: [
        tier('admin', 1, 'Pass'),
        gnp('iso', { tier: 'admin', types: ['Egress'] }),
        gnp('allow', { egress: [allowAll] }),
      ],
    },
    expected: [],
  },
  {
    name: 'with the evaluator: only policies that select pods are judged',
    input: {
      resources: [
        np('shop', 'web-egress', {
          selector: 'app == "web"',
          types: ['Egress'],
          egress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [5432] } }],
        }),
        np('shop', 'none', { selector: 'app == "nothing"', types: ['Egress'] }),
      ],
      endpoints: [webPod, dbPod, dnsPod],
    },
    expected: ['NetworkPolicy shop/web-egress spec.types'],
  },
  {
    name: 'with the evaluator: an earlier tier allows DNS for everyone',
    input: {
      resources: [
        tier('platform', 10),
        gnp('dns', {
          tier: 'platform',
          types: ['Egress'],
          egress: [
            {
              action: 'Allow',
              protocol: 'UDP',
              destination: { selector: "k8s-app == 'kube-dns'", ports: [53] },
            },
            { action: 'Pass' },
          ],
        }),
        np('shop', 'web-egress', { selector: 'app == "web"', types: ['Egress'] }),
      ],
      endpoints: [webPod, dnsPod],
    },
    expected: [],
  },
  {
    name: 'with the evaluator: a staged policy is judged in the staged view',
    input: {
      resources: [snp('shop', 'lockdown', 'Set', { types: ['Egress'] })],
      endpoints: [webPod, dnsPod],
    },
    expected: ['StagedNetworkPolicy shop/lockdown spec.types'],
  },
])

describe('lintPolicies options and finding shape', () => {
  const input: LintInput = {
    resources: [tier('empty', 1), gnp('p', { tier: 'ghost', ingress: [allowAll] })],
  }

  it('filters by minimum severity and disabled codes', () => {
    const all = lintPolicies(input).map((f) => f.code)
    expect(all).toContain('EMPTY_TIER')
    const warnings = lintPolicies(input, { minSeverity: 'warning' }).map((f) => f.code)
    expect(warnings).not.toContain('EMPTY_TIER')
    expect(warnings).toContain('UNDECLARED_TIER')
    expect(lintPolicies(input, { disable: ['UNDECLARED_TIER'] }).map((f) => f.code)).not.toContain(
      'UNDECLARED_TIER',
    )
  })

  it('gives every finding a code, severity, lowercase message, resource, path and fix', () => {
    for (const f of lintPolicies(input)) {
      expect(f.code).toMatch(/^[A-Z_]+$/)
      expect(['error', 'warning', 'info']).toContain(f.severity)
      expect(f.message[0]).toBe(f.message[0]?.toLowerCase())
      expect(f.resource).toMatch(/^[A-Za-z]+ /)
      expect(typeof f.path).toBe('string')
      expect(f.fix.length).toBeGreaterThan(0)
    }
  })
})
