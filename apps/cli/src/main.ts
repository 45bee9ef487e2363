#!/usr/bin/env node
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command, CommandIO } from './io.ts'

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands')

/** Command names are the module files in `commands/` (one module per command). */
function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort()
}

async function loadCommand(name: string): Promise<Command | undefined> {
  if (!commandNames().includes(name)) return undefined
  const mod = (await import(join(commandsDir, `${name}.ts`))) as { command: Command }
  return mod.command
}

async function help(io: CommandIO): Promise<void> {
  io.stdout('policyboard: Calico network policy, offline and in CI\n\nCommands:\n')
  for (const name of commandNames()) {
    const cmd = await loadCommand(name)
    if (cmd) io.stdout(`  ${name.padEnd(12)} ${cmd.summary}\n`)
  }
  io.stdout('\nRun `policyboard <command> --help` for its options.\n')
}

/** Runs the CLI with `argv` (without the node and script names) and returns the exit code. */
export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await help(io)
    return name ? 0 : 2
  }
  const cmd = await loadCommand(name)
  if (!cmd) {
    io.stderr(`policyboard: unknown command '${name}'; run 'policyboard --help'\n`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${cmd.usage}\n`)
    return 0
  }
  return cmd.run(rest, io)
}

const isEntry = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]
if (isEntry) {
  const io: CommandIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    // pnpm runs root scripts from the workspace root; INIT_CWD is where the user typed.
    cwd: process.env.INIT_CWD ?? process.cwd(),
  }
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      process.stderr.write(`policyboard: ${err instanceof Error ? err.message : String(err)}\n`)
      process.exitCode = 1
    },
  )
}
