/**
 * Judging flows against a compiled model (calico-semantics.md §3.5–3.8): per direction, tiers in
 * order, first matching rule per policy, Pass to the next tier, end-of-tier default action,
 * profiles last. Rule selectors match by address: the owners of an address (endpoints with that
 * IP, network sets whose CIDRs contain it) are found once per address, and each selector's
 * result is memoised per owner label set.
 */
import { ErrorCodes, PolicyError } from '../errors.ts'
import { judgeFlowBatch, type TupleVerdicts } from './batch.ts'
import {
  type CompiledEndpoint,
  type CompiledEntity,
  type CompiledModel,
  type CompiledPolicy,
  type CompiledRule,
  type CompiledTier,
  type Identity,
  type MatchGroup,
  type PolicyPhase,
  type PortMatch,
  protocolNumber,
  VIEW_INDEX,
  type ViewTier,
} from './compile.ts'
import { type IP, parseIP } from './ip.ts'
import type {
  Decision,
  DirectionTrace,
  Flow,
  FlowResult,
  FlowSide,
  PolicyRef,
  ProfileTrace,
  RuleMatch,
  TierTrace,
  Verdict,
  ViewName,
} from './types.ts'

/** A flow with its sides resolved to endpoints and addresses. */
export interface ResolvedFlow {
  src: CompiledEndpoint | undefined
  dst: CompiledEndpoint | undefined
  srcIP: IP | undefined
  dstIP: IP | undefined
  /** IP family of the flow; undefined when neither side has an address. */
  family: 4 | 6 | undefined
  srcOwners: readonly number[]
  dstOwners: readonly number[]
  protocol: number
  port: number | undefined
  icmpType: number | undefined
  icmpCode: number | undefined
}

/** Options of `evaluateFlow(s)`. */
export interface EvaluateOptions {
  /** Also compute Calico's flow-log pending view. */
  pending?: boolean
}

const EMPTY: readonly number[] = []
/** TCP's protocol number: the protocol of named ports a rule without one looks up. */
const TCP = 6

/** The owners (address-owner ids) of an address: endpoints with it, network sets containing it. */
export function ownersOf(model: CompiledModel, ip: IP | undefined): readonly number[] {
  if (!ip) return EMPTY
  const onIp = (ip as IP & { owners?: readonly number[] }).owners
  if (onIp) return onIp
  const cached = model.ownerCache.get(ip.value)
  if (cached) return cached
  const out: number[] = []
  if (ip.family === 4) {
    const exact = model.exact4.get(ip.value)
    if (exact) out.push(...exact)
    for (const b of model.cidr4) {
      const hit = b.map.get(Math.floor(ip.value / b.size) * b.size)
      if (hit) out.push(...hit)
    }
  } else {
    const exact = model.exact6.get(ip.value)
    if (exact) out.push(...exact)
    for (const b of model.cidr6) {
      const hit = b.map.get(ip.value & b.mask)
      if (hit) out.push(...hit)
    }
  }
  model.ownerCache.set(ip.value, out)
  ;(ip as IP & { owners?: readonly number[] }).owners = out
  return out
}

function firstOfFamily(ep: CompiledEndpoint, family: 4 | 6 | undefined): IP | undefined {
  if (family === undefined) return undefined
  for (const ip of ep.ips) if (ip.family === family) return ip
  return undefined
}

function sideError(path: string, message: string): PolicyError {
  return new PolicyError(ErrorCodes.SCENARIO, message, { field: path })
}

/** A flow side resolved once: the endpoint it names (or whose address it is) and its address. */
export interface ResolvedSide {
  ep: CompiledEndpoint | undefined
  ip: IP | undefined
}

/**
 * Resolves one side of a flow. Throws a PolicyError at `path` for an unknown endpoint or an
 * invalid address.
 */
export function resolveSide(model: CompiledModel, side: FlowSide, path: string): ResolvedSide {
  if ('endpoint' in side) {
    const idx = model.endpointByRef.get(side.endpoint)
    if (idx === undefined) {
      throw sideError(
        `${path}.endpoint`,
        `expected the namespace/name of an endpoint (or a host endpoint's name), got '${side.endpoint}'`,
      )
    }
    return { ep: model.endpoints[idx], ip: undefined }
  }
  const ip = parseIP(side.ip)
  if (!ip) throw sideError(`${path}.ip`, `expected an IPv4 or IPv6 address, got '${side.ip}'`)
  // An address of an endpoint of the inventory is that endpoint.
  const exact = ip.family === 4 ? model.exact4.get(ip.value) : model.exact6.get(ip.value)
  for (const o of exact ?? []) {
    const ep = model.owners[o]?.endpoint ?? -1
    if (ep >= 0) return { ep: model.endpoints[ep], ip }
  }
  return { ep: undefined, ip }
}

