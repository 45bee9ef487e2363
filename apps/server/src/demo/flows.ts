/**
 * Demo flow logs: what Felix would have written for the demo cluster over a time window —
 * the shop's call graph, DNS, Prometheus scrapes, traffic to and from the internet and a few
 * lateral-movement attempts — with verdicts and hit strings from the evaluator.
 * Deterministic: the same options give the same records.
 */
import {
  classifyAddress,
  type Endpoint,
  type FlowLogRecord,
  type GlobalNetworkSet,
  type HitNaming,
  longestPrefixNetworkSet,
  type NetworkSet,
  nameAggr,
} from '@policyboard/policy-core'
import {
  type DemoCluster,
  demoCluster,
  PARTNER_NETS,
  PAYMENT_GATEWAY_NETS,
  STOREFRONT,
  THREAT_NETS,
} from './cluster.ts'
import { createPrng, type Prng } from './prng.ts'
import { createDemoJudge, type ReporterVerdict } from './verdicts.ts'

/** Options of the demo flow generator. */
export interface DemoFlowOptions {
  /** End of the window, UNIX milliseconds (e.g. `Date.now()`). */
  now: number
  /** Length of the window in hours; records fill it in 5-minute export intervals. */
  hours: number
  /** Number of records to write, exactly. */
  count: number
  /** Seed of the pseudo-random choices. */
  seed: number
  /** Policy naming of the hit strings; `legacy` (Calico Enterprise) by default. */
  naming?: HitNaming
}

/** What kind of traffic a conversation is, for tests and for the board's demo narrative. */
export type ConversationKind =
  | 'call-graph'
  | 'dns'
  | 'scrape'
  | 'egress'
  | 'inbound'
  | 'tenant'
  | 'lateral'

/** One side of a conversation: pods of the inventory, or outside addresses. */
type Side = { pods: Endpoint[] } | { ips: string[] }

/** A recurring conversation between two groups, the unit the generator draws from. */
export interface Conversation {
  /** Stable id, e.g. `storefront/frontend -> storefront/cartservice tcp/7070`. */
  id: string
  kind: ConversationKind
  source: Side
  destination: Side
  proto: 'TCP' | 'UDP'
  port: number
  /** Relative frequency. */
  weight: number
  /** Typical bytes sent by the initiator and by the receiver per connection. */
  bytes: [number, number]
}

/** Flush interval of Felix's flow logs, seconds. */
export const EXPORT_INTERVAL = 300

/** Public client addresses that browse the shop (not in any network set). */
const CLIENT_IPS = [
  '81.2.69.142',
  '81.2.69.160',
  '89.160.20.112',
  '89.160.20.128',
  '175.16.199.7',
  '216.160.83.56',
  '2.125.160.216',
  '67.43.156.14',
]
/** Public services the shop's frontend calls (analytics, CDNs). */
const INTERNET_SERVICES = ['142.250.74.110', '151.101.1.69', '104.16.132.229']

/** `n` consecutive IPv4 addresses from `offset` past the base address of `a.b.c.d/len`. */
function hostsOf(cidr: string, n: number, offset = 1): string[] {
  const [base] = cidr.split('/') as [string]
  const parts = base.split('.').map(Number) as [number, number, number, number]
  return Array.from(
    { length: n },
    (_, i) => `${parts[0]}.${parts[1]}.${parts[2]}.${parts[3] + offset + i}`,
  )
}

