import type { VerdictResponse, VerdictTuple } from '@policyboard/api'
import {
  type CompiledModel,
  compilePolicySet,
  evaluateFlows,
  type Flow,
  type FlowSide,
  type Resource,
  resourceKind,
} from '@policyboard/policy-core'
import type { FlowStore, TupleRow } from '../store/flows.ts'
import { resourceIdOf, type Store } from '../store/index.ts'
import type { BoardService } from './board.ts'

/** Query of a verdict computation. Times are UNIX seconds. */
export interface VerdictOptions {
  from: number
  to: number
  namespace?: string | undefined
  changedOnly?: boolean | undefined
  limit?: number | undefined
  /** Resources laid over the stored ones for the staged view (impact of an unsaved edit). */
  proposed?: Resource[] | undefined
}

/** Finds the inventory endpoint or address a flow-log side stands for. */
class SideResolver {
  readonly #model: CompiledModel
  readonly #resources: Resource[]
  readonly #cache = new Map<string, FlowSide | undefined>()

  constructor(model: CompiledModel, resources: Resource[]) {
    this.#model = model
    this.#resources = resources
  }

  resolve(type: string, namespace: string, name: string, ip: string): FlowSide | undefined {
    const key = `${type}|${namespace}|${name}|${ip}`
    if (this.#cache.has(key)) return this.#cache.get(key)
    const side = this.#find(type, namespace, name, ip)
    this.#cache.set(key, side)
    return side
  }

  #find(type: string, namespace: string, name: string, ip: string): FlowSide | undefined {
    if (type === 'net') return ip ? { ip } : undefined
    if (type === 'hep') return this.#model.endpointByRef.has(name) ? { endpoint: name } : undefined
    if (type === 'ns') {
      const set = this.#resources.find(
        (r) =>
          (resourceKind(r) === 'NetworkSet' &&
            r.metadata.namespace === namespace &&
            r.metadata.name === name) ||
          (resourceKind(r) === 'GlobalNetworkSet' && r.metadata.name === name),
      )
      const cidr = (set?.spec as { nets?: string[] } | undefined)?.nets?.[0]
      return cidr ? { ip: cidr.split('/')[0] as string } : undefined
    }
    // A workload: its pod name, or the first pod of the aggregated prefix (`web-7d9f-*`).
    const exact = `${namespace}/${name}`
    if (!name.endsWith('*'))
      return this.#model.endpointByRef.has(exact) ? { endpoint: exact } : undefined
    const prefix = `${namespace}/${name.slice(0, -1)}`
    for (const ep of this.#model.endpoints) {
      if (ep.kind === 'workload' && ep.ref.startsWith(prefix)) return { endpoint: ep.ref }
    }
    return undefined
  }
}

function peer(type: string, namespace: string, name: string) {
  return { type, namespace, name }
}

/**
 * Judges the stored flows, aggregated by tuple, under the enforced and staged views with the
 * evaluator's batch API (the compiled set comes from the board's cache, keyed by revision),
 * and counts how many flows change verdict.
 */
export async function computeVerdicts(
  store: Store,
  flows: FlowStore,
  board: BoardService,
  opts: VerdictOptions,
): Promise<VerdictResponse> {
  const snap = await board.snapshot()
  const tuples = await flows.tuples(opts.from, opts.to, opts.namespace)
  let model = snap.model
  let stagedModel = model
  if (opts.proposed?.length) {
    const ids = new Set(opts.proposed.map((r) => JSON.stringify(resourceIdOf(r))))
    const merged = [
      ...snap.resources.filter((r) => !ids.has(JSON.stringify(resourceIdOf(r)))),
      ...opts.proposed,
    ]
    stagedModel = compilePolicySet({ resources: merged, ...(await store.inventory()) })
  }
  const summary = {
    tuples: tuples.length,
    flows: 0,
    allowedToDenied: 0,
    deniedToAllowed: 0,
    unchanged: 0,
    unknown: 0,
  }
  if (!model || !stagedModel) {
    model = compilePolicySet({ resources: snap.resources, ...(await store.inventory()) })
    stagedModel = model
  }
  const resolver = new SideResolver(model, snap.resources)
  const stagedResolver =
    stagedModel === model ? resolver : new SideResolver(stagedModel, snap.resources)
  const known: Array<{ row: TupleRow; flow: Flow; stagedFlow: Flow }> = []
  const items: VerdictTuple[] = []
  const limit = opts.limit ?? 500
  const describe = (row: TupleRow) => ({
    source: peer(row.source_type, row.source_namespace, row.source_name),
    destination: peer(row.dest_type, row.dest_namespace, row.dest_name),
    proto: row.proto,
    port: row.dest_port < 0 ? null : row.dest_port,
    count: count(row),
  })
  for (const [i, row] of tuples.entries()) {
    const src = resolver.resolve(
      row.source_type,
      row.source_namespace,
      row.source_name,
      row.source_ip,
    )
    const dst = resolver.resolve(row.dest_type, row.dest_namespace, row.dest_name, row.dest_ip)
    summary.flows += count(row)
    if (!src || !dst) {
      summary.unknown += count(row)
      if (!opts.changedOnly && items.length < limit)
        items.push({ ...describe(row), enforced: 'Unknown', staged: 'Unknown' })
      continue
    }
    const flow: Flow = {
      id: String(i),
      source: src,
      destination: dst,
      protocol: row.proto,
      ...(row.dest_port >= 0 ? { port: row.dest_port } : {}),
    }
    const stagedFlow: Flow =
      stagedResolver === resolver
        ? flow
        : {
            ...flow,
            source:
              stagedResolver.resolve(
                row.source_type,
                row.source_namespace,
                row.source_name,
                row.source_ip,
              ) ?? src,
            destination:
              stagedResolver.resolve(
                row.dest_type,
                row.dest_namespace,
                row.dest_name,
                row.dest_ip,
              ) ?? dst,
          }
    known.push({ row, flow, stagedFlow })
  }
  const enforced = safeEvaluate(
    model,
    known.map((k) => k.flow),
  )
  const staged =
    stagedModel === model
      ? enforced
      : safeEvaluate(
          stagedModel,
          known.map((k) => k.stagedFlow),
        )
  for (const [i, { row }] of known.entries()) {
    const e = enforced[i]?.enforced.action ?? 'Unknown'
    const s =
      (stagedModel === model ? staged[i]?.staged.action : staged[i]?.staged.action) ?? 'Unknown'
    const n = count(row)
    if (e === 'Unknown' || s === 'Unknown') summary.unknown += n
    else if (e === s) summary.unchanged += n
    else if (e === 'Allow') summary.allowedToDenied += n
    else summary.deniedToAllowed += n
    if (opts.changedOnly && e === s) continue
    if (items.length < limit) items.push({ ...describe(row), enforced: e, staged: s })
  }
  return { summary, items, revision: String(snap.revision) }
}

/** Flows of a tuple: the larger of the two reporters' counts (each connection may be reported twice). */
function count(row: TupleRow): number {
  return Math.max(row.src_allow + row.src_deny, row.dst_allow + row.dst_deny)
}

/** Evaluates flows; a flow the evaluator refuses (unknown protocol, address) is judged one by one and left Unknown. */
function safeEvaluate(
  model: CompiledModel,
  batch: Flow[],
): Array<ReturnType<typeof evaluateFlows>[number] | undefined> {
  try {
    return evaluateFlows(model, batch)
  } catch {
    return batch.map((f) => {
      try {
        return evaluateFlows(model, [f])[0]
      } catch {
        return undefined
      }
    })
  }
}
