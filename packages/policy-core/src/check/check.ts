/**
 * The CI check: judge flows under a base and a head policy set and report what the change
 * denies that the base allowed (or any change). Without flows, a semantic diff: connectivity
 * between the inventory's endpoint groups that the change adds or removes.
 */

import { compilePolicySet } from '../evaluator/compile.ts'
import { evaluateFlow } from '../evaluator/evaluate.ts'
import { describeDecision } from '../evaluator/trace.ts'
import type { DirectionTrace, Flow, Verdict } from '../evaluator/types.ts'
import type { FlowLogRecord } from '../flowlog/types.ts'
import { computeImpact } from '../impact/compute.ts'
import { recordsToFlows } from '../impact/records.ts'
import type { ImpactGroupKey } from '../impact/types.ts'
import { workloadOf } from '../recommend/peers.ts'
import type { RecommendInventory } from '../recommend/types.ts'
import type { Endpoint, GlobalNetworkSet, NetworkSet, Resource } from '../resources/types.ts'

/** When the check fails: on flows the head denies that the base allows, or on any change. */
export type CheckFailOn = 'new-denies' | 'any-change'

/** All `CheckFailOn` values. */
export const CHECK_FAIL_ON: readonly CheckFailOn[] = ['new-denies', 'any-change']

/** The input of `checkChange`. */
export interface CheckInput {
  /** The policy set before the change (tiers, policies, network sets). */
  base: readonly Resource[]
  /** The policy set after the change. */
  head: readonly Resource[]
  /** Endpoints the selectors see; required for judging. */
  inventory: RecommendInventory
  /**
   * Flows to judge: flow-log records, or scenario flows. Absent: the semantic diff over the
   * inventory's endpoint groups.
   */
  flows?: readonly FlowLogRecord[] | readonly Flow[]
  /** Default `new-denies`. */
  failOn?: CheckFailOn
}

/** How a flow's verdict changed. */
export type CheckChangeKind = 'newDeny' | 'newAllow'

/** One changed flow (or group of flows, or group-to-group connection). */
export interface CheckRow {
  change: CheckChangeKind
  /** `ns/workload`, a set name, `pvt`/`pub`, or the scenario flow's source. */
  source: string
  destination: string
  /** Lowercase protocol. */
  protocol: string
  port: number | null
  /** Flows it stands for (1 for a scenario flow or a group pair). */
  count: number
  before: 'Allow' | 'Deny'
  after: 'Allow' | 'Deny'
  /** What decided the verdict before (`tier/policy rule n`, `profile kns.x`, …). */
  beforeBy: string
  /** What decides it after. */
  afterBy: string
  /** The scenario flow's id, when flows were scenario flows. */
  id?: string
}

/** The check's report. */
export interface CheckReport {
  /** `flows` when flows were judged, `semantic` for the inventory diff. */
  mode: 'flows' | 'semantic'
  totals: {
    /** Flows (records weighted by `num_flows`), or group-pair connections judged. */
    judged: number
    newDenies: number
    newAllows: number
    unchanged: number
    /** Records that could not be judged (unknown endpoints, missing addresses). */
    uncertain: number
  }
  /** Changed rows, new denies first, most flows first. */
  changes: CheckRow[]
  failOn: CheckFailOn
  /** True when the check fails under `failOn`. */
  failed: boolean
}

/** What decided a direction, for a reader (empty when the side is not a cluster endpoint). */
export function describeDirection(t: DirectionTrace | undefined): string {
  return t ? describeDecision(t) : ''
}

/** What decided a verdict: the denying side when denied, else both sides. */
function describeVerdict(v: Verdict | undefined): string {
  if (!v) return ''
  if (v.action === 'Deny') {
    const t = v.egress?.action === 'Deny' ? v.egress : v.ingress
    return `${t?.direction ?? ''} ${describeDirection(t)}`.trim()
  }
  return [v.egress, v.ingress]
    .filter((t): t is DirectionTrace => t !== undefined)
    .map((t) => `${t.direction} ${describeDirection(t)}`)
    .join('; ')
}

function isRecord(f: FlowLogRecord | Flow): f is FlowLogRecord {
  return 'start_time' in f
}

function sideName(k: ImpactGroupKey, source: boolean): string {
  const ns = source ? k.sourceNamespace : k.destinationNamespace
  const w = source ? k.sourceWorkload : k.destinationWorkload
  return ns && ns !== '-' ? `${ns}/${w}` : w
}

function networkSets(list: readonly Resource[]): (NetworkSet | GlobalNetworkSet)[] {
  return list.filter(
    (r): r is NetworkSet | GlobalNetworkSet =>
      r.kind === 'NetworkSet' || r.kind === 'GlobalNetworkSet',
  )
}

function sideText(s: Flow['source']): string {
  return 'endpoint' in s ? s.endpoint : s.ip
}

/** An endpoint group of the semantic diff: namespace plus workload. */
interface Group {
  name: string
  members: Endpoint[]
}

function groupsOf(inventory: RecommendInventory): Group[] {
  const groups = new Map<string, Group>()
  for (const e of inventory.endpoints) {
    const ns = e.kind === 'host' ? '' : (e.namespace ?? '')
    const w = e.kind === 'host' ? e.name : (workloadOf(e)?.value ?? e.name)
    const name = ns ? `${ns}/${w}` : w
    const g = groups.get(name)
    if (g) g.members.push(e)
    else groups.set(name, { name, members: [e] })
  }
  return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
}

function refOf(e: Endpoint): string {
  return e.kind === 'host' ? e.name : `${e.namespace ?? ''}/${e.name}`
}