/** The demo's conversations over a cluster's inventory. */
export function demoConversations(cluster: DemoCluster): Conversation[] {
  const podsOf = (namespace: string, app: string) =>
    cluster.endpoints.filter(
      (e) =>
        e.namespace === namespace &&
        (e.labels?.app === app ||
          e.labels?.['k8s-app'] === app ||
          e.labels?.['app.kubernetes.io/name'] === app),
    )
  const out: Conversation[] = []
  const add = (
    kind: ConversationKind,
    source: Side,
    destination: Side,
    proto: 'TCP' | 'UDP',
    port: number,
    weight: number,
    bytes: [number, number],
  ) => {
    const name = (s: Side) =>
      'pods' in s
        ? `${s.pods[0]?.namespace}/${nameAggr(s.pods[0]?.name ?? '?')}`
        : (s.ips[0] ?? '?')
    out.push({
      id: `${name(source)} -> ${name(destination)} ${proto.toLowerCase()}/${port}`,
      kind,
      source,
      destination,
      proto,
      port,
      weight,
      bytes,
    })
  }

  for (const svc of STOREFRONT) {
    for (const callee of svc.calls) {
      const target = STOREFRONT.find((s) => s.app === callee)
      if (!target?.port) continue
      const weight = svc.app === 'frontend' ? 10 : svc.app === 'loadgenerator' ? 12 : 5
      const bytes: [number, number] = callee === 'redis-cart' ? [400, 900] : [1_200, 6_000]
      add(
        'call-graph',
        { pods: podsOf('storefront', svc.app) },
        { pods: podsOf('storefront', callee) },
        'TCP',
        target.port.number,
        weight,
        bytes,
      )
    }
  }

  const dns = { pods: podsOf('kube-system', 'kube-dns') }
  const clients: Array<[string, string]> = [
    ...STOREFRONT.map((s): [string, string] => ['storefront', s.app]),
    ['tenant-b', 'web'],
    ['monitoring', 'prometheus'],
  ]
  for (const [ns, app] of clients) {
    add('dns', { pods: podsOf(ns, app) }, dns, 'UDP', 53, 2, [80, 160])
  }
  add('dns', { pods: podsOf('storefront', 'frontend') }, dns, 'TCP', 53, 0.3, [120, 1_400])

  const prometheus = { pods: podsOf('monitoring', 'prometheus') }
  for (const svc of STOREFRONT) {
    if (svc.app === 'loadgenerator') continue
    add(
      'scrape',
      prometheus,
      { pods: podsOf('storefront', svc.app) },
      'TCP',
      9464,
      0.6,
      [300, 9_000],
    )
  }
  add('scrape', prometheus, dns, 'TCP', 9153, 0.6, [300, 7_000])

  const payment = { pods: podsOf('storefront', 'paymentservice') }
  const frontend = { pods: podsOf('storefront', 'frontend') }
  add(
    'egress',
    payment,
    { ips: hostsOf(PAYMENT_GATEWAY_NETS[0] as string, 4) },
    'TCP',
    443,
    3,
    [2_500, 4_000],
  )
  add(
    'egress',
    { pods: podsOf('storefront', 'shippingservice') },
    { ips: hostsOf(PARTNER_NETS[0] as string, 3, 10) },
    'TCP',
    443,
    2,
    [1_800, 2_400],
  )
  add('egress', frontend, { ips: INTERNET_SERVICES }, 'TCP', 443, 2, [900, 15_000])

  add('inbound', { ips: CLIENT_IPS }, frontend, 'TCP', 8080, 9, [1_500, 40_000])
  add(
    'inbound',
    { ips: hostsOf(PARTNER_NETS[0] as string, 3, 20) },
    frontend,
    'TCP',
    8080,
    1,
    [2_000, 8_000],
  )
  add(
    'inbound',
    { ips: hostsOf(THREAT_NETS[0] as string, 5, 60) },
    frontend,
    'TCP',
    8080,
    0.6,
    [600, 0],
  )

  const web = { pods: podsOf('tenant-b', 'web') }
  const db = { pods: podsOf('tenant-b', 'db') }
  add('tenant', { ips: CLIENT_IPS.slice(4) }, web, 'TCP', 8080, 3, [1_200, 25_000])
  add('tenant', web, db, 'TCP', 5432, 3, [700, 3_500])
  add('tenant', web, { ips: ['140.82.112.3'] }, 'TCP', 443, 0.8, [900, 5_000])
  add('tenant', prometheus, { ips: ['34.120.177.193'] }, 'TCP', 443, 0.5, [20_000, 400])

  const redis = { pods: podsOf('storefront', 'redis-cart') }
  const debug = { pods: podsOf('tenant-b', 'debug-shell') }
  add('lateral', web, redis, 'TCP', 6379, 0.3, [120, 0])
  add(
    'lateral',
    { pods: podsOf('storefront', 'loadgenerator') },
    payment,
    'TCP',
    50051,
    0.3,
    [200, 0],
  )
  add('lateral', frontend, redis, 'TCP', 6379, 0.2, [120, 0])
  add('lateral', debug, { pods: podsOf('storefront', 'cartservice') }, 'TCP', 7070, 0.2, [200, 0])
  add('lateral', debug, db, 'TCP', 5432, 0.2, [200, 0])
  return out
}

