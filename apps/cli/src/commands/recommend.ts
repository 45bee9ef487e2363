import {
  type FlowLogRecord,
  printResources,
  type RecommendResult,
  type Resource,
  recommendPolicies,
} from '@policyboard/policy-core'
import { parseFlags } from '../flags.ts'
import {
  fetchText,
  InputError,
  loadFlows,
  loadInventory,
  loadPolicies,
  UsageError,
} from '../inputs.ts'
import { type Command, type CommandIO, println } from '../io.ts'
import { takeToken } from '../server-auth.ts'

interface Options {
  namespace?: string
  server?: string
  flows?: string
  policies?: string
  inventory?: string
  perWorkload: boolean
}

function parseArgs(argv: readonly string[]): Options {
  const f = parseFlags(argv, {
    values: ['--namespace', '--server', '--flows', '--policies', '--inventory'],
    switches: ['--per-workload'],
  })
  const opts: Options = { perWorkload: f.switches.has('--per-workload') }
  for (const key of ['namespace', 'server', 'flows', 'policies', 'inventory'] as const) {
    const value = f.values.get(`--${key}`)
    if (value !== undefined) opts[key] = key === 'server' ? value.replace(/\/+$/, '') : value
  }
  if (!opts.namespace) throw new UsageError('expected --namespace')
  if (!opts.server && !(opts.flows && opts.policies && opts.inventory)) {
    throw new UsageError('expected --server, or --flows, --policies and --inventory')
  }
  return opts
}

/** The evidence of each rule as YAML comments, so the output stays valid YAML. */
export function evidenceComments(r: Pick<RecommendResult, 'evidence' | 'excluded'>): string {
  const lines: string[] = []
  for (const e of r.evidence) {
    const head = `# ${e.policy} ${e.direction}[${e.ruleIndex}] ${e.scope} ${e.peer}: `
    if (e.flows.length === 0) {
      lines.push(`${head}no flows observed (kept so that name resolution works)`)
      continue
    }
    lines.push(`${head}${e.count} flows`)
    for (const f of e.flows.slice(0, 5)) {
      const k = f.key
      const src =
        k.sourceNamespace !== '-' ? `${k.sourceNamespace}/${k.sourceWorkload}` : k.sourceWorkload
      const dst =
        k.destinationNamespace !== '-'
          ? `${k.destinationNamespace}/${k.destinationWorkload}`
          : k.destinationWorkload
      lines.push(`#   ${src} -> ${dst} ${k.protocol}/${k.port ?? '-'} (${f.count})`)
    }
  }
  const denied = r.excluded.filter((x) => x.reason === 'denied')
  if (denied.length) {
    lines.push(`# never allowed (denied by the enforced policies): ${denied.length} flow groups`)
    for (const d of denied.slice(0, 10)) {
      lines.push(
        `#   ${d.key.sourceNamespace}/${d.key.sourceWorkload} -> ${d.key.destinationNamespace}/${d.key.destinationWorkload} ${d.key.protocol}/${d.key.port ?? '-'} (${d.count}) ${d.decidedBy ?? ''}`.trimEnd(),
      )
    }
  }
  return lines.join('\n')
}

async function fromServer(opts: Options, io: CommandIO): Promise<RecommendResult> {
  const url = `${opts.server}/api/v1/recommendations/${encodeURIComponent(opts.namespace as string)}${opts.perWorkload ? '?perWorkload=true' : ''}`
  const body = await fetchText(url, io)
  return JSON.parse(body) as RecommendResult
}

function fromFiles(opts: Options, io: CommandIO): RecommendResult {
  const resources: Resource[] = loadPolicies(opts.policies as string, io)
  const inventory = loadInventory(opts.inventory as string, io)
  const loaded = loadFlows(opts.flows as string, io)
  if (!('records' in loaded)) {
    io.stderr(`policyboard: ${opts.flows}: expected flow-log records as JSON lines\n`)
    throw new InputError()
  }
  const flows: FlowLogRecord[] = loaded.records
  return recommendPolicies({
    resources,
    inventory,
    flows,
    namespace: opts.namespace as string,
    perWorkload: opts.perWorkload,
    now: Date.now(),
  })
}

export const command: Command = {
  summary: 'recommend staged policies that isolate a namespace, from its flows',
  usage: `policyboard recommend --namespace NS (--server URL | --flows FILE --policies PATH --inventory FILE)
                          [--per-workload]

Prints StagedNetworkPolicy YAML (stagedAction: Learn, tier namespace-isolation, and the tier
when it is missing) that allows the namespace's observed traffic: only flows that were
allowed and that no earlier policy already decides. Denied flows (lateral movement) never
become allow rules. Each rule's evidence is printed as YAML comments.

  --namespace NS     the namespace to isolate
  --token TOKEN      API token for --server (default: env POLICYBOARD_TOKEN)
  --server URL       use a running server's stored flows, policies and inventory
  --flows FILE       flow-log records, JSON lines
  --policies PATH    policy YAML/JSON file or directory
  --inventory FILE   a scenario or {namespaces, serviceAccounts, endpoints} file
  --per-workload     one policy per workload (app label) instead of one per namespace

Exit code 0 on success, 2 on bad usage or invalid input.`,
  async run(rawArgv, io) {
    const argv = takeToken(rawArgv)
    let opts: Options
    try {
      opts = parseArgs(argv)
    } catch (e) {
      if (!(e instanceof UsageError)) throw e
      io.stderr(`policyboard recommend: ${e.message}\n\n${this.usage}\n`)
      return 2
    }
    try {
      const r = opts.server ? await fromServer(opts, io) : fromFiles(opts, io)
      const docs: Resource[] = [...(r.tier ? [r.tier] : []), ...r.policies]
      const comments = evidenceComments(r)
      if (comments) println(io, comments)
      io.stdout(printResources(docs))
      return 0
    } catch (e) {
      if (e instanceof InputError) return 2
      throw e
    }
  },
}
