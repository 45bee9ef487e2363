/**
 * Compiling a policy set: endpoint label sets, applies-to selectors, rule selectors scoped as
 * Calico scopes them, tier and policy order, and the three views (enforced, staged, pending).
 */

import { convertKubernetesPolicy } from '../convert/kubernetes.ts'
import { ErrorCodes, PolicyError } from '../errors.ts'
import type {
  Endpoint,
  EndpointPort,
  EntityRule,
  GlobalNetworkPolicySpec,
  Labels,
  Namespace,
  Port,
  Protocol,
  Resource,
  Rule,
  ServiceAccount,
  StagedAction,
} from '../resources/types.ts'
import type { SelectorMatcher, SelectorNode } from '../selector/index.ts'
import { compileSelector, parseSelector, prefixSelector } from '../selector/index.ts'
import { type CIDR, type IP, parseCIDR, parseIP } from './ip.ts'
import type { PolicyKind, PolicyRef, ViewName } from './types.ts'

/** The input of `compilePolicySet`: policy resources and the inventory they act on. */
export interface PolicySetInput {
  /** Tiers, policies (all kinds, staged included) and network sets. Other kinds are ignored. */
  resources: readonly Resource[]
  namespaces?: readonly Namespace[]
  serviceAccounts?: readonly ServiceAccount[]
  endpoints: readonly Endpoint[]
}

/** Built-in tiers: Calico creates these whether or not a Tier resource is declared. */
export const BUILTIN_TIER_SETTINGS: Readonly<
  Record<string, { order: number; defaultAction: 'Deny' | 'Pass' }>
> = {
  'kube-admin': { order: 1000, defaultAction: 'Pass' },
  default: { order: 1_000_000, defaultAction: 'Deny' },
  'kube-baseline': { order: 10_000_000, defaultAction: 'Pass' },
}

const NS_LABEL = 'projectcalico.org/namespace'
const ORCH_LABEL = 'projectcalico.org/orchestrator'
const SA_LABEL = 'projectcalico.org/serviceaccount'

/** Protocol numbers by Calico name. */
export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  ICMPv6: 58,
  SCTP: 132,
  UDPLite: 136,
}

/** A tier as the evaluator sees it. */
export interface CompiledTier {
  name: string
  /** False for a tier only referenced by policies (no Tier resource, not built in). */
  declared: boolean
  order: number | undefined
  defaultAction: 'Deny' | 'Pass'
}

/** A port criterion: numeric ranges plus named ports. */
export interface PortMatch {
  /** Flat [lo0, hi0, lo1, hi1, …], inclusive. */
  ranges: number[]
  named: string[]
}

/** One side of a compiled rule. Address criteria are split by IP family once, here. */
export interface CompiledEntity {
  /** Per family: undefined = no criterion; [] = the rule does not exist for that family. */
  nets4?: CIDR[]
  nets6?: CIDR[]
  notNets4?: CIDR[]
  notNets6?: CIDR[]
  hasNets: boolean
  hasNotNets: boolean
  /** Index into the model's selector table (scoped selector incl. service accounts), or -1. */
  selector: number
  /** Index into the selector table of the raw notSelector, or -1. */
  notSelector: number
  ports?: PortMatch
  notPorts?: PortMatch
  /** Rules naming Kubernetes services never match: the inventory has no Services. */
  services: boolean
}

/** A rule compiled for matching. */
export interface CompiledRule {
  index: number
  action: 'Allow' | 'Deny' | 'Log' | 'Pass'
  ipVersion?: 4 | 6
  protocol?: number
  notProtocol?: number
  icmpType?: number
  icmpCode?: number
  notIcmpType?: number
  notIcmpCode?: number
  src: CompiledEntity
  dst: CompiledEntity
}

/** A policy compiled for evaluation. */
export interface CompiledPolicy {
  /** Position in `CompiledModel.policies`. */
  id: number
  ref: PolicyRef
  order: number
  /** Applies-to selector over endpoint label sets (§3.3). */
  appliesTo: SelectorMatcher
  /**
   * A necessary condition of `appliesTo`, for indexing: the label must have one of `values`
   * (a top-level `==` or `in` conjunct); undefined when the selector has none.
   */
  appliesKey: { label: string; values: readonly string[] } | undefined
  /**
   * The labels `appliesTo` reads: true when it reads the value, false when only whether the
   * label is present. Two label sets that agree on these get the same answer.
   */
  appliesLabels: ReadonlyMap<string, boolean>
  /** Namespace the policy is limited to (namespaced kinds), for bucketing. */
  namespace: string | undefined
  /** Rules per direction; undefined when the direction is not in `types`. */
  ingress: CompiledRule[] | undefined
  egress: CompiledRule[] | undefined
  stagedAction: StagedAction | undefined
  /** (kind of the enforced twin, namespace, name): the replacement key of the staged view. */
  twinKey: string
  /** (kind of the enforced twin, namespace, tier, name without a legacy prefix). */
  legacyKey: string
  /**
   * Which phase of host-endpoint processing the policy belongs to: `untracked` (`doNotTrack`,
   * raw table) and `preDNAT` (mangle table) apply to host endpoints only, before the
   * `normal` phase, with no end-of-tier drop.
   */
  phase: PolicyPhase
}

