/**
 * Kubernetes `networking.k8s.io/v1` NetworkPolicy → Calico NetworkPolicy, as Calico's
 * `K8sNetworkPolicyToCalico` does it (calico-semantics.md §4).
 */
import { ErrorCodes, PolicyError } from '../errors.ts'
import { parseCIDR, printCIDR } from '../evaluator/ip.ts'
import type {
  EntityRule,
  K8sNetworkPolicyPeer,
  K8sNetworkPolicyPort,
  KubernetesNetworkPolicy,
  LabelSelector,
  NetworkPolicy,
  NetworkPolicySpec,
  PolicyType,
  Port,
  Rule,
  StagedKubernetesNetworkPolicy,
  StagedNetworkPolicy,
} from '../resources/types.ts'
import { CALICO_API_VERSION } from '../resources/types.ts'

/**
 * How converted policies are named: `legacy` (Calico ≤ v3.31 and Enterprise) prefixes
 * `knp.default.`; `v3.32` keeps the Kubernetes name (identity is then kind + namespace + name).
 */
export type PolicyNaming = 'legacy' | 'v3.32'

/** Options of `convertKubernetesPolicy`. */
export interface ConvertOptions {
  /** Naming model of the result; `legacy` by default. */
  naming?: PolicyNaming
}

/** The result of converting one Kubernetes policy. */
export interface ConversionResult<P> {
  /** The Calico policy (always produced; rules that could not be converted are left out). */
  policy: P
  /** One error per Kubernetes rule that was dropped. */
  errors: PolicyError[]
}

/** The order Calico gives every converted Kubernetes policy. */
export const KUBERNETES_POLICY_ORDER = 1000
/** The label every Kubernetes pod carries in Calico; converted pod selectors start with it. */
export const ORCHESTRATOR_TERM = "projectcalico.org/orchestrator == 'k8s'"

/**
 * Converts a Kubernetes selector to Calico selector text, verbatim as Calico writes it
 * (`k8sSelectorToCalico`): pod selectors start with the orchestrator term; a namespace
 * selector with no terms is `all()`, and an absent one is `''`.
 */
export function k8sSelectorToCalico(
  sel: LabelSelector | undefined,
  kind: 'pod' | 'namespace',
): string {
  const terms: string[] = []
  if (kind === 'pod') terms.push(ORCHESTRATOR_TERM)
  if (sel === undefined || sel === null) return kind === 'pod' ? ORCHESTRATOR_TERM : ''
  const labels = sel.matchLabels ?? {}
  for (const key of Object.keys(labels).sort()) terms.push(`${key} == '${labels[key]}'`)
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).map((v) => `'${v}'`).join(', ')
    switch (e.operator) {
      case 'In':
        terms.push(`${e.key} in { ${values} }`)
        break
      case 'NotIn':
        terms.push(`${e.key} not in { ${values} }`)
        break
      case 'Exists':
        terms.push(`has(${e.key})`)
        break
      case 'DoesNotExist':
        terms.push(`! has(${e.key})`)
        break
    }
  }
  if (terms.length === 0) return 'all()'
  return terms.join(' && ')
}

/** A numeric port range or a named port, before simplification. */
type PortItem = { lo: number; hi: number } | { name: string }

/** Converts one Kubernetes port entry; throws a message for an invalid port. */
function convertPort(p: K8sNetworkPolicyPort): { protocol: string; port?: PortItem } {
  const protocol = p.protocol ?? 'TCP'
  if (p.port === undefined || p.port === null) {
    if (p.endPort !== undefined) throw new Error('endPort requires port')
    return { protocol }
  }
  if (typeof p.port === 'string' && !/^\d+$/.test(p.port)) {
    if (p.endPort !== undefined) throw new Error('endPort requires a numeric port')
    return { protocol, port: { name: p.port } }
  }
  const lo = Number(p.port)
  const hi = p.endPort ?? lo
  if (!Number.isInteger(lo) || lo < 1 || lo > 65535) {
    throw new Error(`expected a port between 1 and 65535, got ${p.port}`)
  }
  if (!Number.isInteger(hi) || hi < lo || hi > 65535) {
    throw new Error(`expected endPort between ${lo} and 65535, got ${p.endPort}`)
  }
  return { protocol, port: { lo, hi } }
}

