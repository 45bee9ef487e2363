/**
 * Judging flows in bulk, by tuple and not one by one. A batch is columnar: per flow a source and
 * a destination side id (into a side table resolved once), a protocol number, a port and,
 * for ICMP, a type and code. Each distinct (source, destination, protocol, port, ICMP type/code)
 * tuple is found by an open-addressing hash over integers and judged once; flows get a verdict
 * code per view in a byte array. Traces are built per tuple, on request (`explainTuple`), or
 * eagerly with `traces: true`. Nothing is allocated per flow.
 */
import { ErrorCodes, PolicyError } from '../errors.ts'
import type { CompiledModel } from './compile.ts'
import {
  evaluateResolved,
  flowProtocol,
  protocolError,
  type ResolvedSide,
  resolvedAllows,
  resolveSide,
  resolveTuple,
  sameAsEnforced,
} from './evaluate.ts'
import type { Flow, FlowSide, Verdict } from './types.ts'

/** Verdict code of an allowed flow in a batch result's per-view byte arrays. */
export const VERDICT_ALLOW = 1
/** Verdict code of a denied flow in a batch result's per-view byte arrays. */
export const VERDICT_DENY = 2

/** Flow sides resolved once against a model; flows of a batch refer to them by position. */
export interface SideTable {
  /** The model the sides were resolved against. */
  model: CompiledModel
  /** The sides as given (a string is an endpoint reference). */
  sides: readonly FlowSide[]
  /** Each side's endpoint and address. */
  resolved: readonly ResolvedSide[]
}

/**
 * Flows as columns: flow `i` goes from `sides[src[i]]` to `sides[dst[i]]` on protocol
 * `proto[i]` and destination port `port[i]`. All columns have one entry per flow.
 */
export interface FlowBatch {
  /** The sides the flows refer to: a table from `internSides`, or sides to resolve now. */
  sides: SideTable | readonly (FlowSide | string)[]
  /** Source side id per flow. */
  src: Int32Array
  /** Destination side id per flow. */
  dst: Int32Array
  /** Protocol number (1–255) per flow: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, 132 SCTP, 136 UDPLite. */
  proto: Uint8Array
  /** Destination port per flow; absent, or negative in an Int32Array, for flows without a port. */
  port?: Uint16Array | Int32Array
  /** ICMP type per ICMP flow; absent or negative: echo request (8, or 128 for ICMPv6). */
  icmpType?: Int16Array | Int32Array
  /** ICMP code per ICMP flow; absent or negative: 0. */
  icmpCode?: Int16Array | Int32Array
}

/** Options of `judgeFlowBatch`. */
export interface BatchOptions {
  /** Also judge Calico's flow-log pending view. */
  pending?: boolean
  /** Build every tuple's traces while judging (otherwise `explainTuple` builds them on request). */
  traces?: boolean
}

/** A tuple's verdicts with their traces, per view. */
export interface TupleVerdicts {
  enforced: Verdict
  staged: Verdict
  /** Present when the batch judged the pending view. */
  pending?: Verdict
}

/**
 * The distinct tuples of a batch, as columns (one entry per tuple, in order of first
 * appearance). Flows of ICMP protocols have no port; other flows have no ICMP type or code.
 */
export interface TupleTable {
  count: number
  sides: SideTable
  /** Source side id. */
  src: Int32Array
  /** Destination side id. */
  dst: Int32Array
  proto: Uint8Array
  /** Destination port, NaN when none. */
  port: Float64Array
  /** ICMP type and code, NaN for other protocols. */
  icmpType: Float64Array
  icmpCode: Float64Array
  /** Verdict code per tuple and view. */
  enforced: Uint8Array
  staged: Uint8Array
  pending: Uint8Array | undefined
  /** Traces built so far, by tuple (filled by `explainTuple`, or while judging with `traces`). */
  explained: Array<TupleVerdicts | undefined>
}

/** The verdicts of a batch: a code per flow and view, and the distinct tuples. */
export interface FlowBatchResult {
  /** `VERDICT_ALLOW` or `VERDICT_DENY` per flow, enforced view. */
  enforced: Uint8Array
  /** Per flow, staged view. */
  staged: Uint8Array
  /** Per flow, pending view (when asked for). */
  pending?: Uint8Array
  /** Per flow, its tuple's index in `tuples`. */
  tupleIndex: Int32Array
  tuples: TupleTable
}

function batchError(path: string, message: string): PolicyError {
  return new PolicyError(ErrorCodes.SCENARIO, message, { field: path })
}