/** Labels as a flow log writes them: `k=v`, Calico's own `projectcalico.org/*` keys dropped. */
function flowLabels(labels: Record<string, string> | undefined): { labels: string[] } | null {
  if (!labels) return null
  return {
    labels: Object.entries(labels)
      .filter(([k]) => !k.startsWith('projectcalico.org/'))
      .map(([k, v]) => `${k}=${v}`)
      .sort(),
  }
}

/** The flow-log view of one concrete side: a pod, or an address named by network set or pub/pvt. */
interface Peer {
  endpoint?: Endpoint
  ip: string
  type: 'wep' | 'ns' | 'net'
  namespace: string
  name: string
  aggr: string
  labels: { labels: string[] } | null
}

function podPeer(e: Endpoint): Peer {
  return {
    endpoint: e,
    ip: e.ips?.[0] ?? '',
    type: 'wep',
    namespace: e.namespace ?? '-',
    name: e.name,
    aggr: nameAggr(e.name),
    labels: flowLabels(e.labels),
  }
}

function ipPeer(ip: string, sets: ReadonlyArray<NetworkSet | GlobalNetworkSet>): Peer {
  const m = longestPrefixNetworkSet(ip, sets)
  if (m) {
    return {
      ip,
      type: 'ns',
      namespace: m.set.metadata.namespace ?? '-',
      name: m.set.metadata.name,
      aggr: m.set.metadata.name,
      labels: flowLabels(m.set.metadata.labels),
    }
  }
  return { ip, type: 'net', namespace: '-', name: '-', aggr: classifyAddress(ip), labels: null }
}

/** Splits `count` records over the windows, busier in the day (largest-remainder rounding). */
function recordsPerWindow(count: number, windows: number, firstStart: number): number[] {
  const weights = Array.from({ length: windows }, (_, w) => {
    const hour = ((firstStart + w * EXPORT_INTERVAL) / 3600) % 24
    return 1 + 0.6 * Math.sin(((hour - 9) / 24) * 2 * Math.PI)
  })
  const total = weights.reduce((a, b) => a + b, 0)
  const exact = weights.map((w) => (w / total) * count)
  const out = exact.map(Math.floor)
  let left = count - out.reduce((a, b) => a + b, 0)
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0])
  for (let k = 0; left > 0; k = (k + 1) % windows, left--) {
    const i = (order[k] as readonly [number, number])[1]
    out[i] = (out[i] as number) + 1
  }
  return out
}

/** A jittered size around `base` (log-normal-ish, never negative). */
function jitter(prng: Prng, base: number): number {
  return Math.max(0, Math.round(base * Math.exp((prng.next() - 0.5) * 1.2)))
}

/**
 * Streams demo flow-log records for the demo cluster, oldest window first, exactly `count` of
 * them. Each connection yields the records Calico writes: the source's (`reporter: src`) when
 * the source is a pod, and the destination's (`reporter: dst`) when the destination is a pod
 * and the source let the connection out. Allowed records are aggregated as Felix's level 2
 * (names to `name_aggr`, no IPs), denied ones as level 1 (IPs kept). Every conversation
 * appears at least once when `count` leaves room for it.
 */