/**
 * Calico's `SimplifyPorts`: named ports first (input order, de-duplicated), then numeric ports
 * merged into maximal contiguous ranges in ascending order.
 */
export function simplifyPorts(items: readonly PortItem[]): Port[] {
  const named: string[] = []
  const ranges: Array<{ lo: number; hi: number }> = []
  for (const it of items) {
    if ('name' in it) {
      if (!named.includes(it.name)) named.push(it.name)
    } else ranges.push({ ...it })
  }
  ranges.sort((a, b) => a.lo - b.lo || a.hi - b.hi)
  const merged: Array<{ lo: number; hi: number }> = []
  for (const r of ranges) {
    const last = merged[merged.length - 1]
    if (last && r.lo <= last.hi + 1) last.hi = Math.max(last.hi, r.hi)
    else merged.push(r)
  }
  return [...named, ...merged.map((r): Port => (r.lo === r.hi ? r.lo : `${r.lo}:${r.hi}`))]
}

/** Peer fields of a Calico EntityRule (`k8sPeerToCalicoFields`). */
function convertPeer(peer: K8sNetworkPolicyPeer | undefined): EntityRule {
  if (!peer) return {}
  if (peer.ipBlock) {
    const cidr = parseCIDR(peer.ipBlock.cidr)
    // An unparsable CIDR yields no fields at all, so the rule matches any peer (as Calico).
    if (!cidr) return {}
    const out: EntityRule = { nets: [printCIDR(cidr)] }
    const notNets: string[] = []
    for (const e of peer.ipBlock.except ?? []) {
      const c = parseCIDR(e)
      if (c) notNets.push(printCIDR(c))
    }
    if (notNets.length) out.notNets = notNets
    return out
  }
  const out: EntityRule = { selector: k8sSelectorToCalico(peer.podSelector, 'pod') }
  const ns = k8sSelectorToCalico(peer.namespaceSelector, 'namespace')
  if (ns) out.namespaceSelector = ns
  return out
}

/** Expands one Kubernetes rule into Calico rules (protocol-major, peer-minor). */
function convertRule(
  peers: readonly K8sNetworkPolicyPeer[] | undefined,
  ports: readonly K8sNetworkPolicyPort[] | undefined,
  ingress: boolean,
): Rule[] {
  // protocol → port items, or null for "all ports of this protocol"
  const groups = new Map<string, PortItem[] | null>()
  let anyProtocol = !ports || ports.length === 0
  for (const p of ports ?? []) {
    if (p === null || p === undefined) {
      anyProtocol = true
      break
    }
    const { protocol, port } = convertPort(p)
    if (!port) groups.set(protocol, null)
    else {
      const g = groups.get(protocol)
      if (g === undefined) groups.set(protocol, [port])
      else if (g !== null) g.push(port)
    }
  }
  const protoGroups: Array<{ protocol?: string; ports?: Port[] }> = anyProtocol
    ? [{}]
    : [...groups.keys()].sort().map((protocol) => {
        const g = groups.get(protocol)
        return g ? { protocol, ports: simplifyPorts(g) } : { protocol }
      })
  const peerList: Array<K8sNetworkPolicyPeer | undefined> = peers?.length ? [...peers] : [undefined]
  const rules: Rule[] = []
  for (const g of protoGroups) {
    for (const peer of peerList) {
      const peerFields = convertPeer(peer)
      const rule: Rule = { action: 'Allow' }
      if (g.protocol !== undefined) rule.protocol = g.protocol
      if (ingress) {
        if (Object.keys(peerFields).length) rule.source = peerFields
        if (g.ports) rule.destination = { ports: g.ports }
      } else {
        const dest: EntityRule = { ...(g.ports ? { ports: g.ports } : {}), ...peerFields }
        if (Object.keys(dest).length) rule.destination = dest
      }
      rules.push(rule)
    }
  }
  return rules
}

/** The Calico name of a converted Kubernetes policy under a naming model. */
export function kubernetesPolicyName(name: string, naming: PolicyNaming = 'legacy'): string {
  return naming === 'legacy' ? `knp.default.${name}` : name
}

