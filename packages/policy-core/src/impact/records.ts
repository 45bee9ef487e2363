/**
 * From stored flow logs to flows the evaluator can judge: each side of a record (or of a tuple
 * aggregated from records) is mapped to the inventory — by address, by namespace and name, or
 * by aggregated name plus labels for pods that flow logs aggregate — and what cannot be mapped
 * is marked uncertain with its reason instead of being guessed.
 */

import { flowProtocol } from '../evaluator/evaluate.ts'
import { type CIDR, parseCIDR, parseIP } from '../evaluator/ip.ts'
import { classifyAddress, isIPAddress, longestPrefixNetworkSet } from '../flowlog/address.ts'
import { nameAggr } from '../flowlog/names.ts'
import type { FlowLogRecord } from '../flowlog/types.ts'
import type { Endpoint, GlobalNetworkSet, NetworkSet } from '../resources/types.ts'
import type {
  FlowTuple,
  FlowTuplePeer,
  ImpactFlow,
  ImpactGroupKey,
  ResolvedPeer,
  UncertainReason,
} from './types.ts'

/** What stored flows are mapped onto: the endpoints and the network sets. */
export interface ImpactInventory {
  endpoints: readonly Endpoint[]
  networkSets?: readonly (NetworkSet | GlobalNetworkSet)[]
}

/** The tuple of one flow-log record (its count is `num_flows`, at least 1). */
export function tupleOfRecord(r: FlowLogRecord): FlowTuple {
  const peer = (
    type: FlowTuplePeer['type'],
    namespace: string,
    name: string,
    aggr: string,
    ip: string | null,
    labels: readonly string[] | undefined,
  ): FlowTuplePeer => ({
    type,
    namespace,
    name,
    nameAggr: aggr,
    ip,
    ...(labels ? { labels } : {}),
  })
  return {
    source: peer(
      r.source_type,
      r.source_namespace,
      r.source_name,
      r.source_name_aggr,
      r.source_ip,
      r.source_labels?.labels,
    ),
    destination: peer(
      r.dest_type,
      r.dest_namespace,
      r.dest_name,
      r.dest_name_aggr,
      r.dest_ip,
      r.dest_labels?.labels,
    ),
    proto: r.proto,
    port: r.dest_port,
    count: Math.max(1, r.num_flows),
  }
}

/** Lowercase protocol names of flow logs that differ from the evaluator's. */
const PROTO_ALIASES: Readonly<Record<string, string>> = {
  icmp6: 'ICMPv6',
  'ipv6-icmp': 'ICMPv6',
  icmpv6: 'ICMPv6',
}

/** The evaluator's protocol for a flow-log `proto`, or undefined when unknown. */
export function evaluatorProtocol(proto: string): string | undefined {
  const p = PROTO_ALIASES[proto.toLowerCase()] ?? proto
  return flowProtocol(p) === undefined ? undefined : p
}

interface Index {
  byRef: Map<string, Endpoint>
  byIP: Map<string, string>
  /** `ns/aggr` → workload refs. */
  byAggr: Map<string, string[]>
  hosts: Set<string>
  sets: Map<string, NetworkSet | GlobalNetworkSet>
  allSets: readonly (NetworkSet | GlobalNetworkSet)[]
  setCidrs: Array<{ key: string; cidr: CIDR }>
  /** Representative address per set key (cached). */
  setIP: Map<string, { ip?: string; split?: string }>
}

function refOf(e: Endpoint): string {
  return e.kind === 'host' ? e.name : `${e.namespace ?? ''}/${e.name}`
}

function buildIndex(inv: ImpactInventory): Index {
  const idx: Index = {
    byRef: new Map(),
    byIP: new Map(),
    byAggr: new Map(),
    hosts: new Set(),
    sets: new Map(),
    allSets: inv.networkSets ?? [],
    setCidrs: [],
    setIP: new Map(),
  }
  for (const e of inv.endpoints) {
    const ref = refOf(e)
    idx.byRef.set(ref, e)
    for (const ip of e.ips ?? []) {
      const p = parseIP(ip)
      if (p) idx.byIP.set(`${p.family}:${p.value}`, ref)
    }
    if (e.kind === 'host') {
      idx.hosts.add(e.name)
      continue
    }
    const k = `${e.namespace ?? ''}/${nameAggr(e.name)}`
    const list = idx.byAggr.get(k)
    if (list) list.push(ref)
    else idx.byAggr.set(k, [ref])
  }
  for (const s of idx.allSets) {
    const key = `${s.metadata.namespace ?? ''}/${s.metadata.name}`
    idx.sets.set(key, s)
    for (const n of s.spec.nets ?? []) {
      const cidr = parseCIDR(n)
      if (cidr) idx.setCidrs.push({ key, cidr })
    }
  }
  return idx
}

