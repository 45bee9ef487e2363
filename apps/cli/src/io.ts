import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/** What a command may touch: its output streams and the caller's working directory. */
export interface CommandIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** The directory relative paths are resolved against (the shell's, not pnpm's). */
  cwd: string
}

/** A command module: `policyboard <name> ...argv`. Returns the exit code. */
export interface Command {
  summary: string
  usage: string
  run: (argv: string[], io: CommandIO) => Promise<number>
}

/** Reads a file named on the command line, relative to the caller's directory; `-` is stdin. */
export function readInput(path: string, io: CommandIO): string {
  return readFileSync(path === '-' ? 0 : resolve(io.cwd, path), 'utf8')
}

/** Writes a line to stdout. */
export function println(io: CommandIO, text = ''): void {
  io.stdout(`${text}\n`)
}
