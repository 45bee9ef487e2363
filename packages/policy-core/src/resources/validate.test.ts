import { describe, expect, it } from 'vitest'
import type { ErrorCode } from '../errors.ts'
import type { Resource } from './types.ts'
import { loadResources, validateResource, validateResources } from './validate.ts'

const V3 = 'projectcalico.org/v3'

function np(spec: unknown, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: V3,
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace: 'ns', ...metadata },
    spec,
  }
}
function gnp(spec: unknown, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: V3, kind: 'GlobalNetworkPolicy', metadata: { name: 'p', ...metadata }, spec }
}
function ingress(rule: unknown): Record<string, unknown> {
  return np({ ingress: [rule] })
}
function egress(rule: unknown): Record<string, unknown> {
  return np({ egress: [rule] })
}
function knp(spec: unknown, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'k', namespace: 'ns', ...metadata },
    spec,
  }
}
function other(
  kind: string,
  spec: unknown,
  metadata: Record<string, unknown> = { name: 'x' },
): Record<string, unknown> {
  return { apiVersion: V3, kind, metadata, spec }
}

function valid(raw: unknown): Resource {
  const r = validateResource(raw)
  if (!r.ok) throw new Error(r.errors.map(String).join('\n'))
  return r.value
}

// Each row: why it is invalid, the document, and the exact (field, code) errors expected.
const INVALID: Array<[string, unknown, Array<[string, ErrorCode]>]> = [
  // ---- kind and top level ----
  ['not an object', 'hello', [['', 'INVALID_TYPE']]],
  ['unknown Calico kind', other('Profile', {}), [['kind', 'UNKNOWN_KIND']]],
  [
    'unknown apiVersion',
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } },
    [['apiVersion', 'UNKNOWN_KIND']],
  ],
  [
    'k8s apiVersion with a non-policy kind',
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'a' } },
    [['kind', 'UNKNOWN_KIND']],
  ],
  ['missing kind', { apiVersion: V3, metadata: { name: 'a' } }, [['kind', 'REQUIRED_FIELD']]],
  ['unknown top-level field', { ...np({}), extra: 1 }, [['extra', 'UNKNOWN_FIELD']]],
  ['spec is a list', np([]), [['spec', 'INVALID_TYPE']]],
  // ---- names (§2.1) ----
  [
    'missing metadata',
    { apiVersion: V3, kind: 'Tier', spec: {} },
    [['metadata', 'REQUIRED_FIELD']],
  ],
  ['missing name', other('Tier', {}, {}), [['metadata.name', 'REQUIRED_FIELD']]],
  // YAML reads `name: 123` as a number.
  ['numeric name', other('Tier', {}, { name: 123 }), [['metadata.name', 'INVALID_TYPE']]],
  ['uppercase in a policy name', np({}, { name: 'Web' }), [['metadata.name', 'INVALID_NAME']]],
  [
    'underscore in a policy name',
    np({}, { name: 'my_policy' }),
    [['metadata.name', 'INVALID_NAME']],
  ],
  [
    'two dots in a NetworkPolicy name',
    np({ tier: 'a' }, { name: 'a.b.c' }),
    [['metadata.name', 'INVALID_NAME']],
  ],
  [
    'two dots in a GNP name (knp-style names are NP-only)',
    gnp({}, { name: 'knp.default.x' }),
    [['metadata.name', 'INVALID_NAME']],
  ],
  [
    'policy name over 253 characters',
    np({}, { name: 'a'.repeat(254) }),
    [['metadata.name', 'INVALID_NAME']],
  ],
  ['dot in a tier name', other('Tier', {}, { name: 'a.b' }), [['metadata.name', 'INVALID_NAME']]],
  [
    'tier name over 63 characters',
    other('Tier', {}, { name: 'a'.repeat(64) }),
    [['metadata.name', 'INVALID_NAME']],
  ],
  [
    'uppercase in a network set name',
    other('GlobalNetworkSet', {}, { name: 'Public' }),
    [['metadata.name', 'INVALID_NAME']],
  ],
  [
    'global kind with a namespace',
    gnp({}, { namespace: 'ns' }),
    [['metadata.namespace', 'INVALID_VALUE']],
  ],
  ['unknown metadata field', np({}, { owner: 'me' }), [['metadata.owner', 'UNKNOWN_FIELD']]],
  [
    'bad label key',
    np({}, { labels: { 'a b': 'x' } }),
    [["metadata.labels['a b']", 'INVALID_VALUE']],
  ],
  ['bad label value', np({}, { labels: { a: 'x y' } }), [['metadata.labels.a', 'INVALID_VALUE']]],
  ['non-string label value', np({}, { labels: { a: 1 } }), [['metadata.labels.a', 'INVALID_TYPE']]],
  // ---- tier prefix ----
  [
    'prefix contradicts spec.tier',
    np({ tier: 'security' }, { name: 'other.p' }),
    [['metadata.name', 'INVALID_NAME']],
  ],
  [
    'prefixed name in the default tier',
    gnp({}, { name: 'security.p' }),
    [['metadata.name', 'INVALID_NAME']],
  ],
  // ---- policy spec (§2.3) ----
  ['unknown spec field', np({ selectr: 'a' }), [['spec.selectr', 'UNKNOWN_FIELD']]],
  [
    'namespaceSelector on a namespaced policy',
    np({ namespaceSelector: 'a' }),
    [['spec.namespaceSelector', 'UNKNOWN_FIELD']],
  ],
  [
    'doNotTrack on a namespaced policy',
    np({ doNotTrack: true }),
    [['spec.doNotTrack', 'UNKNOWN_FIELD']],
  ],
  ['order is a string', np({ order: '100' }), [['spec.order', 'INVALID_TYPE']]],
  ['tier with a dot', np({ tier: 'a.b' }), [['spec.tier', 'INVALID_NAME']]],
  ['bad selector syntax', np({ selector: "app == 'x" }), [['spec.selector', 'SELECTOR_SYNTAX']]],
  [
    'global() in a policy selector',
    np({ selector: 'global()' }),
    [['spec.selector', 'INVALID_VALUE']],
  ],
  [
    'global() in a serviceAccountSelector',
    np({ serviceAccountSelector: 'global()' }),
    [['spec.serviceAccountSelector', 'INVALID_VALUE']],
  ],
  [
    'global() in a GNP namespaceSelector',
    gnp({ namespaceSelector: 'global()' }),
    [['spec.namespaceSelector', 'INVALID_VALUE']],
  ],
  [
    'selector over 1024 characters',
    np({ selector: `a == '${'x'.repeat(1100)}'` }),
    [['spec.selector', 'INVALID_VALUE']],
  ],
  ['unknown type', np({ types: ['Ingres'] }), [['spec.types[0]', 'INVALID_VALUE']]],
  ['duplicate type', np({ types: ['Ingress', 'Ingress'] }), [['spec.types', 'INVALID_VALUE']]],
  [
    'three types',
    np({ types: ['Ingress', 'Egress', 'Ingress'] }),
    [
      ['spec.types', 'INVALID_VALUE'],
      ['spec.types', 'INVALID_VALUE'],
    ],
  ],
  [
    'ingress is not a list',
    np({ ingress: { action: 'Allow' } }),
    [['spec.ingress', 'INVALID_TYPE']],
  ],
  [
    'too many rules',
    np({ ingress: Array.from({ length: 1025 }, () => ({ action: 'Allow' })) }),
    [['spec.ingress', 'INVALID_VALUE']],
  ],
  [
    'unknown performance hint',
    np({ performanceHints: ['Fast'] }),
    [['spec.performanceHints[0]', 'INVALID_VALUE']],
  ],
  [
    'preDNAT with doNotTrack',
    gnp({ preDNAT: true, doNotTrack: true, applyOnForward: true }),
    [['spec.preDNAT', 'INVALID_VALUE']],
  ],
  [
    'preDNAT with egress rules',
    gnp({ preDNAT: true, applyOnForward: true, egress: [{ action: 'Allow' }] }),
    [
      ['spec.egress', 'INVALID_VALUE'],
      ['spec.types', 'INVALID_VALUE'],
    ],
  ],
  [
    'preDNAT with Egress type',
    gnp({ preDNAT: true, applyOnForward: true, types: ['Egress'] }),
    [['spec.types', 'INVALID_VALUE']],
  ],
  [
    'doNotTrack without applyOnForward',
    gnp({ doNotTrack: true }),
    [['spec.applyOnForward', 'INVALID_VALUE']],
  ],
  [
    'applyOnForward not a boolean',
    gnp({ applyOnForward: 'yes' }),
    [['spec.applyOnForward', 'INVALID_TYPE']],
  ],
  // ---- staged (§2.4) ----
  [
    'unknown stagedAction',
    other('StagedNetworkPolicy', { stagedAction: 'Apply' }, { name: 'p', namespace: 'ns' }),
    [['spec.stagedAction', 'INVALID_VALUE']],
  ],
  [
    'Delete with a selector',
    other(
      'StagedGlobalNetworkPolicy',
      { stagedAction: 'Delete', selector: 'a == "b"' },
      { name: 'p' },
    ),
    [['spec.selector', 'INVALID_VALUE']],
  ],
  [
    'Delete with rules',
    other(
      'StagedNetworkPolicy',
      { stagedAction: 'Delete', tier: 'default', egress: [{ action: 'Deny' }] },
      { name: 'p', namespace: 'ns' },
    ),
    [['spec.egress', 'INVALID_VALUE']],
  ],
  [
    'SKNP Delete with a podSelector',
    other(
      'StagedKubernetesNetworkPolicy',
      { stagedAction: 'Delete', podSelector: { matchLabels: { a: 'b' } } },
      { name: 'p', namespace: 'ns' },
    ),
    [['spec.podSelector', 'INVALID_VALUE']],
  ],
  [
    'stagedAction on an enforced policy',
    np({ stagedAction: 'Set' }),
    [['spec.stagedAction', 'UNKNOWN_FIELD']],
  ],
  // ---- rules (§2.5) ----
  [
    'rule without action',
    ingress({ protocol: 'TCP' }),
    [['spec.ingress[0].action', 'REQUIRED_FIELD']],
  ],
  ['lowercase action', ingress({ action: 'allow' }), [['spec.ingress[0].action', 'INVALID_VALUE']]],
  [
    'unknown rule field',
    ingress({ action: 'Allow', port: 80 }),
    [['spec.ingress[0].port', 'UNKNOWN_FIELD']],
  ],
  [
    'lowercase protocol name',
    ingress({ action: 'Allow', protocol: 'tcp' }),
    [['spec.ingress[0].protocol', 'INVALID_VALUE']],
  ],
  [
    'protocol 0',
    ingress({ action: 'Allow', protocol: 0 }),
    [['spec.ingress[0].protocol', 'INVALID_VALUE']],
  ],
  [
    'protocol 256',
    ingress({ action: 'Allow', notProtocol: '256' }),
    [['spec.ingress[0].notProtocol', 'INVALID_VALUE']],
  ],
  [
    'ipVersion 5',
    ingress({ action: 'Allow', ipVersion: 5 }),
    [['spec.ingress[0].ipVersion', 'INVALID_VALUE']],
  ],
  [
    'icmp without protocol',
    ingress({ action: 'Allow', icmp: { type: 8 } }),
    [['spec.ingress[0].icmp', 'INVALID_VALUE']],
  ],
  [
    'notICMP with TCP',
    ingress({ action: 'Allow', protocol: 'TCP', notICMP: { type: 8 } }),
    [['spec.ingress[0].notICMP', 'INVALID_VALUE']],
  ],
  [
    'icmp type 255',
    ingress({ action: 'Allow', protocol: 'ICMP', icmp: { type: 255 } }),
    [['spec.ingress[0].icmp.type', 'INVALID_VALUE']],
  ],
  [
    'icmp code 256',
    ingress({ action: 'Allow', protocol: 'ICMP', icmp: { type: 3, code: 256 } }),
    [['spec.ingress[0].icmp.code', 'INVALID_VALUE']],
  ],
  [
    'icmp code without type',
    ingress({ action: 'Allow', protocol: 'ICMP', icmp: { code: 1 } }),
    [['spec.ingress[0].icmp.type', 'REQUIRED_FIELD']],
  ],
  [
    'unknown icmp field',
    ingress({ action: 'Allow', protocol: 'ICMP', icmp: { kind: 1 } }),
    [['spec.ingress[0].icmp.kind', 'UNKNOWN_FIELD']],
  ],
  [
    'ICMP with ipVersion 6',
    ingress({ action: 'Allow', protocol: 'ICMP', ipVersion: 6 }),
    [['spec.ingress[0].ipVersion', 'INVALID_VALUE']],
  ],
  [
    'ICMPv6 (as 58) with ipVersion 4',
    ingress({ action: 'Allow', notProtocol: 58, ipVersion: 4 }),
    [['spec.ingress[0].ipVersion', 'INVALID_VALUE']],
  ],
  [
    'numeric port without protocol',
    ingress({ action: 'Allow', destination: { ports: [80] } }),
    [['spec.ingress[0].destination.ports', 'INVALID_VALUE']],
  ],
  [
    'port range with ICMP',
    ingress({ action: 'Allow', protocol: 'ICMP', source: { notPorts: ['1:2'] } }),
    [['spec.ingress[0].source.notPorts', 'INVALID_VALUE']],
  ],
  [
    'port 0',
    ingress({ action: 'Allow', protocol: 'TCP', destination: { ports: [0] } }),
    [['spec.ingress[0].destination.ports[0]', 'INVALID_VALUE']],
  ],
  [
    'port 65536',
    ingress({ action: 'Allow', protocol: 'TCP', destination: { ports: ['65536'] } }),
    [['spec.ingress[0].destination.ports[0]', 'INVALID_VALUE']],
  ],
  [
    'range min > max',
    ingress({ action: 'Allow', protocol: 'TCP', destination: { ports: ['90:80'] } }),
    [['spec.ingress[0].destination.ports[0]', 'INVALID_VALUE']],
  ],
  [
    'named port with uppercase',
    ingress({ action: 'Allow', protocol: 'TCP', destination: { ports: ['HTTP'] } }),
    [['spec.ingress[0].destination.ports[0]', 'INVALID_VALUE']],
  ],
  [
    'named port longer than 15',
    ingress({
      action: 'Allow',
      protocol: 'TCP',
      destination: { ports: ['a-very-long-port-name'] },
    }),
    [['spec.ingress[0].destination.ports[0]', 'INVALID_VALUE']],
  ],
  [
    'named port of digits and dashes only',
    ingress({ action: 'Allow', protocol: 'TCP', destination: { ports: ['80-90'] } }),
    [['spec.ingress[0].destination.ports[0]', 'INVALID_VALUE']],
  ],
  [
    'more than 50 ports',
    ingress({
      action: 'Allow',
      protocol: 'TCP',
      destination: { ports: Array.from({ length: 51 }, (_, i) => i + 1) },
    }),
    [['spec.ingress[0].destination.ports', 'INVALID_VALUE']],
  ],
  [
    'bad CIDR',
    ingress({ action: 'Allow', source: { nets: ['10.0.0.0/33'] } }),
    [['spec.ingress[0].source.nets[0]', 'INVALID_VALUE']],
  ],
  [
    'not an address',
    ingress({ action: 'Allow', source: { nets: ['example.com'] } }),
    [['spec.ingress[0].source.nets[0]', 'INVALID_VALUE']],
  ],
  [
    'more than 256 nets',
    ingress({
      action: 'Allow',
      source: { nets: Array.from({ length: 257 }, (_, i) => `10.0.${i >> 8}.${i & 255}`) },
    }),
    [['spec.ingress[0].source.nets', 'INVALID_VALUE']],
  ],
  [
    'IPv4 and IPv6 in one list',
    ingress({ action: 'Allow', source: { nets: ['10.0.0.0/8', 'fd00::/8'] } }),
    [['spec.ingress[0].source.nets', 'INVALID_VALUE']],
  ],
  [
    'IPv4 source and IPv6 destination',
    ingress({
      action: 'Allow',
      source: { nets: ['10.0.0.0/8'] },
      destination: { notNets: ['fd00::/8'] },
    }),
    [['spec.ingress[0].destination.notNets', 'INVALID_VALUE']],
  ],
  [
    'ipVersion disagrees with the CIDRs',
    ingress({ action: 'Allow', ipVersion: 6, source: { nets: ['10.0.0.0/8'] } }),
    [['spec.ingress[0].source.nets', 'INVALID_VALUE']],
  ],
  [
    'catch-all notNets',
    ingress({ action: 'Allow', source: { notNets: ['0.0.0.0/0'] } }),
    [['spec.ingress[0].source.notNets[0]', 'INVALID_VALUE']],
  ],
  [
    'catch-all IPv6 notNets',
    egress({ action: 'Allow', destination: { notNets: ['::/0'] } }),
    [['spec.egress[0].destination.notNets[0]', 'INVALID_VALUE']],
  ],
  [
    'bad rule selector',
    ingress({ action: 'Allow', source: { selector: 'a ==' } }),
    [['spec.ingress[0].source.selector', 'SELECTOR_SYNTAX']],
  ],
  [
    'bad notSelector',
    ingress({ action: 'Allow', source: { notSelector: '&&' } }),
    [['spec.ingress[0].source.notSelector', 'SELECTOR_SYNTAX']],
  ],
  [
    'global() in a rule selector',
    ingress({ action: 'Allow', source: { selector: 'global()' } }),
    [['spec.ingress[0].source.selector', 'INVALID_VALUE']],
  ],
  [
    'global() combined in a namespaceSelector',
    ingress({ action: 'Allow', source: { namespaceSelector: "global() && a == 'b'" } }),
    [['spec.ingress[0].source.namespaceSelector', 'INVALID_VALUE']],
  ],
  [
    'bad service-account selector',
    ingress({ action: 'Allow', source: { serviceAccounts: { selector: '(' } } }),
    [['spec.ingress[0].source.serviceAccounts.selector', 'SELECTOR_SYNTAX']],
  ],
  [
    'unknown entity field',
    ingress({ action: 'Allow', source: { net: ['10.0.0.0/8'] } }),
    [['spec.ingress[0].source.net', 'UNKNOWN_FIELD']],
  ],
  [
    'unknown serviceAccounts field',
    ingress({ action: 'Allow', source: { serviceAccounts: { name: 'x' } } }),
    [['spec.ingress[0].source.serviceAccounts.name', 'UNKNOWN_FIELD']],
  ],
  [
    'services with a selector',
    egress({ action: 'Allow', destination: { services: { name: 's' }, selector: 'a == "b"' } }),
    [['spec.egress[0].destination.services', 'INVALID_VALUE']],
  ],
  [
    'services without a name',
    egress({ action: 'Allow', destination: { services: { namespace: 'x' } } }),
    [['spec.egress[0].destination.services.name', 'REQUIRED_FIELD']],
  ],
  [
    'services in an egress source',
    egress({ action: 'Allow', source: { services: { name: 's' } } }),
    [['spec.egress[0].source.services', 'INVALID_VALUE']],
  ],
  [
    'services in an ingress destination',
    ingress({ action: 'Allow', destination: { services: { name: 's' } } }),
    [['spec.ingress[0].destination.services', 'INVALID_VALUE']],
  ],
  [
    'destination ports beside services',
    egress({
      action: 'Allow',
      protocol: 'TCP',
      destination: { services: { name: 's' }, ports: [80] },
    }),
    [['spec.egress[0].destination.ports', 'INVALID_VALUE']],
  ],
  [
    'GNP services without namespace',
    gnp({ egress: [{ action: 'Allow', destination: { services: { name: 's' } } }] }),
    [['spec.egress[0].destination.services.namespace', 'REQUIRED_FIELD']],
  ],
  [
    'http on a Deny rule',
    ingress({ action: 'Deny', http: { methods: ['GET'] } }),
    [['spec.ingress[0].http', 'INVALID_VALUE']],
  ],
  [
    'http with UDP',
    ingress({ action: 'Allow', protocol: 'UDP', http: { methods: ['GET'] } }),
    [['spec.ingress[0].protocol', 'INVALID_VALUE']],
  ],
  [
    'http on egress',
    egress({ action: 'Allow', http: { methods: ['GET'] } }),
    [['spec.egress[0].http', 'INVALID_VALUE']],
  ],
  [
    'http path with exact and prefix',
    ingress({ action: 'Allow', http: { paths: [{ exact: '/', prefix: '/' }] } }),
    [['spec.ingress[0].http.paths[0]', 'INVALID_VALUE']],
  ],
  [
    'unknown rule metadata field',
    ingress({ action: 'Allow', metadata: { labels: {} } }),
    [['spec.ingress[0].metadata.labels', 'UNKNOWN_FIELD']],
  ],
  // ---- Tier (§2.2) ----
  [
    'tier defaultAction Allow',
    other('Tier', { defaultAction: 'Allow' }),
    [['spec.defaultAction', 'INVALID_VALUE']],
  ],
  ['tier order is a string', other('Tier', { order: 'first' }), [['spec.order', 'INVALID_TYPE']]],
  [
    'default tier with another order',
    other('Tier', { order: 5 }, { name: 'default' }),
    [['spec.order', 'INVALID_VALUE']],
  ],
  [
    'kube-admin tier with defaultAction Deny',
    other('Tier', { order: 1000, defaultAction: 'Deny' }, { name: 'kube-admin' }),
    [['spec.defaultAction', 'INVALID_VALUE']],
  ],
  ['unknown tier field', other('Tier', { action: 'Pass' }), [['spec.action', 'UNKNOWN_FIELD']]],
  // ---- other resources (§2.6, §5) ----
  [
    'network set with a bad CIDR',
    other('GlobalNetworkSet', { nets: ['10.0.0.300/32'] }),
    [['spec.nets[0]', 'INVALID_VALUE']],
  ],
  [
    'network set with the reserved namespace label',
    other(
      'NetworkSet',
      {},
      { name: 'x', namespace: 'ns', labels: { 'projectcalico.org/namespace': 'ns' } },
    ),
    [["metadata.labels['projectcalico.org/namespace']", 'INVALID_VALUE']],
  ],
  [
    // Calico refuses the reserved label on both network set kinds.
    'global network set with the reserved namespace label',
    other('GlobalNetworkSet', {}, { name: 'x', labels: { 'projectcalico.org/namespace': 'ns' } }),
    [["metadata.labels['projectcalico.org/namespace']", 'INVALID_VALUE']],
  ],
  [
    'host endpoint without node',
    other('HostEndpoint', { interfaceName: 'eth0' }),
    [['spec.node', 'REQUIRED_FIELD']],
  ],
  [
    'host endpoint without interface or IPs',
    other('HostEndpoint', { node: 'n1' }),
    [['spec', 'REQUIRED_FIELD']],
  ],
  [
    'host endpoint with a bad IP',
    other('HostEndpoint', { node: 'n1', expectedIPs: ['10.0.0.0/8'] }),
    [['spec.expectedIPs[0]', 'INVALID_VALUE']],
  ],
  [
    'host endpoint port with ICMP',
    other('HostEndpoint', {
      node: 'n1',
      interfaceName: 'eth0',
      ports: [{ name: 'p', protocol: 'ICMP', port: 1 }],
    }),
    [['spec.ports[0].protocol', 'INVALID_VALUE']],
  ],
  // ---- Kubernetes NetworkPolicy ----
  [
    'knp unknown spec field',
    knp({ podSelector: {}, ingres: [] }),
    [['spec.ingres', 'UNKNOWN_FIELD']],
  ],
  [
    'knp uppercase name',
    knp({ podSelector: {} }, { name: 'Allow' }),
    [['metadata.name', 'INVALID_NAME']],
  ],
  [
    'knp In without values',
    knp({ podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }),
    [['spec.podSelector.matchExpressions[0].values', 'REQUIRED_FIELD']],
  ],
  [
    'knp bad operator',
    knp({ podSelector: { matchExpressions: [{ key: 'a', operator: 'Equals' }] } }),
    [['spec.podSelector.matchExpressions[0].operator', 'INVALID_VALUE']],
  ],
  [
    'knp empty peer',
    knp({ podSelector: {}, ingress: [{ from: [{}] }] }),
    [['spec.ingress[0].from[0]', 'REQUIRED_FIELD']],
  ],
  [
    'knp ipBlock with podSelector',
    knp({
      podSelector: {},
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }],
    }),
    [['spec.egress[0].to[0].ipBlock', 'INVALID_VALUE']],
  ],
  [
    'knp ipBlock without prefix',
    knp({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.1' } }] }] }),
    [['spec.egress[0].to[0].ipBlock.cidr', 'INVALID_VALUE']],
  ],
  [
    'knp except outside cidr',
    knp({
      podSelector: {},
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/8'] } }] }],
    }),
    [['spec.egress[0].to[0].ipBlock.except[0]', 'INVALID_VALUE']],
  ],
  [
    'knp lowercase protocol',
    knp({ podSelector: {}, ingress: [{ ports: [{ protocol: 'tcp', port: 80 }] }] }),
    [['spec.ingress[0].ports[0].protocol', 'INVALID_VALUE']],
  ],
  [
    'knp port 0',
    knp({ podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] }),
    [['spec.ingress[0].ports[0].port', 'INVALID_VALUE']],
  ],
  [
    'knp endPort below port',
    knp({ podSelector: {}, ingress: [{ ports: [{ port: 90, endPort: 80 }] }] }),
    [['spec.ingress[0].ports[0].endPort', 'INVALID_VALUE']],
  ],
  [
    'knp endPort with a named port',
    knp({ podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 80 }] }] }),
    [['spec.ingress[0].ports[0].endPort', 'INVALID_VALUE']],
  ],
]