/**
 * Resolves a flow from its resolved sides and a valid protocol number: an endpoint side takes
 * the endpoint's first address of the flow's family (between two endpoints, the first source
 * address whose family the destination also has; ICMP and ICMPv6 take their own family); an
 * address side is that address. An endpoint side without an address of that family is
 * matched by selectors as itself, and never by CIDRs. ICMP flows
 * ignore the port and default their type (echo request) and code (0); other flows ignore ICMP
 * fields.
 */
export function resolveTuple(
  model: CompiledModel,
  s: ResolvedSide,
  d: ResolvedSide,
  protocol: number,
  port: number | undefined,
  icmpType: number | undefined,
  icmpCode: number | undefined,
): ResolvedFlow {
  let srcIP = s.ip
  let dstIP = d.ip
  let family: 4 | 6 | undefined
  // ICMP is an IPv4 protocol and ICMPv6 an IPv6 one: between endpoints, their family decides.
  const icmpFamily = protocol === 1 ? 4 : protocol === 58 ? 6 : undefined
  if (srcIP) family = srcIP.family
  else if (dstIP) family = dstIP.family
  else if (icmpFamily) family = icmpFamily
  else if (s.ep && d.ep) {
    for (const ip of s.ep.ips) {
      if (d.ep.ips.some((x) => x.family === ip.family)) {
        family = ip.family
        break
      }
    }
    family ??= s.ep.ips[0]?.family ?? d.ep.ips[0]?.family
  } else family = s.ep?.ips[0]?.family ?? d.ep?.ips[0]?.family
  if (!srcIP && s.ep) srcIP = firstOfFamily(s.ep, family)
  if (!dstIP && d.ep) dstIP = firstOfFamily(d.ep, family)
  const isIcmp = protocol === 1 || protocol === 58
  return {
    src: s.ep,
    dst: d.ep,
    srcIP,
    dstIP,
    family,
    // An endpoint without an address of the flow's family is still itself to selectors.
    srcOwners: srcIP ? ownersOf(model, srcIP) : (s.ep?.self ?? EMPTY),
    dstOwners: dstIP ? ownersOf(model, dstIP) : (d.ep?.self ?? EMPTY),
    protocol,
    port: isIcmp ? undefined : port,
    icmpType: isIcmp ? (icmpType ?? (protocol === 1 ? 8 : 128)) : undefined,
    icmpCode: isIcmp ? (icmpCode ?? 0) : undefined,
  }
}

/** The PolicyError of a protocol a flow may not carry. */
export function protocolError(protocol: unknown, path = 'protocol'): PolicyError {
  return sideError(
    path,
    `expected TCP, UDP, SCTP, ICMP, ICMPv6, UDPLite or a number 1-255, got '${String(protocol)}'`,
  )
}

/**
 * Resolves a flow's sides (see `resolveTuple`). Throws a PolicyError for an unknown endpoint,
 * an invalid address or protocol.
 */
export function resolveFlow(model: CompiledModel, flow: Flow): ResolvedFlow {
  const s = resolveSide(model, flow.source, 'source')
  const d = resolveSide(model, flow.destination, 'destination')
  const protocol = flowProtocol(flow.protocol)
  if (protocol === undefined) throw protocolError(flow.protocol)
  return resolveTuple(model, s, d, protocol, flow.port, flow.icmpType, flow.icmpCode)
}

const FLOW_PROTOCOLS: Readonly<Record<string, number>> = {
  TCP: 6,
  UDP: 17,
  ICMP: 1,
  ICMPV6: 58,
  SCTP: 132,
  UDPLITE: 136,
}

/** A flow's protocol as a number; names case-insensitively (flows are not Calico resources). */
export function flowProtocol(p: string | number): number | undefined {
  const n =
    typeof p === 'number' ? p : /^\d+$/.test(p) ? Number(p) : FLOW_PROTOCOLS[p.toUpperCase()]
  return n !== undefined && Number.isInteger(n) && n >= 1 && n <= 255 ? n : undefined
}