/** The phase of a policy: see `CompiledPolicy.phase`. */
export type PolicyPhase = 'normal' | 'untracked' | 'preDNAT'

/** A tier with its policies sorted, for one view. */
export interface ViewTier {
  tier: CompiledTier
  policies: CompiledPolicy[]
  /** The policies' references (shared by every trace of the tier). */
  refs: PolicyRef[]
}

/** Something that owns addresses: an endpoint or a network set. */
export interface AddressOwner {
  /** Index into `CompiledModel.identities` (label-set identity). */
  identity: number
  /** The endpoint's index, or -1 for network sets. */
  endpoint: number
  ports: readonly EndpointPort[]
}

/** A distinct endpoint label set, shared by endpoints and sets with equal labels. */
export interface Identity {
  labels: Labels
  /** Namespace of the owner (from the label set), for policy bucketing. */
  namespace: string | undefined
  /** Applicable tiers, cached per view and direction: index view*2 + (egress ? 1 : 0). */
  applied: Array<ViewTier[] | undefined>
  /** Every policy (of any view) whose applies-to selector matches, once computed. */
  matching?: CompiledPolicy[]
  /** The identity's match group (shared with identities matching the same policies), once computed. */
  group?: MatchGroup
}

/**
 * Identities that match the same policies share one match group, and with it the sorted
 * applicable tiers of every view and direction.
 */
export interface MatchGroup {
  /** The matching policies: global ones by id, then the namespace's by id. */
  matching: CompiledPolicy[]
  /** For a group with namespaced matches: the group of its global matches alone, and the namespaced matches. */
  base?: MatchGroup
  own?: CompiledPolicy[]
  /** Applicable tiers per view and direction: index view*2 + (egress ? 1 : 0). */
  applied: Array<ViewTier[] | undefined>
}

/** An endpoint of the compiled model. */
export interface CompiledEndpoint {
  index: number
  /** `ns/name` for workloads, the name for host endpoints. */
  ref: string
  kind: 'workload' | 'host'
  identity: number
  ips: IP[]
  ports: readonly EndpointPort[]
  /** Profiles in evaluation order. */
  profiles: string[]
  /**
   * The endpoint's own address-owner id, alone: who a flow side is when the endpoint has no
   * address of the flow's family (selectors still see it; CIDR criteria cannot).
   */
  self: readonly number[]
}

/** A compiled policy set: build once with `compilePolicySet`, evaluate many flows. */
export interface CompiledModel {
  tiers: Map<string, CompiledTier>
  policies: CompiledPolicy[]
  /** Sorted tiers with their policies, per view (index: 0 enforced, 1 staged, 2 pending). */
  views: [ViewTier[], ViewTier[], ViewTier[]]
  /** Per view: each policy's position in the view's evaluation order, -1 when not in it. */
  ranks: [Int32Array, Int32Array, Int32Array]
  /** Global policies, and namespaced policies by namespace (the candidates of an identity). */
  globalPolicies: CompiledPolicy[]
  /** Global policies without an `appliesKey`: tested against every identity. */
  globalUnindexed: CompiledPolicy[]
  /** Global policies with an `appliesKey`, by label then value: tested only on a hit. */
  globalIndex: Map<string, Map<string, CompiledPolicy[]>>
  /**
   * Every label a global applies-to selector reads, sorted, with whether its value (true) or
   * only its presence (false) matters: the key of `globalMatches`.
   */
  globalLabels: ReadonlyArray<readonly [string, boolean]>
  /** The group of the matching global policies per key of the labels in `globalLabels`, memoised. */
  globalMatches: Map<string, MatchGroup>
  /** Match groups by global key and matching namespaced policies, memoised. */
  matchGroups: Map<string, MatchGroup>
  policiesByNamespace: Map<string, CompiledPolicy[]>
  endpoints: CompiledEndpoint[]
  /** Endpoint by reference (`ns/name` or host name). */
  endpointByRef: Map<string, number>
  identities: Identity[]
  /** Compiled rule selectors (deduplicated by canonical text) and their memo per identity. */
  selectors: SelectorSlot[]
  /** Address owners: exact addresses (endpoints) and CIDR owners (network sets). */
  owners: AddressOwner[]
  exact4: Map<number, number[]>
  exact6: Map<bigint, number[]>
  /** Network-set CIDRs bucketed by prefix length: prefix → (network address → owner ids). */
  cidr4: Array<{ prefix: number; size: number; map: Map<number, number[]> }>
  cidr6: Array<{ prefix: number; mask: bigint; map: Map<bigint, number[]> }>
  /** Owners per address, memoised. */
  ownerCache: Map<number | bigint, number[]>
  /** Non-fatal problems found while compiling (e.g. a rule dropped in conversion). */
  warnings: PolicyError[]
  /** True when some policy is `doNotTrack` or `preDNAT`: evaluation then separates phases. */
  hasPhases: boolean
}

/** A compiled rule selector and its per-identity results (0 unknown, 1 no, 2 yes). */
export interface SelectorSlot {
  text: string
  match: SelectorMatcher
  memo: Uint8Array
}

