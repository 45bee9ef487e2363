import {
  isAtLeast,
  LINT_SEVERITIES,
  type LintFinding,
  type LintSeverity,
  lintLabels,
  lintPolicies,
  loadResources,
  parseLabelRules,
  type Resource,
} from '@policyboard/policy-core'
import { parseFlags } from '../flags.ts'
import {
  fetchText,
  InputError,
  type Inventory,
  loadPolicies,
  loadScenarioLike,
  printErrors,
  readFile,
  UsageError,
} from '../inputs.ts'
import { type Command, type CommandIO, println } from '../io.ts'
import { authHeaders, takeToken } from '../server-auth.ts'

interface Options {
  files: string[]
  server?: string
  labels?: string
  inventory?: string
  /** Hit-count window of the server's lint (`UNUSED_POLICY`), e.g. `24h`. */
  window?: string
  json: boolean
  severity: LintSeverity
  failOn: LintSeverity
}

const SEVERITY_FLAGS = ['--severity', '--fail-on'] as const

function parseArgs(argv: readonly string[]): Options {
  const f = parseFlags(argv, {
    values: ['--server', '--labels', '--inventory', '--window', ...SEVERITY_FLAGS],
    switches: ['--json'],
    positionals: true,
  })
  const opts: Options = {
    files: f.positionals,
    json: f.switches.has('--json'),
    severity: 'info',
    failOn: 'error',
  }
  for (const flag of SEVERITY_FLAGS) {
    const value = f.values.get(flag)
    if (value === undefined) continue
    if (!(LINT_SEVERITIES as readonly string[]).includes(value)) {
      throw new UsageError(`${flag} expects error, warning or info, got '${value}'`)
    }
    if (flag === '--severity') opts.severity = value as LintSeverity
    else opts.failOn = value as LintSeverity
  }
  const window = f.values.get('--window')
  if (window !== undefined) {
    if (!/^[0-9]+[smhd]$/.test(window)) {
      throw new UsageError(`--window expects a duration like 24h or 7d, got '${window}'`)
    }
    opts.window = window
  }
  const server = f.values.get('--server')
  if (server !== undefined) opts.server = server.replace(/\/+$/, '')
  const labels = f.values.get('--labels')
  if (labels !== undefined) opts.labels = labels
  const inventory = f.values.get('--inventory')
  if (inventory !== undefined) opts.inventory = inventory
  return opts
}

/** Resources (`/api/v1/export`, staged included) and inventory (`/api/v1/inventory`) of a running server. */
async function loadServer(
  server: string,
  io: CommandIO,
): Promise<{ resources: Resource[]; inventory: Inventory }> {
  const exportUrl = `${server}/api/v1/export?staged=include`
  const loaded = loadResources(await fetchText(exportUrl, io))
  if (!loaded.ok) {
    printErrors(io, exportUrl, loaded.errors)
    throw new InputError()
  }
  const inventoryUrl = `${server}/api/v1/inventory`
  let inv: Partial<Inventory>
  try {
    inv = JSON.parse(await fetchText(inventoryUrl, io)) as Partial<Inventory>
  } catch (e) {
    if (e instanceof InputError) throw e
    io.stderr(`policyboard: ${inventoryUrl}: expected a JSON inventory\n`)
    throw new InputError()
  }
  return {
    resources: loaded.value,
    inventory: {
      namespaces: inv.namespaces ?? [],
      serviceAccounts: inv.serviceAccounts ?? [],
      endpoints: inv.endpoints ?? [],
    },
  }
}

/**
 * Findings from the server's own lint (`GET URL/api/v1/lint`): its stored resources, its
 * inventory, its flow hit counts (`UNUSED_POLICY`) and its stored label rules (unless
 * `--labels` names local rules, then only policy findings). Undefined when the server has no
 * lint route (404), so the caller lints its export locally instead.
 */
async function lintOnServer(opts: Options, io: CommandIO): Promise<LintFinding[] | undefined> {
  const query = new URLSearchParams({ window: opts.window ?? '24h' })
  if (opts.labels) query.set('kind', 'policy')
  const url = `${opts.server}/api/v1/lint?${query}`
  let res: Response
  try {
    res = await fetch(url, { headers: authHeaders() })
  } catch (e) {
    io.stderr(`policyboard: cannot reach ${url}: ${e instanceof Error ? e.message : String(e)}\n`)
    throw new InputError()
  }
  const body = await res.text()
  if (res.status === 404) return undefined
  if (!res.ok) {
    io.stderr(`policyboard: GET ${url}: HTTP ${res.status} ${body.slice(0, 200)}\n`)
    throw new InputError()
  }
  try {
    // The API's findings carry policy-core's fields plus where they sit (kind, policy, tier).
    const parsed = JSON.parse(body) as { findings: LintFinding[] }
    return parsed.findings.map(({ code, severity, message, resource, path, fix }) => ({
      code,
      severity,
      message,
      resource,
      path,
      fix,
    }))
  } catch {
    io.stderr(`policyboard: ${url}: expected a JSON lint report\n`)
    throw new InputError()
  }
}

/** The server's inventory alone (local `--labels` rules over it). */
async function serverInventory(server: string, io: CommandIO): Promise<Inventory> {
  const url = `${server}/api/v1/inventory`
  try {
    const inv = JSON.parse(await fetchText(url, io)) as Partial<Inventory>
    return {
      namespaces: inv.namespaces ?? [],
      serviceAccounts: inv.serviceAccounts ?? [],
      endpoints: inv.endpoints ?? [],
    }
  } catch (e) {
    if (e instanceof InputError) throw e
    io.stderr(`policyboard: ${url}: expected a JSON inventory\n`)
    throw new InputError()
  }
}

