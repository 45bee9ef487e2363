// The real server as a child process for the benchmarks: `node --import tsx src/server.ts`,
// one process, so its pid is the server's (for /proc CPU and RSS readings).
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'

/**
 * Starts the server on a temp data directory with `settings` (over the benchmarks' defaults:
 * an ephemeral port, SQLite, quiet logs, a known admin token, no rate limit) and waits for
 * the URL it prints.
 */
export async function startChildServer(
  dataDir: string,
  token: string,
  settings: Record<string, string> = {},
): Promise<{ child: ChildProcess; base: string; port: number }> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
  delete env.DATABASE_URL
  delete env.DATABASE_SCHEMA
  Object.assign(env, {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    WEB_DIST: join(dataDir, 'no-web'),
    POLICYBOARD_DEMO: 'false',
    // Request logs to a pipe would measure pino, not the server.
    LOG_LEVEL: 'warn',
    POLICYBOARD_ADMIN_TOKEN: token,
    // One credential sends everything: lift the per-credential limit.
    API_RATE_LIMIT: '10000000',
    ...settings,
  })
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString()
  })
  const base = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 120_000)
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /running at (http:\/\/[\d.]+:\d+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}: ${stderr}`))
    })
  })
  // Keep draining its output so the pipes never fill.
  child.stdout?.resume()
  return { child, base, port: Number(new URL(base).port) }
}
