import type { DirectionTrace, Flow, FlowSide, PolicyRef, Verdict } from '@policyboard/policy-core'
import { compilePolicySet, evaluateFlow, hitStrings, readScenario } from '@policyboard/policy-core'
import { type Command, type CommandIO, println, readInput } from '../io.ts'

function side(text: string): FlowSide {
  return /^[0-9a-fA-F:.]+$/.test(text) &&
    (text.includes('.') || text.includes(':')) &&
    !text.includes('/')
    ? { ip: text }
    : { endpoint: text }
}

function policyName(p: PolicyRef): string {
  return `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`
}

function printDirection(io: CommandIO, t: DirectionTrace): void {
  println(io, `  ${t.direction} at ${t.endpoint}: ${t.action}`)
  if (t.tiers.length === 0) println(io, '    no tier applies')
  for (const tier of t.tiers) {
    println(io, `    tier ${tier.tier} (default ${tier.defaultAction}): ${tier.ended}`)
    println(io, `      applies: ${tier.policies.map(policyName).join(', ')}`)
    for (const l of tier.logged ?? [])
      println(io, `      logged by ${policyName(l.policy)} rule ${l.ruleIndex}`)
    if (tier.match) {
      println(
        io,
        `      matched: ${policyName(tier.match.policy)} rule ${tier.match.ruleIndex} (${tier.match.action})`,
      )
    }
  }
  if (t.profile) {
    const m = t.profile.match
    println(
      io,
      `    profiles [${t.profile.profiles.join(', ')}]: ${m ? `${m.profile} rule ${m.ruleIndex} ${m.action}` : 'no match, deny'}`,
    )
  }
  println(io, `    hits: ${hitStrings(t, 'legacy').join('  ')}`)
}

function printVerdict(io: CommandIO, name: string, v: Verdict): void {
  println(io, `${name}: ${v.action}`)
  if (v.egress) printDirection(io, v.egress)
  else println(io, '  egress: source is not a cluster endpoint')
  if (v.ingress) printDirection(io, v.ingress)
  else println(io, '  ingress: destination is not a cluster endpoint')
}

export const command: Command = {
  summary: 'explain the verdict of one flow in a scenario, tier by tier',
  usage: `policyboard explain SCENARIO --from NS/POD|HOST|IP --to NS/POD|HOST|IP --protocol TCP [--port 80] [--json]

Judges one flow against the scenario's inventory and policies and prints the enforced and
staged verdicts with their traces: tiers visited, policies applied, the rule that matched,
why each tier ended, and the Calico flow-log policy hits.`,
  async run(argv, io) {
    const opts: Record<string, string> = {}
    const files: string[] = []
    let json = false
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i] as string
      if (a === '--json') json = true
      else if (a.startsWith('--')) opts[a.slice(2)] = argv[++i] ?? ''
      else files.push(a)
    }
    if (files.length !== 1 || !opts.from || !opts.to) {
      io.stderr(`policyboard explain: expected SCENARIO, --from and --to\n\n${this.usage}\n`)
      return 2
    }
    const file = files[0] as string
    const scenario = readScenario(readInput(file, io))
    if (!scenario.ok) {
      for (const e of scenario.errors) io.stderr(`policyboard: ${file}: ${e.toString()}\n`)
      return 1
    }
    const s = scenario.value
    const model = compilePolicySet(s)
    const protocol = opts.protocol ?? 'TCP'
    const flow: Flow = {
      id: `${opts.from}->${opts.to} ${protocol}${opts.port ? `/${opts.port}` : ''}`,
      source: side(opts.from),
      destination: side(opts.to),
      protocol: /^\d+$/.test(protocol) ? Number(protocol) : protocol,
      ...(opts.port ? { port: Number(opts.port) } : {}),
    }
    let result: ReturnType<typeof evaluateFlow>
    try {
      result = evaluateFlow(model, flow, { pending: true })
    } catch (e) {
      io.stderr(`policyboard explain: ${e instanceof Error ? e.toString() : String(e)}\n`)
      return 1
    }
    if (json) {
      println(io, JSON.stringify(result, null, 2))
      return 0
    }
    println(io, `flow ${flow.id}`)
    printVerdict(io, 'enforced', result.enforced)
    printVerdict(io, 'staged', result.staged)
    return 0
  },
}
