import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type FlowLogRecord, loadResources, validateFlowLogRecord } from '@policyboard/policy-core'
import { describe, expect, it } from 'vitest'
import { runCli as run } from './run.ts'

describe('policyboard demo', () => {
  it('prints the demo cluster as YAML that loads', async () => {
    const r = await run(['demo', '--cluster'])
    expect(r.code).toBe(0)
    const loaded = loadResources(r.stdout)
    expect(loaded.ok).toBe(true)
    expect(r.stdout).toContain('kind: StagedGlobalNetworkPolicy')
  })

  it('writes N valid JSON lines, the same for the same seed and time', async () => {
    const argv = [
      'demo',
      '--flows',
      '250',
      '--hours',
      '2',
      '--seed',
      '9',
      '--now',
      '2026-11-27T12:00:00Z',
    ]
    const a = await run(argv)
    expect(a.code).toBe(0)
    const lines = a.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(250)
    lines.forEach((l, i) => {
      const v = validateFlowLogRecord(JSON.parse(l), { line: i + 1 })
      expect(v.ok).toBe(true)
    })
    expect((await run(argv)).stdout).toBe(a.stdout)
  })

  it('writes v3.32 hit strings with --naming v3.32', async () => {
    const r = await run(['demo', '--flows', '30', '--now', '1795694400000', '--naming', 'v3.32'])
    expect(r.code).toBe(0)
    const hits = r.stdout
      .trimEnd()
      .split('\n')
      .flatMap((l) => (JSON.parse(l) as FlowLogRecord).policies?.enforced_policies ?? [])
    expect(hits.length).toBeGreaterThan(0)
    for (const h of hits) expect(h.split('|')[2]).toMatch(/^(gnp|np|knp|sgnp|snp|sknp|pro):/)
  })

  it('writes to a file relative to the caller with -o', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policyboard-demo-'))
    const r = await run(
      ['demo', '--flows', '40', '--now', '1795694400000', '-o', 'flows.jsonl'],
      dir,
    )
    expect(r).toMatchObject({ code: 0, stdout: '' })
    expect(readFileSync(join(dir, 'flows.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(40)
  })

  it.each([
    [[], 'exactly one of'],
    [['--cluster', '--flows', '3'], 'exactly one of'],
    [['--flows', 'many'], "expected --flows ≥ 0, got 'many'"],
    [['--flows', '3', '--now', 'yesterday'], 'expected --now'],
    [['--flows'], 'expected a value after --flows'],
    [['--fast'], "unknown option '--fast'"],
    [['--flows', '3', '--naming', 'kind'], 'expected --naming legacy or v3.32'],
  ])('refuses %j with usage', async (args, message) => {
    const r = await run(['demo', ...args])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(message)
  })
})