describe('validateResource: Kubernetes policyTypes', () => {
  it('accepts a repeated type, as the API server does (an atomic list)', () => {
    const r = validateResource(knp({ podSelector: {}, policyTypes: ['Egress', 'Egress'] }))
    expect(r.ok, JSON.stringify(r)).toBe(true)
  })
})

describe('validateResource: invalid documents', () => {
  it.each(INVALID)('%s', (_why, raw, expected) => {
    const r = validateResource(raw, { document: 3 })
    expect(r.ok).toBe(false)
    if (r.ok) return
    const got = r.errors.map((e) => [e.location.field ?? '', e.code])
    expect(got).toEqual(expected)
    for (const e of r.errors) {
      expect(e.location.document).toBe(3)
      expect(e.message).toMatch(/^[a-z'"!(]/)
    }
  })
})

describe('validateResource: valid documents and defaults', () => {
  it('defaults the tier and infers types (§2.3)', () => {
    expect(valid(np({})).spec).toEqual({ tier: 'default', types: ['Ingress'] })
    expect(valid(np({ egress: [{ action: 'Allow' }] })).spec).toMatchObject({ types: ['Egress'] })
    expect(
      valid(np({ ingress: [{ action: 'Deny' }], egress: [{ action: 'Allow' }] })).spec,
    ).toMatchObject({
      types: ['Ingress', 'Egress'],
    })
    expect(valid(np({ types: [], egress: [{ action: 'Allow' }] })).spec).toMatchObject({
      types: ['Egress'],
    })
    expect(valid(np({ types: ['Egress'] })).spec).toMatchObject({ types: ['Egress'] })
  })

  it('defaults stagedAction to Set and keeps Delete minimal', () => {
    const s = valid(other('StagedGlobalNetworkPolicy', { selector: 'all()' }, { name: 'p' }))
    expect(s.spec).toMatchObject({ stagedAction: 'Set', tier: 'default', types: ['Ingress'] })
    const d = valid(
      other(
        'StagedGlobalNetworkPolicy',
        { stagedAction: 'Delete', tier: 'security', types: [] },
        { name: 'p' },
      ),
    )
    expect(d.spec).toEqual({ stagedAction: 'Delete', tier: 'security' })
    const k = valid(
      other('StagedKubernetesNetworkPolicy', { podSelector: {} }, { name: 'p', namespace: 'ns' }),
    )
    expect(k.spec).toEqual({ stagedAction: 'Set', podSelector: {} })
  })

  it('gives a Kubernetes policy the API server defaults (§4.1)', () => {
    const k = valid(knp({ podSelector: {}, ingress: [{ ports: [{ port: 80 }, {}] }] }))
    expect(k.spec).toEqual({
      podSelector: {},
      ingress: [{ ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'TCP' }] }],
      policyTypes: ['Ingress'],
    })
    expect(valid(knp({ podSelector: {}, egress: [{}] })).spec).toMatchObject({
      policyTypes: ['Ingress', 'Egress'],
    })
    expect(
      valid(knp({ podSelector: {}, egress: [{}], policyTypes: ['Egress'] })).spec,
    ).toMatchObject({ policyTypes: ['Egress'] })
    expect(valid(knp({})).spec).toMatchObject({ podSelector: {} })
  })

  it('stores numeric protocols and ports as numbers', () => {
    const p = valid(
      ingress({
        action: 'Allow',
        protocol: '6',
        notProtocol: 'UDPLite',
        destination: { ports: ['80', '81:81', '90:99', 'http'] },
      }),
    )
    expect(p.spec).toMatchObject({
      ingress: [
        {
          action: 'Allow',
          protocol: 6,
          notProtocol: 'UDPLite',
          destination: { ports: [80, 81, '90:99', 'http'] },
        },
      ],
    })
  })

  it('allows named ports without a protocol, numeric ports with TCP, UDP, SCTP or their numbers', () => {
    valid(ingress({ action: 'Allow', destination: { ports: ['http'] } }))
    for (const protocol of ['TCP', 'UDP', 'SCTP', 6, 17, 132]) {
      valid(
        ingress({ action: 'Allow', protocol, destination: { ports: [80], notPorts: ['1:10'] } }),
      )
    }
  })

  it('accepts bare and legacy-prefixed names in any tier', () => {
    valid(np({ tier: 'security' }, { name: 'guard' }))
    valid(np({ tier: 'security' }, { name: 'security.guard' }))
    valid(np({}, { name: 'default.guard' }))
    valid(np({}, { name: 'knp.default.allow.web' }))
    valid(gnp({ tier: 'kube-admin' }, { name: 'kube-admin.x' }))
  })

  it('accepts global() as the entire rule namespaceSelector, and IPs as /32', () => {
    const p = valid(
      ingress({ action: 'Allow', source: { namespaceSelector: ' global() ', nets: ['10.0.0.1'] } }),
    )
    expect(p.spec).toMatchObject({
      ingress: [{ source: { namespaceSelector: ' global() ', nets: ['10.0.0.1'] } }],
    })
  })

  it('keeps server metadata and drops status', () => {
    const r = valid({
      ...np(
        {},
        {
          uid: 'u1',
          resourceVersion: '7',
          generation: 2,
          creationTimestamp: '2026-01-01T00:00:00Z',
        },
      ),
      status: { conditions: [] },
    })
    expect(r.metadata).toMatchObject({ uid: 'u1', resourceVersion: '7', generation: 2 })
    expect(r).not.toHaveProperty('status')
  })

  it('defaults the tier defaultAction to Deny and accepts the built-in tiers as Calico pins them', () => {
    expect(valid(other('Tier', {})).spec).toEqual({ defaultAction: 'Deny' })
    valid(other('Tier', { order: 1_000_000 }, { name: 'default' }))
    valid(other('Tier', { order: 10_000_000, defaultAction: 'Pass' }, { name: 'kube-baseline' }))
  })
})