export function* iterateDemoFlows(
  opts: DemoFlowOptions,
  cluster: DemoCluster = demoCluster(),
): Generator<FlowLogRecord> {
  const prng = createPrng(opts.seed)
  const judge = createDemoJudge(cluster, opts.naming ?? 'legacy')
  const sets = cluster.resources.filter(
    (r): r is NetworkSet | GlobalNetworkSet =>
      r.kind === 'NetworkSet' || r.kind === 'GlobalNetworkSet',
  )
  const conversations = demoConversations(cluster)
  const weights = conversations.map((c) => c.weight)
  const windows = Math.max(1, Math.round((opts.hours * 3600) / EXPORT_INTERVAL))
  const lastEnd = Math.floor(opts.now / 1000 / EXPORT_INTERVAL) * EXPORT_INTERVAL
  const firstStart = lastEnd - windows * EXPORT_INTERVAL
  const quota = recordsPerWindow(Math.max(0, Math.floor(opts.count)), windows, firstStart)
  // Each conversation once at a chosen window, so rare ones exist in every data set big enough.
  const forced = new Map<number, number[]>()
  if (opts.count >= conversations.length * 4) {
    conversations.forEach((_, i) => {
      const w = prng.int(0, windows - 1)
      forced.set(w, [...(forced.get(w) ?? []), i])
    })
  }
  const services = cluster.services
  const serviceOf = (e: Endpoint | undefined, port: number) => {
    if (!e) return undefined
    for (const s of services) {
      if (s.namespace !== e.namespace) continue
      if (!Object.entries(s.selector).every(([k, v]) => e.labels?.[k] === v)) continue
      const p = s.ports.find((sp) => sp.port === port)
      if (p) return { namespace: s.namespace, name: s.name, port: p.name }
    }
    return undefined
  }

  for (let w = 0; w < windows; w++) {
    const start = firstStart + w * EXPORT_INTERVAL
    let left = quota[w] as number
    const queue = [...(forced.get(w) ?? [])]
    while (left > 0) {
      const conv = conversations[queue.shift() ?? prng.weighted(weights)] as Conversation
      const src =
        'pods' in conv.source
          ? podPeer(prng.pick(conv.source.pods))
          : ipPeer(prng.pick(conv.source.ips), sets)
      const dst =
        'pods' in conv.destination
          ? podPeer(prng.pick(conv.destination.pods))
          : ipPeer(prng.pick(conv.destination.ips), sets)
      const verdict = judge({
        source: src.endpoint ? { endpoint: `${src.namespace}/${src.name}` } : { ip: src.ip },
        destination: dst.endpoint ? { endpoint: `${dst.namespace}/${dst.name}` } : { ip: dst.ip },
        protocol: conv.proto,
        port: conv.port,
      })
      const flows = prng.int(1, 4)
      const started = prng.int(0, flows)
      const req = jitter(prng, conv.bytes[0] * flows)
      const resp = jitter(prng, conv.bytes[1] * flows)
      const service = serviceOf(dst.endpoint, conv.port)
      const record = (reporter: 'src' | 'dst', v: ReporterVerdict): FlowLogRecord => {
        const allowed = v.action === 'allow'
        // Denied: only the initiator's packets, and nothing completes.
        const sent = allowed ? req : 60 * (flows + 2)
        const back = allowed ? resp : 0
        const pkts = (b: number) => (b === 0 ? 0 : Math.ceil(b / 1_200) + (allowed ? 2 : 0))
        const out = reporter === 'src' ? sent : back
        const inn = reporter === 'src' ? back : sent
        const host = (reporter === 'src' ? src : dst).endpoint?.node ?? 'node-1'
        return {
          start_time: start,
          end_time: start + EXPORT_INTERVAL,
          host,
          action: v.action,
          reporter,
          source_type: src.type,
          source_namespace: src.namespace,
          source_name: allowed ? '-' : src.name,
          source_name_aggr: src.aggr,
          source_ip: allowed ? null : src.ip,
          source_port: null,
          source_labels: src.labels,
          dest_type: dst.type,
          dest_namespace: dst.namespace,
          dest_name: allowed ? '-' : dst.name,
          dest_name_aggr: dst.aggr,
          dest_ip: allowed ? null : dst.ip,
          dest_port: conv.port,
          dest_labels: dst.labels,
          dest_service_namespace: service?.namespace ?? '-',
          dest_service_name: service?.name ?? '-',
          dest_service_port: service?.port ?? '-',
          proto: conv.proto.toLowerCase(),
          policies: { enforced_policies: v.enforced, pending_policies: v.pending },
          bytes_in: inn,
          bytes_out: out,
          packets_in: pkts(inn),
          packets_out: pkts(out),
          num_flows: flows,
          num_flows_started: started,
          num_flows_completed: allowed ? prng.int(0, flows) : 0,
        }
      }
      if (verdict.src) {
        yield record('src', verdict.src)
        left--
      }
      if (left > 0 && verdict.dst && (!verdict.src || verdict.src.action === 'allow')) {
        yield record('dst', verdict.dst)
        left--
      }
    }
  }
}

/** `count` demo flow-log records as an array (see `iterateDemoFlows`). */
export function generateDemoFlows(
  opts: DemoFlowOptions,
  cluster: DemoCluster = demoCluster(),
): FlowLogRecord[] {
  return Array.from(iterateDemoFlows(opts, cluster))
}