/**
 * Resolves flow sides once (a string is an endpoint reference), for any number of batches over
 * the same model. Throws a PolicyError at `sides[i]` for an unknown endpoint or invalid address.
 */
export function internSides(
  model: CompiledModel,
  sides: readonly (FlowSide | string)[],
): SideTable {
  const asSides: FlowSide[] = new Array(sides.length)
  const resolved: ResolvedSide[] = new Array(sides.length)
  for (let i = 0; i < sides.length; i++) {
    const s = sides[i] as FlowSide | string
    const side = typeof s === 'string' ? { endpoint: s } : s
    asSides[i] = side
    resolved[i] = resolveSide(model, side, `sides[${i}]`)
  }
  return { model, sides: asSides, resolved }
}

/** Growable tuple columns and the hash that finds a tuple by its integer key. */
interface TupleBuilder {
  count: number
  cap: number
  src: Int32Array
  dst: Int32Array
  /** Key part: protocol | portKey << 8. */
  pp: Int32Array
  /** Key part: 0, or ICMP key. */
  ic: Int32Array
  slots: Int32Array
  mask: number
  oddPorts: number[]
  oddPortIds: Map<number, number>
  oddIcmp: Array<[number, number]>
  oddIcmpIds: Map<string, number>
}

function newBuilder(expected: number): TupleBuilder {
  const cap = Math.max(64, Math.min(expected, 1 << 16))
  let size = 128
  while (size < cap * 2) size *= 2
  return {
    count: 0,
    cap,
    src: new Int32Array(cap),
    dst: new Int32Array(cap),
    pp: new Int32Array(cap),
    ic: new Int32Array(cap),
    slots: new Int32Array(size),
    mask: size - 1,
    oddPorts: [],
    oddPortIds: new Map(),
    oddIcmp: [],
    oddIcmpIds: new Map(),
  }
}

function hash4(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x27d4eb2f, 0x9e3779b1)
  h = Math.imul(h ^ (h >>> 15) ^ b, 0x85ebca77)
  h = Math.imul(h ^ (h >>> 13) ^ c, 0xc2b2ae3d)
  h = Math.imul(h ^ (h >>> 16) ^ d, 0x2c1b3c6d)
  return h ^ (h >>> 15)
}

function grow<T extends Int32Array | Uint8Array | Float64Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap)
  b.set(a)
  return b
}

/** Adds a tuple key; returns its index. The caller has checked it is not present. */
function addTuple(tb: TupleBuilder, s: number, d: number, pp: number, ic: number): number {
  if (tb.count === tb.cap) {
    tb.cap *= 2
    tb.src = grow(tb.src, tb.cap)
    tb.dst = grow(tb.dst, tb.cap)
    tb.pp = grow(tb.pp, tb.cap)
    tb.ic = grow(tb.ic, tb.cap)
  }
  const t = tb.count++
  tb.src[t] = s
  tb.dst[t] = d
  tb.pp[t] = pp
  tb.ic[t] = ic
  if (tb.count * 2 > tb.slots.length) {
    const size = tb.slots.length * 2
    const slots = new Int32Array(size)
    const mask = size - 1
    for (let u = 0; u < tb.count; u++) {
      let h =
        hash4(tb.src[u] as number, tb.dst[u] as number, tb.pp[u] as number, tb.ic[u] as number) &
        mask
      while (slots[h] !== 0) h = (h + 1) & mask
      slots[h] = u + 1
    }
    tb.slots = slots
    tb.mask = mask
  } else {
    let h = hash4(s, d, pp, ic) & tb.mask
    while (tb.slots[h] !== 0) h = (h + 1) & tb.mask
    tb.slots[h] = t + 1
  }
  return t
}

/** The tuple with this key, or -1. */
function findTuple(tb: TupleBuilder, s: number, d: number, pp: number, ic: number): number {
  const slots = tb.slots
  const mask = tb.mask
  let h = hash4(s, d, pp, ic) & mask
  for (;;) {
    const v = slots[h] as number
    if (v === 0) return -1
    const t = v - 1
    if (tb.src[t] === s && tb.dst[t] === d && tb.pp[t] === pp && tb.ic[t] === ic) return t
    h = (h + 1) & mask
  }
}

/** The key part of a destination port: 0 none, port + 1 for 0–65535, else an interned odd value. */
function portKey(tb: TupleBuilder, port: number | undefined): number {
  if (port === undefined) return 0
  if (port >= 0 && port <= 65535 && Number.isInteger(port)) return port + 1
  let id = tb.oddPortIds.get(port)
  if (id === undefined) {
    id = tb.oddPorts.length
    tb.oddPorts.push(port)
    tb.oddPortIds.set(port, id)
  }
  return 65537 + id
}