// ---- rule matching ----

function selectorHit(model: CompiledModel, slotId: number, owners: readonly number[]): boolean {
  const slot = model.selectors[slotId]
  if (!slot) return false
  if (slot.memo.length !== model.identities.length)
    slot.memo = new Uint8Array(model.identities.length)
  for (let i = 0; i < owners.length; i++) {
    const id = model.owners[owners[i] as number]?.identity as number
    let m = slot.memo[id] as number
    if (m === 0) {
      m = slot.match((model.identities[id] as Identity).labels) ? 2 : 1
      slot.memo[id] = m
    }
    if (m === 2) return true
  }
  return false
}

function ownerMatches(model: CompiledModel, slotId: number, owner: number): boolean {
  return slotId < 0 || selectorHit(model, slotId, [owner])
}

function portHit(
  model: CompiledModel,
  pm: PortMatch,
  port: number,
  e: CompiledEntity,
  owners: readonly number[],
  flowProto: number,
  ruleProto: number | undefined,
): boolean {
  const r = pm.ranges
  for (let i = 0; i < r.length; i += 2)
    if (port >= (r[i] as number) && port <= (r[i + 1] as number)) return true
  if (pm.named.length === 0) return false
  // Named ports: the address's endpoint must match the side's positive selector and declare
  // the name with this port and the flow's protocol, which must be the rule's; a rule without
  // a protocol looks up TCP named ports only (Felix's rule scanner: `namedPortProto` is TCP
  // unless the rule says UDP or SCTP).
  const wanted = ruleProto ?? TCP
  if (flowProto !== wanted) return false
  for (const o of owners) {
    const owner = model.owners[o]
    if (!owner || owner.endpoint < 0) continue
    for (const np of owner.ports) {
      if (np.port !== port || !pm.named.includes(np.name)) continue
      const proto = protocolNumber(np.protocol) ?? protocolNumber(String(np.protocol).toUpperCase())
      if (proto !== wanted) continue
      if (ownerMatches(model, e.selector, o)) return true
    }
  }
  return false
}

function netsHit(list: readonly { lo: number | bigint; hi: number | bigint }[], ip: IP): boolean {
  for (const c of list) if (c.lo <= ip.value && ip.value <= c.hi) return true
  return false
}

function entityMatches(
  model: CompiledModel,
  e: CompiledEntity,
  f: ResolvedFlow,
  ip: IP | undefined,
  owners: readonly number[],
  port: number | undefined,
  ruleProto: number | undefined,
): boolean {
  if (e.services) return false
  if (e.hasNets) {
    // CIDRs of the other family are ignored; a list with none of the flow's family drops the rule.
    const list = f.family === 4 ? e.nets4 : f.family === 6 ? e.nets6 : undefined
    if (!list || list.length === 0 || !ip || !netsHit(list, ip)) return false
  }
  if (e.hasNotNets) {
    const list = f.family === 4 ? e.notNets4 : f.family === 6 ? e.notNets6 : undefined
    if (!list || list.length === 0) return false
    if (ip && netsHit(list, ip)) return false
  }
  if (e.selector >= 0 && !selectorHit(model, e.selector, owners)) return false
  if (e.notSelector >= 0 && selectorHit(model, e.notSelector, owners)) return false
  if (e.ports) {
    if (port === undefined || !portHit(model, e.ports, port, e, owners, f.protocol, ruleProto))
      return false
  }
  if (
    e.notPorts &&
    port !== undefined &&
    portHit(model, e.notPorts, port, e, owners, f.protocol, ruleProto)
  ) {
    return false
  }
  return true
}

/** Whether every criterion of a rule holds for a flow (§3.6). */
export function ruleMatches(model: CompiledModel, r: CompiledRule, f: ResolvedFlow): boolean {
  if (r.ipVersion !== undefined && r.ipVersion !== f.family) return false
  if (r.protocol !== undefined && r.protocol !== f.protocol) return false
  if (r.notProtocol !== undefined && r.notProtocol === f.protocol) return false
  if (r.icmpType !== undefined) {
    if (f.icmpType !== r.icmpType) return false
    if (r.icmpCode !== undefined && f.icmpCode !== r.icmpCode) return false
  }
  if (
    r.notIcmpType !== undefined &&
    f.icmpType === r.notIcmpType &&
    (r.notIcmpCode === undefined || f.icmpCode === r.notIcmpCode)
  ) {
    return false
  }
  // Flows carry no source port: a rule on source ports never matches, source notPorts always hold.
  return (
    entityMatches(model, r.src, f, f.srcIP, f.srcOwners, undefined, r.protocol) &&
    entityMatches(model, r.dst, f, f.dstIP, f.dstOwners, f.port, r.protocol)
  )
}

