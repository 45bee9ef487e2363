import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { Readable } from 'node:stream'
import type { Command, CommandIO } from '../io.ts'
import { authHeaders, takeToken } from '../server-auth.ts'

const USAGE = `policyboard flowlogs import FILE --server URL [--token TOKEN] [--batch ID]

Streams Calico flow-log records (JSON lines, or one JSON array) to a Policyboard server's
POST /api/v1/flowlogs, showing progress on stderr. The batch id (default: derived from the
file's path, size and modification time) makes a retry safe: a batch the server already has
is reported as a duplicate and not inserted twice. Ingestion needs an admin's API token:
--token TOKEN, or the environment variable POLICYBOARD_TOKEN. (--actor is accepted and
ignored: revisions record the token's user.)`

interface Options {
  file: string
  server: string
  batch?: string
  actor?: string
}

function parseArgs(argv: string[]): Options | string {
  const [sub, ...rest] = argv
  if (sub !== 'import') return `expected 'import', got '${sub ?? ''}'`
  let file: string | undefined
  let server: string | undefined
  let batch: string | undefined
  let actor: string | undefined
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string
    const value = () => {
      const v = rest[++i]
      if (v === undefined) throw new Error(`${a} expects a value`)
      return v
    }
    if (a === '--server') server = value()
    else if (a === '--batch') batch = value()
    else if (a === '--actor') actor = value()
    else if (a.startsWith('--')) return `unknown option ${a}`
    else if (file === undefined) file = a
    else return `unexpected argument ${a}`
  }
  if (!file) return 'expected a FILE'
  if (!server) return 'expected --server URL'
  return { file, server, ...(batch ? { batch } : {}), ...(actor ? { actor } : {}) }
}

function bar(done: number, total: number): string {
  const width = 30
  const ratio = total > 0 ? Math.min(1, done / total) : 1
  const filled = Math.round(ratio * width)
  const mb = (n: number) => (n / 1048576).toFixed(1)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${mb(done)}/${mb(total)} MiB`
}

async function importFile(opts: Options, io: CommandIO): Promise<number> {
  const path = resolve(io.cwd, opts.file)
  const stat = statSync(path)
  const batch =
    opts.batch ??
    `${basename(path)}-${createHash('sha256').update(`${path}:${stat.size}:${stat.mtimeMs}`).digest('hex').slice(0, 16)}`
  let sent = 0
  let lastDraw = 0
  const file = createReadStream(path)
  file.on('data', (chunk) => {
    sent += chunk.length
    const now = Date.now()
    if (now - lastDraw > 100 || sent === stat.size) {
      lastDraw = now
      io.stderr(`\r${bar(sent, stat.size)}`)
    }
  })
  const url = new URL(`/api/v1/flowlogs?batch=${encodeURIComponent(batch)}`, opts.server)
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', ...authHeaders() },
    body: Readable.toWeb(file) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit & { duplex: 'half' })
  io.stderr('\n')
  const text = await res.text()
  if (!res.ok) {
    io.stderr(`policyboard: server answered ${res.status}: ${text}\n`)
    return 1
  }
  const body = JSON.parse(text) as {
    accepted: number
    rejectedCount: number
    duplicate: boolean
    rejected: Array<{ line: number; errors: Array<{ message: string; path: string }> }>
  }
  if (body.duplicate) {
    io.stdout(`batch ${batch} was already imported; nothing inserted\n`)
    return 0
  }
  io.stdout(`accepted ${body.accepted} records, rejected ${body.rejectedCount} (batch ${batch})\n`)
  for (const r of body.rejected.slice(0, 20)) {
    const e = r.errors[0]
    io.stdout(
      `  line ${r.line}: ${e ? `${e.path ? `${e.path}: ` : ''}${e.message}` : 'rejected'}\n`,
    )
  }
  return body.rejectedCount > 0 ? 1 : 0
}

/** `policyboard flowlogs import FILE --server URL`: stream flow logs to a server. */
export const command: Command = {
  summary: 'import flow-log records into a Policyboard server',
  usage: USAGE,
  async run(rawArgv, io) {
    const argv = takeToken(rawArgv)
    let opts: Options | string
    try {
      opts = parseArgs(argv)
    } catch (err) {
      opts = (err as Error).message
    }
    if (typeof opts === 'string') {
      io.stderr(`policyboard flowlogs: ${opts}\n\n${USAGE}\n`)
      return 2
    }
    try {
      return await importFile(opts, io)
    } catch (err) {
      io.stderr(`policyboard flowlogs: ${(err as Error).message}\n`)
      return 1
    }
  },
}
