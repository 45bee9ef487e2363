import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { command } from '../../cli/src/commands/flowlogs.ts'
import { flowRecord } from './fixtures/flows.ts'
import { build, TEST_ADMIN_TOKEN } from './helper.ts'

describe('policyboard flowlogs import', () => {
  it('streams a file to the server with progress, and a retry is a duplicate', async () => {
    const app = await build('sqlite')
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const dir = mkdtempSync(join(tmpdir(), 'pb-cli-'))
    const file = join(dir, 'flows.jsonl')
    writeFileSync(
      file,
      `${Array.from({ length: 50 }, () => JSON.stringify(flowRecord())).join('\n')}\n`,
    )
    let out = ''
    let err = ''
    const io = {
      stdout: (t: string) => {
        out += t
      },
      stderr: (t: string) => {
        err += t
      },
      cwd: dir,
    }
    const server = `http://127.0.0.1:${port}`
    // Without a token the server refuses (401) and the command fails.
    expect(await command.run(['import', 'flows.jsonl', '--server', server], io)).toBe(1)
    expect(err).toContain('401')
    err = ''
    const args = ['import', 'flows.jsonl', '--server', server, '--token', TEST_ADMIN_TOKEN]
    expect(await command.run(args, io)).toBe(0)
    expect(out).toContain('accepted 50 records, rejected 0')
    expect(err).toContain('100%')
    out = ''
    expect(await command.run(args, io)).toBe(0)
    expect(out).toContain('already imported')
    expect(await command.run(['import', 'flows.jsonl'], io)).toBe(2)
  })
})
