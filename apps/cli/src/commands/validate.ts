import { readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadResources, type PolicyError, parseYamlDocuments } from '@policyboard/policy-core'
import { type Command, type CommandIO, println, readInput } from '../io.ts'

const EXTENSIONS = ['.yaml', '.yml', '.json']

/** What validating one file found. */
interface FileReport {
  file: string
  /** Resources read (items of a `List` count one each); 0 when the YAML does not parse. */
  documents: number
  errors: PolicyError[]
}

/** The files named on the command line, directories expanded recursively (sorted, hidden entries skipped). */
function expand(paths: readonly string[], io: CommandIO): { files: string[]; missing: string[] } {
  const files: string[] = []
  const missing: string[] = []
  const walk = (display: string): void => {
    const abs = resolve(io.cwd, display)
    let isDir: boolean
    try {
      isDir = statSync(abs).isDirectory()
    } catch {
      missing.push(display)
      return
    }
    if (!isDir) {
      files.push(display)
      return
    }
    for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
      const child = join(display, entry.name)
      if (entry.isDirectory()) walk(child)
      else if (EXTENSIONS.some((ext) => entry.name.endsWith(ext))) files.push(child)
    }
  }
  for (const p of paths) {
    if (p === '-') files.push(p)
    else walk(p)
  }
  return { files, missing }
}

function validateFile(file: string, io: CommandIO): FileReport {
  const text = readInput(file, io)
  const loaded = loadResources(text)
  if (loaded.ok) return { file, documents: loaded.value.length, errors: [] }
  const parsed = parseYamlDocuments(text)
  return { file, documents: parsed.ok ? parsed.value.length : 0, errors: loaded.errors }
}

/** `file: document N (Kind ns/name): field: message`, leaving out the parts that are unknown. */
export function formatProblem(file: string, e: PolicyError): string {
  const parts = [file]
  const { document, resource, field } = e.location
  if (document !== undefined)
    parts.push(resource ? `document ${document} (${resource})` : `document ${document}`)
  else if (resource) parts.push(resource)
  if (field) parts.push(field)
  return `${parts.join(': ')}: ${e.message}`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

export const command: Command = {
  summary: 'check Calico and Kubernetes policy YAML as Calico would (like calicoctl validate)',
  usage: `policyboard validate FILE|DIR... [--json]

Validates every resource of the given files (directories are searched recursively for
*.yaml, *.yml and *.json; - reads stdin): Tier, (Staged)NetworkPolicy,
(Staged)GlobalNetworkPolicy, StagedKubernetesNetworkPolicy, NetworkSet, GlobalNetworkSet,
HostEndpoint and networking.k8s.io/v1 NetworkPolicy. Prints every problem as
"file: document N (Kind ns/name): field: message". --json prints a JSON report instead.
Exit code 0 when all are valid, 1 when any problem was found, 2 on bad usage.`,
  async run(argv, io) {
    const json = argv.includes('--json')
    const unknown = argv.filter((a) => a.startsWith('-') && a !== '-' && a !== '--json')
    const paths = argv.filter((a) => !a.startsWith('-') || a === '-')
    if (unknown.length || paths.length === 0) {
      io.stderr(
        `policyboard validate: ${unknown.length ? `unknown option ${unknown[0]}` : 'expected at least one file or directory'}; run 'policyboard validate --help'\n`,
      )
      return 2
    }
    const { files, missing } = expand(paths, io)
    if (missing.length) {
      io.stderr(`policyboard validate: no such file or directory: ${missing.join(', ')}\n`)
      return 2
    }
    if (files.length === 0) {
      io.stderr('policyboard validate: no *.yaml, *.yml or *.json files found\n')
      return 2
    }
    const reports = files.map((f) => validateFile(f, io))
    const documents = reports.reduce((n, r) => n + r.documents, 0)
    const problems = reports.reduce((n, r) => n + r.errors.length, 0)
    const badFiles = reports.filter((r) => r.errors.length > 0).length
    const summary =
      problems === 0
        ? `${plural(documents, 'document')} in ${plural(files.length, 'file')} ${documents === 1 ? 'is' : 'are'} valid`
        : `${plural(problems, 'problem')} in ${badFiles} of ${plural(files.length, 'file')}`
    if (json) {
      println(
        io,
        JSON.stringify(
          {
            valid: problems === 0,
            documents,
            problems,
            summary,
            files: reports.map((r) => ({
              file: r.file,
              documents: r.documents,
              valid: r.errors.length === 0,
              errors: r.errors.map((e) => e.toJSON()),
            })),
          },
          null,
          2,
        ),
      )
    } else {
      for (const r of reports) for (const e of r.errors) println(io, formatProblem(r.file, e))
      println(io, summary)
    }
    return problems === 0 ? 0 : 1
  },
}