// ---- per-direction verdict ----

/** The key of an identity's global matches: the values (or presence) of the labels global selectors read. */
function globalKey(model: CompiledModel, labels: Identity['labels']): string {
  let key = ''
  for (const [label, byValue] of model.globalLabels) {
    const v = labels[label]
    if (v === undefined) key += '!'
    else if (byValue) key += `${v.length}:${v}`
    else key += '+'
  }
  return key
}

/** The global policies whose applies-to selector matches a label set, by id. */
function globalMatching(model: CompiledModel, labels: Identity['labels']): CompiledPolicy[] {
  const out: CompiledPolicy[] = []
  for (const p of model.globalUnindexed) if (p.appliesTo(labels)) out.push(p)
  // Indexed global policies are only tested when the identity has their required label value.
  for (const [label, byValue] of model.globalIndex) {
    const value = labels[label]
    if (value === undefined) continue
    const list = byValue.get(value)
    if (list) for (const p of list) if (p.appliesTo(labels)) out.push(p)
  }
  // A policy indexed under several values of one label appears once per value it matches.
  out.sort((a, b) => a.id - b.id)
  let n = 0
  for (let i = 0; i < out.length; i++)
    if (i === 0 || out[i] !== out[i - 1]) out[n++] = out[i] as CompiledPolicy
  out.length = n
  return out
}

/**
 * The match group of an identity: which policies select it, computed over the global policies
 * (memoised by the values of the labels their selectors read, so identities that agree on them
 * share the work) and the policies of its own namespace only (a namespaced policy selects
 * nothing elsewhere), for every view.
 */
export function matchGroup(model: CompiledModel, identityId: number): MatchGroup {
  const identity = model.identities[identityId] as Identity
  if (identity.group) return identity.group
  const labels = identity.labels
  const gkey = globalKey(model, labels)
  let base = model.globalMatches.get(gkey)
  if (!base) {
    base = { matching: globalMatching(model, labels), applied: [] }
    model.globalMatches.set(gkey, base)
  }
  const ns =
    identity.namespace === undefined ? undefined : model.policiesByNamespace.get(identity.namespace)
  let group = base
  let own: CompiledPolicy[] | undefined
  let key = gkey
  for (const p of ns ?? []) {
    if (!p.appliesTo(labels)) continue
    own ??= []
    own.push(p)
    key += `/${p.id}`
  }
  if (own) {
    const found = model.matchGroups.get(key)
    if (found) group = found
    else {
      group = { matching: base.matching.concat(own), base, own, applied: [] }
      model.matchGroups.set(key, group)
    }
  }
  identity.group = group
  identity.matching = group.matching
  return group
}

/** Policies of a view and direction, in evaluation order. */
function inViewSorted(
  policies: readonly CompiledPolicy[],
  rank: Int32Array,
  egress: boolean,
): CompiledPolicy[] {
  const out = policies.filter(
    (p) => (rank[p.id] as number) >= 0 && (egress ? p.egress : p.ingress) !== undefined,
  )
  out.sort((a, b) => (rank[a.id] as number) - (rank[b.id] as number))
  return out
}

/** Groups policies sorted in evaluation order by tier. */
function groupByTier(model: CompiledModel, sorted: readonly CompiledPolicy[]): ViewTier[] {
  const out: ViewTier[] = []
  for (const p of sorted) {
    const last = out[out.length - 1]
    if (last && last.tier.name === p.ref.tier) {
      last.policies.push(p)
      last.refs.push(p.ref)
    } else {
      out.push({ tier: model.tiers.get(p.ref.tier) as CompiledTier, policies: [p], refs: [p.ref] })
    }
  }
  return out
}