/** Findings grouped by resource: a header per resource, then one block per finding. */
export function formatFindings(findings: readonly LintFinding[]): string {
  const groups = new Map<string, LintFinding[]>()
  for (const f of findings) {
    const list = groups.get(f.resource)
    if (list) list.push(f)
    else groups.set(f.resource, [f])
  }
  const lines: string[] = []
  for (const [resource, list] of groups) {
    lines.push(resource)
    for (const f of list) {
      lines.push(`  ${f.severity.padEnd(7)} ${f.code}${f.path ? `  ${f.path}` : ''}`)
      lines.push(`          ${f.message}`)
      lines.push(`          fix: ${f.fix}`)
    }
    lines.push('')
  }
  return lines.join('\n')
}

function summary(findings: readonly LintFinding[]): Record<LintSeverity, number> {
  const counts: Record<LintSeverity, number> = { error: 0, warning: 0, info: 0 }
  for (const f of findings) counts[f.severity]++
  return counts
}

async function lint(opts: Options, io: CommandIO): Promise<number> {
  // The server alone: its own lint knows its flow hits and label rules too.
  if (opts.server && opts.files.length === 0 && !opts.inventory) {
    const fromServer = await lintOnServer(opts, io)
    if (fromServer) {
      let findings = fromServer
      if (opts.labels) {
        const rules = parseLabelRules(readFile(opts.labels, io))
        if (!rules.ok) {
          printErrors(io, opts.labels, rules.errors)
          return 1
        }
        findings = [...findings, ...lintLabels(await serverInventory(opts.server, io), rules.value)]
      }
      return report(findings, opts, io)
    }
  }
  const resources = loadPolicies(opts.files, io)
  let inventory: Inventory | undefined
  if (opts.server) {
    const fromServer = await loadServer(opts.server, io)
    resources.push(...fromServer.resources)
    inventory = fromServer.inventory
  }
  if (opts.inventory) {
    const fromFile = loadScenarioLike(opts.inventory, readFile(opts.inventory, io), io)
    inventory = fromFile.inventory
    // A scenario file linted on its own brings its resources too.
    if (opts.files.length === 0 && !opts.server) resources.push(...fromFile.resources)
  }
  let findings = lintPolicies({ resources, ...(inventory ?? {}) })
  if (opts.labels) {
    const rules = parseLabelRules(readFile(opts.labels, io))
    if (!rules.ok) {
      printErrors(io, opts.labels, rules.errors)
      return 1
    }
    findings = [...findings, ...lintLabels(inventory ?? {}, rules.value)]
  }
  return report(findings, opts, io)
}

/** Prints the findings at or above `--severity`; exit 1 when one reaches `--fail-on`. */
function report(findings: readonly LintFinding[], opts: Options, io: CommandIO): number {
  const shown = findings.filter((f) => isAtLeast(f.severity, opts.severity))
  const failed = findings.some((f) => isAtLeast(f.severity, opts.failOn))
  const counts = summary(shown)
  if (opts.json) {
    println(
      io,
      JSON.stringify({ findings: shown, summary: counts, failOn: opts.failOn, failed }, null, 2),
    )
  } else {
    if (shown.length > 0) io.stdout(formatFindings(shown))
    println(
      io,
      `${shown.length} finding${shown.length === 1 ? '' : 's'}: ${counts.error} error, ${counts.warning} warning, ${counts.info} info`,
    )
  }
  return failed ? 1 : 0
}

export const command: Command = {
  summary: 'lint policies (and workload labels) for mistakes Calico will not report',
  usage: `policyboard lint [FILES...] [--server URL] [--inventory FILE] [--labels RULES_FILE]
                     [--json] [--severity error|warning|info] [--fail-on error|warning|info]

Lints Calico and Kubernetes policy YAML: shadowed rules, tier and order problems, staged
twins, slow selectors, unconditional allows, DNS blocked by default deny, and, with an
inventory, policies and rule selectors that match nothing.

  FILES              policy YAML or JSON files, or directories of them ('-' is stdin)
  --token TOKEN      API token for --server (default: env POLICYBOARD_TOKEN)
  --server URL       lint a running server: alone, the server lints itself (GET
                     URL/api/v1/lint: its inventory, flow hits and label rules); with FILES,
                     or against a server without that route, its resources (GET
                     URL/api/v1/export) are linted here with its inventory
  --window W         hit-count window of the server's lint, e.g. 24h (default), 7d
  --inventory FILE   a scenario or {namespaces, serviceAccounts, endpoints} file; alone, a
                     scenario's resources are linted too
  --labels FILE      label rules (YAML/JSON: requireWorkloadLabels, requireNamespaceLabels,
                     allowedValuePrefixes, namespaces.<ns>.requireWorkloadLabels)
  --json             print a JSON report
  --severity S       show findings at or above S (default info)
  --fail-on S        exit 1 when a finding is at or above S (default error)

Exit code 0 when no finding reaches --fail-on, 1 when one does or the input is invalid,
2 on bad usage.`,
  async run(rawArgv, io) {
    const argv = takeToken(rawArgv)
    let opts: Options
    try {
      opts = parseArgs(argv)
      if (opts.files.length === 0 && !opts.server && !opts.inventory) {
        throw new UsageError('expected policy files, --server or --inventory')
      }
    } catch (e) {
      if (!(e instanceof UsageError)) throw e
      io.stderr(`policyboard lint: ${e.message}\n\n${this.usage}\n`)
      return 2
    }
    try {
      return await lint(opts, io)
    } catch (e) {
      if (e instanceof InputError) return 1
      throw e
    }
  },
}
