/**
 * Lays out a generated 500-node / 5,000-edge service graph with elkjs in Node, with the same
 * options the layout worker uses, and prints the time. Goal: under 3 seconds.
 */
import type { VerdictTuple } from '@policyboard/api'
import ELK from 'elkjs/lib/elk.bundled.js'
import { buildGraph, collapseNamespaces } from '../src/features/service-graph/graph-model.ts'
import { readBoxes, toElkGraph } from '../src/features/service-graph/layout.ts'

const NODES = 500
const EDGES = 5000
const NAMESPACES = 20

/** Deterministic 32-bit PRNG (mulberry32), so every run lays out the same graph. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function generate(): VerdictTuple[] {
  const rand = prng(42)
  const peers = Array.from({ length: NODES }, (_, i) =>
    i < NODES - 2
      ? { type: 'wep', namespace: `team-${i % NAMESPACES}`, name: `service-${i}-7d4b9c-*` }
      : { type: 'net', namespace: '-', name: i % 2 === 0 ? 'pub' : 'pvt' },
  )
  const seen = new Set<string>()
  const out: VerdictTuple[] = []
  while (out.length < EDGES) {
    // Mostly calls inside a namespace or to a neighbour: service graphs are clustered.
    const s = Math.floor(rand() * NODES)
    const local = rand() < 0.7
    const d = local
      ? (s + NAMESPACES * (1 + Math.floor(rand() * 6))) % NODES
      : Math.floor(rand() * NODES)
    if (s === d || seen.has(`${s}>${d}`)) continue
    seen.add(`${s}>${d}`)
    const enforced = rand() < 0.9 ? 'Allow' : 'Deny'
    out.push({
      source: peers[s] as VerdictTuple['source'],
      destination: peers[d] as VerdictTuple['destination'],
      proto: 'tcp',
      port: 8000 + Math.floor(rand() * 50),
      count: 1 + Math.floor(rand() * 500),
      enforced,
      staged: rand() < 0.05 ? 'Deny' : enforced,
    })
  }
  return out
}

async function time(label: string, graph: ReturnType<typeof buildGraph>) {
  const elk = new ELK()
  const input = toElkGraph(graph)
  const start = performance.now()
  const cpu = process.cpuUsage()
  const result = await elk.layout(input)
  const ms = performance.now() - start
  const used = process.cpuUsage(cpu)
  const cpuMs = (used.user + used.system) / 1000
  const boxes = Object.keys(readBoxes(result)).length
  console.log(
    `graph-layout ${label}: ${graph.nodes.length} nodes, ${graph.edges.length} edges, ${graph.groups.length} groups → ${boxes} boxes in ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (goal < 3000 ms)`,
  )
}

const tuples = generate()
const full = buildGraph(tuples, 'enforced')
await time('expanded', full)
await time('expanded again', full)
await time('collapsed', collapseNamespaces(full, new Set()))
