#!/usr/bin/env node
// Renders the upstream Kubernetes NetworkPolicy e2e tests (test/e2e/network/netpol/
// network_policy.go) as Policyboard scenarios in scenarios/k8s-netpol-e2e/. Each test is
// transcribed by hand below: its model (ports x protocols), its policies, and its expected
// reachability matrix written with the upstream helpers (ExpectPeer, ExpectAllIngress,
// ExpectAllEgress, Expect). The expectations come from the upstream test, never from the
// evaluator. Files already in the shared conformance folder are skipped.
//
//   node packages/policy-core/scripts/gen-k8s-netpol-e2e.mjs
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'

const UPSTREAM = '9db638c0807a720aa050ebcef69c32e4d4cce280'
const outDir = new URL('../scenarios/k8s-netpol-e2e/', import.meta.url).pathname
const sharedDir = new URL('../../../../shared/conformance/k8s-netpol-e2e/', import.meta.url)
  .pathname
const NS = ['x', 'y', 'z']
const PODS = ['a', 'b', 'c']
const NS_KEY = 'kubernetes.io/metadata.name'

/** The upstream Reachability: a 9x9 matrix with a default, set by peer patterns. */
function reach(def = true) {
  const m = new Map()
  const all = NS.flatMap((n) => PODS.map((p) => `${n}/${p}`))
  for (const f of all) for (const t of all) m.set(`${f}>${t}`, def)
  const matches = (peer, pod) => {
    const [n, p] = pod.split('/')
    return (!peer.ns || peer.ns === n) && (!peer.pod || peer.pod === p)
  }
  const r = {
    all,
    m,
    expectPeer(from, to, v) {
      for (const f of all)
        for (const t of all) if (matches(from, f) && matches(to, t)) m.set(`${f}>${t}`, v)
      return r
    },
    expect(f, t, v) {
      m.set(`${f}>${t}`, v)
      return r
    },
    allIngress(t, v) {
      for (const f of all) m.set(`${f}>${t}`, v)
      return r
    },
    allEgress(f, v) {
      for (const t of all) m.set(`${f}>${t}`, v)
      return r
    },
  }
  return r
}

/** A NetworkPolicy in namespace x (or ns) named `name`. */
function np(name, podSelector, spec, ns = 'x') {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec: { podSelector, ...spec },
  }
}
const ml = (labels) => ({ matchLabels: labels })
const ing = (...rules) => ({ policyTypes: ['Ingress'], ingress: rules })
const egr = (...rules) => ({ policyTypes: ['Egress'], egress: rules })
const both = (ingress, egress) => ({ policyTypes: ['Ingress', 'Egress'], ingress, egress })

const tests = []
/**
 * One rendered file: n (file number), slug, test title, optional stage note, model ports and
 * protocols, policies, probe protocol/port, reachability, and optional namespace/pod label
 * updates.
 */
function t(o) {
  tests.push(o)
}

const T = 'NetworkPolicy between server and client'
const TU = 'Netpol [LinuxOnly] NetworkPolicy between server and client using UDP'
const TS =
  'Netpol [Feature:SCTPConnectivity] [LinuxOnly] NetworkPolicy between server and client using SCTP'
const title = (s, ctx = `Netpol ${T}`) => `[sig-network] ${ctx} ${s} [Feature:NetworkPolicy]`

