/**
 * Policy recommendations: from the stored flows of a namespace, a StagedNetworkPolicy in the
 * `namespace-isolation` tier that allows what was observed and nothing else. Only flows that
 * were allowed and that no policy evaluated before the recommendation already decides become
 * rules; a denied flow (a lateral-movement attempt) never does.
 */

import type { CompiledModel } from '../evaluator/compile.ts'
import { compilePolicySet } from '../evaluator/compile.ts'
import { evaluateResolved, ownersOf, resolveFlow } from '../evaluator/evaluate.ts'
import { parseIP } from '../evaluator/ip.ts'
import { describeDecision } from '../evaluator/trace.ts'
import type { DirectionTrace, Flow, FlowSide } from '../evaluator/types.ts'
import { classifyAddress, longestPrefixNetworkSet } from '../flowlog/address.ts'
import { evaluatorProtocol, groupId, recordsToFlows, tupleOfRecord } from '../impact/records.ts'
import type { FlowTuple, ImpactFlow, ImpactGroupKey, ResolvedPeer } from '../impact/types.ts'
import type {
  Endpoint,
  GlobalNetworkSet,
  NetworkSet,
  Port,
  Protocol,
  Resource,
  Rule,
  StagedNetworkPolicy,
  Tier,
} from '../resources/types.ts'
import { CALICO_API_VERSION } from '../resources/types.ts'
import { printSelector } from '../selector/index.ts'
import { settleRecommendation } from './lifecycle.ts'
import {
  addressPeer,
  hostPeer,
  namespacePeer,
  networkSetPeer,
  type Peer,
  peerId,
  type WorkloadKey,
  workloadOf,
  workloadSelector,
} from './peers.ts'
import {
  type EvidenceFlow,
  type ExcludedFlow,
  RECOMMENDATION_ANNOTATIONS,
  RECOMMENDATION_LABELS,
  RECOMMENDATION_TIER,
  type RecommendationState,
  type RecommendInput,
  type RecommendResult,
  type RuleEvidence,
} from './types.ts'

/** Order of recommended policies inside their tier. */
export const RECOMMENDATION_ORDER = 100
/** Most endpoint pairs judged for one aggregated record. */
const MAX_COMBINATIONS = 256
/** Stand-ins for an address nothing owns, by class (the first nothing owns is used). */
const NET_CANDIDATES: Readonly<Record<'pvt' | 'pub', readonly string[]>> = {
  pvt: ['10.255.255.254', '172.31.255.254', '192.168.255.254'],
  pub: ['203.0.113.254', '198.51.100.254', '192.0.2.254', '8.8.8.8'],
}
const DNS_LABEL = { label: 'k8s-app', value: 'kube-dns' }