/** The key part of an ICMP type and code (defaults applied): 1 + type * 256 + code, or interned. */
function icmpKey(tb: TupleBuilder, type: number, code: number): number {
  if (type >= 0 && type <= 255 && code >= 0 && code <= 255 && Number.isInteger(type + code)) {
    return 1 + type * 256 + code
  }
  const k = `${type}/${code}`
  let id = tb.oddIcmpIds.get(k)
  if (id === undefined) {
    id = tb.oddIcmp.length
    tb.oddIcmp.push([type, code])
    tb.oddIcmpIds.set(k, id)
  }
  return 65537 + id
}

/** Judging state: the tuples and their verdict codes, growing together. */
interface Judge {
  model: CompiledModel
  table: SideTable
  tb: TupleBuilder
  pending: boolean
  traces: boolean
  enf: Uint8Array
  stg: Uint8Array
  pend: Uint8Array
  explained: Array<TupleVerdicts | undefined>
}

function decodePort(tb: TupleBuilder, pp: number): number | undefined {
  const k = pp >>> 8
  return k === 0 ? undefined : k <= 65536 ? k - 1 : tb.oddPorts[k - 65537]
}

function decodeIcmp(tb: TupleBuilder, ic: number): [number, number] | undefined {
  if (ic === 0) return undefined
  if (ic <= 65536) return [(ic - 1) >>> 8, (ic - 1) & 255]
  return tb.oddIcmp[ic - 65537]
}

/** Judges a new tuple in every view asked for, and stores its codes (and traces). */
function judgeTuple(j: Judge, t: number): void {
  const tb = j.tb
  const pp = tb.pp[t] as number
  const protocol = pp & 255
  const icmp = decodeIcmp(tb, tb.ic[t] as number)
  const f = resolveTuple(
    j.model,
    j.table.resolved[tb.src[t] as number] as ResolvedSide,
    j.table.resolved[tb.dst[t] as number] as ResolvedSide,
    protocol,
    decodePort(tb, pp),
    icmp?.[0],
    icmp?.[1],
  )
  if (t >= j.enf.length) {
    j.enf = grow(j.enf, tb.cap)
    j.stg = grow(j.stg, tb.cap)
    if (j.pending) j.pend = grow(j.pend, tb.cap)
  }
  if (j.traces) {
    const v: TupleVerdicts = {
      enforced: evaluateResolved(j.model, f, 'enforced'),
      staged: evaluateResolved(j.model, f, 'staged'),
    }
    if (j.pending) v.pending = evaluateResolved(j.model, f, 'pending')
    j.explained[t] = v
    j.enf[t] = v.enforced.action === 'Allow' ? VERDICT_ALLOW : VERDICT_DENY
    j.stg[t] = v.staged.action === 'Allow' ? VERDICT_ALLOW : VERDICT_DENY
    if (v.pending) j.pend[t] = v.pending.action === 'Allow' ? VERDICT_ALLOW : VERDICT_DENY
    return
  }
  const m = j.model
  const enforced = resolvedAllows(m, f, 'enforced') ? VERDICT_ALLOW : VERDICT_DENY
  j.enf[t] = enforced
  j.stg[t] = sameAsEnforced(m, f, 'staged')
    ? enforced
    : resolvedAllows(m, f, 'staged')
      ? VERDICT_ALLOW
      : VERDICT_DENY
  if (j.pending) {
    j.pend[t] = sameAsEnforced(m, f, 'pending')
      ? enforced
      : resolvedAllows(m, f, 'pending')
        ? VERDICT_ALLOW
        : VERDICT_DENY
  }
}

/** Finds or adds (and judges) the tuple of one flow. */
function tupleOf(j: Judge, s: number, d: number, pp: number, ic: number): number {
  let t = findTuple(j.tb, s, d, pp, ic)
  if (t < 0) {
    t = addTuple(j.tb, s, d, pp, ic)
    judgeTuple(j, t)
  }
  return t
}

