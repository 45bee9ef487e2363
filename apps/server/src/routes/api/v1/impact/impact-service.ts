/**
 * The impact preview and "can X reach Y?" over the store: stored flow tuples judged by
 * policy-core in the enforced view and in the changed view. The enforced model is the board's
 * snapshot (cached by the store's revision counter); changed models are cached per revision
 * and change, so repeated previews of one draft compile once.
 */
import type {
  ExplainFlow,
  ExplainRequest,
  ExplainResponse,
  ImpactChange,
  ImpactGroup,
  ImpactRequest,
  ImpactResponse,
} from '@policyboard/api'
import {
  type CompiledModel,
  type ImpactGroup as CoreGroup,
  changedPolicySet,
  compilePolicySet,
  computeImpact,
  ErrorCodes,
  evaluateFlow,
  type Flow,
  type FlowLogRecord,
  type FlowSide,
  type FlowTuple,
  type GlobalNetworkSet,
  type ImpactInventory,
  type ModelView,
  type NetworkSet,
  type PolicyChange,
  PolicyError,
  type Resource,
  recordsToFlows,
  validateResource,
} from '@policyboard/policy-core'
import { ValidationFailure } from '../../../../errors.ts'
import type { BoardService } from '../../../../services/board.ts'
import { notFound } from '../../../../store/errors.ts'
import type { FlowStore, TupleRow } from '../../../../store/flows.ts'
import type { Store } from '../../../../store/index.ts'

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 }

/** The window of a request in UNIX seconds (`24h` ends at `now`). */
export function windowOf(w: ImpactRequest['window'], now: number): { from: number; to: number } {
  if (w === undefined) return { from: now - 86400, to: now }
  if (typeof w === 'string') {
    const unit = w.at(-1) ?? 's'
    return { from: now - Number(w.slice(0, -1)) * (UNITS[unit] ?? 1), to: now }
  }
  return w
}

function labelList(text: string): string[] | undefined {
  const list = text.split('\n').filter(Boolean)
  return list.length ? list : undefined
}

/**
 * A stored tuple as policy-core's `FlowTuple`. A connection between two cluster endpoints is
 * reported by both ends: its flows are counted once, as the larger of the two reporters' totals.
 */
export function tupleOfRow(r: TupleRow): FlowTuple {
  const peer = (type: string, namespace: string, name: string, ip: string, labels: string) => {
    const l = labelList(labels)
    return {
      type: type as FlowTuple['source']['type'],
      namespace,
      name: '-',
      nameAggr: name,
      ip: ip || null,
      ...(l ? { labels: l } : {}),
    }
  }
  return {
    source: peer(r.source_type, r.source_namespace, r.source_name, r.source_ip, r.source_labels),
    destination: peer(r.dest_type, r.dest_namespace, r.dest_name, r.dest_ip, r.dest_labels),
    proto: r.proto,
    port: r.dest_port < 0 ? null : r.dest_port,
    count: Math.max(r.src_allow + r.src_deny, r.dst_allow + r.dst_deny),
  }
}

function sideOut(s: FlowSide): Record<string, string> {
  return 'endpoint' in s ? { endpoint: s.endpoint } : { ip: s.ip }
}

function flowOut(f: Flow): ExplainFlow {
  return {
    source: sideOut(f.source),
    destination: sideOut(f.destination),
    protocol: f.protocol,
    ...(f.port !== undefined ? { port: f.port } : {}),
  }
}

function groupOut(g: CoreGroup, withTraces: boolean): ImpactGroup {
  return {
    id: g.id,
    ...g.key,
    counts: g.counts,
    change: g.change,
    uncertainReasons: g.uncertainReasons,
    uncertainDetails: g.uncertainDetails,
    ...(g.before ? { before: g.before } : {}),
    ...(g.after ? { after: g.after } : {}),
    ...(g.example ? { example: flowOut(g.example.flow) } : {}),
    ...(withTraces && g.example
      ? { traces: { before: g.example.before, after: g.example.after } }
      : {}),
  }
}

interface Inputs {
  revision: number
  resources: Resource[]
  model: CompiledModel
  inventory: Awaited<ReturnType<Store['inventory']>>
  impactInventory: ImpactInventory
}