/** A DNS-label-safe fragment of a name. */
function nameFragment(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/**
 * The name of the recommendation of a namespace (`<ns>-recommendation`) or of one workload
 * (`<ns>-<workload>-recommendation`). Stable, so regenerating rewrites the same policy.
 */
export function recommendationName(namespace: string, workload?: string): string {
  return workload
    ? `${nameFragment(namespace)}-${nameFragment(workload)}-recommendation`
    : `${nameFragment(namespace)}-recommendation`
}

/**
 * The order for a new `namespace-isolation` tier: after every declared tier that comes before
 * `default` (so that the security and platform tiers keep deciding first, and a quarantine is
 * never bypassed by a recommended allow), and before `default` (whose Kubernetes policies and
 * default deny come later).
 */
export function recommendationTierOrder(resources: readonly Resource[]): number {
  const limit = 1_000_000
  let max = 0
  for (const r of resources) {
    if (r.kind !== 'Tier' || r.metadata.name === RECOMMENDATION_TIER) continue
    const o = r.spec?.order
    if (o !== undefined && o < limit && o > max) max = o
  }
  return Math.min(max + 100, (max + limit) / 2)
}

/** Tier sort key as Felix sorts: declared first, then order (none last), then name. */
function tierRank(model: CompiledModel, name: string, ours: { order: number }): [number, number] {
  const t =
    name === RECOMMENDATION_TIER ? { declared: true, order: ours.order } : model.tiers.get(name)
  if (!t) return [1, Number.POSITIVE_INFINITY]
  return [t.declared ? 0 : 1, t.order ?? Number.POSITIVE_INFINITY]
}

function before(model: CompiledModel, tier: string, ours: { order: number }): boolean {
  if (tier === RECOMMENDATION_TIER) return true
  const [ad, ao] = tierRank(model, tier, ours)
  const [bd, bo] = tierRank(model, RECOMMENDATION_TIER, ours)
  if (ad !== bd) return ad < bd
  if (ao !== bo) return ao < bo
  return tier < RECOMMENDATION_TIER
}

/** Whether a direction was decided by a policy evaluated before the recommendation. */
function decidedBefore(model: CompiledModel, t: DirectionTrace, ours: { order: number }): boolean {
  const d = t.decidedBy
  if (d.by === 'rule' || d.by === 'endOfTier') return before(model, d.tier, ours)
  return false
}

/** Calico's name for a flow-log protocol. */
function ruleProtocol(proto: string): Protocol {
  const p = evaluatorProtocol(proto) ?? proto
  if (/^\d+$/.test(p)) return Number(p)
  const upper = p.toUpperCase()
  if (upper === 'ICMPV6') return 'ICMPv6'
  if (upper === 'UDPLITE') return 'UDPLite'
  return upper as Protocol
}

function hasPorts(p: Protocol): boolean {
  return p === 'TCP' || p === 'UDP' || p === 'SCTP' || p === 'UDPLite' || p === 6 || p === 17
}

/** Concrete sides standing for a resolved peer. */
function sidesOf(model: CompiledModel, peer: ResolvedPeer): FlowSide[] {
  switch (peer.kind) {
    case 'endpoints':
      return peer.refs.map((endpoint) => ({ endpoint }))
    case 'ip':
    case 'set':
      return [{ ip: peer.ip }]
    case 'net': {
      const ip = NET_CANDIDATES[peer.class].find((c) => ownersOf(model, parseIP(c)).length === 0)
      return ip ? [{ ip }] : []
    }
  }
}

interface Context {
  input: RecommendInput
  model: CompiledModel
  ours: { order: number }
  endpoints: Map<string, Endpoint>
  sets: (NetworkSet | GlobalNetworkSet)[]
  /** Whether any stored flow touches the namespace (`NoData` otherwise). */
  observed: boolean
}

/** The peer a rule names for the far side of a flow. */
function peerOf(ctx: Context, side: FlowSide, resolved: ResolvedPeer): Peer | undefined {
  if ('endpoint' in side) {
    const e = ctx.endpoints.get(side.endpoint)
    if (!e) return undefined
    if (e.kind === 'host') return hostPeer(e)
    const ns = e.namespace ?? ''
    return namespacePeer(ns, ctx.input.perWorkload ? workloadOf(e) : undefined)
  }
  const family = side.ip.includes(':') ? 6 : 4
  if (resolved.kind === 'set') {
    const set = ctx.sets.find(
      (s) =>
        (s.metadata.namespace ?? '') === resolved.namespace && s.metadata.name === resolved.name,
    )
    if (set) return networkSetPeer(set, family)
  }
  if (resolved.kind === 'net') return addressPeer(resolved.class, family)
  const match = longestPrefixNetworkSet(side.ip, ctx.sets)
  if (match) return networkSetPeer(match.set, family)
  return addressPeer(classifyAddress(side.ip), family)
}

function isDns(ctx: Context, side: FlowSide, proto: Protocol, port: number | null): boolean {
  if (!('endpoint' in side) || port !== 53 || (proto !== 'UDP' && proto !== 'TCP')) return false
  return ctx.endpoints.get(side.endpoint)?.labels?.[DNS_LABEL.label] === DNS_LABEL.value
}

/** One rule being built: its peer and protocol, ports, and evidence by group. */
interface RuleDraft {
  peer: Peer
  protocol: Protocol
  ports: Set<number>
  /** True for the DNS rule (kept even without flows). */
  dns: boolean
  evidence: Map<string, EvidenceFlow>
}

/** One policy being built: a namespace's or a workload's. */
interface PolicyDraft {
  name: string
  workload?: WorkloadKey
  ingress: Map<string, RuleDraft>
  egress: Map<string, RuleDraft>
}

function addEvidence(into: Map<string, EvidenceFlow>, key: ImpactGroupKey, count: number): void {
  const id = groupId(key)
  const e = into.get(id)
  if (e) e.count += count
  else into.set(id, { key, count })
}

function draftFor(
  drafts: Map<string, PolicyDraft>,
  ctx: Context,
  local: Endpoint,
): PolicyDraft | undefined {
  const ns = ctx.input.namespace
  let workload: WorkloadKey | undefined
  if (ctx.input.perWorkload) {
    workload = workloadOf(local)
    if (!workload) return undefined
  }
  const name = recommendationName(ns, workload?.value)
  let d = drafts.get(name)
  if (!d) {
    d = { name, ...(workload ? { workload } : {}), ingress: new Map(), egress: new Map() }
    drafts.set(name, d)
  }
  return d
}

function addRule(
  rules: Map<string, RuleDraft>,
  peer: Peer,
  protocol: Protocol,
  port: number | null,
  dns: boolean,
): RuleDraft {
  const id = `${dns ? 'dns|' : ''}${peerId(peer)}|${protocol}`
  let r = rules.get(id)
  if (!r) {
    r = { peer, protocol, ports: new Set(), dns, evidence: new Map() }
    rules.set(id, r)
  }
  if (port !== null && hasPorts(protocol)) r.ports.add(port)
  return r
}

/** The flows of one stored record, judged; evidence added to the drafts or an exclusion returned. */
function judgeRecord(
  ctx: Context,
  drafts: Map<string, PolicyDraft>,
  reportedDenied: string | undefined,
  f: ImpactFlow,
): ExcludedFlow | undefined {
  const key = f.group
  const count = f.count
  if (f.uncertain) return { key, count, reason: 'unknown', decidedBy: f.detail ?? f.uncertain }
  if (reportedDenied) return { key, count, reason: 'denied', decidedBy: reportedDenied }
  const srcs = sidesOf(ctx.model, f.source)
  const dsts = sidesOf(ctx.model, f.destination)
  if (!srcs.length || !dsts.length || srcs.length * dsts.length > MAX_COMBINATIONS) {
    return { key, count, reason: 'unknown', decidedBy: 'the record stands for too many pairs' }
  }
  const protocol = ruleProtocol(f.protocol)
  const ns = ctx.input.namespace
  const wanted: Array<() => RuleDraft | undefined> = []
  let decided: string | undefined
  for (const source of srcs) {
    for (const destination of dsts) {
      const flow: Flow = {
        id: '',
        source,
        destination,
        protocol: evaluatorProtocol(f.protocol) ?? f.protocol,
        ...(f.port !== null ? { port: f.port } : {}),
      }
      const v = evaluateResolved(ctx.model, resolveFlow(ctx.model, flow), 'enforced')
      if (v.action === 'Deny') {
        const t = v.egress?.action === 'Deny' ? v.egress : v.ingress
        return { key, count, reason: 'denied', ...(t ? { decidedBy: describeDecision(t) } : {}) }
      }
      const sides = [
        { trace: v.egress, local: source, far: destination, farPeer: f.destination },
        { trace: v.ingress, local: destination, far: source, farPeer: f.source },
      ]
      for (const s of sides) {
        if (!s.trace || !('endpoint' in s.local)) continue
        const local = ctx.endpoints.get(s.local.endpoint)
        if (!local || local.kind === 'host' || local.namespace !== ns) continue
        if (decidedBefore(ctx.model, s.trace, ctx.ours)) {
          decided ??= describeDecision(s.trace)
          continue
        }
        const egress = s.trace.direction === 'egress'
        const far = s.far
        const farPeer = s.farPeer
        wanted.push(() => {
          const draft = draftFor(drafts, ctx, local)
          if (!draft) return undefined
          const dns = egress && isDns(ctx, far, protocol, f.port)
          const peer = dns ? dnsPeer(ctx) : peerOf(ctx, far, farPeer)
          if (!peer) return undefined
          return addRule(egress ? draft.egress : draft.ingress, peer, protocol, f.port, dns)
        })
      }
    }
  }
  if (wanted.length === 0) {
    return { key, count, reason: 'decided', ...(decided ? { decidedBy: decided } : {}) }
  }
  const touched = new Set<RuleDraft>()
  for (const w of wanted) {
    const rule = w()
    if (rule) touched.add(rule)
  }
  // Once per rule: a record standing for several pod pairs counts its flows once.
  for (const rule of touched) addEvidence(rule.evidence, key, count)
  return undefined
}

/** Where kube-dns runs: the namespace of the `k8s-app: kube-dns` pods (kube-system when none). */
function dnsNamespace(ctx: Context): string {
  for (const e of ctx.endpoints.values()) {
    if (e.labels?.[DNS_LABEL.label] === DNS_LABEL.value && e.namespace) return e.namespace
  }
  return 'kube-system'
}

function dnsPeer(ctx: Context): Peer {
  return namespacePeer(dnsNamespace(ctx), DNS_LABEL)
}

function sortedPorts(ports: ReadonlySet<number>): Port[] {
  return [...ports].sort((a, b) => a - b)
}

function toRules(
  ctx: Context,
  policy: string,
  direction: 'ingress' | 'egress',
  drafts: ReadonlyMap<string, RuleDraft>,
  evidence: RuleEvidence[],
): Rule[] {
  const lastUpdated = new Date(ctx.input.now).toISOString()
  const list = [...drafts.values()].sort((a, b) => {
    if (a.dns !== b.dns) return a.dns ? -1 : 1
    if (a.peer.sortKey !== b.peer.sortKey) return a.peer.sortKey < b.peer.sortKey ? -1 : 1
    return String(a.protocol) < String(b.protocol) ? -1 : 1
  })
  return list.map((d, ruleIndex) => {
    const ports = sortedPorts(d.ports)
    const portPart = ports.length ? { ports } : {}
    const rule: Rule = {
      action: 'Allow',
      protocol: d.protocol,
      ...(direction === 'egress'
        ? { destination: { ...d.peer.entity, ...portPart } }
        : {
            ...(Object.keys(d.peer.entity).length ? { source: d.peer.entity } : {}),
            ...(ports.length ? { destination: portPart } : {}),
          }),
      metadata: {
        annotations: {
          [RECOMMENDATION_ANNOTATIONS.lastUpdated]: lastUpdated,
          [RECOMMENDATION_ANNOTATIONS.scope]: d.peer.scope,
          [RECOMMENDATION_ANNOTATIONS.name]: d.peer.name,
          [RECOMMENDATION_ANNOTATIONS.namespace]: d.peer.namespace,
        },
      },
    }
    const flows = [...d.evidence.values()].sort(
      (a, b) => b.count - a.count || (groupId(a.key) < groupId(b.key) ? -1 : 1),
    )
    evidence.push({
      policy,
      direction,
      ruleIndex,
      scope: d.peer.scope,
      peer: d.peer.name,
      flows,
      count: flows.reduce((n, x) => n + x.count, 0),
    })
    return rule
  })
}

/** The staged policy of a draft. */
function toPolicy(ctx: Context, d: PolicyDraft, evidence: RuleEvidence[]): StagedNetworkPolicy {
  const ns = ctx.input.namespace
  const egress = toRules(ctx, d.name, 'egress', d.egress, evidence)
  const ingress = toRules(ctx, d.name, 'ingress', d.ingress, evidence)
  return {
    apiVersion: CALICO_API_VERSION,
    kind: 'StagedNetworkPolicy',
    metadata: {
      name: d.name,
      namespace: ns,
      labels: {
        [RECOMMENDATION_LABELS.tier]: RECOMMENDATION_TIER,
        [RECOMMENDATION_LABELS.stagedAction]: 'Learn',
        [RECOMMENDATION_LABELS.ownerKind]: 'PolicyRecommendationScope',
        [RECOMMENDATION_LABELS.scope]: 'namespace',
      },
      annotations: {
        [RECOMMENDATION_ANNOTATIONS.status]: ctx.observed ? 'Learning' : 'NoData',
        [RECOMMENDATION_ANNOTATIONS.lastUpdated]: new Date(ctx.input.now).toISOString(),
      },
    },
    spec: {
      tier: RECOMMENDATION_TIER,
      order: RECOMMENDATION_ORDER,
      selector: d.workload
        ? workloadSelector(d.workload)
        : printSelector({ kind: 'eq', label: 'projectcalico.org/namespace', value: ns }),
      types: [
        ...(egress.length ? ['Egress' as const] : []),
        ...(ingress.length ? ['Ingress' as const] : []),
      ],
      ...(egress.length ? { egress } : {}),
      ...(ingress.length ? { ingress } : {}),
      stagedAction: 'Learn',
    },
  }
}

function stateOf(stored: Resource | undefined): RecommendationState {
  if (stored?.kind !== 'StagedNetworkPolicy') return 'new'
  const action = stored.spec.stagedAction
  if (action === 'Set') return 'accepted'
  if (action === 'Ignore') return 'dismissed'
  return 'learning'
}

/**
 * Recommends staged policies that isolate a namespace, from its stored flows.
 *
 * Every stored record with a side in the namespace is judged with the enforced policies. A
 * flow denied (by the evaluator, or as reported) is never turned into an allow rule: lateral
 * movement stays blocked. For an allowed flow, each direction evaluated in the namespace
 * (egress at a source pod, ingress at a destination pod) that no policy before the
 * `namespace-isolation` tier decides becomes an Allow rule: peer by namespace selector (and
 * workload selector per workload), network set, or private/public nets; ports merged and
 * sorted. DNS to kube-dns is always allowed on egress. Policies already accepted (`Set`) or
 * dismissed (`Ignore`) are returned as stored.
 *
 * @returns the policies (stagedAction `Learn`), the tier to create when missing, the evidence
 * of every rule and the flows that produced none.
 * @example recommendPolicies({ resources, inventory, flows, namespace: 'shop', now: Date.now() })
 */
export function recommendPolicies(input: RecommendInput): RecommendResult {
  const declared = input.resources.find(
    (r): r is Tier => r.kind === 'Tier' && r.metadata.name === RECOMMENDATION_TIER,
  )
  const order = declared?.spec?.order ?? recommendationTierOrder(input.resources)
  const model = compilePolicySet({ resources: input.resources, ...input.inventory })
  const ctx: Context = {
    input,
    model,
    ours: { order },
    endpoints: new Map(
      input.inventory.endpoints.map((e) => [
        e.kind === 'host' ? e.name : `${e.namespace ?? ''}/${e.name}`,
        e,
      ]),
    ),
    sets: input.resources.filter(
      (r): r is NetworkSet | GlobalNetworkSet =>
        r.kind === 'NetworkSet' || r.kind === 'GlobalNetworkSet',
    ),
    observed: false,
  }
  const ns = input.namespace
  const records: Array<{ tuple: FlowTuple; denied: string | undefined }> = []
  for (const item of input.flows) {
    const tuple = 'start_time' in item ? tupleOfRecord(item) : item
    const inNs = (p: FlowTuple['source']) => p.type === 'wep' && p.namespace === ns
    if (!inNs(tuple.source) && !inNs(tuple.destination)) continue
    let denied: string | undefined
    if ('start_time' in item) {
      if (item.action === 'deny') denied = `reported denied by ${item.reporter}`
    } else if (item.denied) denied = 'reported denied'
    records.push({ tuple, denied })
  }
  const flows = recordsToFlows(
    records.map((r) => r.tuple),
    { endpoints: input.inventory.endpoints, networkSets: ctx.sets },
  )
  ctx.observed = records.length > 0
  const drafts = new Map<string, PolicyDraft>()
  const excluded = new Map<string, ExcludedFlow>()
  records.forEach((record, i) => {
    const f = flows[i] as ImpactFlow
    const out = judgeRecord(ctx, drafts, record.denied, f)
    if (!out) return
    const id = `${out.reason}|${groupId(out.key)}`
    const seen = excluded.get(id)
    if (seen) seen.count += out.count
    else excluded.set(id, out)
  })
  // Without traffic, a namespace's pods still get a policy (DNS only) when asked as a whole.
  if (!input.perWorkload && drafts.size === 0) {
    drafts.set(recommendationName(ns), {
      name: recommendationName(ns),
      ingress: new Map(),
      egress: new Map(),
    })
  }
  const dns = dnsPeer(ctx)
  for (const d of drafts.values()) {
    addRule(d.egress, dns, 'UDP', 53, true)
    addRule(d.egress, dns, 'TCP', 53, true)
  }
  const evidence: RuleEvidence[] = []
  const policies: StagedNetworkPolicy[] = []
  const states: Record<string, RecommendationState> = {}
  const sorted = [...drafts.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const d of sorted) {
    const stored = input.resources.find(
      (r) =>
        r.kind === 'StagedNetworkPolicy' &&
        r.metadata.namespace === ns &&
        r.metadata.name === d.name,
    )
    const state = stateOf(stored)
    states[d.name] = state
    // Evidence is computed either way: for an accepted or dismissed policy it describes the
    // rules the engine would write now, which match the stored ones unless they were edited.
    const fresh = settleRecommendation(
      toPolicy(ctx, d, evidence),
      state === 'learning' && stored?.kind === 'StagedNetworkPolicy' ? stored : undefined,
      input.now,
      ctx.observed,
      input.timing,
    )
    const keep =
      (state === 'accepted' || state === 'dismissed') && stored?.kind === 'StagedNetworkPolicy'
    policies.push(keep ? stored : fresh)
  }
  return {
    policies,
    states,
    ...(declared
      ? {}
      : {
          tier: {
            apiVersion: CALICO_API_VERSION,
            kind: 'Tier',
            metadata: { name: RECOMMENDATION_TIER },
            spec: { order },
          },
        }),
    evidence,
    excluded: [...excluded.values()].sort((a, b) => b.count - a.count),
  }
}