/** Ports a group declares, as (protocol, port) pairs, de-duplicated and sorted. */
function declaredPorts(g: Group): Array<{ protocol: string; port: number }> {
  const seen = new Map<string, { protocol: string; port: number }>()
  for (const e of g.members) {
    for (const p of e.ports ?? []) {
      const protocol = String(p.protocol ?? 'TCP').toUpperCase()
      seen.set(`${protocol}/${p.port}`, { protocol, port: p.port })
    }
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : 1))
}

function sortRows(rows: CheckRow[]): CheckRow[] {
  return rows.sort(
    (a, b) =>
      (a.change === b.change ? 0 : a.change === 'newDeny' ? -1 : 1) ||
      b.count - a.count ||
      (a.source + a.destination < b.source + b.destination ? -1 : 1),
  )
}

/**
 * Judges a policy change for CI. With flow-log records, each record is judged in the
 * enforced view of both sets (as the impact preview does, records that cannot be judged
 * counted apart); with scenario flows, each flow; without flows, one representative flow
 * per (source group, destination group, declared port), groups being the inventory's
 * endpoints by namespace and app-like label.
 *
 * @returns the changed rows and totals; `failed` is true when the head denies a flow the
 * base allows (`new-denies`) or when anything changes (`any-change`).
 * @example checkChange({ base, head, inventory, flows: records, failOn: 'new-denies' })
 */
export function checkChange(input: CheckInput): CheckReport {
  const failOn = input.failOn ?? 'new-denies'
  const before = compilePolicySet({ resources: input.base, ...input.inventory })
  const after = compilePolicySet({ resources: input.head, ...input.inventory })
  const totals = { judged: 0, newDenies: 0, newAllows: 0, unchanged: 0, uncertain: 0 }
  const rows: CheckRow[] = []
  const add = (row: Omit<CheckRow, 'change'>) => {
    if (row.before === row.after) {
      totals.unchanged += row.count
      return
    }
    const change: CheckChangeKind = row.after === 'Deny' ? 'newDeny' : 'newAllow'
    if (change === 'newDeny') totals.newDenies += row.count
    else totals.newAllows += row.count
    rows.push({ change, ...row })
  }
  const flows = input.flows
  let mode: CheckReport['mode'] = 'flows'
  if (flows && flows.length > 0 && flows.every(isRecord)) {
    const sets = new Map<string, NetworkSet | GlobalNetworkSet>()
    for (const s of [...networkSets(input.base), ...networkSets(input.head)]) {
      sets.set(`${s.metadata.namespace ?? ''}/${s.metadata.name}`, s)
    }
    const impact = computeImpact(
      { model: before, view: 'enforced' },
      { model: after, view: 'enforced' },
      recordsToFlows(flows as readonly FlowLogRecord[], {
        endpoints: input.inventory.endpoints,
        networkSets: [...sets.values()],
      }),
    )
    totals.judged = impact.totals.flows
    totals.uncertain = impact.totals.uncertain
    for (const g of impact.groups) {
      const changed = g.counts.allowedToDenied + g.counts.deniedToAllowed
      totals.unchanged += g.counts.unchanged
      if (!changed || !g.example) continue
      const base = {
        source: sideName(g.key, true),
        destination: sideName(g.key, false),
        protocol: g.key.protocol,
        port: g.key.port,
        beforeBy: describeVerdict(g.example.before),
        afterBy: describeVerdict(g.example.after),
      }
      if (g.counts.allowedToDenied) {
        add({ ...base, count: g.counts.allowedToDenied, before: 'Allow', after: 'Deny' })
      }
      if (g.counts.deniedToAllowed) {
        add({ ...base, count: g.counts.deniedToAllowed, before: 'Deny', after: 'Allow' })
      }
    }
  } else if (flows && flows.length > 0) {
    for (const f of flows as readonly Flow[]) {
      const b = evaluateFlow(before, f).enforced
      const a = evaluateFlow(after, f).enforced
      totals.judged++
      add({
        id: f.id,
        source: sideText(f.source),
        destination: sideText(f.destination),
        protocol: String(f.protocol).toLowerCase(),
        port: f.port ?? null,
        count: 1,
        before: b.action,
        after: a.action,
        beforeBy: describeVerdict(b),
        afterBy: describeVerdict(a),
      })
    }
  } else {
    mode = 'semantic'
    const groups = groupsOf(input.inventory)
    for (const dst of groups) {
      const ports = declaredPorts(dst)
      const dstRep = dst.members[0] as Endpoint
      for (const src of groups) {
        const srcRep = src.members[0] as Endpoint
        for (const p of ports) {
          const flow: Flow = {
            id: `${src.name} -> ${dst.name} ${p.protocol.toLowerCase()}/${p.port}`,
            source: { endpoint: refOf(srcRep) },
            destination: { endpoint: refOf(dstRep) },
            protocol: p.protocol,
            port: p.port,
          }
          const b = evaluateFlow(before, flow).enforced
          const a = evaluateFlow(after, flow).enforced
          totals.judged++
          add({
            source: src.name,
            destination: dst.name,
            protocol: p.protocol.toLowerCase(),
            port: p.port,
            count: 1,
            before: b.action,
            after: a.action,
            beforeBy: describeVerdict(b),
            afterBy: describeVerdict(a),
          })
        }
      }
    }
  }
  const failed = failOn === 'any-change' ? rows.length > 0 : totals.newDenies > 0
  return { mode, totals, changes: sortRows(rows), failOn, failed }
}