/** The applicable tiers of a match group for one view and direction slot, cached on the group. */
function groupApplied(
  model: CompiledModel,
  group: MatchGroup,
  v: 0 | 1 | 2,
  slot: number,
): ViewTier[] {
  const cached = group.applied[slot]
  if (cached) return cached
  const rank = model.ranks[v]
  const egress = (slot & 1) === 1
  let out: ViewTier[]
  if (!group.base || !group.own)
    out = groupByTier(model, inViewSorted(group.matching, rank, egress))
  else {
    // The global group's tiers, with the namespaced matches merged in: tiers without one are
    // the global group's own (immutable) ViewTier objects.
    const baseTiers = groupApplied(model, group.base, v, slot)
    const own = inViewSorted(group.own, rank, egress)
    if (own.length === 0) out = baseTiers
    else {
      // Ranks follow tiers, so each tier's policies are consecutive in both lists.
      out = []
      let oi = 0
      let fresh: ViewTier | undefined
      /**
       * Emits the namespaced matches of tiers the global group does not have: those ranked
       * before `bound` and not in tier `tier`.
       */
      const emitOwnBefore = (bound: number, tier: string | undefined) => {
        while (
          oi < own.length &&
          (own[oi] as CompiledPolicy).ref.tier !== tier &&
          (rank[(own[oi] as CompiledPolicy).id] as number) < bound
        ) {
          const p = own[oi++] as CompiledPolicy
          if (fresh && fresh === out[out.length - 1] && fresh.tier.name === p.ref.tier) {
            fresh.policies.push(p)
            fresh.refs.push(p.ref)
          } else {
            fresh = {
              tier: model.tiers.get(p.ref.tier) as CompiledTier,
              policies: [p],
              refs: [p.ref],
            }
            out.push(fresh)
          }
        }
      }
      for (const vt of baseTiers) {
        const tier = vt.tier.name
        // Namespaced matches of earlier tiers come first.
        emitOwnBefore(rank[(vt.policies[0] as CompiledPolicy).id] as number, tier)
        if (oi >= own.length || (own[oi] as CompiledPolicy).ref.tier !== tier) {
          out.push(vt)
          continue
        }
        // Merge this tier's global and namespaced matches by rank.
        const policies: CompiledPolicy[] = []
        for (const p of vt.policies) {
          const r = rank[p.id] as number
          while (
            oi < own.length &&
            (own[oi] as CompiledPolicy).ref.tier === tier &&
            (rank[(own[oi] as CompiledPolicy).id] as number) < r
          ) {
            policies.push(own[oi++] as CompiledPolicy)
          }
          policies.push(p)
        }
        while (oi < own.length && (own[oi] as CompiledPolicy).ref.tier === tier) {
          policies.push(own[oi++] as CompiledPolicy)
        }
        out.push({ tier: vt.tier, policies, refs: policies.map((p) => p.ref) })
      }
      emitOwnBefore(Number.POSITIVE_INFINITY, undefined)
    }
  }
  if (v !== 0) {
    // A view whose tiers equal the enforced view's shares its array: verdicts then agree, and
    // the verdict-only path judges the flow once.
    const enforced = groupApplied(model, group, 0, slot & 1)
    if (sameTiers(out, enforced)) out = enforced
  }
  group.applied[slot] = out
  return out
}

/** Whether two tier lists hold the same tiers with the same policies in the same order. */
function sameTiers(a: readonly ViewTier[], b: readonly ViewTier[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as ViewTier
    const y = b[i] as ViewTier
    if (x === y) continue
    if (x.tier !== y.tier || x.policies.length !== y.policies.length) return false
    for (let j = 0; j < x.policies.length; j++) if (x.policies[j] !== y.policies[j]) return false
  }
  return true
}

/**
 * The tiers (with their policies, sorted) that apply to an endpoint identity in one view and
 * direction; computed once per match group and cached.
 */
export function appliedTiers(
  model: CompiledModel,
  identityId: number,
  view: ViewName,
  egress: boolean,
): ViewTier[] {
  const identity = model.identities[identityId] as Identity
  const v = VIEW_INDEX[view]
  const slot = v * 2 + (egress ? 1 : 0)
  const cached = identity.applied[slot]
  if (cached) return cached
  const out = groupApplied(model, matchGroup(model, identityId), v, slot)
  identity.applied[slot] = out
  return out
}

