import { UsageError } from './inputs.ts'

/** The flags of one command: those that take a value and those that are switches. */
export interface FlagSpec {
  values: readonly string[]
  switches: readonly string[]
  /** Whether bare arguments (files) are accepted; otherwise they are usage errors. */
  positionals?: boolean
}

/** What `parseFlags` read: flag values (the last one wins), switches set, bare arguments. */
export interface ParsedFlags {
  values: Map<string, string>
  switches: Set<string>
  positionals: string[]
}

/**
 * Reads `--flag value`, `--flag=value` and `--switch` arguments. An unknown flag, a value
 * flag without a value, or (unless allowed) a bare argument is a UsageError naming it.
 */
export function parseFlags(argv: readonly string[], spec: FlagSpec): ParsedFlags {
  const out: ParsedFlags = { values: new Map(), switches: new Set(), positionals: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const eq = arg.indexOf('=')
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    if (spec.switches.includes(flag)) {
      out.switches.add(flag)
      continue
    }
    if (spec.values.includes(flag)) {
      const value = flag !== arg ? arg.slice(eq + 1) : argv[++i]
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`)
      out.values.set(flag, value)
      continue
    }
    if (!spec.positionals) throw new UsageError(`unknown argument '${arg}'`)
    if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`)
    out.positionals.push(arg)
  }
  return out
}