// 001
t({
  n: 1,
  slug: 'default-deny-ingress',
  title: title("should support a 'default-deny-ingress' policy"),
  policies: [np('deny-ingress', {}, ing())],
  reach: reach().expectPeer({}, { ns: 'x' }, false),
})
// 002
t({
  n: 2,
  slug: 'default-deny-all',
  title: title("should support a 'default-deny-all' policy"),
  policies: [np('deny-all', {}, both([], []))],
  reach: reach().expectPeer({}, { ns: 'x' }, false).expectPeer({ ns: 'x' }, {}, false),
})
// 004
t({
  n: 4,
  slug: 'allow-ingress-for-target',
  title: title('should enforce policy to allow ingress traffic for a target'),
  policies: [
    np('deny-all', {}, ing()),
    np(
      'allow-all-to-a',
      ml({ pod: 'a' }),
      ing({ from: [{ podSelector: {}, namespaceSelector: {} }] }),
    ),
  ],
  reach: reach().allIngress('x/a', true).allIngress('x/b', false).allIngress('x/c', false),
})
// 005
t({
  n: 5,
  slug: 'allow-ingress-from-all-namespaces',
  title: title('should enforce policy to allow ingress traffic from pods in all namespaces'),
  policies: [
    np(
      'allow-from-another-ns',
      ml({ pod: 'a' }),
      ing({ from: [{ namespaceSelector: { matchLabels: {} } }] }),
    ),
  ],
  reach: reach(),
})
// 007
t({
  n: 7,
  slug: 'podselector-matchexpressions',
  title: title('should enforce policy based on PodSelector with MatchExpressions'),
  policies: [
    np(
      'x-a-allows-x-b',
      ml({ pod: 'a' }),
      ing({
        from: [
          { podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } },
        ],
      }),
    ),
  ],
  reach: reach().allIngress('x/a', false).expect('x/b', 'x/a', true),
})
// 009
t({
  n: 9,
  slug: 'podselector-or-nsselector',
  title: title('should enforce policy based on PodSelector or NamespaceSelector'),
  policies: [
    np(
      'allow-ns-y-match-selector',
      ml({ pod: 'a' }),
      ing({
        from: [
          {
            namespaceSelector: {
              matchExpressions: [{ key: NS_KEY, operator: 'NotIn', values: ['x'] }],
            },
          },
          { podSelector: ml({ pod: 'b' }) },
        ],
      }),
    ),
  ],
  reach: reach().expect('x/a', 'x/a', false).expect('x/c', 'x/a', false),
})
// 011
t({
  n: 11,
  slug: 'multiple-podselectors-and-nsselectors',
  title: title('should enforce policy based on Multiple PodSelectors and NamespaceSelectors'),
  policies: [
    np(
      'allow-ns-y-z-pod-b-c',
      ml({ pod: 'a' }),
      ing({
        from: [
          {
            namespaceSelector: {
              matchExpressions: [{ key: NS_KEY, operator: 'NotIn', values: ['x'] }],
            },
            podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] },
          },
        ],
      }),
    ),
  ],
  reach: reach()
    .expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false)
    .expect('y/a', 'x/a', false)
    .expect('z/a', 'x/a', false),
})
// 014
const nsY81 = (proto) =>
  ing({
    from: [{ namespaceSelector: ml({ [NS_KEY]: 'y' }) }],
    ports: [{ protocol: proto, port: 81 }],
  })
const portsReach = () =>
  reach()
    .expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false)
    .expectPeer({ ns: 'y' }, { ns: 'x', pod: 'a' }, true)
    .expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false)