/** View index for the per-view arrays. */
export const VIEW_INDEX: Readonly<Record<ViewName, 0 | 1 | 2>> = {
  enforced: 0,
  staged: 1,
  pending: 2,
}

// ---- selector ASTs ----

function and(...nodes: SelectorNode[]): SelectorNode {
  return { kind: 'and', operands: nodes }
}

/**
 * Calico's textual `strings.Replace(sel, "all()", …)` / `"global()"`, done on the tree:
 * every `all()` (or `global()`) node becomes `replacement`.
 */
function replaceNode(
  ast: SelectorNode,
  kind: 'all' | 'global',
  replacement: SelectorNode,
): SelectorNode {
  switch (ast.kind) {
    case 'all':
    case 'global':
      return ast.kind === kind ? replacement : ast
    case 'not':
      return { kind: 'not', operand: replaceNode(ast.operand, kind, replacement) }
    case 'and':
    case 'or':
      return {
        kind: ast.kind,
        operands: ast.operands.map((o) => replaceNode(o, kind, replacement)),
      }
    default:
      return ast
  }
}

const HAS_NS: SelectorNode = { kind: 'has', label: NS_LABEL }
const NOT_HAS_NS: SelectorNode = { kind: 'not', operand: HAS_NS }
const HAS_SA: SelectorNode = { kind: 'has', label: SA_LABEL }

function nsEq(ns: string): SelectorNode {
  return { kind: 'eq', label: NS_LABEL, value: ns }
}

function parseOr(
  text: string | undefined,
  path: string,
  resource: string,
): SelectorNode | undefined {
  // Calico tests selector fields against "" without trimming: a blank one is all().
  if (text === undefined || text === '') return undefined
  try {
    return parseSelector(text)
  } catch (e) {
    throw new PolicyError(ErrorCodes.SELECTOR_SYNTAX, e instanceof Error ? e.message : String(e), {
      resource,
      field: path,
    })
  }
}

/**
 * The applies-to selector of a policy (§3.3), in the steps of Calico's update processors.
 * Namespaced kinds: their namespace AND the selector, AND the pcsa.-prefixed
 * serviceAccountSelector. Global kinds (globalnetworkpolicyprocessor.go): the selector (when
 * set) AND the pcns.-prefixed namespaceSelector, then `all()` → `has(projectcalico.org/namespace)`;
 * the same with the serviceAccountSelector, pcsa. and `has(projectcalico.org/serviceaccount)`.
 * An absent selector is not an `all()` there: a global policy with only
 * `namespaceSelector: name != 'x'` also applies to host endpoints (spec §3.3 says otherwise;
 * Calico's processor test "without a Selector but with a NamespaceSelector" settles it).
 */
function appliesToSelector(
  spec: GlobalNetworkPolicySpec,
  namespace: string | undefined,
  ref: string,
): SelectorNode {
  let sel = parseOr(spec.selector, 'spec.selector', ref)
  const append = (extra: SelectorNode) => (sel ? and(sel, extra) : extra)
  if (namespace !== undefined) {
    sel = sel ? and(nsEq(namespace), sel) : nsEq(namespace)
  } else {
    const nsSel = parseOr(spec.namespaceSelector, 'spec.namespaceSelector', ref)
    if (nsSel) sel = replaceNode(append(prefixSelector(nsSel, 'pcns.')), 'all', HAS_NS)
  }
  const saSel = parseOr(spec.serviceAccountSelector, 'spec.serviceAccountSelector', ref)
  if (saSel) {
    // networkpolicyprocessor.go only prefixes and appends; the replacement is global-only.
    sel = append(prefixSelector(saSel, 'pcsa.'))
    if (namespace === undefined) sel = replaceNode(sel, 'all', HAS_SA)
  }
  return sel ?? { kind: 'all' }
}

/**
 * A label every match of `ast` must carry with one of a few values: the most selective `==` or
 * `in` conjunct of the top-level `&&` chain, preferring labels that are not namespace labels
 * (policies are already bucketed by namespace). Undefined when there is none.
 */
function requiredLabel(
  ast: SelectorNode,
): { label: string; values: readonly string[] } | undefined {
  let best: { label: string; values: readonly string[] } | undefined
  let bestScore = Number.POSITIVE_INFINITY
  const visit = (n: SelectorNode): void => {
    if (n.kind === 'and') {
      for (const o of n.operands) visit(o)
      return
    }
    let cand: { label: string; values: readonly string[] } | undefined
    if (n.kind === 'eq') cand = { label: n.label, values: [n.value] }
    else if (n.kind === 'in' && n.values.length > 0) cand = { label: n.label, values: n.values }
    if (!cand) return
    const nsLike = cand.label === NS_LABEL || cand.label.startsWith('pcns.')
    const score = cand.values.length + (nsLike ? 1000 : 0)
    if (score < bestScore) {
      best = cand
      bestScore = score
    }
  }
  visit(ast)
  return best
}

