/**
 * Key order for printing: Calico's struct field order (`policy_common.go`,
 * `networkpolicy.go`, …), Kubernetes' for its NetworkPolicy, and kubectl's top level
 * (apiVersion, kind, metadata, spec). Maps of user data (labels, annotations) keep their
 * order; keys the schema does not know go last, in their own order.
 */
import { isPlainObject } from './check.ts'
import { SERVER_METADATA_FIELDS } from './metadata.ts'
import type { Resource } from './types.ts'

/** A key-order schema: the keys in order, each with the schema of its value. */
interface Shape {
  keys: ReadonlyArray<readonly [string, Shape | 'map' | 'leaf']>
}

const leaf = 'leaf' as const
const map = 'map' as const

function shape(...keys: Array<readonly [string, Shape | 'map' | 'leaf']>): Shape {
  return { keys }
}

const ICMP = shape(['type', leaf], ['code', leaf])
const ENTITY = shape(
  ['nets', leaf],
  ['selector', leaf],
  ['namespaceSelector', leaf],
  ['services', shape(['name', leaf], ['namespace', leaf])],
  ['ports', leaf],
  ['notNets', leaf],
  ['notSelector', leaf],
  ['notPorts', leaf],
  ['serviceAccounts', shape(['names', leaf], ['selector', leaf])],
)
const RULE = shape(
  ['action', leaf],
  ['ipVersion', leaf],
  ['protocol', leaf],
  ['icmp', ICMP],
  ['notProtocol', leaf],
  ['notICMP', ICMP],
  ['source', ENTITY],
  ['destination', ENTITY],
  ['http', shape(['methods', leaf], ['paths', shape(['exact', leaf], ['prefix', leaf])])],
  ['metadata', shape(['annotations', map])],
)
const CALICO_POLICY_SPEC = shape(
  ['stagedAction', leaf],
  ['tier', leaf],
  ['order', leaf],
  ['selector', leaf],
  ['namespaceSelector', leaf],
  ['serviceAccountSelector', leaf],
  ['ingress', RULE],
  ['egress', RULE],
  ['types', leaf],
  ['doNotTrack', leaf],
  ['preDNAT', leaf],
  ['applyOnForward', leaf],
  ['performanceHints', leaf],
)
const LABEL_SELECTOR = shape(
  ['matchLabels', map],
  ['matchExpressions', shape(['key', leaf], ['operator', leaf], ['values', leaf])],
)
const K8S_PEER = shape(
  ['podSelector', LABEL_SELECTOR],
  ['namespaceSelector', LABEL_SELECTOR],
  ['ipBlock', shape(['cidr', leaf], ['except', leaf])],
)
const K8S_PORT = shape(['protocol', leaf], ['port', leaf], ['endPort', leaf])
const K8S_POLICY_SPEC = shape(
  ['stagedAction', leaf],
  ['podSelector', LABEL_SELECTOR],
  ['ingress', shape(['ports', K8S_PORT], ['from', K8S_PEER])],
  ['egress', shape(['ports', K8S_PORT], ['to', K8S_PEER])],
  ['policyTypes', leaf],
)
const SPECS: Record<string, Shape> = {
  Tier: shape(['order', leaf], ['defaultAction', leaf]),
  NetworkPolicy: CALICO_POLICY_SPEC,
  GlobalNetworkPolicy: CALICO_POLICY_SPEC,
  StagedNetworkPolicy: CALICO_POLICY_SPEC,
  StagedGlobalNetworkPolicy: CALICO_POLICY_SPEC,
  StagedKubernetesNetworkPolicy: K8S_POLICY_SPEC,
  KubernetesNetworkPolicy: K8S_POLICY_SPEC,
  NetworkSet: shape(['nets', leaf]),
  GlobalNetworkSet: shape(['nets', leaf]),
  HostEndpoint: shape(
    ['node', leaf],
    ['interfaceName', leaf],
    ['expectedIPs', leaf],
    ['profiles', leaf],
    ['ports', shape(['name', leaf], ['protocol', leaf], ['port', leaf])],
  ),
}
const METADATA = shape(
  ['name', leaf],
  ['generateName', leaf],
  ['namespace', leaf],
  ['labels', map],
  ['annotations', map],
  ['finalizers', leaf],
  ['uid', leaf],
  ['resourceVersion', leaf],
  ['generation', leaf],
  ['creationTimestamp', leaf],
  ['deletionTimestamp', leaf],
  ['deletionGracePeriodSeconds', leaf],
  ['selfLink', leaf],
  ['ownerReferences', leaf],
  ['managedFields', leaf],
)

function order(value: unknown, s: Shape | 'map' | 'leaf'): unknown {
  if (s === leaf || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v) => order(v, s))
  if (s === map || !isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, sub] of s.keys) {
    if (value[key] !== undefined) out[key] = order(value[key], sub)
  }
  for (const [key, v] of Object.entries(value)) {
    if (!(key in out) && v !== undefined) out[key] = v
  }
  return out
}

/** A plain copy of `r` with keys in print order, without server metadata unless `keepServerFields`. */
export function printOrder(r: Resource, keepServerFields: boolean): Record<string, unknown> {
  const kind = r.apiVersion === 'networking.k8s.io/v1' ? 'KubernetesNetworkPolicy' : r.kind
  const metadata = { ...r.metadata } as Record<string, unknown>
  if (!keepServerFields) for (const f of SERVER_METADATA_FIELDS) delete metadata[f]
  const specShape = SPECS[kind]
  return {
    apiVersion: r.apiVersion,
    kind: r.kind,
    metadata: order(metadata, METADATA),
    spec: specShape ? order(r.spec, specShape) : r.spec,
  }
}
