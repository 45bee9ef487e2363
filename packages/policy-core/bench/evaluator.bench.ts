/**
 * Evaluator benchmark: a deterministic generated cluster (20 tiers, 2,000 policies, 10,000
 * endpoints in 200 namespaces, 500 network sets) and 1,000,000 flows over 50,000 distinct
 * (source, destination, protocol, port) tuples, judged in the enforced and staged views.
 */
import type { Endpoint, Flow, Namespace, Resource, Rule } from '../src/index.ts'
import { compilePolicySet, evaluateFlows } from '../src/index.ts'

let seed = 42
function rnd(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
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
const tuples: Omit<Flow, 'id'>[] = []
for (let i = 0; i < TUPLES; i++) {
  const src = endpoints[int(EPS)] as Endpoint
  const dst = endpoints[int(EPS)] as Endpoint
  const outside = i % 20 === 0
  tuples.push({
    source: { endpoint: `${src.namespace}/${src.name}` },
    destination: outside
      ? { ip: `198.51.${int(256)}.${int(256)}` }
      : { endpoint: `${dst.namespace}/${dst.name}` },
    protocol: pick(['TCP', 'TCP', 'TCP', 'UDP']),
    port: pick(PORTS),
  })
}
const FLOWS = 1_000_000
const flows: Flow[] = new Array(FLOWS)
for (let i = 0; i < FLOWS; i++)
  flows[i] = { id: `f${i}`, ...(tuples[i % TUPLES] as Omit<Flow, 'id'>) }

const t0 = performance.now()
const model = compilePolicySet({ resources, namespaces, endpoints })
const t1 = performance.now()
const c1 = process.cpuUsage()
const results = evaluateFlows(model, flows)
const c2 = process.cpuUsage(c1)
const t2 = performance.now()
let allowed = 0
let changed = 0
for (const r of results) {
  if (r.enforced.action === 'Allow') allowed++
  if (r.enforced.action !== r.staged.action) changed++
}
// A second batch over the same model: identity caches are warm, only the batch memo is new.
const t3 = performance.now()
const c3 = process.cpuUsage()
evaluateFlows(model, flows)
const c4 = process.cpuUsage(c3)
const t4 = performance.now()
/** CPU milliseconds (user + system, all threads: includes parallel GC) of a cpuUsage delta. */
const cpuMs = (c: NodeJS.CpuUsage): string => ((c.user + c.system) / 1000).toFixed(0)
const rssMB = process.resourceUsage().maxRSS / 1024
console.log(
  `evaluator: ${resources.length} resources, ${EPS} endpoints, ${FLOWS} flows over ${TUPLES} tuples`,
)
console.log(`compile: ${(t1 - t0).toFixed(0)} ms`)
console.log(
  `judge (enforced+staged, cold caches): ${(t2 - t1).toFixed(0)} ms = ${Math.round(FLOWS / ((t2 - t1) / 1000)).toLocaleString('en')} flows/s (CPU ${cpuMs(c2)} ms)`,
)
console.log(
  `judge (enforced+staged, warm identity caches): ${(t4 - t3).toFixed(0)} ms = ${Math.round(FLOWS / ((t4 - t3) / 1000)).toLocaleString('en')} flows/s (CPU ${cpuMs(c4)} ms)`,
)
console.log(`allowed (enforced): ${allowed}, verdict changed by staging: ${changed}`)
console.log(`peak RSS: ${rssMB.toFixed(0)} MB`)
