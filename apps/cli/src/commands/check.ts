import {
  CHECK_FAIL_ON,
  type CheckFailOn,
  type CheckReport,
  checkChange,
  type Flow,
  type FlowLogRecord,
} from '@policyboard/policy-core'
import { parseFlags } from '../flags.ts'
import {
  InputError,
  type Inventory,
  loadFlows,
  loadInventory,
  loadPolicies,
  UsageError,
} from '../inputs.ts'
import { type Command, type CommandIO, println } from '../io.ts'

interface Options {
  base?: string
  head?: string
  flows?: string
  inventory?: string
  failOn: CheckFailOn
  json: boolean
}

function parseArgs(argv: readonly string[]): Options {
  const f = parseFlags(argv, {
    values: ['--base', '--head', '--flows', '--inventory', '--fail-on'],
    switches: ['--json'],
  })
  const opts: Options = { failOn: 'new-denies', json: f.switches.has('--json') }
  const failOn = f.values.get('--fail-on')
  if (failOn !== undefined) {
    if (!(CHECK_FAIL_ON as readonly string[]).includes(failOn)) {
      throw new UsageError(`--fail-on expects new-denies or any-change, got '${failOn}'`)
    }
    opts.failOn = failOn as CheckFailOn
  }
  for (const key of ['base', 'head', 'flows', 'inventory'] as const) {
    const value = f.values.get(`--${key}`)
    if (value !== undefined) opts[key] = value
  }
  if (!opts.base || !opts.head) throw new UsageError('expected --base and --head')
  if (!opts.flows && !opts.inventory) throw new UsageError('expected --flows or --inventory')
  return opts
}

/** The report as a table: one line per changed flow, then the totals. */
export function formatReport(r: CheckReport): string {
  const lines: string[] = []
  if (r.changes.length) {
    const rows = r.changes.map((c) => [
      c.change === 'newDeny' ? 'NEW DENY' : 'NEW ALLOW',
      c.source,
      c.destination,
      `${c.protocol}${c.port !== null ? `/${c.port}` : ''}`,
      String(c.count),
      `${c.before} -> ${c.after}`,
      c.change === 'newDeny' ? c.afterBy : c.beforeBy,
    ])
    const head = ['CHANGE', 'SOURCE', 'DESTINATION', 'PORT', 'FLOWS', 'VERDICT', 'DECIDED BY']
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)))
    const fmt = (cells: string[]) =>
      cells
        .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd()
    lines.push(fmt(head), ...rows.map(fmt), '')
  }
  const t = r.totals
  const what = r.mode === 'semantic' ? 'connections between endpoint groups' : 'flows'
  lines.push(
    `${t.judged} ${what} judged: ${t.newDenies} newly denied, ${t.newAllows} newly allowed, ${t.unchanged} unchanged${t.uncertain ? `, ${t.uncertain} uncertain` : ''}`,
  )
  lines.push(
    r.failed ? `check failed (--fail-on ${r.failOn})` : `check passed (--fail-on ${r.failOn})`,
  )
  return lines.join('\n')
}

async function check(opts: Options, io: CommandIO): Promise<number> {
  const base = loadPolicies(opts.base as string, io)
  const head = loadPolicies(opts.head as string, io)
  let inventory: Inventory | undefined = opts.inventory
    ? loadInventory(opts.inventory, io)
    : undefined
  let flows: FlowLogRecord[] | Flow[] | undefined
  if (opts.flows) {
    const loaded = loadFlows(opts.flows, io)
    if ('records' in loaded) flows = loaded.records
    else {
      flows = loaded.flows
      inventory ??= loaded.inventory
    }
  }
  const report = checkChange({
    base,
    head,
    inventory: inventory ?? { endpoints: [] },
    ...(flows ? { flows } : {}),
    failOn: opts.failOn,
  })
  if (opts.json) println(io, JSON.stringify(report, null, 2))
  else println(io, formatReport(report))
  return report.failed ? 1 : 0
}

export const command: Command = {
  summary: 'CI check: fail when a policy change denies flows the base allowed',
  usage: `policyboard check --base DIR_OR_FILE --head DIR_OR_FILE (--flows FILE | --inventory FILE)
                      [--inventory FILE] [--fail-on new-denies|any-change] [--json]

Judges flows under the base and the head policy sets (enforced view) and reports every flow
whose verdict changes.

  --base PATH        policy YAML/JSON before the change (a file or a directory, recursively)
  --head PATH        policy YAML/JSON after the change
  --flows FILE       flow-log records as JSON lines (or a JSON array), or a scenario file
                     whose flows (and inventory) are used
  --inventory FILE   a scenario or {namespaces, serviceAccounts, endpoints} file; without
                     --flows, a semantic diff: connectivity between endpoint groups
                     (namespace + app label) on the ports they declare
  --fail-on MODE     new-denies (default): fail when the head denies a flow the base allows;
                     any-change: fail on any verdict change
  --json             print the report as JSON

Exit code 0 when the check passes, 1 when it fails, 2 on bad usage or invalid input.`,
  async run(argv, io) {
    let opts: Options
    try {
      opts = parseArgs(argv)
    } catch (e) {
      if (!(e instanceof UsageError)) throw e
      io.stderr(`policyboard check: ${e.message}\n\n${this.usage}\n`)
      return 2
    }
    try {
      return await check(opts, io)
    } catch (e) {
      if (e instanceof InputError) return 2
      throw e
    }
  },
}