/** Interns the sides and protocols of flow objects into batch columns, in flow order. */
function columnsOf(
  model: CompiledModel,
  flows: readonly Flow[],
  tb: TupleBuilder,
): { table: SideTable; src: Int32Array; dst: Int32Array; pp: Int32Array; ic: Int32Array } {
  const n = flows.length
  const src = new Int32Array(n)
  const dst = new Int32Array(n)
  const pp = new Int32Array(n)
  const ic = new Int32Array(n)
  const sides: FlowSide[] = []
  const resolved: ResolvedSide[] = []
  const endpointIds = new Map<string, number>()
  const ipIds = new Map<string, number>()
  const protos = new Map<string | number, number>()
  const sideId = (side: FlowSide, path: string): number => {
    const byEndpoint = 'endpoint' in side
    const key = byEndpoint ? side.endpoint : side.ip
    const ids = byEndpoint ? endpointIds : ipIds
    let id = ids.get(key)
    if (id === undefined) {
      const r = resolveSide(model, side, path)
      id = sides.length
      sides.push(side)
      resolved.push(r)
      ids.set(key, id)
    }
    return id
  }
  for (let i = 0; i < n; i++) {
    const flow = flows[i] as Flow
    src[i] = sideId(flow.source, 'source')
    dst[i] = sideId(flow.destination, 'destination')
    let proto = protos.get(flow.protocol)
    if (proto === undefined) {
      proto = flowProtocol(flow.protocol)
      if (proto === undefined) throw protocolError(flow.protocol)
      protos.set(flow.protocol, proto)
    }
    if (proto === 1 || proto === 58) {
      pp[i] = proto
      ic[i] = icmpKey(tb, flow.icmpType ?? (proto === 1 ? 8 : 128), flow.icmpCode ?? 0)
    } else {
      pp[i] = proto | (portKey(tb, flow.port) << 8)
    }
  }
  return { table: { model, sides, resolved }, src, dst, pp, ic }
}

/**
 * Judges many flows in the enforced and staged views (and pending, when asked): each distinct
 * tuple once, with the verdict-only fast path unless `traces` is set. Takes columns (see
 * `FlowBatch`) or flow objects. Throws a PolicyError for an unknown endpoint, an invalid address
 * or protocol, a side id out of range, or columns of different lengths.
 */
export function judgeFlowBatch(
  model: CompiledModel,
  batch: FlowBatch | readonly Flow[],
  opts: BatchOptions = {},
): FlowBatchResult {
  const pending = opts.pending === true
  const isColumns = !Array.isArray(batch)
  const n = isColumns ? (batch as FlowBatch).src.length : (batch as readonly Flow[]).length
  const tb = newBuilder(n >>> 3)
  let table: SideTable
  const tupleIndex = new Int32Array(n)
  const j: Judge = {
    model,
    table: undefined as unknown as SideTable,
    tb,
    pending,
    traces: opts.traces === true,
    enf: new Uint8Array(tb.cap),
    stg: new Uint8Array(tb.cap),
    pend: new Uint8Array(pending ? tb.cap : 0),
    explained: [],
  }
  if (isColumns) {
    const b = batch as FlowBatch
    table = Array.isArray(b.sides)
      ? internSides(model, b.sides as readonly (FlowSide | string)[])
      : (b.sides as SideTable)
    if (table.model !== model) {
      throw batchError('sides', 'expected a side table interned against the same compiled model')
    }
    j.table = table
    const { src, dst, proto, port, icmpType, icmpCode } = b
    for (const [name, col] of [
      ['dst', dst],
      ['proto', proto],
      ['port', port],
      ['icmpType', icmpType],
      ['icmpCode', icmpCode],
    ] as const) {
      if (col && col.length !== n) {
        throw batchError(name, `expected ${n} entries (one per flow), got ${col.length}`)
      }
    }
    const nSides = table.sides.length
    for (let i = 0; i < n; i++) {
      const s = src[i] as number
      const d = dst[i] as number
      const pr = proto[i] as number
      let pp: number
      let ic = 0
      if (pr === 1 || pr === 58) {
        const ty0 = icmpType ? (icmpType[i] as number) : -1
        const ty = ty0 < 0 ? (pr === 1 ? 8 : 128) : ty0
        const co = icmpCode ? Math.max(icmpCode[i] as number, 0) : 0
        pp = pr
        ic = ty > 255 || co > 255 ? icmpKey(tb, ty, co) : 1 + ty * 256 + co
      } else {
        const p = port ? (port[i] as number) : -1
        pp = pr | ((p < 0 ? 0 : p <= 65535 ? p + 1 : portKey(tb, p)) << 8)
      }
      let t = findTuple(tb, s, d, pp, ic)
      if (t < 0) {
        if (!(s >= 0 && s < nSides))
          throw batchError(`src[${i}]`, `expected a side id below ${nSides}, got ${s}`)
        if (!(d >= 0 && d < nSides))
          throw batchError(`dst[${i}]`, `expected a side id below ${nSides}, got ${d}`)
        if (pr === 0) throw protocolError(pr, `proto[${i}]`)
        t = addTuple(tb, s, d, pp, ic)
        judgeTuple(j, t)
      }
      tupleIndex[i] = t
    }
  } else {
    const cols = columnsOf(model, batch as readonly Flow[], tb)
    table = cols.table
    j.table = table
    const { src, dst, pp, ic } = cols
    for (let i = 0; i < n; i++) {
      tupleIndex[i] = tupleOf(
        j,
        src[i] as number,
        dst[i] as number,
        pp[i] as number,
        ic[i] as number,
      )
    }
  }
  // Per-flow codes from per-tuple codes: a second pass over small arrays.
  const enforced = new Uint8Array(n)
  const staged = new Uint8Array(n)
  const pend = pending ? new Uint8Array(n) : undefined
  const te = j.enf
  const ts = j.stg
  const tp = j.pend
  for (let i = 0; i < n; i++) {
    const t = tupleIndex[i] as number
    enforced[i] = te[t] as number
    staged[i] = ts[t] as number
  }
  if (pend) for (let i = 0; i < n; i++) pend[i] = tp[tupleIndex[i] as number] as number
  const count = tb.count
  const port = new Float64Array(count)
  const icmpTypes = new Float64Array(count)
  const icmpCodes = new Float64Array(count)
  const protoCol = new Uint8Array(count)
  for (let t = 0; t < count; t++) {
    const pp = tb.pp[t] as number
    protoCol[t] = pp & 255
    port[t] = decodePort(tb, pp) ?? Number.NaN
    const icmp = decodeIcmp(tb, tb.ic[t] as number)
    icmpTypes[t] = icmp ? icmp[0] : Number.NaN
    icmpCodes[t] = icmp ? icmp[1] : Number.NaN
  }
  const tuples: TupleTable = {
    count,
    sides: table,
    src: tb.src.subarray(0, count),
    dst: tb.dst.subarray(0, count),
    proto: protoCol,
    port,
    icmpType: icmpTypes,
    icmpCode: icmpCodes,
    enforced: te.subarray(0, count),
    staged: ts.subarray(0, count),
    pending: pending ? tp.subarray(0, count) : undefined,
    explained: j.explained,
  }
  return { enforced, staged, ...(pend ? { pending: pend } : {}), tupleIndex, tuples }
}