/**
 * Felix's default failsafe ports (`FailsafeInboundHostPorts`, `FailsafeOutboundHostPorts`), keyed
 * `protocol * 65536 + port`. Felix opens them on every host endpoint ahead of any policy, so
 * that a wrong policy cannot cut a node off from SSH, BGP, etcd or the API server.
 */
const FAILSAFE_INBOUND: ReadonlySet<number> = new Set(
  [
    [6, 22],
    [17, 68],
    [6, 179],
    [6, 2379],
    [6, 2380],
    [6, 5473],
    [6, 6443],
    [6, 6666],
    [6, 6667],
  ].map(([proto, port]) => (proto as number) * 65536 + (port as number)),
)
const FAILSAFE_OUTBOUND: ReadonlySet<number> = new Set(
  [
    [17, 53],
    [17, 67],
    [6, 179],
    [6, 2379],
    [6, 2380],
    [6, 5473],
    [6, 6443],
    [6, 6666],
    [6, 6667],
  ].map(([proto, port]) => (proto as number) * 65536 + (port as number)),
)

/** Whether a flow to (ingress) or from (egress) a host endpoint uses one of its failsafe ports. */
function failsafeAllows(ep: CompiledEndpoint, egress: boolean, f: ResolvedFlow): boolean {
  if (ep.kind !== 'host' || f.port === undefined) return false
  return (egress ? FAILSAFE_OUTBOUND : FAILSAFE_INBOUND).has(f.protocol * 65536 + f.port)
}

/** Rules of the built-in profiles: namespace profiles and the default-allow profile allow all. */
function profileAllows(profile: string): boolean {
  return profile.startsWith('kns.') || profile === 'projectcalico-default-allow'
}

/** Evaluates one direction at one endpoint (§3.5). */
export function evaluateDirection(
  model: CompiledModel,
  ep: CompiledEndpoint,
  egress: boolean,
  view: ViewName,
  f: ResolvedFlow,
): DirectionTrace {
  const direction = egress ? 'egress' : 'ingress'
  const tiers: TierTrace[] = []
  const done = (
    action: 'Allow' | 'Deny',
    decidedBy: Decision,
    profile?: ProfileTrace,
  ): DirectionTrace => ({
    direction,
    endpoint: ep.ref,
    action,
    tiers,
    ...(profile ? { profile } : {}),
    decidedBy,
  })
  if (failsafeAllows(ep, egress, f)) {
    return done('Allow', { by: 'failsafe', protocol: f.protocol, port: f.port as number })
  }
  const applied = appliedTiers(model, ep.identity, view, egress)
  if (model.hasPhases && ep.kind === 'host') {
    for (const phase of egress ? EGRESS_PHASES : INGRESS_PHASES) {
      for (const vt of applied) {
        const policies = vt.policies.filter((p) => p.phase === phase)
        if (policies.length === 0) continue
        let logged: RuleMatch[] | undefined
        let match: RuleMatch | undefined
        outer: for (const p of policies) {
          for (const r of (egress ? p.egress : p.ingress) as CompiledRule[]) {
            if (!ruleMatches(model, r, f)) continue
            if (r.action === 'Log') {
              logged ??= []
              logged.push({ policy: p.ref, ruleIndex: r.index, action: 'Log' })
              continue
            }
            match = { policy: p.ref, ruleIndex: r.index, action: r.action }
            break outer
          }
        }
        const ended = match ? (match.action as 'Allow' | 'Deny' | 'Pass') : 'EndOfTierPass'
        tiers.push({
          tier: vt.tier.name,
          defaultAction: 'Pass',
          policies: policies.map((p) => p.ref),
          ...(match ? { match } : {}),
          ...(logged ? { logged } : {}),
          ended,
          phase,
        })
        if (match && ended !== 'Pass' && ended !== 'EndOfTierPass') {
          return done(ended, {
            by: 'rule',
            tier: vt.tier.name,
            policy: match.policy,
            ruleIndex: match.ruleIndex,
            action: ended,
          })
        }
      }
    }
  }
  for (const vt of applied) {
    let policies = vt.policies
    let refs = vt.refs
    if (model.hasPhases) {
      // Untracked and pre-DNAT policies are not part of the normal phase (nor, for
      // workloads, of anything): a tier holding only those is absent here.
      policies = policies.filter((p) => p.phase === 'normal')
      if (policies.length === 0) continue
      if (policies.length !== vt.policies.length) refs = policies.map((p) => p.ref)
    }
    let logged: RuleMatch[] | undefined
    let match: RuleMatch | undefined
    outer: for (const p of policies) {
      const rules = (egress ? p.egress : p.ingress) as CompiledRule[]
      for (const r of rules) {
        if (!ruleMatches(model, r, f)) continue
        if (r.action === 'Log') {
          logged ??= []
          logged.push({ policy: p.ref, ruleIndex: r.index, action: 'Log' })
          continue
        }
        match = { policy: p.ref, ruleIndex: r.index, action: r.action }
        break outer
      }
    }
    const base = { tier: vt.tier.name, defaultAction: vt.tier.defaultAction, policies: refs }
    const withLogs = logged ? { logged } : {}
    if (match) {
      const ended = match.action as 'Allow' | 'Deny' | 'Pass'
      tiers.push({ ...base, match, ...withLogs, ended })
      if (ended !== 'Pass') {
        return done(ended, {
          by: 'rule',
          tier: vt.tier.name,
          policy: match.policy,
          ruleIndex: match.ruleIndex,
          action: ended,
        })
      }
      continue
    }
    if (vt.tier.defaultAction === 'Pass') {
      tiers.push({ ...base, ...withLogs, ended: 'EndOfTierPass' })
      continue
    }
    tiers.push({ ...base, ...withLogs, ended: 'EndOfTierDeny' })
    // The dataplane names the last applicable policy of the tier in its end-of-tier hit.
    return done('Deny', {
      by: 'endOfTier',
      tier: vt.tier.name,
      policy: refs[refs.length - 1] as PolicyRef,
    })
  }
  for (const profile of ep.profiles) {
    if (profileAllows(profile)) {
      return done(
        'Allow',
        { by: 'profile', profile, ruleIndex: 0, action: 'Allow' },
        {
          profiles: ep.profiles,
          match: { profile, ruleIndex: 0, action: 'Allow' },
          ended: 'Allow',
        },
      )
    }
  }
  return done('Deny', { by: 'noProfile' }, { profiles: ep.profiles, ended: 'NoMatch' })
}

