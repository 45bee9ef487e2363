// Demo flow-log generation: records per second of the streaming generator (verdicts from the
// evaluator included), and the heap it holds while streaming. Run with `pnpm bench demo`.
import { performance } from 'node:perf_hooks'
import { demoCluster, iterateDemoFlows } from '../src/demo/index.ts'

const TARGET = 50_000 // records per second, JSON.stringify included
const cluster = demoCluster()
const opts = { now: Date.UTC(2026, 10, 27, 12), hours: 24, seed: 1 }

function run(count: number): { rate: number; bytes: number; heapMb: number } {
  let bytes = 0
  let heap = 0
  const t0 = performance.now()
  let i = 0
  for (const r of iterateDemoFlows({ ...opts, count }, cluster)) {
    bytes += JSON.stringify(r).length + 1
    if (++i % 50_000 === 0) heap = Math.max(heap, process.memoryUsage().heapUsed)
  }
  return { rate: count / ((performance.now() - t0) / 1000), bytes, heapMb: heap / 2 ** 20 }
}

run(20_000)
const { rate, bytes, heapMb } = run(500_000)
console.log(
  `demo flows (generate + JSON.stringify): ${(rate / 1000).toFixed(0)} k records/s (target >= ${TARGET / 1000} k/s) ${rate >= TARGET ? 'ok' : 'MISSED'}; ${(bytes / 500_000).toFixed(0)} bytes/record; peak heap while streaming ${heapMb.toFixed(0)} MB`,
)