t({
  n: 14,
  slug: 'ports',
  title: title('should enforce policy based on Ports'),
  ports: [81],
  policies: [np('allow-client-a-via-ns-selector', ml({ pod: 'a' }), nsY81('TCP'))],
  port: 81,
  reach: portsReach(),
})
// 015-017 stacked policies
const stackedTitle = title(
  'should enforce multiple, stacked policies with overlapping podSelectors',
)
const allow81 = np('allow-client-a-via-ns-selector', ml({ pod: 'a' }), nsY81('TCP'))
const allow80 = np(
  'allow-client-a-via-ns-selector-80',
  ml({ pod: 'a' }),
  ing({
    from: [{ namespaceSelector: ml({ [NS_KEY]: 'y' }) }],
    ports: [{ protocol: 'TCP', port: 80 }],
  }),
)
t({
  n: 16,
  slug: 'stacked-overlapping-podselectors-stage1',
  title: stackedTitle,
  stage: 'Stage 1 of 2: only the port-81 policy exists',
  ports: [80, 81],
  policies: [allow81],
  port: 80,
  reach: reach().allIngress('x/a', false),
})
t({
  n: 17,
  slug: 'stacked-overlapping-podselectors-stage2',
  title: stackedTitle,
  stage: 'Stage 2 of 2: the port-80 policy is added beside the port-81 one',
  ports: [80, 81],
  policies: [allow81, allow80],
  port: 80,
  reach: portsReach(),
})
// 018-019 allow-all
for (const [n, port] of [
  [18, 80],
  [19, 81],
]) {
  t({
    n,
    slug: 'allow-all',
    title: title('should support allow-all policy'),
    ports: [80, 81],
    policies: [np('allow-all', {}, ing({}))],
    port,
    reach: reach(),
  })
}
// 021 (020 is shared): one named port, probe 80
t({
  n: 21,
  slug: 'ingress-one-named-port',
  title: title('should allow ingress access on one named port'),
  ports: [80, 81],
  policies: [np('allow-all', {}, ing({ ports: [{ port: 'serve-81-tcp' }] }))],
  port: 80,
  reach: reach().expectPeer({}, { ns: 'x' }, false),
})
// 022-023
const nsNamed = np(
  'allow-client-a-via-ns-selector-80',
  ml({ pod: 'a' }),
  ing({
    from: [{ namespaceSelector: ml({ [NS_KEY]: 'y' }) }],
    ports: [{ protocol: 'TCP', port: 'serve-80-tcp' }],
  }),
)
t({
  n: 22,
  slug: 'ingress-from-namespace-one-named-port',
  title: title('should allow ingress access from namespace on one named port'),
  ports: [80, 81],
  policies: [nsNamed],
  port: 80,
  reach: reach()
    .expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false)
    .expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false),
})
t({
  n: 23,
  slug: 'ingress-from-namespace-one-named-port',
  title: title('should allow ingress access from namespace on one named port'),
  ports: [80, 81],
  policies: [nsNamed],
  port: 81,
  reach: reach().allIngress('x/a', false),
})
// 024-025 egress named port
const egressNamed = np('allow-egress', {}, egr({ ports: [{ port: 'serve-80-tcp' }] }))
t({
  n: 24,
  slug: 'egress-one-named-port',
  title: title('should allow egress access on one named port'),
  ports: [80, 81],
  policies: [egressNamed],
  port: 80,
  reach: reach(),
})
t({
  n: 25,
  slug: 'egress-one-named-port',
  title: title('should allow egress access on one named port'),
  ports: [80, 81],
  policies: [egressNamed],
  port: 81,
  reach: reach().expectPeer({ ns: 'x' }, {}, false),
})
// 026-027 updated policy
const updTitle = title('should enforce updated policy')
t({
  n: 26,
  slug: 'updated-policy-stage1',
  title: updTitle,
  stage: 'Stage 1 of 2: allow-all ingress policy',
  ports: [81],
  policies: [np('allow-all-mutate-to-deny-all', {}, ing({}))],
  port: 81,
  reach: reach(),
})
t({
  n: 27,
  slug: 'updated-policy-stage2',
  title: updTitle,
  stage: 'Stage 2 of 2: the same policy updated to no ingress rules (deny all)',
  ports: [81],
  policies: [np('allow-all-mutate-to-deny-all', {}, ing())],
  port: 81,
  reach: reach().expectPeer({}, { ns: 'x' }, false),
})
// 029 updated namespace, stage 2
t({
  n: 29,
  slug: 'ingress-from-updated-namespace-stage2',
  title: title('should allow ingress access from updated namespace'),
  stage: 'Stage 2 of 2: namespace y now carries ns2=updated',
  nsLabels: { y: { ns2: 'updated' } },
  policies: [
    np(
      'allow-client-a-via-ns-selector',
      ml({ pod: 'a' }),
      ing({ from: [{ namespaceSelector: ml({ ns2: 'updated' }) }] }),
    ),
  ],
  reach: reach().allIngress('x/a', false).expectPeer({ ns: 'y' }, {}, true),
})
// 030-031 updated pod
const updPod = np(
  'allow-client-a-via-pod-selector',
  ml({ pod: 'a' }),
  ing({ from: [{ podSelector: ml({ pod: 'b', pod2: 'updated' }) }] }),
)
t({
  n: 30,
  slug: 'ingress-from-updated-pod-stage1',
  title: title('should allow ingress access from updated pod'),
  stage: 'Stage 1 of 2: x/b does not yet carry pod2=updated',
  policies: [updPod],
  reach: reach().allIngress('x/a', false),
})
t({
  n: 31,
  slug: 'ingress-from-updated-pod-stage2',
  title: title('should allow ingress access from updated pod'),
  stage: 'Stage 2 of 2: x/b now carries pod2=updated',
  podLabels: { 'x/b': { pod2: 'updated' } },
  policies: [updPod],
  reach: reach().allIngress('x/a', false).expect('x/b', 'x/a', true),
})
// 032
t({
  n: 32,
  slug: 'deny-ingress-from-other-namespaces',
  title: title('should deny ingress from pods on other namespaces'),
  policies: [np('deny-empty-policy', {}, ing({ from: [{ podSelector: { matchLabels: {} } }] }))],
  reach: reach()
    .expectPeer({ ns: 'y' }, { ns: 'x' }, false)
    .expectPeer({ ns: 'z' }, { ns: 'x' }, false),
})
// 033-034 deny ingress to updated pod
const isolate = np('deny-ingress-via-label-selector', ml({ target: 'isolated' }), ing())
t({
  n: 33,
  slug: 'deny-ingress-to-updated-pod-stage1',
  title: title('should deny ingress access to updated pod'),
  stage: 'Stage 1 of 2: x/a does not yet carry target=isolated',
  policies: [isolate],
  reach: reach(),
})
t({
  n: 34,
  slug: 'deny-ingress-to-updated-pod-stage2',
  title: title('should deny ingress access to updated pod'),
  stage: 'Stage 2 of 2: x/a now carries target=isolated',
  podLabels: { 'x/a': { target: 'isolated' } },
  policies: [isolate],
  reach: reach().allIngress('x/a', false),
})
// 037-038 ingress and egress together
const together = np('allow-client-a-via-pod-selector', ml({ pod: 'a' }), {
  policyTypes: ['Egress', 'Ingress'],
  ingress: [{ from: [{ podSelector: ml({ pod: 'b' }) }] }],
  egress: [{ ports: [{ port: 80 }] }],
})
t({
  n: 37,
  slug: 'ingress-egress-together',
  title: title('should work with Ingress, Egress specified together'),
  ports: [80, 81],
  policies: [together],
  port: 80,
  reach: reach().allIngress('x/a', false).expect('x/b', 'x/a', true),
})
t({
  n: 38,
  slug: 'ingress-egress-together',
  title: title('should work with Ingress, Egress specified together'),
  ports: [80, 81],
  policies: [together],
  port: 81,
  reach: reach().allIngress('x/a', false).allEgress('x/a', false).expect('x/b', 'x/a', true),
})
// 039
const fromXA = ing({
  from: [{ namespaceSelector: ml({ [NS_KEY]: 'x' }), podSelector: ml({ pod: 'a' }) }],
})
t({
  n: 39,
  slug: 'deny-egress-client-side-over-server-allow',
  title: title(
    'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
  ),
  policies: [
    np(
      'allow-to-ns-y-pod-a',
      ml({ pod: 'a' }),
      egr({ to: [{ namespaceSelector: ml({ [NS_KEY]: 'y' }), podSelector: ml({ pod: 'a' }) }] }),
    ),
    np('allow-from-xa-on-ya-match-selector', ml({ pod: 'a' }), fromXA, 'y'),
    np('allow-from-xa-on-yb-match-selector', ml({ pod: 'b' }), fromXA, 'y'),
  ],
  reach: reach()
    .expectPeer({ ns: 'x', pod: 'a' }, {}, false)
    .expectPeer({}, { ns: 'y', pod: 'a' }, false)
    .expectPeer({ ns: 'x', pod: 'a' }, { ns: 'y', pod: 'a' }, true)
    .expectPeer({}, { ns: 'y', pod: 'b' }, false),
})
// 043-046 allow-all precedence
const only80In = np('allow-ingress-port-80', {}, ing({ ports: [{ port: 80 }] }))
t({
  n: 43,
  slug: 'multiple-ingress-allow-all-precedence-stage1',
  title: title(
    'should enforce multiple ingress policies with ingress allow-all policy taking precedence',
  ),
  stage: 'Stage 1 of 2: only the port-80 ingress policy exists',
  ports: [81],
  policies: [only80In],
  port: 81,
  reach: reach().expectPeer({}, { ns: 'x' }, false),
})
t({
  n: 44,
  slug: 'multiple-ingress-allow-all-precedence-stage2',
  title: title(
    'should enforce multiple ingress policies with ingress allow-all policy taking precedence',
  ),
  stage: 'Stage 2 of 2: an allow-all ingress policy is added',
  ports: [81],
  policies: [only80In, np('allow-ingress', {}, ing({}))],
  port: 81,
  reach: reach(),
})
const only80Out = np('allow-egress-port-80', {}, egr({ ports: [{ port: 80 }] }))
t({
  n: 45,
  slug: 'multiple-egress-allow-all-precedence-stage1',
  title: title(
    'should enforce multiple egress policies with egress allow-all policy taking precedence',
  ),
  stage: 'Stage 1 of 2: only the port-80 egress policy exists',
  ports: [81],
  policies: [only80Out],
  port: 81,
  reach: reach().expectPeer({ ns: 'x' }, {}, false),
})
t({
  n: 46,
  slug: 'multiple-egress-allow-all-precedence-stage2',
  title: title(
    'should enforce multiple egress policies with egress allow-all policy taking precedence',
  ),
  stage: 'Stage 2 of 2: an allow-all egress policy is added',
  ports: [81],
  policies: [only80Out, np('allow-egress', {}, egr({}))],
  port: 81,
  reach: reach(),
})
// 047-048 deleted policies
t({
  n: 47,
  slug: 'stop-enforcing-after-delete-stage1',
  title: title('should stop enforcing policies after they are deleted'),
  stage: 'Stage 1 of 2: deny-all ingress and egress in x',
  policies: [np('deny-all', {}, both([], []))],
  reach: reach().expectPeer({ ns: 'x' }, {}, false).expectPeer({}, { ns: 'x' }, false),
})
t({
  n: 48,
  slug: 'stop-enforcing-after-delete-stage2',
  title: title('should stop enforcing policies after they are deleted'),
  stage: 'Stage 2 of 2: all policies deleted',
  policies: [],
  reach: reach(),
})
// 049-050 CIDR
t({
  n: 49,
  slug: 'egress-to-cidr',
  title: title('should allow egress access to server in CIDR block'),
  policies: [
    np(
      'allow-client-a-via-cidr-egress-rule',
      ml({ pod: 'a' }),
      egr({ to: [{ ipBlock: { cidr: '192.168.2.2/32' } }] }),
    ),
  ],
  reach: reach().allEgress('x/a', false).expect('x/a', 'y/b', true),
})
t({
  n: 50,
  slug: 'egress-cidr-except',
  title: title('should enforce except clause while egress access to server in CIDR block'),
  policies: [
    np(
      'allow-client-a-via-cidr-egress-rule',
      ml({ pod: 'a' }),
      egr({ to: [{ ipBlock: { cidr: '192.0.0.0/4', except: ['192.168.1.2/32'] } }] }),
    ),
  ],
  reach: reach().expect('x/a', 'x/b', false),
})
// 053 independent, stage 1
t({
  n: 53,
  slug: 'ingress-egress-independent-stage1',
  title: title(
    'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector',
  ),
  stage: 'Stage 1 of 2: allow-egress policy for x/a only',
  policies: [np('allow-egress-for-target', ml({ pod: 'a' }), egr({}))],
  reach: reach(),
})
// 055-057 protocol confusion
t({
  n: 55,
  slug: 'sctp-not-treated-as-tcp',
  title: title(
    "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
  ),
  ports: [81],
  policies: [
    np('deny-ingress', {}, ing()),
    np(
      'allow-only-sctp-ingress-on-port-81',
      ml({ pod: 'a' }),
      ing({ ports: [{ port: 81, protocol: 'SCTP' }] }),
    ),
  ],
  port: 81,
  reach: reach().expectPeer({}, { ns: 'x' }, false),
})
t({
  n: 56,
  slug: 'sctp-policy-isolates',
  title: title(
    "should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
  ),
  ports: [81],
  policies: [
    np(
      'allow-only-sctp-ingress-on-port-80',
      ml({ pod: 'a' }),
      ing({ ports: [{ port: 80, protocol: 'SCTP' }] }),
    ),
  ],
  port: 81,
  reach: reach().allIngress('x/a', false),
})
t({
  n: 57,
  slug: 'tcp-denied-when-policy-udp-only',
  title: title('should not allow access by TCP when a policy specifies only UDP'),
  ports: [81],
  policies: [
    np(
      'allow-only-udp-ingress-on-port-81',
      ml({ pod: 'a' }),
      ing({ ports: [{ port: 81, protocol: 'UDP' }] }),
    ),
  ],
  port: 81,
  reach: reach().allIngress('x/a', false),
})
// 058-059 default namespace label
t({
  n: 58,
  slug: 'nsselector-default-ns-label',
  title: title(
    'should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label',
  ),
  policies: [
    np(
      'allow-client-a-via-ns-selector-for-immutable-ns-label',
      ml({ pod: 'a' }),
      ing({ from: [{ namespaceSelector: ml({ [NS_KEY]: 'y' }) }] }),
    ),
  ],
  reach: reach()
    .expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false)
    .expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false),
})
t({
  n: 59,
  slug: 'nsselector-matchexpressions-default-ns-label',
  title: title(
    'should enforce policy based on NamespaceSelector with MatchExpressions using default ns label',
  ),
  policies: [
    np(
      'allow-ns-y-match-selector-for-immutable-ns-label',
      ml({ pod: 'a' }),
      egr({
        to: [
          {
            namespaceSelector: {
              matchExpressions: [{ key: NS_KEY, operator: 'NotIn', values: ['y'] }],
            },
          },
        ],
      }),
    ),
  ],
  reach: reach().expectPeer({ ns: 'x', pod: 'a' }, { ns: 'y' }, false),
})
// 060 UDP default deny, 063-064 SCTP
t({
  n: 60,
  slug: 'udp-default-deny-ingress',
  title: title("should support a 'default-deny-ingress' policy", TU),
  protocols: ['UDP'],
  policies: [np('deny-all', {}, ing())],
  proto: 'UDP',
  reach: reach().expectPeer({}, { ns: 'x' }, false),
})
t({
  n: 63,
  slug: 'sctp-default-deny-ingress',
  title: title("should support a 'default-deny-ingress' policy", TS),
  protocols: ['SCTP'],
  policies: [np('deny-all', {}, ing())],
  proto: 'SCTP',
  reach: reach().expectPeer({}, { ns: 'x' }, false),
})
t({
  n: 64,
  slug: 'sctp-ports',
  title: title('should enforce policy based on Ports', TS),
  protocols: ['SCTP'],
  ports: [81],
  policies: [np('allow-ingress-on-port-81-ns-x', ml({ pod: 'a' }), nsY81('SCTP'))],
  proto: 'SCTP',
  port: 81,
  reach: reach()
    .expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false)
    .expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false),
})

