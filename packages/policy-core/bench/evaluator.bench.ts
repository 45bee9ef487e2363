/**
 * Evaluator benchmark: a deterministic generated cluster (20 tiers, 2,000 policies, 10,000
 * endpoints in 200 namespaces, 500 network sets) and 1,000,000 flows over 50,000 distinct
 * (source, destination, protocol, port) tuples, generated as columns and judged in the enforced
 * and staged views with `judgeFlowBatch`; then traces for every tuple with `explainTuple`, and
 * the same million flows as objects through `evaluateFlows` for comparison. CPU time (user +
 * system of the process) is printed beside wall time: on a shared machine it is the steadier
 * figure.
 */
import type { Endpoint, Flow, FlowSide, Namespace, Resource, Rule } from '../src/index.ts'
import {
  compilePolicySet,
  evaluateFlows,
  explainTuple,
  internSides,
  judgeFlowBatch,
  VERDICT_ALLOW,
} from '../src/index.ts'

// mulberry32: a 32-bit generator with integer arithmetic only. (A textbook LCG written with
// doubles loses precision in the product and cycles after about 10,000 draws.)
let seed = 42
function rnd(): number {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)] as T
}
const int = (n: number) => Math.floor(rnd() * n)

const NS = 200
const EPS = 10_000
const APPS = ['web', 'api', 'db', 'cache', 'queue', 'auth', 'search', 'batch', 'metrics', 'gateway']
const TIERS = 20
const POLICIES = 2000
const SETS = 500
const PORTS = [80, 443, 8080, 5432, 6379, 9090, 53, 3000, 8443, 25]

const namespaces: Namespace[] = []
for (let i = 0; i < NS; i++) {
  namespaces.push({
    name: `ns-${i}`,
    labels: { team: `team-${i % 17}`, env: pick(['prod', 'dev', 'staging']) },
  })
}
const endpoints: Endpoint[] = []
for (let i = 0; i < EPS; i++) {
  const ns = i % NS
  const app = pick(APPS)
  endpoints.push({
    name: `pod-${i}`,
    namespace: `ns-${ns}`,
    labels: { app, tier: pick(['frontend', 'backend']), version: `v${int(3)}` },
    ips: [`10.${Math.floor(i / 250)}.${i % 250}.${1 + (ns % 250)}`],
    ports: [{ name: 'http', port: pick(PORTS), protocol: 'TCP' }],
  })
}
const resources: Resource[] = []
for (let t = 0; t < TIERS; t++) {
  resources.push({
    apiVersion: 'projectcalico.org/v3',
    kind: 'Tier',
    metadata: { name: `tier-${t}` },
    spec: { order: t * 10, defaultAction: t % 3 === 0 ? 'Deny' : 'Pass' },
  })
}
for (let s = 0; s < SETS; s++) {
  const nets = [`172.${16 + (s % 16)}.${int(256)}.0/24`, `198.51.${int(256)}.0/28`]
  const labels = { kind: pick(['partner', 'blocked', 'cdn', 'corp']), zone: `z${s % 7}` }
  if (s % 2) {
    resources.push({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkSet',
      metadata: { name: `gns-${s}`, labels },
      spec: { nets },
    })
  } else {
    resources.push({
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkSet',
      metadata: { name: `ns-${s}`, namespace: `ns-${s % NS}`, labels },
      spec: { nets },
    })
  }
}
function rule(): Rule {
  const action = pick(['Allow', 'Allow', 'Allow', 'Deny', 'Pass', 'Log'] as const)
  const r: Rule = { action, protocol: pick(['TCP', 'TCP', 'UDP']) }
  const side = int(5)
  const ports = [pick(PORTS), `${1000 + int(100)}:${1100 + int(100)}`]
  if (side === 0) r.source = { selector: `app == '${pick(APPS)}'` }
  else if (side === 1)
    r.source = { namespaceSelector: `team == 'team-${int(17)}'`, selector: `tier == 'frontend'` }
  else if (side === 2) r.source = { nets: [`10.${int(40)}.0.0/16`] }
  else if (side === 3)
    r.source = { selector: `kind == '${pick(['partner', 'cdn'])}'`, namespaceSelector: 'global()' }
  else r.source = { notSelector: `app in {'${pick(APPS)}', '${pick(APPS)}'}` }
  r.destination = { ports: int(4) === 0 ? ['http'] : ports }
  return r
}
for (let p = 0; p < POLICIES; p++) {
  const tier = `tier-${p % TIERS}`
  const ingress = Array.from({ length: 3 }, rule)
  const egress = Array.from({ length: 2 }, rule)
  const spec = {
    tier,
    order: int(4) === 0 ? undefined : int(1000),
    selector: int(3) === 0 ? `app == '${pick(APPS)}' && version != 'v2'` : `app == '${pick(APPS)}'`,
    types: ['Ingress', 'Egress'] as ('Ingress' | 'Egress')[],
    ingress,
    egress,
  }
  const staged = p % 25 === 0
  if (p % 2 === 0) {
    resources.push({
      apiVersion: 'projectcalico.org/v3',
      kind: staged ? 'StagedGlobalNetworkPolicy' : 'GlobalNetworkPolicy',
      metadata: { name: `${tier}.g-${p}` },
      spec: {
        ...spec,
        namespaceSelector: `env == '${pick(['prod', 'dev'])}'`,
        ...(staged ? { stagedAction: 'Set' as const } : {}),
      },
    } as Resource)
  } else {
    resources.push({
      apiVersion: 'projectcalico.org/v3',
      kind: staged ? 'StagedNetworkPolicy' : 'NetworkPolicy',
      metadata: { name: `${tier}.n-${p}`, namespace: `ns-${p % NS}` },
      spec: { ...spec, ...(staged ? { stagedAction: 'Set' as const } : {}) },
    } as Resource)
  }
}

