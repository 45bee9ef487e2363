// Reading what commands are given: policy files and folders, scenario or inventory files,
// flow logs, and a server's answers. Problems are printed with their file and field path, then
// raised as InputError for the command to turn into its exit code.
import { readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
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
import { type CommandIO, readInput } from './io.ts'
import { authHeaders } from './server-auth.ts'

/** A usage problem: exit code 2. */
export class UsageError extends Error {}
/** An input problem, already printed; each command picks its exit code. */
export class InputError extends Error {}

/** The inventory the selectors see. */
export interface Inventory {
  namespaces: Namespace[]
  serviceAccounts: ServiceAccount[]
  endpoints: Endpoint[]
}

export function printErrors(io: CommandIO, source: string, errors: readonly PolicyError[]): void {
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

/** Files named on the command line; directories are read recursively (`.yaml`, `.yml`, `.json`). */
export function expandFiles(path: string, io: CommandIO): string[] {
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
export function loadPolicies(paths: string | readonly string[], io: CommandIO): Resource[] {
  const out: Resource[] = []
  let failed = false
  const files = (typeof paths === 'string' ? [paths] : paths).flatMap((p) => expandFiles(p, io))
  for (const file of files) {
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

/** GET a URL of a Policyboard server with the CLI's credentials; a failure is an input error. */
export async function fetchText(url: string, io: CommandIO): Promise<string> {
  let res: Response
  try {
    res = await fetch(url, { headers: authHeaders() })
  } catch (e) {
    io.stderr(`policyboard: cannot reach ${url}: ${e instanceof Error ? e.message : String(e)}\n`)
    throw new InputError()
  }
  const body = await res.text()
  if (!res.ok) {
    io.stderr(`policyboard: GET ${url}: HTTP ${res.status} ${body.slice(0, 200)}\n`)
    throw new InputError()
  }
  return body
}
