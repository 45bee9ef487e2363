import type { DirectionTrace, FlowResult, PolicyError } from '@policyboard/policy-core'
import { readScenario, simulateScenario } from '@policyboard/policy-core'
import { type Command, type CommandIO, println, readInput } from '../io.ts'

/** One line per error: where (document, resource, field path) and what was expected. */
export function printErrors(io: CommandIO, file: string, errors: readonly PolicyError[]): void {
  for (const e of errors) io.stderr(`policyboard: ${file}: ${e.toString()}\n`)
}

/** "policy rule N" (or end of tier, or profile) that decided one direction. */
export function decidedBy(t: DirectionTrace | undefined): string {
  if (!t) return '-'
  const d = t.decidedBy
  switch (d.by) {
    case 'rule':
      return `${d.tier}/${d.policy.namespace ? `${d.policy.namespace}/` : ''}${d.policy.name} rule ${d.ruleIndex} ${d.action}`
    case 'endOfTier':
      return `end of tier ${d.tier}`
    case 'profile':
      return `profile ${d.profile}`
    case 'noProfile':
      return 'no profile'
    case 'failsafe':
      return `failsafe port ${d.port}`
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

function resultRows(flows: readonly FlowResult[]): string[][] {
  const rows = [['ID', 'ENFORCED', 'STAGED', 'EGRESS (enforced)', 'INGRESS (enforced)']]
  for (const f of flows) {
    rows.push([
      f.id,
      f.enforced.action,
      f.staged.action,
      decidedBy(f.enforced.egress),
      decidedBy(f.enforced.ingress),
    ])
  }
  return rows
}

export const command: Command = {
  summary: 'judge the flows of a scenario file (enforced and staged verdicts)',
  usage: `policyboard simulate FILE [--json]

Reads a scenario (YAML or JSON; see spec/scenario.md) and judges every flow with the
enforced policies and with the staged policies enforced. --json prints only the JSON
result on stdout. Exit code 0 when judged, 1 when the input is invalid, 2 on bad usage.`,
  async run(argv, io) {
    const json = argv.includes('--json')
    const files = argv.filter((a) => a !== '--json')
    if (files.length !== 1 || (files[0]?.startsWith('-') && files[0] !== '-')) {
      io.stderr(`policyboard simulate: expected one scenario file\n\n${this.usage}\n`)
      return 2
    }
    const file = files[0] as string
    let text: string
    try {
      text = readInput(file, io)
    } catch (e) {
      io.stderr(`policyboard: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`)
      return 1
    }
    const scenario = readScenario(text)
    if (!scenario.ok) {
      printErrors(io, file, scenario.errors)
      return 1
    }
    const result = simulateScenario(scenario.value)
    if (json) println(io, JSON.stringify(result, null, 2))
    else println(io, table(resultRows(result.flows)))
    return 0
  },
}