const TUPLES = 50_000
const FLOWS = 1_000_000
// The sides: every endpoint by reference, then the outside addresses as they are drawn.
const sides: FlowSide[] = endpoints.map((e) => ({ endpoint: `${e.namespace}/${e.name}` }))
const tSrc = new Int32Array(TUPLES)
const tDst = new Int32Array(TUPLES)
const tProto = new Uint8Array(TUPLES)
const tPort = new Uint16Array(TUPLES)
for (let i = 0; i < TUPLES; i++) {
  tSrc[i] = int(EPS)
  const dst = int(EPS)
  if (i % 20 === 0) {
    tDst[i] = sides.length
    sides.push({ ip: `198.51.${int(256)}.${int(256)}` })
  } else tDst[i] = dst
  tProto[i] = pick([6, 6, 6, 17])
  tPort[i] = pick(PORTS)
}
const src = new Int32Array(FLOWS)
const dst = new Int32Array(FLOWS)
const proto = new Uint8Array(FLOWS)
const port = new Uint16Array(FLOWS)
for (let i = 0; i < FLOWS; i++) {
  const t = i % TUPLES
  src[i] = tSrc[t] as number
  dst[i] = tDst[t] as number
  proto[i] = tProto[t] as number
  port[i] = tPort[t] as number
}

interface Timed<T> {
  value: T
  wallMs: number
  cpuMs: number
}
/** Runs `f` once; wall time and CPU time (user + system, all threads: includes parallel GC). */
function timed<T>(f: () => T): Timed<T> {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const value = f()
  const wallMs = performance.now() - t0
  const c = process.cpuUsage(c0)
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 }
}
const ms = (x: number) => `${x.toFixed(0)} ms`
const rate = (n: number, x: number) => Math.round(n / (x / 1000)).toLocaleString('en')
const line = (label: string, r: Timed<unknown>, n?: number) =>
  console.log(
    `${label}: CPU ${ms(r.cpuMs)}${n ? ` = ${rate(n, r.cpuMs)} flows per CPU second` : ''} (wall ${ms(r.wallMs)}${n ? ` = ${rate(n, r.wallMs)} flows/s` : ''})`,
  )
const gc = (globalThis as { gc?: () => void }).gc
const rssMB = () => (process.resourceUsage().maxRSS / 1024).toFixed(0)

console.log(
  `evaluator: ${resources.length} resources, ${EPS} endpoints, ${FLOWS} flows over ${TUPLES} tuples`,
)
gc?.()
const compiled = timed(() => compilePolicySet({ resources, namespaces, endpoints }))
const model = compiled.value
line('compile', compiled)
const batchOf = () => ({ sides: internSides(model, sides), src, dst, proto, port })
const cold = timed(() => judgeFlowBatch(model, batchOf()))
line('judgeFlowBatch, enforced+staged, cold caches (incl. internSides)', cold, FLOWS)
const warm = timed(() => judgeFlowBatch(model, batchOf()))
line('judgeFlowBatch, enforced+staged, warm caches', warm, FLOWS)
const r = warm.value
let allowed = 0
let changed = 0
for (let i = 0; i < FLOWS; i++) {
  if (r.enforced[i] === VERDICT_ALLOW) allowed++
  if (r.enforced[i] !== r.staged[i]) changed++
}
console.log(
  `distinct tuples: ${r.tuples.count}; allowed (enforced): ${allowed}, verdict changed by staging: ${changed}`,
)
const explained = timed(() => {
  for (let t = 0; t < r.tuples.count; t++) explainTuple(model, r, t)
})
line(`explainTuple for all ${r.tuples.count} tuples (traces, both views)`, explained)
console.log(`peak RSS after the columnar batches: ${rssMB()} MB`)

// For comparison: the same flows as a million objects through evaluateFlows (one result object
// per flow), on a freshly compiled model (cold caches) and again (warm).
const flows: Flow[] = new Array(FLOWS)
for (let i = 0; i < FLOWS; i++) {
  flows[i] = {
    id: `f${i}`,
    source: sides[src[i] as number] as FlowSide,
    destination: sides[dst[i] as number] as FlowSide,
    protocol: proto[i] === 6 ? 'TCP' : 'UDP',
    port: port[i] as number,
  }
}
const model2 = compilePolicySet({ resources, namespaces, endpoints })
gc?.()
const objCold = timed(() => evaluateFlows(model2, flows))
line('evaluateFlows (objects, traces), cold caches', objCold, FLOWS)
const objWarm = timed(() => evaluateFlows(model2, flows))
line('evaluateFlows (objects, traces), warm caches', objWarm, FLOWS)
let same = 0
objWarm.value.forEach((f, i) => {
  if ((f.enforced.action === 'Allow' ? 1 : 2) === r.enforced[i]) same++
})
console.log(`evaluateFlows agrees with judgeFlowBatch on ${same} of ${FLOWS} flows`)
console.log(`peak RSS at the end (incl. a million flow objects and results): ${rssMB()} MB`)