/** The verdict of a resolved flow in one view: egress at the source and ingress at the destination must allow. */
export function evaluateResolved(model: CompiledModel, f: ResolvedFlow, view: ViewName): Verdict {
  const egress = f.src ? evaluateDirection(model, f.src, true, view, f) : undefined
  const ingress = f.dst ? evaluateDirection(model, f.dst, false, view, f) : undefined
  const action = egress?.action === 'Deny' || ingress?.action === 'Deny' ? 'Deny' : 'Allow'
  return { action, ...(egress ? { egress } : {}), ...(ingress ? { ingress } : {}) }
}

/**
 * Whether one direction at one endpoint allows a flow: `evaluateDirection`'s verdict without its
 * trace. Log rules are skipped unmatched (they never decide), nothing is allocated.
 */
export function directionAllows(
  model: CompiledModel,
  ep: CompiledEndpoint,
  egress: boolean,
  view: ViewName,
  f: ResolvedFlow,
): boolean {
  if (failsafeAllows(ep, egress, f)) return true
  const applied = appliedTiers(model, ep.identity, view, egress)
  if (model.hasPhases) return phasedAllows(model, ep, egress, applied, f)
  for (let t = 0; t < applied.length; t++) {
    const vt = applied[t] as ViewTier
    let action: 'Allow' | 'Deny' | 'Pass' | undefined
    const policies = vt.policies
    outer: for (let i = 0; i < policies.length; i++) {
      const p = policies[i] as (typeof policies)[number]
      const rules = (egress ? p.egress : p.ingress) as CompiledRule[]
      for (let j = 0; j < rules.length; j++) {
        const r = rules[j] as CompiledRule
        if (r.action === 'Log' || !ruleMatches(model, r, f)) continue
        action = r.action
        break outer
      }
    }
    if (action === 'Allow') return true
    if (action === 'Deny') return false
    if (action === 'Pass' || vt.tier.defaultAction === 'Pass') continue
    return false
  }
  for (const profile of ep.profiles) if (profileAllows(profile)) return true
  return false
}

/**
 * `directionAllows` for a model with untracked or pre-DNAT policies: at host endpoints those
 * phases run first and decide only by a matching Allow or Deny rule; the normal phase sees
 * the normal policies alone (workloads see nothing else).
 */