/**
 * Converts a Kubernetes NetworkPolicy (or a StagedKubernetesNetworkPolicy) to the Calico
 * NetworkPolicy (or StagedNetworkPolicy) Calico evaluates: tier `default`, order 1000, pod
 * selector behind the orchestrator term, ports grouped by protocol and merged into ranges, one
 * rule per protocol group and peer. A Kubernetes rule with an invalid port is dropped and
 * reported in `errors`; the rest of the policy is still converted.
 *
 * @example convertKubernetesPolicy(knp, { naming: 'v3.32' }).policy.spec.selector
 *   // "projectcalico.org/orchestrator == 'k8s' && app == 'web'"
 */
export function convertKubernetesPolicy(
  knp: KubernetesNetworkPolicy,
  opts?: ConvertOptions,
): ConversionResult<NetworkPolicy>
export function convertKubernetesPolicy(
  knp: StagedKubernetesNetworkPolicy,
  opts?: ConvertOptions,
): ConversionResult<StagedNetworkPolicy>
export function convertKubernetesPolicy(
  knp: KubernetesNetworkPolicy | StagedKubernetesNetworkPolicy,
  opts?: ConvertOptions,
): ConversionResult<NetworkPolicy | StagedNetworkPolicy>
export function convertKubernetesPolicy(
  knp: KubernetesNetworkPolicy | StagedKubernetesNetworkPolicy,
  opts: ConvertOptions = {},
): ConversionResult<NetworkPolicy | StagedNetworkPolicy> {
  const naming = opts.naming ?? 'legacy'
  const errors: PolicyError[] = []
  const spec = knp.spec ?? { podSelector: {} }
  const ref = `${knp.kind} ${knp.metadata.namespace ?? ''}/${knp.metadata.name}`
  const convertRules = (
    list: ReadonlyArray<{
      from?: K8sNetworkPolicyPeer[]
      to?: K8sNetworkPolicyPeer[]
      ports?: K8sNetworkPolicyPort[]
    }>,
    field: 'ingress' | 'egress',
  ): Rule[] => {
    const out: Rule[] = []
    list.forEach((r, i) => {
      try {
        out.push(...convertRule(field === 'ingress' ? r.from : r.to, r.ports, field === 'ingress'))
      } catch (e) {
        errors.push(
          new PolicyError(
            ErrorCodes.CONVERSION,
            `rule dropped: ${e instanceof Error ? e.message : String(e)}`,
            { resource: ref, field: `spec.${field}[${i}]` },
          ),
        )
      }
    })
    return out
  }
  const ingress = convertRules(spec.ingress ?? [], 'ingress')
  const egress = convertRules(spec.egress ?? [], 'egress')
  const declared = new Set(spec.policyTypes ?? [])
  const types: PolicyType[] = []
  if (declared.has('Ingress')) types.push('Ingress')
  if (declared.has('Egress')) types.push('Egress')
  if (types.length === 0) types.push('Ingress')
  const calicoSpec: NetworkPolicySpec = {
    tier: 'default',
    order: KUBERNETES_POLICY_ORDER,
    selector: k8sSelectorToCalico(spec.podSelector ?? {}, 'pod'),
    types,
    ...(ingress.length ? { ingress } : {}),
    ...(egress.length ? { egress } : {}),
  }
  const metadata = {
    name: kubernetesPolicyName(knp.metadata.name, naming),
    ...(knp.metadata.namespace !== undefined ? { namespace: knp.metadata.namespace } : {}),
    ...(knp.metadata.labels ? { labels: { ...knp.metadata.labels } } : {}),
    ...(knp.metadata.annotations ? { annotations: { ...knp.metadata.annotations } } : {}),
  }
  if (knp.kind === 'StagedKubernetesNetworkPolicy') {
    const policy: StagedNetworkPolicy = {
      apiVersion: CALICO_API_VERSION,
      kind: 'StagedNetworkPolicy',
      metadata,
      spec: { stagedAction: knp.spec.stagedAction ?? 'Set', ...calicoSpec },
    }
    return { policy, errors }
  }
  const policy: NetworkPolicy = {
    apiVersion: CALICO_API_VERSION,
    kind: 'NetworkPolicy',
    metadata,
    spec: calicoSpec,
  }
  return { policy, errors }
}