function ipRef(idx: Index, ip: string | null | undefined): string | undefined {
  if (!ip) return undefined
  const p = parseIP(ip)
  return p ? idx.byIP.get(`${p.family}:${p.value}`) : undefined
}

function present(s: string | undefined): s is string {
  return s !== undefined && s !== '' && s !== '-' && s !== '*'
}

/** Labels of an endpoint as the record shows them (own labels; Calico's own keys dropped). */
function hasLabels(e: Endpoint, labels: readonly string[] | undefined): boolean {
  if (!labels) return true
  for (const l of labels) {
    const eq = l.indexOf('=')
    const k = eq < 0 ? l : l.slice(0, eq)
    if (k.startsWith('projectcalico.org/')) continue
    if (e.labels?.[k] !== (eq < 0 ? '' : l.slice(eq + 1))) return false
  }
  return true
}

type Resolution = { peer: ResolvedPeer } | { uncertain: UncertainReason; detail: string }

function overlaps(a: CIDR, b: CIDR): boolean {
  return a.family === b.family && a.lo <= b.hi && b.lo <= a.hi
}

function within(inner: CIDR, outer: CIDR): boolean {
  return inner.family === outer.family && outer.lo <= inner.lo && inner.hi <= outer.hi
}

/**
 * An address that stands for a network set: one whose longest-prefix set is this set. The set
 * is `split` when another set's CIDR covers part of it only, so that addresses of the set are
 * owned by different sets (and selectors could tell them apart).
 */
function setAddress(idx: Index, key: string): { ip?: string; split?: string } {
  const cached = idx.setIP.get(key)
  if (cached) return cached
  const set = idx.sets.get(key) as NetworkSet | GlobalNetworkSet
  const mine = idx.setCidrs.filter((c) => c.key === key).map((c) => c.cidr)
  let split: string | undefined
  for (const other of idx.setCidrs) {
    if (other.key === key) continue
    const touched = mine.filter((c) => overlaps(c, other.cidr))
    if (touched.length === 0) continue
    if (touched.length !== mine.length || !touched.every((c) => within(c, other.cidr))) {
      split = `network set ${key} overlaps part of network set ${other.key}`
      break
    }
  }
  let ip: string | undefined
  for (const text of set.spec.nets ?? []) {
    const slash = text.indexOf('/')
    const candidate = slash < 0 ? text : text.slice(0, slash)
    if (!isIPAddress(candidate)) continue
    const m = longestPrefixNetworkSet(candidate, idx.allSets)
    if (m && `${m.set.metadata.namespace ?? ''}/${m.set.metadata.name}` === key) {
      ip = candidate
      break
    }
  }
  const out = { ...(ip ? { ip } : {}), ...(split ? { split } : {}) }
  idx.setIP.set(key, out)
  return out
}

