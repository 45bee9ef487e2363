import { closeSync, openSync, writeSync } from 'node:fs'
import { resolve } from 'node:path'
// The demo generators live with the server, which seeds its store from them; the CLI reaches
// them by path until the server package exports a `./demo` entry.
import { demoCluster, iterateDemoFlows } from '../../../server/src/demo/index.ts'
import type { Command } from '../io.ts'

/** Lines are written in chunks of about this many characters. */
const CHUNK = 1 << 20

interface DemoArgs {
  cluster: boolean
  flows?: number
  hours: number
  seed: number
  now?: number
  out?: string
  naming: 'legacy' | 'v3.32'
}

function parseArgs(argv: readonly string[]): DemoArgs | string {
  const args: DemoArgs = { cluster: false, hours: 24, seed: 1, naming: 'legacy' }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    const value = () => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`expected a value after ${a}`)
      return v
    }
    const count = (name: string, min: number) => {
      const v = value()
      const n = Number(v)
      if (!/^\d+(\.\d+)?$/.test(v) || n < min)
        throw new Error(`expected ${name} ≥ ${min}, got '${v}'`)
      return n
    }
    try {
      if (a === '--cluster') args.cluster = true
      else if (a === '--flows') args.flows = Math.floor(count('--flows', 0))
      else if (a === '--hours') args.hours = count('--hours', 0.1)
      else if (a === '--seed') args.seed = Math.floor(count('--seed', 0))
      else if (a === '--now') {
        const v = value()
        const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v)
        if (Number.isNaN(n)) return `expected --now as UNIX milliseconds or an ISO date, got '${v}'`
        args.now = n
      } else if (a === '--naming') {
        const v = value()
        if (v !== 'legacy' && v !== 'v3.32') return `expected --naming legacy or v3.32, got '${v}'`
        args.naming = v
      } else if (a === '-o' || a === '--output') args.out = value()
      else return `unknown option '${a}'`
    } catch (e) {
      return (e as Error).message
    }
  }
  if (args.cluster === (args.flows !== undefined))
    return 'expected exactly one of --cluster or --flows N'
  return args
}

export const command: Command = {
  summary: 'print the demo cluster YAML, or write demo flow logs as JSON lines',
  usage: `policyboard demo --cluster [-o FILE]
policyboard demo --flows N [--hours H] [--seed S] [--now TIME] [--naming legacy|v3.32] [-o FILE]

--cluster prints the demo cluster's Calico YAML (the storefront shop, kube-dns, Prometheus
and tenant-b, with tiers, policies and staged changes).
--flows writes N Calico flow-log records (one JSON object per line), streamed, over the
last H hours (default 24) before TIME (UNIX ms or ISO date; default now), chosen with
seed S (default 1): the same seed and TIME give the same records. Policy hit strings
use Calico Enterprise's legacy names (default) or Calico v3.32's kind codes.
-o writes to FILE instead of stdout. Exit code 0 on success, 2 on bad usage.`,
  async run(argv, io) {
    const args = parseArgs(argv)
    if (typeof args === 'string') {
      io.stderr(`policyboard demo: ${args}\n\n${this.usage}\n`)
      return 2
    }
    const fd = args.out ? openSync(resolve(io.cwd, args.out), 'w') : undefined
    const write = (text: string) => {
      if (fd === undefined) io.stdout(text)
      else writeSync(fd, text)
    }
    try {
      if (args.cluster) {
        write(demoCluster().yaml)
        return 0
      }
      let buf = ''
      for (const record of iterateDemoFlows({
        now: args.now ?? Date.now(),
        hours: args.hours,
        count: args.flows ?? 0,
        seed: args.seed,
        naming: args.naming,
      })) {
        buf += `${JSON.stringify(record)}\n`
        if (buf.length >= CHUNK) {
          write(buf)
          buf = ''
        }
      }
      if (buf) write(buf)
      return 0
    } finally {
      if (fd !== undefined) closeSync(fd)
    }
  },
}
