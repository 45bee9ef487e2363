/**
 * The impact of a change: stored flows judged in a "before" and an "after" view, counted by
 * how their verdict changes and grouped by (source, destination, protocol, port). A flow that
 * cannot be judged exactly is counted as uncertain with its reason, never guessed.
 */
import type { CompiledEndpoint, CompiledEntity, CompiledModel } from '../evaluator/compile.ts'
import {
  appliedTiers,
  evaluateResolved,
  flowProtocol,
  ownersOf,
  resolveFlow,
} from '../evaluator/evaluate.ts'
import { type CIDR, parseCIDR, parseIP } from '../evaluator/ip.ts'
import type { Flow, FlowSide, Verdict, ViewName } from '../evaluator/types.ts'
import { groupId } from './records.ts'
import type {
  ImpactChangeKind,
  ImpactCounts,
  ImpactExample,
  ImpactFlow,
  ImpactGroup,
  ImpactResult,
  ResolvedPeer,
  UncertainReason,
} from './types.ts'

/** A compiled policy set and the view of it to judge with. */
export interface ModelView {
  model: CompiledModel
  view: ViewName
}

/** Options of `computeImpact`. */
export interface ComputeImpactOptions {
  /** Leave out groups where no flow changes and none is uncertain. */
  onlyChanged?: boolean
  /**
   * Most member combinations judged for one aggregated record (default 1,024); a record
   * standing for more is counted as uncertain (`members-differ`) rather than judged on a sample.
   */
  maxCombinations?: number
}

