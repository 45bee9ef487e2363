import { main } from '../src/main.ts'

/** Runs the CLI in-process as a shell would, collecting what it writes and its exit code. */
export async function runCli(argv: string[], cwd = process.cwd()) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t
    },
    stderr: (t) => {
      stderr += t
    },
    cwd,
  })
  return { code, stdout, stderr }
}