/** Collects the labels a selector reads into `out`: true for its value, false for presence only. */
function selectorLabels(ast: SelectorNode, out: Map<string, boolean>): Map<string, boolean> {
  switch (ast.kind) {
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
    case 'in':
    case 'notIn':
      out.set(ast.label, true)
      break
    case 'has':
      if (!out.has(ast.label)) out.set(ast.label, false)
      break
    case 'all':
    case 'global':
      break
    case 'not':
      selectorLabels(ast.operand, out)
      break
    case 'and':
    case 'or':
      for (const o of ast.operands) selectorLabels(o, out)
      break
  }
  return out
}

/**
 * The scoped selector of one rule side (§3.7, Calico's `getEndpointSelector`), or undefined
 * when the side has no selector condition.
 */
function ruleSideSelector(
  e: EntityRule,
  namespace: string | undefined,
  path: string,
  ref: string,
): SelectorNode | undefined {
  const parts: SelectorNode[] = []
  const sa = e.serviceAccounts
  if (sa) {
    const saParts: SelectorNode[] = []
    const saSel = parseOr(sa.selector, `${path}.serviceAccounts.selector`, ref)
    if (saSel) saParts.push(prefixSelector(saSel, 'pcsa.'))
    if (sa.names?.length) {
      saParts.push({ kind: 'in', label: SA_LABEL, values: [...new Set(sa.names)].sort() })
    }
    if (saParts.length)
      parts.push(saParts.length === 1 ? (saParts[0] as SelectorNode) : and(...saParts))
  }
  const sel = parseOr(e.selector, `${path}.selector`, ref)
  if (sel) parts.push(sel)
  const combined = parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : and(...parts)
  const nsText = e.namespaceSelector === '' ? undefined : e.namespaceSelector
  let nsSel: SelectorNode | undefined
  if (nsText !== undefined) {
    const parsed = parseOr(nsText, `${path}.namespaceSelector`, ref) as SelectorNode
    nsSel = replaceNode(
      replaceNode(prefixSelector(parsed, 'pcns.'), 'all', HAS_NS),
      'global',
      NOT_HAS_NS,
    )
  } else if (namespace !== undefined) {
    nsSel = nsEq(namespace)
  }
  const hasNot = e.notSelector !== undefined && e.notSelector !== ''
  if (nsSel && (combined || hasNot || nsText !== undefined)) {
    return combined ? and(nsSel, combined) : nsSel
  }
  return combined
}

// ---- rules ----

/** A protocol's number: names case-sensitively as Calico, numbers and numeric strings as numbers. */
export function protocolNumber(p: Protocol): number | undefined {
  if (typeof p === 'number') return p
  if (/^\d+$/.test(p)) return Number(p)
  return PROTOCOL_NUMBERS[p]
}

function compilePorts(ports: readonly Port[] | undefined): PortMatch | undefined {
  if (!ports || ports.length === 0) return undefined
  const m: PortMatch = { ranges: [], named: [] }
  for (const p of ports) {
    if (typeof p === 'number') m.ranges.push(p, p)
    else if (/^\d+$/.test(p)) m.ranges.push(Number(p), Number(p))
    else if (/^\d+:\d+$/.test(p)) {
      const [lo, hi] = p.split(':').map(Number) as [number, number]
      m.ranges.push(lo, hi)
    } else m.named.push(p)
  }
  return m
}

function splitNets(nets: readonly string[] | undefined): {
  v4?: CIDR[]
  v6?: CIDR[]
  any: boolean
} {
  if (!nets || nets.length === 0) return { any: false }
  const v4: CIDR[] = []
  const v6: CIDR[] = []
  for (const n of nets) {
    const c = parseCIDR(n)
    if (!c) continue
    if (c.family === 4) v4.push(c)
    else v6.push(c)
  }
  return { v4, v6, any: true }
}

interface SelectorTable {
  slots: SelectorSlot[]
  byText: Map<string, number>
}

function internSelector(table: SelectorTable, ast: SelectorNode | undefined): number {
  if (!ast) return -1
  const key = JSON.stringify(ast)
  const hit = table.byText.get(key)
  if (hit !== undefined) return hit
  const id = table.slots.length
  table.slots.push({ text: key, match: compileSelector(ast), memo: new Uint8Array(0) })
  table.byText.set(key, id)
  return id
}

function compileEntity(
  e: EntityRule | undefined,
  namespace: string | undefined,
  path: string,
  ref: string,
  table: SelectorTable,
): CompiledEntity {
  const er = e ?? {}
  const nets = splitNets(er.nets)
  const notNets = splitNets(er.notNets)
  const notSelAst = parseOr(er.notSelector, `${path}.notSelector`, ref)
  // Felix's rule scanner (combineMatchesIfPossible): with a positive selector the negation is
  // folded into it, `(pos) && (!(neg))`, so it is judged per owner of the address (a pod
  // whose IP also lies in an excluded network set still matches); alone it is a negated
  // address set.
  const positive = ruleSideSelector(er, namespace, path, ref)
  const folded =
    positive && notSelAst ? and(positive, { kind: 'not', operand: notSelAst }) : positive
  const out: CompiledEntity = {
    hasNets: nets.any,
    hasNotNets: notNets.any,
    selector: internSelector(table, folded),
    notSelector: internSelector(table, positive ? undefined : notSelAst),
    services: er.services !== undefined,
  }
  if (nets.any) {
    out.nets4 = nets.v4 ?? []
    out.nets6 = nets.v6 ?? []
  }
  if (notNets.any) {
    out.notNets4 = notNets.v4 ?? []
    out.notNets6 = notNets.v6 ?? []
  }
  const ports = compilePorts(er.ports)
  if (ports) out.ports = ports
  const notPorts = compilePorts(er.notPorts)
  if (notPorts) out.notPorts = notPorts
  return out
}