function resolvePeer(idx: Index, p: FlowTuplePeer, side: string): Resolution {
  const ns = p.namespace === '-' ? '' : p.namespace
  const unknown = (what: string): Resolution => ({
    uncertain: 'unknown-endpoint',
    detail: `${side} ${what} is not in the inventory`,
  })
  switch (p.type) {
    case 'wep': {
      const byIP = ipRef(idx, p.ip)
      if (byIP) return { peer: { kind: 'endpoints', refs: [byIP] } }
      if (present(p.name)) {
        const ref = `${ns}/${p.name}`
        return idx.byRef.has(ref)
          ? { peer: { kind: 'endpoints', refs: [ref] } }
          : unknown(`pod ${ref}`)
      }
      const members = (idx.byAggr.get(`${ns}/${p.nameAggr}`) ?? []).filter((r) =>
        hasLabels(idx.byRef.get(r) as Endpoint, p.labels),
      )
      return members.length
        ? { peer: { kind: 'endpoints', refs: members } }
        : unknown(`pods ${ns}/${p.nameAggr}`)
    }
    case 'hep': {
      const byIP = ipRef(idx, p.ip)
      if (byIP) return { peer: { kind: 'endpoints', refs: [byIP] } }
      for (const n of [p.name, p.nameAggr]) {
        if (present(n) && idx.hosts.has(n)) return { peer: { kind: 'endpoints', refs: [n] } }
      }
      return unknown(`host endpoint ${present(p.name) ? p.name : p.nameAggr}`)
    }
    case 'ns': {
      if (p.ip && isIPAddress(p.ip)) return { peer: { kind: 'ip', ip: p.ip } }
      const name = present(p.name) ? p.name : p.nameAggr
      const key = `${ns}/${name}`
      const set = idx.sets.get(key)
      if (!set) return unknown(`network set ${key}`)
      const rep = setAddress(idx, key)
      if (rep.split) return { uncertain: 'address-dependent', detail: rep.split }
      if (!rep.ip) {
        return {
          uncertain: 'address-dependent',
          detail: `no address of network set ${key} is reported as that set`,
        }
      }
      return {
        peer: { kind: 'set', namespace: ns, name, nets: [...(set.spec.nets ?? [])], ip: rep.ip },
      }
    }
    case 'net': {
      if (p.ip && isIPAddress(p.ip)) {
        const byIP = ipRef(idx, p.ip)
        return { peer: byIP ? { kind: 'endpoints', refs: [byIP] } : { kind: 'ip', ip: p.ip } }
      }
      return { peer: { kind: 'net', class: p.nameAggr === 'pvt' ? 'pvt' : 'pub' } }
    }
  }
}

function workload(p: FlowTuplePeer): string {
  if (p.type === 'wep') return present(p.nameAggr) ? p.nameAggr : p.name
  if (p.type === 'net' && !present(p.nameAggr) && p.ip) return classifyAddress(p.ip)
  return present(p.nameAggr) ? p.nameAggr : p.name
}

/** The group a tuple counts in. */
export function groupKeyOf(t: FlowTuple): ImpactGroupKey {
  return {
    sourceNamespace: t.source.namespace,
    sourceWorkload: workload(t.source),
    sourceType: t.source.type,
    destinationNamespace: t.destination.namespace,
    destinationWorkload: workload(t.destination),
    destinationType: t.destination.type,
    protocol: t.proto.toLowerCase(),
    port: t.port,
  }
}

/** A group key as one string: equal keys, equal ids. */
export function groupId(k: ImpactGroupKey): string {
  return [
    k.sourceType,
    k.sourceNamespace,
    k.sourceWorkload,
    k.destinationType,
    k.destinationNamespace,
    k.destinationWorkload,
    k.protocol,
    k.port ?? '',
  ].join('|')
}

/**
 * Maps stored flows (records or aggregated tuples) onto the inventory. Each result keeps its
 * count and group; a side that cannot be mapped makes the flow uncertain (`unknown-endpoint`,
 * or `address-dependent` for a network set whose addresses different sets own). Whether a
 * flow without addresses depends on addresses is decided later, against the policies, by
 * `computeImpact`.
 *
 * @example recordsToFlows([record], { endpoints, networkSets })
 */
export function recordsToFlows(
  input: readonly (FlowLogRecord | FlowTuple)[],
  inventory: ImpactInventory,
): ImpactFlow[] {
  const idx = buildIndex(inventory)
  const out: ImpactFlow[] = []
  for (const item of input) {
    const t = 'start_time' in item ? tupleOfRecord(item) : item
    const group = groupKeyOf(t)
    const base = { group, count: t.count, protocol: t.proto.toLowerCase(), port: t.port }
    const placeholder: ResolvedPeer = { kind: 'endpoints', refs: [] }
    const s = resolvePeer(idx, t.source, 'source')
    const d = resolvePeer(idx, t.destination, 'destination')
    const proto = evaluatorProtocol(t.proto)
    const bad =
      'uncertain' in s
        ? s
        : 'uncertain' in d
          ? d
          : proto === undefined
            ? {
                uncertain: 'unsupported-protocol' as const,
                detail: `protocol ${t.proto} is not one the evaluator knows`,
              }
            : undefined
    out.push({
      ...base,
      source: 'peer' in s ? s.peer : placeholder,
      destination: 'peer' in d ? d.peer : placeholder,
      ...(proto ? { protocol: proto } : {}),
      ...(bad ? { uncertain: bad.uncertain, detail: bad.detail } : {}),
    })
  }
  return out
}