describe('error reporting', () => {
  it('reports every error of a document with the resource named', () => {
    const r = validateResource(
      np(
        { order: 'x', ingress: [{ action: 'Nope' }, { action: 'Allow', protocol: 'tcp' }] },
        { name: 'web', namespace: 'shop' },
      ),
      { document: 2 },
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors.map((e) => e.toString())).toEqual([
      "document 2: NetworkPolicy shop/web: spec.ingress[0].action: expected one of Allow, Deny, Log, Pass, got 'Nope'",
      "document 2: NetworkPolicy shop/web: spec.ingress[1].protocol: expected TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite (case-sensitive) or a number from 1 to 255, got 'tcp'",
      'document 2: NetworkPolicy shop/web: spec.order: expected a number, got a string',
    ])
  })

  it('carries the selector range', () => {
    const r = validateResource(np({ selector: "app == 'x' &&" }))
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors[0]?.range).toBeDefined()
    expect(r.errors[0]?.code).toBe('SELECTOR_SYNTAX')
  })

  it('validateResources and loadResources are all or nothing', () => {
    const list = validateResources([np({}), np({ order: 'x' }), gnp({ order: 'y' })])
    expect(list.ok).toBe(false)
    if (!list.ok) expect(list.errors.map((e) => e.location.document)).toEqual([1, 2])
    const ok = validateResources([np({}), gnp({})])
    expect(ok.ok && ok.value.length).toBe(2)

    const text = `apiVersion: ${V3}\nkind: Tier\nmetadata: {name: a}\n---\napiVersion: ${V3}\nkind: Tier\nmetadata: {name: B}\n---\napiVersion: ${V3}\nkind: Tier\nmetadata: {name: c}\nspec: {order: x}\n`
    const loaded = loadResources(text)
    expect(loaded.ok).toBe(false)
    if (!loaded.ok) {
      expect(loaded.errors.map((e) => [e.location.document, e.location.field])).toEqual([
        [1, 'metadata.name'],
        [2, 'spec.order'],
      ])
    }
  })

  it('locates errors of List items by document and items[i]', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: ${V3}\n    kind: Tier\n    metadata: {name: ok}\n  - apiVersion: ${V3}\n    kind: Tier\n    metadata: {name: ok2}\n    spec: {colour: red}\n`
    const r = loadResources(text)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.errors[0]?.location).toEqual({
        document: 0,
        resource: 'Tier ok2',
        field: 'items[1].spec.colour',
      })
    }
  })
})

describe('validateResource: a namespaced kind without a namespace', () => {
  it.each([
    ['NetworkPolicy', np({}, { namespace: undefined })],
    ['Kubernetes NetworkPolicy', knp({ podSelector: {} }, { namespace: undefined })],
  ])('places a %s in default, as kubectl and calicoctl do', (_kind, raw) => {
    const r = validateResource(raw)
    expect(r.ok, JSON.stringify(r)).toBe(true)
    if (r.ok) expect(r.value.metadata.namespace).toBe('default')
  })
  it('refuses an empty namespace', () => {
    const r = validateResource(np({}, { namespace: '' }))
    expect(r.ok).toBe(false)
  })
})