function compileRules(
  rules: readonly Rule[] | undefined,
  namespace: string | undefined,
  field: string,
  ref: string,
  table: SelectorTable,
): CompiledRule[] {
  return (rules ?? []).map((r, index) => {
    const path = `spec.${field}[${index}]`
    const out: CompiledRule = {
      index,
      action: r.action,
      src: compileEntity(r.source, namespace, `${path}.source`, ref, table),
      dst: compileEntity(r.destination, namespace, `${path}.destination`, ref, table),
    }
    if (r.ipVersion !== undefined) out.ipVersion = r.ipVersion
    if (r.protocol !== undefined) out.protocol = protocolNumber(r.protocol) ?? -1
    if (r.notProtocol !== undefined) out.notProtocol = protocolNumber(r.notProtocol) ?? -1
    if (r.icmp?.type !== undefined) out.icmpType = r.icmp.type
    if (r.icmp?.code !== undefined) out.icmpCode = r.icmp.code
    if (r.notICMP?.type !== undefined) out.notIcmpType = r.notICMP.type
    if (r.notICMP?.code !== undefined) out.notIcmpCode = r.notICMP.code
    return out
  })
}

// ---- policies ----

const ENFORCED_KIND: Readonly<Record<PolicyKind, PolicyKind>> = {
  NetworkPolicy: 'NetworkPolicy',
  GlobalNetworkPolicy: 'GlobalNetworkPolicy',
  KubernetesNetworkPolicy: 'KubernetesNetworkPolicy',
  StagedNetworkPolicy: 'NetworkPolicy',
  StagedGlobalNetworkPolicy: 'GlobalNetworkPolicy',
  StagedKubernetesNetworkPolicy: 'KubernetesNetworkPolicy',
}

/** A policy name without the legacy tier prefix (`<tier>.`, `default.`, `knp.default.`). */
export function stripLegacyPrefix(name: string, tier: string): string {
  for (const p of ['knp.default.', `${tier}.`, 'default.']) {
    if (name.startsWith(p) && name.length > p.length) return name.slice(p.length)
  }
  return name
}

function compilePolicy(
  r: Resource,
  id: number,
  table: SelectorTable,
  warnings: PolicyError[],
): CompiledPolicy | undefined {
  const isK8s = r.apiVersion === 'networking.k8s.io/v1'
  let kind: PolicyKind
  if (isK8s) kind = 'KubernetesNetworkPolicy'
  else if (
    r.kind === 'NetworkPolicy' ||
    r.kind === 'GlobalNetworkPolicy' ||
    r.kind === 'StagedNetworkPolicy' ||
    r.kind === 'StagedGlobalNetworkPolicy' ||
    r.kind === 'StagedKubernetesNetworkPolicy'
  )
    kind = r.kind
  else return undefined
  const ref = `${kind} ${r.metadata.namespace ? `${r.metadata.namespace}/` : ''}${r.metadata.name}`
  let spec: GlobalNetworkPolicySpec & { stagedAction?: StagedAction }
  if (kind === 'KubernetesNetworkPolicy' || kind === 'StagedKubernetesNetworkPolicy') {
    const conv = convertKubernetesPolicy(r as Parameters<typeof convertKubernetesPolicy>[0], {
      naming: 'v3.32',
    })
    warnings.push(...conv.errors)
    spec = conv.policy.spec
  } else {
    spec = r.spec as GlobalNetworkPolicySpec
  }
  const namespaced = kind !== 'GlobalNetworkPolicy' && kind !== 'StagedGlobalNetworkPolicy'
  const namespace = namespaced ? (r.metadata.namespace ?? 'default') : undefined
  const tier = spec.tier || 'default'
  // Calico defaults types from the rules; an empty list after that means both directions.
  let types = spec.types
  if (!types || types.length === 0) {
    types = spec.egress?.length
      ? spec.ingress?.length
        ? ['Ingress', 'Egress']
        : ['Egress']
      : ['Ingress']
  }
  const applies = appliesToSelector(spec, namespace, ref)
  const policyRef: PolicyRef = {
    kind,
    name: r.metadata.name,
    ...(namespace !== undefined ? { namespace } : {}),
    tier,
    staged: kind.startsWith('Staged'),
  }
  return {
    id,
    ref: policyRef,
    order: spec.order ?? Number.POSITIVE_INFINITY,
    appliesTo: compileSelector(applies),
    appliesKey: requiredLabel(applies),
    appliesLabels: selectorLabels(applies, new Map()),
    namespace,
    ingress: types.includes('Ingress')
      ? compileRules(spec.ingress, namespace, 'ingress', ref, table)
      : undefined,
    egress: types.includes('Egress')
      ? compileRules(spec.egress, namespace, 'egress', ref, table)
      : undefined,
    stagedAction: policyRef.staged ? (spec.stagedAction ?? 'Set') : undefined,
    twinKey: `${ENFORCED_KIND[kind]}/${namespace ?? ''}/${r.metadata.name}`,
    legacyKey: `${ENFORCED_KIND[kind]}/${namespace ?? ''}/${tier}/${stripLegacyPrefix(r.metadata.name, tier)}`,
    phase: spec.doNotTrack ? 'untracked' : spec.preDNAT ? 'preDNAT' : 'normal',
  }
}

