import { readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  CHECK_FAIL_ON,
  type CheckFailOn,
  type CheckReport,
  checkChange,
  type Endpoint,
  type Flow,
  type FlowLogRecord,
  loadResources,
  type Namespace,
  type PolicyError,
  parseYamlDocuments,
  type Resource,
  type ServiceAccount,
  validateFlowLogRecord,
  validateScenario,
} from '@policyboard/policy-core'
import { type Command, type CommandIO, println, readInput } from '../io.ts'

/** A usage problem: exit code 2. */
export class UsageError extends Error {}
/** An input problem already printed: exit code 2 as well (the check could not run). */
export class InputError extends Error {}

/** The inventory the selectors see. */
export interface Inventory {
  namespaces: Namespace[]
  serviceAccounts: ServiceAccount[]
  endpoints: Endpoint[]
}

function printErrors(io: CommandIO, source: string, errors: readonly PolicyError[]): void {
  for (const e of errors) io.stderr(`policyboard: ${source}: ${e.toString()}\n`)
}

/** Reads a file named on the command line; an unreadable file is an input error. */
export function readFile(path: string, io: CommandIO): string {
  try {
    return readInput(path, io)
  } catch (e) {
    io.stderr(`policyboard: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}\n`)
    throw new InputError()
  }
}

function expandFiles(path: string, io: CommandIO): string[] {
  let isDir = false
  try {
    isDir = path !== '-' && statSync(resolve(io.cwd, path)).isDirectory()
  } catch (e) {
    io.stderr(`policyboard: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}\n`)
    throw new InputError()
  }
  if (!isDir) return [path]
  const out: string[] = []
  for (const entry of readdirSync(resolve(io.cwd, path)).sort()) {
    const child = join(path, entry)
    if (statSync(resolve(io.cwd, child)).isDirectory()) out.push(...expandFiles(child, io))
    else if (/\.(ya?ml|json)$/.test(entry)) out.push(child)
  }
  return out
}

/** Policy resources from a file or a directory of `.yaml`/`.yml`/`.json` files (recursively). */
export function loadPolicies(path: string, io: CommandIO): Resource[] {
  const out: Resource[] = []
  let failed = false
  for (const file of expandFiles(path, io)) {
    const loaded = loadResources(readFile(file, io))
    if (loaded.ok) out.push(...loaded.value)
    else {
      printErrors(io, file, loaded.errors)
      failed = true
    }
  }
  if (failed) throw new InputError()
  return out
}

/** A scenario or `{namespaces, serviceAccounts, endpoints}` file: its inventory, flows and resources. */
export function loadScenarioLike(
  file: string,
  text: string,
  io: CommandIO,
): { inventory: Inventory; flows: Flow[]; resources: Resource[] } {
  const parsed = parseYamlDocuments(text)
  const doc = parsed.ok && parsed.value.length === 1 ? parsed.value[0]?.value : undefined
  if (!parsed.ok || doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    if (!parsed.ok) printErrors(io, file, parsed.errors)
    else io.stderr(`policyboard: ${file}: expected one scenario or inventory document\n`)
    throw new InputError()
  }
  const d = doc as Record<string, unknown>
  const scenario = validateScenario({
    namespaces: d.namespaces ?? [],
    serviceAccounts: d.serviceAccounts ?? [],
    endpoints: d.endpoints ?? [],
    flows: d.flows ?? [],
    ...(d.resources !== undefined ? { resources: d.resources } : {}),
  })
  if (!scenario.ok) {
    printErrors(io, file, scenario.errors)
    throw new InputError()
  }
  const { namespaces, serviceAccounts, endpoints, resources, flows } = scenario.value
  return {
    inventory: { namespaces, serviceAccounts, endpoints },
    flows: flows.map((f) => f as Flow),
    resources,
  }
}

/**
 * Flows from a file: flow-log records as JSON lines (or a JSON array), or a scenario whose
 * `flows` are judged and whose inventory comes along.
 */
export function loadFlows(
  file: string,
  io: CommandIO,
): { records: FlowLogRecord[] } | { flows: Flow[]; inventory: Inventory } {
  const text = readFile(file, io)
  const trimmed = text.trimStart()
  const lines = trimmed.startsWith('[')
    ? undefined
    : text.split('\n').filter((l) => l.trim() !== '')
  const looksLikeRecords =
    trimmed.startsWith('[') || (lines !== undefined && lines[0]?.trim().startsWith('{"') === true)
  if (looksLikeRecords && !/^\{\s*"(namespaces|endpoints|flows|resources)"/.test(trimmed)) {
    let raw: unknown[]
    try {
      raw = lines ? lines.map((l) => JSON.parse(l) as unknown) : (JSON.parse(text) as unknown[])
    } catch (e) {
      io.stderr(`policyboard: ${file}: expected JSON lines: ${(e as Error).message}\n`)
      throw new InputError()
    }
    const records: FlowLogRecord[] = []
    for (const [i, r] of raw.entries()) {
      const v = validateFlowLogRecord(r)
      if (!v.ok) {
        printErrors(io, `${file}: record ${i + 1}`, v.errors)
        throw new InputError()
      }
      records.push(v.value)
    }
    return { records }
  }
  const s = loadScenarioLike(file, text, io)
  return { flows: s.flows, inventory: s.inventory }
}

/** Reads an inventory (scenario or bare inventory file). */
export function loadInventory(file: string, io: CommandIO): Inventory {
  return loadScenarioLike(file, readFile(file, io), io).inventory
}

interface Options {
  base?: string
  head?: string
  flows?: string
  inventory?: string
  failOn: CheckFailOn
  json: boolean
}

const VALUE_FLAGS = ['--base', '--head', '--flows', '--inventory', '--fail-on'] as const

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { failOn: 'new-denies', json: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const eq = arg.indexOf('=')
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    if (flag === '--json') {
      opts.json = true
      continue
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) {
      throw new UsageError(`unknown argument '${arg}'`)
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`)
    if (flag === '--fail-on') {
      if (!(CHECK_FAIL_ON as readonly string[]).includes(value)) {
        throw new UsageError(`--fail-on expects new-denies or any-change, got '${value}'`)
      }
      opts.failOn = value as CheckFailOn
    } else opts[flag.slice(2) as 'base' | 'head' | 'flows' | 'inventory'] = value
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