/** A tuple of a batch result as a flow (without id). */
export function tupleFlow(result: FlowBatchResult, tupleIndex: number): Omit<Flow, 'id'> {
  const t = result.tuples
  const side = (id: number) => t.sides.sides[id] as FlowSide
  const port = t.port[tupleIndex] as number
  const type = t.icmpType[tupleIndex] as number
  return {
    source: side(t.src[tupleIndex] as number),
    destination: side(t.dst[tupleIndex] as number),
    protocol: t.proto[tupleIndex] as number,
    ...(Number.isNaN(port) ? {} : { port }),
    ...(Number.isNaN(type) ? {} : { icmpType: type, icmpCode: t.icmpCode[tupleIndex] as number }),
  }
}

/**
 * The verdicts of one tuple of a batch with their traces (built on first request, then kept in
 * `result.tuples.explained`). Throws a PolicyError for a tuple index out of range.
 */
export function explainTuple(
  model: CompiledModel,
  result: FlowBatchResult,
  tupleIndex: number,
): TupleVerdicts {
  const t = result.tuples
  if (t.sides.model !== model) {
    throw batchError('model', 'expected the compiled model the batch was judged with')
  }
  if (!(tupleIndex >= 0 && tupleIndex < t.count && Number.isInteger(tupleIndex))) {
    throw batchError('tupleIndex', `expected a tuple index below ${t.count}, got ${tupleIndex}`)
  }
  const cached = t.explained[tupleIndex]
  if (cached) return cached
  const port = t.port[tupleIndex] as number
  const type = t.icmpType[tupleIndex] as number
  const f = resolveTuple(
    model,
    t.sides.resolved[t.src[tupleIndex] as number] as ResolvedSide,
    t.sides.resolved[t.dst[tupleIndex] as number] as ResolvedSide,
    t.proto[tupleIndex] as number,
    Number.isNaN(port) ? undefined : port,
    Number.isNaN(type) ? undefined : type,
    Number.isNaN(type) ? undefined : (t.icmpCode[tupleIndex] as number),
  )
  const v: TupleVerdicts = {
    enforced: evaluateResolved(model, f, 'enforced'),
    staged: evaluateResolved(model, f, 'staged'),
  }
  if (t.pending) v.pending = evaluateResolved(model, f, 'pending')
  t.explained[tupleIndex] = v
  return v
}