/**
 * Calico's tier order (`TierLess`): declared tiers first, then order ascending with unset
 * last, then name.
 */
function compareTiers(a: CompiledTier, b: CompiledTier): number {
  if (a.declared !== b.declared) return a.declared ? -1 : 1
  if (a.order !== b.order) {
    if (a.order === undefined) return 1
    if (b.order === undefined) return -1
    return a.order - b.order
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/** Policy order within a tier: order ascending (unset = +∞), ties by `<name>/<namespace>/<kind>` (≥ v3.32). */
function comparePolicies(enforcedKinds: boolean) {
  const key = (p: CompiledPolicy) =>
    `${p.ref.name}/${p.ref.namespace ?? ''}/${enforcedKinds ? ENFORCED_KIND[p.ref.kind] : p.ref.kind}`
  return (a: CompiledPolicy, b: CompiledPolicy): number => {
    if (a.order !== b.order) return a.order < b.order ? -1 : 1
    const ka = key(a)
    const kb = key(b)
    return ka < kb ? -1 : ka > kb ? 1 : 0
  }
}

function buildView(
  policies: readonly CompiledPolicy[],
  tiers: Map<string, CompiledTier>,
  enforcedKinds: boolean,
): ViewTier[] {
  const byTier = new Map<string, CompiledPolicy[]>()
  for (const p of policies) {
    let list = byTier.get(p.ref.tier)
    if (!list) {
      list = []
      byTier.set(p.ref.tier, list)
    }
    list.push(p)
  }
  const cmp = comparePolicies(enforcedKinds)
  return [...byTier.entries()]
    .map(([name, list]) => {
      list.sort(cmp)
      return { tier: tiers.get(name) as CompiledTier, policies: list, refs: list.map((p) => p.ref) }
    })
    .sort((a, b) => compareTiers(a.tier, b.tier))
}

// ---- inventory ----

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort()
  let s = ''
  for (const k of keys) s += `${k}\u0000${labels[k]}\u0001`
  return s
}

/**
 * The label set of a workload (§3.2, §5), as Felix receives it from the workload-endpoint
 * update processor: own labels without any `pcns.`/`pcsa.` key (a pod cannot pretend to be
 * in another namespace or to run as another service account); namespace, orchestrator and
 * service account written over them (the service account whatever its length: the processor
 * copies it from the endpoint spec, not from a Kubernetes label); then `pcns.*` from the
 * namespace and `pcsa.*` from the service account.
 */
export function workloadLabels(
  ep: Endpoint,
  nsLabels: Labels | undefined,
  saLabels: Labels | undefined,
): Record<string, string> {
  const ns = ep.namespace ?? 'default'
  const sa = ep.serviceAccount ?? 'default'
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(ep.labels ?? {})) {
    if (!k.startsWith('pcns.') && !k.startsWith('pcsa.')) out[k] = v
  }
  out[NS_LABEL] = ns
  out[ORCH_LABEL] = 'k8s'
  out[SA_LABEL] = sa
  Object.assign(out, namespaceProfileLabels(ns, nsLabels))
  for (const [k, v] of Object.entries(saLabels ?? {})) out[`pcsa.${k}`] = v
  out['pcsa.projectcalico.org/name'] = sa
  return out
}

/** The `labelsToApply` of a namespace's profile: `pcns.`-prefixed labels plus the name labels. */
function namespaceProfileLabels(ns: string, nsLabels: Labels | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(nsLabels ?? {})) out[`pcns.${k}`] = v
  // Kubernetes sets kubernetes.io/metadata.name on every namespace.
  out['pcns.kubernetes.io/metadata.name'] = ns
  out['pcns.projectcalico.org/name'] = ns
  return out
}

function hostProfiles(ep: Endpoint): string[] {
  return ep.profiles ?? []
}

/**
 * Compiles policies and inventory once. Throws a PolicyError when a selector does not parse
 * (validated resources never do).
 */
