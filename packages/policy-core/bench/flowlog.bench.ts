// Flow-log benchmarks: JSON-lines ingestion (parse + strict validation) and hit-string parsing,
// in records per second on one core. Run with `pnpm bench flowlog`.
import { performance } from 'node:perf_hooks'
import { type FlowLogRecord, parseHitString, validateFlowLogRecord } from '../src/index.ts'

const VALIDATE_TARGET = 100_000 // records per second, JSON.parse included
const HIT_TARGET = 2_000_000 // hit strings per second

const allowed: FlowLogRecord = {
  start_time: 1_795_694_400,
  end_time: 1_795_694_700,
  host: 'node-1',
  action: 'allow',
  reporter: 'dst',
  source_type: 'wep',
  source_namespace: 'storefront',
  source_name: '-',
  source_name_aggr: 'frontend-qlwvghx4kc-*',
  source_ip: null,
  source_port: null,
  source_labels: { labels: ['app=frontend', 'fw-zone=dmz', 'pod-template-hash=qlwvghx4kc'] },
  dest_type: 'wep',
  dest_namespace: 'storefront',
  dest_name: '-',
  dest_name_aggr: 'cartservice-2kkpkw5l7d-*',
  dest_ip: null,
  dest_port: 7070,
  dest_labels: { labels: ['app=cartservice', 'fw-zone=trusted'] },
  dest_service_namespace: 'storefront',
  dest_service_name: 'cartservice',
  dest_service_port: 'grpc',
  proto: 'tcp',
  policies: {
    enforced_policies: [
      '0|security|security.block-threats|pass|1',
      '1|platform|platform.pass-to-app|pass|0',
      '2|app|storefront/app.cartservice|allow|0',
    ],
    pending_policies: [
      '0|security|security.block-threats|pass|1',
      '1|platform|platform.pass-to-app|pass|0',
      '2|app|storefront/app.cartservice|allow|0',
    ],
  },
  bytes_in: 13_810,
  bytes_out: 3_023,
  packets_in: 14,
  packets_out: 5,
  num_flows: 4,
  num_flows_started: 4,
  num_flows_completed: 3,
}
const denied: FlowLogRecord = {
  ...allowed,
  action: 'deny',
  reporter: 'src',
  source_namespace: 'tenant-b',
  source_name: 'web-tz8nn26b9s-gl8t5',
  source_name_aggr: 'web-tz8nn26b9s-*',
  source_ip: '10.244.2.17',
  dest_name: 'redis-cart-tl8rps42h9-gdmdf',
  dest_name_aggr: 'redis-cart-tl8rps42h9-*',
  dest_ip: '10.244.3.15',
  dest_port: 6379,
  policies: {
    enforced_policies: ['0|app|storefront/app.redis-cart|deny|-1'],
    pending_policies: ['0|default|default.staged:default-deny|deny|-1'],
  },
}
const lines = Array.from({ length: 1_000 }, (_, i) =>
  JSON.stringify(i % 10 === 0 ? { ...denied, bytes_out: i } : { ...allowed, bytes_in: i }),
)

function benchValidate(): number {
  const run = (n: number) => {
    let ok = 0
    for (let i = 0; i < n; i++) {
      const r = validateFlowLogRecord(JSON.parse(lines[i % lines.length] as string), {
        line: i + 1,
      })
      if (r.ok) ok++
    }
    if (ok !== n) throw new Error('a benchmark record did not validate')
  }
  run(20_000)
  const n = 200_000
  const t0 = performance.now()
  run(n)
  return n / ((performance.now() - t0) / 1000)
}

function benchHits(): number {
  const hits = [
    '0|security|security.block-threats|pass|1',
    '2|app|storefront/app.cartservice|allow|0',
    '0|default|tenant-b/knp.default.db-from-web|allow|0',
    '1|default|default.staged:default-deny|deny|-1',
    '2|__PROFILE__|__PROFILE__.kns.tenant-b|allow|0',
    '0|tier1|snp:namespace1/policy1|allow|0',
  ]
  const run = (n: number) => {
    let sink = 0
    for (let i = 0; i < n; i++) {
      const h = parseHitString(hits[i % hits.length] as string)
      if (!(h instanceof Error)) sink += h.ruleIndex + 2
    }
    return sink
  }
  run(200_000)
  const n = 2_000_000
  const t0 = performance.now()
  run(n)
  return n / ((performance.now() - t0) / 1000)
}

const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED')
const v = benchValidate()
console.log(
  `flow-log JSON.parse + validate: ${(v / 1000).toFixed(0)} k records/s (target >= ${VALIDATE_TARGET / 1000} k/s) ${verdict(v >= VALIDATE_TARGET)}`,
)
const h = benchHits()
console.log(
  `hit string parse: ${(h / 1e6).toFixed(2)} M/s (target >= ${HIT_TARGET / 1e6} M/s) ${verdict(h >= HIT_TARGET)}`,
)