/** Impact previews and explanations; one per app, caches keyed by the store's revision. */
export class ImpactService {
  readonly #store: Store
  readonly #flows: FlowStore
  readonly #board: BoardService
  #inventory: { revision: number; value: Promise<Inputs['inventory']> } | undefined
  readonly #changed = new Map<string, CompiledModel>()

  constructor(store: Store, flows: FlowStore, board: BoardService) {
    this.#store = store
    this.#flows = flows
    this.#board = board
  }

  async #inputs(): Promise<Inputs> {
    const snap = await this.#board.snapshot()
    if (!this.#inventory || this.#inventory.revision !== snap.revision) {
      this.#inventory = { revision: snap.revision, value: this.#store.inventory() }
      this.#changed.clear()
    }
    const inventory = await this.#inventory.value
    if (!snap.model) {
      // The board could not compile the stored set: compile again to report why.
      compilePolicySet({ resources: snap.resources, ...inventory })
      throw new ValidationFailure('the stored policy set does not compile', [])
    }
    const networkSets = snap.resources.filter(
      (r): r is NetworkSet | GlobalNetworkSet =>
        r.kind === 'NetworkSet' || r.kind === 'GlobalNetworkSet',
    )
    return {
      revision: snap.revision,
      resources: snap.resources,
      model: snap.model,
      inventory,
      impactInventory: { endpoints: inventory.endpoints, networkSets },
    }
  }

  async #policyChange(change: ImpactChange): Promise<PolicyChange> {
    switch (change.type) {
      case 'staged-all':
      case 'staged':
      case 'staged-set':
        return change
      case 'draft': {
        const r = validateResource(change.resource)
        if (!r.ok) throw new ValidationFailure('the draft is not a valid resource', r.errors)
        return { type: 'draft', resource: r.value }
      }
      case 'revision': {
        const rev = await this.#store.revisionById(change.id)
        if (!rev) throw notFound(`revision ${change.id}`)
        return {
          type: 'revision',
          resource: rev.after,
          kind: rev.kind,
          ...(rev.namespace ? { namespace: rev.namespace } : {}),
          name: rev.name,
        }
      }
    }
  }

  /** The "after" side of a preview: the staged view of the snapshot, or a changed model. */
  async #after(inputs: Inputs, change: ImpactChange): Promise<ModelView> {
    const pc = await this.#policyChange(change)
    const set = changedPolicySet(inputs.resources, pc)
    if (!set.ok) throw new ValidationFailure('the change cannot be previewed', set.errors)
    if (set.value.unchanged) return { model: inputs.model, view: set.value.view }
    const key = JSON.stringify(pc)
    let model = this.#changed.get(key)
    if (!model) {
      model = compilePolicySet({ resources: set.value.resources, ...inputs.inventory })
      this.#changed.set(key, model)
      if (this.#changed.size > 16) this.#changed.delete(this.#changed.keys().next().value as string)
    }
    return { model, view: set.value.view }
  }

  /** Judges the window's stored flows before and after the change. */
  async impact(req: ImpactRequest, now: number): Promise<ImpactResponse> {
    const started = performance.now()
    const inputs = await this.#inputs()
    const after = await this.#after(inputs, req.change)
    const window = windowOf(req.window, now)
    const rows = await this.#flows.tuples(window.from, window.to, req.namespace)
    // Buckets are hours: keep only tuples of the window's buckets (the store filters by bucket).
    const flows = recordsToFlows(rows.map(tupleOfRow), inputs.impactInventory)
    const before: ModelView = { model: inputs.model, view: 'enforced' }
    const result = computeImpact(before, after, flows, { onlyChanged: req.onlyChanged ?? false })
    const limit = req.limit ?? 500
    return {
      totals: result.totals,
      groups: result.groups.slice(0, limit).map((g) => groupOut(g, g.id === req.traces)),
      groupCount: result.groups.length,
      tuples: rows.length,
      evaluations: result.evaluations,
      window,
      view: after.view,
      revision: String(inputs.revision),
      elapsedMs: Math.round((performance.now() - started) * 10) / 10,
    }
  }

  /** Both verdicts of one flow, or of a stored record, with traces. */
  async explain(req: ExplainRequest): Promise<ExplainResponse> {
    const inputs = await this.#inputs()
    let flow: Flow
    let uncertain: ExplainResponse['uncertain']
    let members: string[] | undefined
    if (req.record) {
      const [f] = recordsToFlows([explainableRecord(req.record)], inputs.impactInventory)
      if (!f || f.uncertain) {
        throw new ValidationFailure('the record cannot be judged', [
          new PolicyError(ErrorCodes.IMPACT_CHANGE, f?.detail ?? 'expected a flow-log record', {
            field: 'record',
          }),
        ])
      }
      const side = (p: typeof f.source): FlowSide => {
        if (p.kind === 'endpoints') {
          if (p.refs.length > 1) members = [...(members ?? []), ...p.refs]
          return { endpoint: p.refs[0] as string }
        }
        if (p.kind === 'ip' || p.kind === 'set') return { ip: p.ip }
        return { ip: p.class === 'pvt' ? '10.255.255.254' : '203.0.113.254' }
      }
      flow = {
        id: 'explain',
        source: side(f.source),
        destination: side(f.destination),
        protocol: f.protocol,
        ...(f.port !== null ? { port: f.port } : {}),
      }
      if (members) {
        uncertain = {
          reason: 'members-differ',
          detail: `the record stands for ${members.length} endpoints; the first of each side is judged`,
        }
      } else if (f.source.kind === 'net' || f.destination.kind === 'net') {
        uncertain = {
          reason: 'address-dependent',
          detail: 'the record has no address for its outside peer; a stand-in address is judged',
        }
      }
    } else {
      if (!req.source || !req.destination || req.protocol === undefined) {
        throw new ValidationFailure('expected source, destination and protocol, or a record', [
          new PolicyError(ErrorCodes.REQUIRED_FIELD, 'expected source, destination and protocol', {
            field: req.source ? (req.destination ? 'protocol' : 'destination') : 'source',
          }),
        ])
      }
      flow = {
        id: 'explain',
        source: req.source,
        destination: req.destination,
        protocol: req.protocol,
        ...(req.port !== undefined ? { port: req.port } : {}),
      }
    }
    let result: ReturnType<typeof evaluateFlow>
    try {
      result = evaluateFlow(inputs.model, flow)
    } catch (e) {
      if (e instanceof PolicyError) throw new ValidationFailure(e.message, [e])
      throw e
    }
    return {
      flow: flowOut(flow),
      enforced: result.enforced,
      staged: result.staged,
      ...(uncertain ? { uncertain } : {}),
      ...(members ? { members } : {}),
      revision: String(inputs.revision),
    }
  }
}