function phasedAllows(
  model: CompiledModel,
  ep: CompiledEndpoint,
  egress: boolean,
  applied: readonly ViewTier[],
  f: ResolvedFlow,
): boolean {
  const phases: readonly PolicyPhase[] =
    ep.kind === 'host' ? (egress ? EGRESS_PHASES_ALL : INGRESS_PHASES_ALL) : NORMAL_ONLY
  for (const phase of phases) {
    for (const vt of applied) {
      let action: 'Allow' | 'Deny' | 'Pass' | undefined
      let present = false
      outer: for (const p of vt.policies) {
        if (p.phase !== phase) continue
        present = true
        for (const r of (egress ? p.egress : p.ingress) as CompiledRule[]) {
          if (r.action === 'Log' || !ruleMatches(model, r, f)) continue
          action = r.action
          break outer
        }
      }
      if (!present) continue
      if (action === 'Allow') return true
      if (action === 'Deny') return false
      if (phase !== 'normal' || action === 'Pass' || vt.tier.defaultAction === 'Pass') continue
      return false
    }
  }
  for (const profile of ep.profiles) if (profileAllows(profile)) return true
  return false
}

/** The phases before the normal one at a host endpoint, per direction (pre-DNAT is ingress only). */
const INGRESS_PHASES = ['untracked', 'preDNAT'] as const
const EGRESS_PHASES = ['untracked'] as const
const INGRESS_PHASES_ALL: readonly PolicyPhase[] = [...INGRESS_PHASES, 'normal']
const EGRESS_PHASES_ALL: readonly PolicyPhase[] = [...EGRESS_PHASES, 'normal']
const NORMAL_ONLY: readonly PolicyPhase[] = ['normal']

/**
 * Whether a flow's verdict in a view is the enforced view's because the same tiers apply at
 * both ends (true for every flow of endpoints no staged policy selects).
 */
export function sameAsEnforced(model: CompiledModel, f: ResolvedFlow, view: ViewName): boolean {
  if (
    f.src &&
    appliedTiers(model, f.src.identity, view, true) !==
      appliedTiers(model, f.src.identity, 'enforced', true)
  ) {
    return false
  }
  return (
    !f.dst ||
    appliedTiers(model, f.dst.identity, view, false) ===
      appliedTiers(model, f.dst.identity, 'enforced', false)
  )
}

/** Whether a resolved flow is allowed in one view (egress at the source and ingress at the destination), without traces. */
export function resolvedAllows(model: CompiledModel, f: ResolvedFlow, view: ViewName): boolean {
  if (f.src && !directionAllows(model, f.src, true, view, f)) return false
  return !f.dst || directionAllows(model, f.dst, false, view, f)
}

/** Judges one flow in the enforced and staged views (and pending, when asked). */
export function evaluateFlow(
  model: CompiledModel,
  flow: Flow,
  opts: EvaluateOptions = {},
): FlowResult {
  const f = resolveFlow(model, flow)
  const out: FlowResult = {
    id: flow.id,
    enforced: evaluateResolved(model, f, 'enforced'),
    staged: evaluateResolved(model, f, 'staged'),
  }
  if (opts.pending) out.pending = evaluateResolved(model, f, 'pending')
  return out
}

/**
 * Judges many flows in both views (and pending, when asked), with traces. Flows with the same
 * (source, destination, protocol, port, ICMP type/code) share one evaluation and the same
 * Verdict objects: this is `judgeFlowBatch` with `traces: true`, one result object per flow.
 */
export function evaluateFlows(
  model: CompiledModel,
  flows: readonly Flow[],
  opts: EvaluateOptions = {},
): FlowResult[] {
  const pending = opts.pending === true
  const batch = judgeFlowBatch(model, flows, { pending, traces: true })
  const explained = batch.tuples.explained
  const tupleIndex = batch.tupleIndex
  const out: FlowResult[] = new Array(flows.length)
  for (let i = 0; i < flows.length; i++) {
    const v = explained[tupleIndex[i] as number] as TupleVerdicts
    const id = (flows[i] as Flow).id
    out[i] = pending
      ? { id, enforced: v.enforced, staged: v.staged, pending: v.pending as Verdict }
      : { id, enforced: v.enforced, staged: v.staged }
  }
  return out
}