/** The RFC 1918 ranges: what Calico calls `pvt`. */
const PVT: readonly CIDR[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(
  (c) => parseCIDR(c) as CIDR,
)

/** Candidate stand-ins for an address nothing owns, by class (the first nothing owns is used). */
const NET_CANDIDATES: Readonly<Record<'pvt' | 'pub', readonly string[]>> = {
  pvt: ['10.255.255.254', '172.31.255.254', '192.168.255.254', '10.254.254.254'],
  pub: ['203.0.113.254', '198.51.100.254', '192.0.2.254', '100.64.255.254', '8.8.8.8'],
}

function within(inner: CIDR, outer: CIDR): boolean {
  return inner.family === outer.family && outer.lo <= inner.lo && inner.hi <= outer.hi
}

function overlaps(a: CIDR, b: CIDR): boolean {
  return a.family === b.family && a.lo <= b.hi && b.lo <= a.hi
}

/**
 * Whether a CIDR list gives the same answer for every address of a region (the addresses a
 * record without an address may stand for). `region` is a list of CIDRs; `pub` is "anything
 * outside PVT", handled by its complement.
 */
function constantOver(list: readonly CIDR[] | undefined, peer: AddressRegion): boolean {
  if (!list || list.length === 0) return true
  if (peer.kind === 'pub') {
    if (list.every((c) => PVT.some((p) => within(c, p)))) return true
    return list.some((c) => c.prefix === 0)
  }
  const answers = peer.cidrs.map((r) => {
    if (list.some((c) => within(r, c))) return 'in'
    if (!list.some((c) => overlaps(r, c))) return 'out'
    return 'split'
  })
  return answers.every((a) => a !== 'split' && a === answers[0])
}

type AddressRegion = { kind: 'pub' } | { kind: 'cidrs'; cidrs: CIDR[] }

function regionOf(peer: ResolvedPeer): AddressRegion | undefined {
  if (peer.kind === 'net')
    return peer.class === 'pvt' ? { kind: 'cidrs', cidrs: [...PVT] } : { kind: 'pub' }
  if (peer.kind === 'set') {
    const family = parseIP(peer.ip)?.family
    const cidrs = peer.nets.map((n) => parseCIDR(n)).filter((c): c is CIDR => c?.family === family)
    return { kind: 'cidrs', cidrs }
  }
  return undefined
}

function entityTestsRegion(e: CompiledEntity, family: 4 | 6, region: AddressRegion): boolean {
  if (e.hasNets && !constantOver(family === 4 ? e.nets4 : e.nets6, region)) return true
  if (e.hasNotNets && !constantOver(family === 4 ? e.notNets4 : e.notNets6, region)) return true
  return false
}

/** Whether any rule that applies to `ep` in this direction could test `test` on a flow of `protocol`. */
function pathTests(
  mv: ModelView,
  ep: CompiledEndpoint,
  egress: boolean,
  protocol: number,
  test: (r: { src: CompiledEntity; dst: CompiledEntity }) => boolean,
): boolean {
  for (const vt of appliedTiers(mv.model, ep.identity, mv.view, egress)) {
    for (const p of vt.policies) {
      for (const r of (egress ? p.egress : p.ingress) ?? []) {
        if (r.protocol !== undefined && r.protocol !== protocol) continue
        if (r.notProtocol !== undefined && r.notProtocol === protocol) continue
        if (test(r)) return true
      }
    }
  }
  return false
}

const sensitiveCache = new WeakMap<CompiledModel, boolean>()

/**
 * Whether pods' own addresses can matter: some rule tests `nets`/`notNets`, or some pod
 * address lies in a network set (selectors match by address). When not, pods with the same
 * labels, service account and ports are judged alike and one stands for all.
 */
function addressSensitive(model: CompiledModel): boolean {
  const hit = sensitiveCache.get(model)
  if (hit !== undefined) return hit
  let out = model.policies.some((p) =>
    [...(p.ingress ?? []), ...(p.egress ?? [])].some(
      (r) => r.src.hasNets || r.src.hasNotNets || r.dst.hasNets || r.dst.hasNotNets,
    ),
  )
  if (!out) {
    outer: for (const ep of model.endpoints) {
      for (const ip of ep.ips) {
        if (ownersOf(model, ip).some((o) => (model.owners[o]?.endpoint ?? 0) < 0)) {
          out = true
          break outer
        }
      }
    }
  }
  sensitiveCache.set(model, out)
  return out
}

function emptyCounts(): ImpactCounts {
  return { allowedToDenied: 0, deniedToAllowed: 0, unchanged: 0, uncertain: 0 }
}

type Judged =
  | { uncertain: UncertainReason; detail: string }
  | { before: Verdict; after: Verdict; flow: Flow }

/** Judges stored flows in two views; one instance per preview (it memoises per concrete flow). */
class Judge {
  readonly #before: ModelView
  readonly #after: ModelView
  readonly #same: boolean
  readonly #memo = new Map<string, { before: Verdict; after: Verdict; flow: Flow }>()
  readonly #testMemo = new Map<string, boolean>()
  readonly #netIP = new Map<string, string | undefined>()
  readonly #sensitive: boolean
  readonly #maxCombinations: number

  constructor(before: ModelView, after: ModelView, maxCombinations: number) {
    this.#before = before
    this.#after = after
    this.#same = before.model === after.model
    this.#sensitive = addressSensitive(before.model) || addressSensitive(after.model)
    this.#maxCombinations = maxCombinations
  }

  get evaluations(): number {
    return this.#memo.size
  }

  /** Member endpoints of a side, one per class of alike endpoints unless addresses matter. */
  #members(refs: readonly string[]): string[] {
    if (this.#sensitive || refs.length <= 1) return [...refs]
    const seen = new Set<string>()
    const out: string[] = []
    for (const ref of refs) {
      const key = [this.#before.model, this.#after.model]
        .map((m) => {
          const ep = m.endpoints[m.endpointByRef.get(ref) ?? -1]
          return ep ? `${ep.identity}:${JSON.stringify(ep.ports)}:${ep.profiles.join(',')}` : '?'
        })
        .join('/')
      if (seen.has(key)) continue
      seen.add(key)
      out.push(ref)
    }
    return out
  }

  #standIn(cls: 'pvt' | 'pub'): string | undefined {
    if (this.#netIP.has(cls)) return this.#netIP.get(cls)
    const ip = NET_CANDIDATES[cls].find((c) => {
      const parsed = parseIP(c)
      return [this.#before.model, this.#after.model].every((m) => ownersOf(m, parsed).length === 0)
    })
    this.#netIP.set(cls, ip)
    return ip
  }

  #sides(peer: ResolvedPeer): FlowSide[] | undefined {
    switch (peer.kind) {
      case 'endpoints':
        return this.#members(peer.refs).map((endpoint) => ({ endpoint }))
      case 'ip':
        return [{ ip: peer.ip }]
      case 'set':
        return [{ ip: peer.ip }]
      case 'net': {
        const ip = this.#standIn(peer.class)
        return ip ? [{ ip }] : undefined
      }
    }
  }

  #endpointOf(mv: ModelView, side: FlowSide): CompiledEndpoint | undefined {
    if (!('endpoint' in side)) return undefined
    return mv.model.endpoints[mv.model.endpointByRef.get(side.endpoint) ?? -1]
  }

  /**
   * Whether the cluster side's rules test something the record does not know: the peer's
   * address (`region`) or the port (port null).
   */
  #tests(
    what: 'address' | 'port',
    side: FlowSide,
    egress: boolean,
    protocol: number,
    region?: AddressRegion,
    regionKey = '',
  ): boolean {
    for (const [i, mv] of [this.#before, this.#after].entries()) {
      if (i === 1 && this.#same && this.#before.view === this.#after.view) break
      const ep = this.#endpointOf(mv, side)
      if (!ep) continue
      const family = ep.ips[0]?.family ?? 4
      const key = `${i}|${mv.view}|${ep.identity}|${egress}|${protocol}|${what}|${regionKey}`
      let hit = this.#testMemo.get(key)
      if (hit === undefined) {
        hit = pathTests(mv, ep, egress, protocol, (r) =>
          what === 'port'
            ? r.dst.ports !== undefined || r.dst.notPorts !== undefined
            : entityTestsRegion(egress ? r.dst : r.src, family, region as AddressRegion),
        )
        this.#testMemo.set(key, hit)
      }
      if (hit) return true
    }
    return false
  }

  #evaluate(flow: Flow): { before: Verdict; after: Verdict; flow: Flow } {
    const s = 'endpoint' in flow.source ? flow.source.endpoint : `@${flow.source.ip}`
    const d = 'endpoint' in flow.destination ? flow.destination.endpoint : `@${flow.destination.ip}`
    const key = `${s}|${d}|${flow.protocol}|${flow.port ?? ''}`
    const hit = this.#memo.get(key)
    if (hit) return hit
    const fb = resolveFlow(this.#before.model, flow)
    const fa = this.#same ? fb : resolveFlow(this.#after.model, flow)
    const out = {
      flow: { ...flow, id: key },
      before: evaluateResolved(this.#before.model, fb, this.#before.view),
      after: evaluateResolved(this.#after.model, fa, this.#after.view),
    }
    this.#memo.set(key, out)
    return out
  }

  judge(f: ImpactFlow): Judged {
    if (f.uncertain) return { uncertain: f.uncertain, detail: f.detail ?? f.uncertain }
    const protocol = flowProtocol(f.protocol) as number
    const srcs = this.#sides(f.source)
    const dsts = this.#sides(f.destination)
    if (!srcs || !dsts) {
      return {
        uncertain: 'address-dependent',
        detail: 'every stand-in address for the unknown peer is owned by an endpoint or set',
      }
    }
    if (srcs.length * dsts.length > this.#maxCombinations) {
      return {
        uncertain: 'members-differ',
        detail: `the record stands for ${srcs.length * dsts.length} endpoint pairs, more than are judged`,
      }
    }
    const isIcmp = protocol === 1 || protocol === 58
    const srcRegion = regionOf(f.source)
    const dstRegion = regionOf(f.destination)
    let first: { before: Verdict; after: Verdict; flow: Flow } | undefined
    for (const source of srcs) {
      for (const destination of dsts) {
        if (f.port === null && !isIcmp) {
          if (
            this.#tests('port', source, true, protocol) ||
            this.#tests('port', destination, false, protocol)
          ) {
            return {
              uncertain: 'no-port',
              detail: 'the record has no destination port and a rule on the path tests ports',
            }
          }
        }
        const regionTested =
          (dstRegion &&
            this.#tests('address', source, true, protocol, dstRegion, peerKey(f.destination))) ||
          (srcRegion &&
            this.#tests('address', destination, false, protocol, srcRegion, peerKey(f.source)))
        if (regionTested) {
          const peer = srcRegion ? f.source : f.destination
          return {
            uncertain: 'address-dependent',
            detail: `the record has no address for ${describePeer(peer)} and a rule on the path tests addresses`,
          }
        }
        const flow: Flow = {
          id: '',
          source,
          destination,
          protocol: f.protocol,
          ...(f.port !== null ? { port: f.port } : {}),
        }
        const r = this.#evaluate(flow)
        if (!first) first = r
        else if (r.before.action !== first.before.action || r.after.action !== first.after.action) {
          return {
            uncertain: 'members-differ',
            detail: `${first.flow.id} and ${r.flow.id} are judged differently`,
          }
        }
      }
    }
    return first as { before: Verdict; after: Verdict; flow: Flow }
  }
}

function peerKey(p: ResolvedPeer): string {
  return p.kind === 'net' ? p.class : p.kind === 'set' ? `${p.namespace}/${p.name}` : ''
}

function describePeer(p: ResolvedPeer): string {
  if (p.kind === 'net') return `a ${p.class === 'pvt' ? 'private' : 'public'} address`
  if (p.kind === 'set') return `network set ${p.namespace ? `${p.namespace}/` : ''}${p.name}`
  return 'the peer'
}

function changeOf(before: Verdict, after: Verdict): ImpactChangeKind {
  if (before.action === after.action) return 'unchanged'
  return before.action === 'Allow' ? 'allowedToDenied' : 'deniedToAllowed'
}

const CHANGE_RANK: Readonly<Record<ImpactChangeKind, number>> = {
  allowedToDenied: 0,
  deniedToAllowed: 0,
  uncertain: 1,
  unchanged: 2,
}

/**
 * Judges stored flows before and after a change and groups the result. `before` is usually
 * the enforced view; `after` the same model's staged view (the whole staged set) or another
 * model (a draft, one staged policy, a revision: see `changedPolicySet`).
 *
 * @returns totals by change (uncertain ones by reason) and groups by (source workload,
 * destination workload, protocol, port), changed groups first, each with an example flow
 * and its two verdicts with traces.
 */
export function computeImpact(
  before: ModelView,
  after: ModelView,
  flows: readonly ImpactFlow[],
  options: ComputeImpactOptions = {},
): ImpactResult {
  const judge = new Judge(before, after, options.maxCombinations ?? 1024)
  const totals: ImpactResult['totals'] = { ...emptyCounts(), flows: 0, uncertainByReason: {} }
  const groups = new Map<string, ImpactGroup>()
  for (const f of flows) {
    const id = groupId(f.group)
    let g = groups.get(id)
    if (!g) {
      g = {
        id,
        key: f.group,
        counts: emptyCounts(),
        change: 'unchanged',
        uncertainReasons: {},
        uncertainDetails: [],
      }
      groups.set(id, g)
    }
    totals.flows += f.count
    const j = judge.judge(f)
    if ('uncertain' in j) {
      g.counts.uncertain += f.count
      totals.uncertain += f.count
      g.uncertainReasons[j.uncertain] = (g.uncertainReasons[j.uncertain] ?? 0) + f.count
      totals.uncertainByReason[j.uncertain] = (totals.uncertainByReason[j.uncertain] ?? 0) + f.count
      if (g.uncertainDetails.length < 5 && !g.uncertainDetails.includes(j.detail))
        g.uncertainDetails.push(j.detail)
      continue
    }
    const change = changeOf(j.before, j.after)
    g.counts[change] += f.count
    totals[change] += f.count
    const example: ImpactExample = { flow: j.flow, before: j.before, after: j.after }
    if (
      !g.example ||
      (change !== 'unchanged' && changeOf(g.example.before, g.example.after) === 'unchanged')
    ) {
      g.example = example
      g.before = j.before.action
      g.after = j.after.action
    }
  }
  const out: ImpactGroup[] = []
  for (const g of groups.values()) {
    const c = g.counts
    g.change =
      c.allowedToDenied + c.deniedToAllowed > 0
        ? c.allowedToDenied >= c.deniedToAllowed
          ? 'allowedToDenied'
          : 'deniedToAllowed'
        : c.uncertain > 0
          ? 'uncertain'
          : 'unchanged'
    if (options.onlyChanged && g.change === 'unchanged') continue
    out.push(g)
  }
  out.sort((a, b) => {
    const r = CHANGE_RANK[a.change] - CHANGE_RANK[b.change]
    if (r !== 0) return r
    const weight = (g: ImpactGroup) =>
      g.change === 'uncertain'
        ? g.counts.uncertain
        : g.change === 'unchanged'
          ? g.counts.unchanged
          : g.counts.allowedToDenied + g.counts.deniedToAllowed
    return weight(b) - weight(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  })
  return { totals, groups: out, evaluations: judge.evaluations }
}