function q(s) {
  return JSON.stringify(s)
}

function render(o) {
  const ports = o.ports ?? [80]
  const protocols = o.protocols ?? ['TCP']
  const proto = o.proto ?? 'TCP'
  const port = o.port ?? 80
  const lines = [
    '# Kubernetes NetworkPolicy e2e conformance scenario (data derived from the upstream test suite).',
    `# Source: kubernetes/kubernetes test/e2e/network/netpol/network_policy.go @ ${UPSTREAM}`,
    `# Test: ${o.title}`,
  ]
  if (o.stage) lines.push(`# ${o.stage}`)
  lines.push(
    `# Probe: ${proto}/${port} for every ordered pair of the 9 model pods, pod-to-self pairs excluded`,
    "#   (the e2e ignores loopback results). expect = the e2e's expected reachability matrix.",
    `# Model for this test: pods serve ports [${ports.join(', ')}] x protocols [${protocols.join(', ')}].`,
    '# Generated by packages/policy-core/scripts/gen-k8s-netpol-e2e.mjs.',
    'namespaces:',
  )
  for (const n of NS) {
    const labels = { [NS_KEY]: n, ...(o.nsLabels?.[n] ?? {}) }
    const ls = Object.entries(labels)
      .map(([k, v]) => `${k}: ${q(v)}`)
      .join(', ')
    lines.push(`  - name: ${q(n)}`, `    labels: {${ls}}`)
  }
  lines.push('endpoints:')
  NS.forEach((n, ni) => {
    PODS.forEach((p, pi) => {
      const labels = { pod: p, ...(o.podLabels?.[`${n}/${p}`] ?? {}) }
      const ls = Object.entries(labels)
        .map(([k, v]) => `${k}: ${q(v)}`)
        .join(', ')
      lines.push(
        `  - name: ${q(p)}`,
        `    namespace: ${q(n)}`,
        '    kind: workload',
        `    labels: {${ls}}`,
        `    ips: ["192.168.${ni + 1}.${pi + 1}"]`,
        '    ports:',
      )
      for (const pt of ports)
        for (const pr of protocols)
          lines.push(
            `      - {name: serve-${pt}-${pr.toLowerCase()}, port: ${pt}, protocol: ${pr}}`,
          )
    })
  })
  if (o.policies.length > 0) {
    lines.push('resources: |')
    const docs = o.policies.map((p) => stringify(p, { lineWidth: 0 }).trimEnd())
    for (const l of docs.join('\n---\n').split('\n')) lines.push(`  ${l}`)
  } else {
    lines.push('resources: ""')
  }
  lines.push('flows:')
  for (const f of o.reach.all)
    for (const d of o.reach.all) {
      if (f === d) continue
      const v = o.reach.m.get(`${f}>${d}`) ? 'Allow' : 'Deny'
      lines.push(
        `  - {id: "${f}->${d} ${proto}/${port}", source: {endpoint: ${f}}, destination: {endpoint: ${d}}, protocol: ${proto}, port: ${port}, expect: ${v}}`,
      )
    }
  return `${lines.join('\n')}\n`
}

mkdirSync(outDir, { recursive: true })
const shared = existsSync(sharedDir) ? readdirSync(sharedDir) : []
let written = 0
for (const o of tests) {
  const num = String(o.n).padStart(3, '0')
  if (shared.some((f) => f.startsWith(`${num}-`))) continue
  const name = `${num}-${o.slug}-${(o.proto ?? 'TCP').toLowerCase()}${o.port ?? 80}.yaml`
  writeFileSync(join(outDir, name), render(o))
  written += 1
}
console.log(`wrote ${written} scenarios to ${outDir}`)