export function compilePolicySet(input: PolicySetInput): CompiledModel {
  const warnings: PolicyError[] = []
  const tiers = new Map<string, CompiledTier>()
  for (const [name, t] of Object.entries(BUILTIN_TIER_SETTINGS)) {
    tiers.set(name, { name, declared: true, order: t.order, defaultAction: t.defaultAction })
  }
  for (const r of input.resources) {
    if (r.kind !== 'Tier') continue
    // Any defaultAction other than Pass is Deny (Felix's tier processor).
    tiers.set(r.metadata.name, {
      name: r.metadata.name,
      declared: true,
      order: r.spec?.order ?? BUILTIN_TIER_SETTINGS[r.metadata.name]?.order,
      defaultAction: r.spec?.defaultAction === 'Pass' ? 'Pass' : 'Deny',
    })
  }
  const table: SelectorTable = { slots: [], byText: new Map() }
  const policies: CompiledPolicy[] = []
  // A staged Kubernetes policy without policyTypes: Calico's own conversion (the pending view)
  // gives it [Ingress], while pressing Enforce creates a NetworkPolicy the API server defaults
  // to [Ingress, Egress] when it has egress rules. The replacement view uses that variant.
  const enforcedAs = new Map<CompiledPolicy, CompiledPolicy>()
  const variants = new Set<CompiledPolicy>()
  for (const r of input.resources) {
    const p = compilePolicy(r, policies.length, table, warnings)
    if (!p) continue
    policies.push(p)
    if (
      r.kind === 'StagedKubernetesNetworkPolicy' &&
      !r.spec.policyTypes?.length &&
      r.spec.egress?.length
    ) {
      const asEnforced = { ...r, spec: { ...r.spec, policyTypes: ['Ingress', 'Egress'] } }
      const v = compilePolicy(asEnforced as Resource, policies.length, table, [])
      if (v) {
        policies.push(v)
        enforcedAs.set(p, v)
        variants.add(v)
      }
    }
    if (!tiers.has(p.ref.tier)) {
      // A tier no Tier resource declares: Felix sorts it after every declared tier, with no
      // order, and treats its (empty) default action as Deny.
      tiers.set(p.ref.tier, {
        name: p.ref.tier,
        declared: false,
        order: undefined,
        defaultAction: 'Deny',
      })
      warnings.push(
        new PolicyError(
          ErrorCodes.INVALID_VALUE,
          `tier '${p.ref.tier}' is not declared; it is evaluated after every declared tier with default action Deny`,
          {
            resource: `${p.ref.kind} ${p.ref.namespace ? `${p.ref.namespace}/` : ''}${p.ref.name}`,
            field: 'spec.tier',
          },
        ),
      )
    }
  }
  const enforced = policies.filter((p) => !p.ref.staged)
  // The staged view: a staged policy replaces the enforced policy of the same kind, namespace
  // and name. Names are compared as written first; failing that, a legacy `<tier>.`-prefixed
  // name matches its bare form within the same tier.
  const replaced = new Map<string, CompiledPolicy>()
  const legacyKeys = new Map<string, string>()
  for (const p of enforced) {
    replaced.set(p.twinKey, p)
    legacyKeys.set(p.legacyKey, p.twinKey)
  }
  for (const p of policies) {
    if (!p.ref.staged) continue
    const key = replaced.has(p.twinKey) ? p.twinKey : (legacyKeys.get(p.legacyKey) ?? p.twinKey)
    if (variants.has(p)) continue
    if (p.stagedAction === 'Delete') replaced.delete(key)
    else if (p.stagedAction === 'Set' || p.stagedAction === 'Learn')
      replaced.set(key, enforcedAs.get(p) ?? p)
  }
  const pending = policies.filter(
    (p) => !variants.has(p) && (!p.ref.staged || p.stagedAction !== 'Delete'),
  )
  const views: [ViewTier[], ViewTier[], ViewTier[]] = [
    buildView(enforced, tiers, false),
    buildView([...replaced.values()], tiers, true),
    buildView(pending, tiers, false),
  ]
  const ranks = views.map((view) => {
    const rank = new Int32Array(policies.length).fill(-1)
    let i = 0
    for (const vt of view) for (const p of vt.policies) rank[p.id] = i++
    return rank
  }) as [Int32Array, Int32Array, Int32Array]
  const globalPolicies: CompiledPolicy[] = []
  const policiesByNamespace = new Map<string, CompiledPolicy[]>()
  const globalUnindexed: CompiledPolicy[] = []
  const globalIndex = new Map<string, Map<string, CompiledPolicy[]>>()
  for (const p of policies) {
    if (p.namespace === undefined) {
      globalPolicies.push(p)
      const key = p.appliesKey
      if (!key) globalUnindexed.push(p)
      else {
        let byValue = globalIndex.get(key.label)
        if (!byValue) {
          byValue = new Map()
          globalIndex.set(key.label, byValue)
        }
        for (const v of new Set(key.values)) {
          const list = byValue.get(v)
          if (list) list.push(p)
          else byValue.set(v, [p])
        }
      }
    } else {
      const list = policiesByNamespace.get(p.namespace)
      if (list) list.push(p)
      else policiesByNamespace.set(p.namespace, [p])
    }
  }

  const globalLabelMap = new Map<string, boolean>()
  for (const p of globalPolicies) {
    for (const [label, byValue] of p.appliesLabels) {
      globalLabelMap.set(label, byValue || globalLabelMap.get(label) === true)
    }
  }
  const globalLabels = [...globalLabelMap.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))

  // Identities and owners.
  const identities: Identity[] = []
  const identityByKey = new Map<string, number>()
  const identityOf = (labels: Labels, namespace: string | undefined): number => {
    const key = labelKey(labels)
    let id = identityByKey.get(key)
    if (id === undefined) {
      id = identities.length
      identities.push({ labels, namespace, applied: [] })
      identityByKey.set(key, id)
    }
    return id
  }
  const nsLabels = new Map<string, Labels>()
  for (const n of input.namespaces ?? []) nsLabels.set(n.name, n.labels ?? {})
  const saLabels = new Map<string, Labels>()
  for (const s of input.serviceAccounts ?? [])
    saLabels.set(`${s.namespace}/${s.name}`, s.labels ?? {})

  const endpoints: CompiledEndpoint[] = []
  const endpointByRef = new Map<string, number>()
  const owners: AddressOwner[] = []
  const exact4 = new Map<number, number[]>()
  const exact6 = new Map<bigint, number[]>()
  const addExact = (ip: IP, owner: number) => {
    if (ip.family === 4) {
      const l = exact4.get(ip.value)
      if (l) l.push(owner)
      else exact4.set(ip.value, [owner])
    } else {
      const l = exact6.get(ip.value)
      if (l) l.push(owner)
      else exact6.set(ip.value, [owner])
    }
  }
  for (const ep of input.endpoints) {
    const kind = ep.kind ?? 'workload'
    const index = endpoints.length
    let labels: Labels
    let ref: string
    let profiles: string[]
    if (kind === 'workload') {
      const ns = ep.namespace ?? 'default'
      const sa = ep.serviceAccount ?? 'default'
      labels = workloadLabels(ep, nsLabels.get(ns), saLabels.get(`${ns}/${sa}`))
      ref = `${ns}/${ep.name}`
      profiles = [`kns.${ns}`, `ksa.${ns}.${sa}`]
    } else {
      labels = { ...(ep.labels ?? {}) }
      ref = ep.name
      profiles = hostProfiles(ep)
    }
    const identity = identityOf(
      labels,
      kind === 'workload' ? (ep.namespace ?? 'default') : undefined,
    )
    const ips: IP[] = []
    for (const t of ep.ips ?? []) {
      const ip = parseIP(t)
      if (ip) ips.push(ip)
    }
    const owner = owners.length
    endpoints.push({
      index,
      ref,
      kind,
      identity,
      ips,
      ports: ep.ports ?? [],
      profiles,
      self: [owner],
    })
    if (!endpointByRef.has(ref)) endpointByRef.set(ref, index)
    owners.push({ identity, endpoint: index, ports: ep.ports ?? [] })
    for (const ip of ips) addExact(ip, owner)
  }

  const c4 = new Map<number, Map<number, number[]>>()
  const c6 = new Map<number, Map<bigint, number[]>>()
  for (const r of input.resources) {
    if (r.kind !== 'NetworkSet' && r.kind !== 'GlobalNetworkSet') continue
    let labels: Labels
    let namespace: string | undefined
    if (r.kind === 'NetworkSet') {
      namespace = r.metadata.namespace ?? 'default'
      const own: Record<string, string> = { ...(r.metadata.labels ?? {}), [NS_LABEL]: namespace }
      for (const [k, v] of Object.entries(
        namespaceProfileLabels(namespace, nsLabels.get(namespace)),
      )) {
        if (!(k in own)) own[k] = v
      }
      labels = own
    } else {
      labels = { ...(r.metadata.labels ?? {}) }
    }
    const owner = owners.length
    owners.push({ identity: identityOf(labels, namespace), endpoint: -1, ports: [] })
    for (const n of r.spec?.nets ?? []) {
      const c = parseCIDR(n)
      if (!c) continue
      if (c.family === 4) {
        let m = c4.get(c.prefix)
        if (!m) {
          m = new Map()
          c4.set(c.prefix, m)
        }
        const l = m.get(c.lo)
        if (l) l.push(owner)
        else m.set(c.lo, [owner])
      } else {
        let m = c6.get(c.prefix)
        if (!m) {
          m = new Map()
          c6.set(c.prefix, m)
        }
        const l = m.get(c.lo)
        if (l) l.push(owner)
        else m.set(c.lo, [owner])
      }
    }
  }
  const V6_ALL = (1n << 128n) - 1n
  return {
    hasPhases: policies.some((p) => p.phase !== 'normal'),
    tiers,
    policies,
    views,
    ranks,
    globalPolicies,
    globalUnindexed,
    globalIndex,
    globalLabels,
    globalMatches: new Map(),
    matchGroups: new Map(),
    policiesByNamespace,
    endpoints,
    endpointByRef,
    identities,
    selectors: table.slots,
    owners,
    exact4,
    exact6,
    cidr4: [...c4.entries()].map(([prefix, map]) => ({ prefix, size: 2 ** (32 - prefix), map })),
    cidr6: [...c6.entries()].map(([prefix, map]) => ({
      prefix,
      mask: V6_ALL ^ (prefix === 128 ? 0n : V6_ALL >> BigInt(prefix)),
      map,
    })),
    ownerCache: new Map(),
    warnings,
  }
}
