// Selector benchmarks: matches per second of a compiled selector, and the time to parse and
// compile many distinct selectors. Run with `pnpm bench selector`.
import { performance } from 'node:perf_hooks'
import { compileSelector, type Labels, parseSelector } from '../src/index.ts'

const MATCH_TARGET = 20_000_000 // matches per second, one core
const COMPILE_TARGET_MS = 100 // for 10,000 distinct selectors

function labelSet(app: string, tier: string, debug: boolean): Labels {
  // Ten labels, always created in the same order so all objects share one shape.
  return {
    app,
    tier,
    'k8s-app': 'frontend',
    'projectcalico.org/namespace': 'shop',
    'projectcalico.org/orchestrator': 'k8s',
    'pod-template-hash': '7d9f8b6c5',
    version: 'v2',
    team: 'payments',
    zone: 'eu-west-1a',
    debug: debug ? 'true' : 'false',
  }
}

function benchMatch(): number {
  const matcher = compileSelector('app == "web" && tier in {"a","b"} && !has(debug)')
  const sets = [
    labelSet('web', 'a', false),
    labelSet('web', 'c', false),
    labelSet('api', 'a', false),
    labelSet('web', 'b', true),
  ].map((l, i) => {
    // Half of them lack the debug label, so the whole chain is evaluated on some.
    if (i % 2 === 0) return l
    const { debug: _omit, ...rest } = l
    return { ...rest, debug2: 'x' }
  })
  const run = (n: number): number => {
    let hits = 0
    for (let i = 0; i < n; i++) if (matcher(sets[i & 3] as Labels)) hits++
    return hits
  }
  run(2_000_000) // warm-up
  const n = 20_000_000
  const rates: number[] = []
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now()
    const hits = run(n)
    const ms = performance.now() - t0
    if (hits !== n / 4) throw new Error(`unexpected hit count ${hits}`)
    rates.push(n / (ms / 1000))
  }
  return rates.sort((a, b) => a - b)[1] as number
}

function distinctSelectors(count: number, seed: string): string[] {
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    switch (i % 5) {
      case 0:
        out.push(`app == "${seed}-${i}" && tier in {"a","b","t${i}"} && !has(debug)`)
        break
      case 1:
        out.push(`(role == 'db' || role starts with "replica-${i}") && env != "dev${seed}"`)
        break
      case 2:
        out.push(`projectcalico.org/namespace == "ns-${i}" && k8s-app not in {"x", "y-${seed}"}`)
        break
      case 3:
        out.push(`has(team-${i}) && !(zone ends with "${seed}1a" || zone contains "test")`)
        break
      default:
        out.push(
          `version in {"v1","v2","v3","v4","v5","v6","v7","v8","v9","v${i}"} || all() && x${i} == "${seed}"`,
        )
    }
  }
  return out
}

function benchCompile(): { warmMs: number; coldMs: number } {
  const compileAll = (list: string[]): number => {
    const t0 = performance.now()
    let sink = 0
    for (const s of list) if (compileSelector(parseSelector(s))) sink++
    const ms = performance.now() - t0
    if (sink !== list.length) throw new Error('compile failed')
    return ms
  }
  const coldMs = compileAll(distinctSelectors(10_000, 'cold'))
  for (let round = 0; round < 3; round++) compileAll(distinctSelectors(10_000, `warm${round}`))
  const times: number[] = []
  for (let round = 0; round < 5; round++)
    times.push(compileAll(distinctSelectors(10_000, `run${round}`)))
  return { warmMs: times.sort((a, b) => a - b)[2] as number, coldMs }
}

/**
 * Informational: many different compiled selectors called from one site, as the evaluator
 * does, so the call site is megamorphic and nothing is inlined across selectors.
 */
function benchMixed(): number {
  const matchers = distinctSelectors(1_000, 'mix').map((s) => compileSelector(s))
  const sets = [
    labelSet('web', 'a', false),
    labelSet('mix-0', 't0', true),
    labelSet('api', 'b', false),
  ]
  const run = (n: number): number => {
    let hits = 0
    for (let i = 0; i < n; i++) {
      if ((matchers[i % 1000] as (l: Labels) => boolean)(sets[i % 3] as Labels)) hits++
    }
    return hits
  }
  run(1_000_000)
  const n = 10_000_000
  const t0 = performance.now()
  run(n)
  return n / ((performance.now() - t0) / 1000)
}

const rate = benchMatch()
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED')
console.log(
  `selector match: ${(rate / 1e6).toFixed(1)} M/s (target >= ${MATCH_TARGET / 1e6} M/s) ${verdict(rate >= MATCH_TARGET)}`,
)
const mixed = benchMixed()
console.log(
  `selector match, 1,000 different selectors round-robin: ${(mixed / 1e6).toFixed(1)} M/s`,
)
const { warmMs, coldMs } = benchCompile()
console.log(
  `selector parse+compile 10,000 distinct: ${warmMs.toFixed(1)} ms (target < ${COMPILE_TARGET_MS} ms) ${verdict(warmMs < COMPILE_TARGET_MS)}; first run, before JIT warm-up: ${coldMs.toFixed(1)} ms`,
)