/** The fields of a flow-log record that explaining it reads, each with the type it must have. */
const EXPLAIN_RECORD_FIELDS: ReadonlyArray<readonly [string, 'string' | 'number']> = [
  ['proto', 'string'],
  ['source_type', 'string'],
  ['source_namespace', 'string'],
  ['source_name_aggr', 'string'],
  ['dest_type', 'string'],
  ['dest_namespace', 'string'],
  ['dest_name_aggr', 'string'],
]

/**
 * Checks that a posted record carries what explaining it needs, so a partial record is a 400
 * naming the missing field rather than a crash. The time window is not needed to explain one
 * record, so a record without one is completed with an empty window.
 */
function explainableRecord(raw: Record<string, unknown>): FlowLogRecord {
  const errors: PolicyError[] = []
  for (const [field, type] of EXPLAIN_RECORD_FIELDS) {
    if (typeof raw[field] !== type) {
      errors.push(
        new PolicyError(ErrorCodes.REQUIRED_FIELD, `expected ${field} to be a ${type}`, {
          field: `record.${field}`,
        }),
      )
    }
  }
  const port = raw.dest_port
  if (port !== undefined && port !== null && typeof port !== 'number') {
    errors.push(
      new PolicyError(ErrorCodes.INVALID_TYPE, 'expected dest_port to be a number or null', {
        field: 'record.dest_port',
      }),
    )
  }
  if (errors.length > 0) throw new ValidationFailure('the record cannot be explained', errors)
  return { start_time: 0, end_time: 0, ...raw } as unknown as FlowLogRecord
}
