import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli as run } from './run.ts'

const TIER =
  'apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: security}\nspec: {order: 100}\n'
const GNP = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.guard}
spec:
  tier: security
  selector: all()
  ingress:
    - action: Deny
      protocol: TCP
      destination: {ports: [22]}
`
const KNP_JSON = JSON.stringify({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'deny', namespace: 'shop' },
  spec: { podSelector: {} },
})
const BAD = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  ingress:
    - action: Allow
      protocol: TCP
      destination: {ports: [22]}
    - action: Allow
      protocol: tcp
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: Guard}
spec: {}
`

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'policyboard-validate-'))
  mkdirSync(join(dir, 'policies', 'nested'), { recursive: true })
  writeFileSync(join(dir, 'policies', 'tiers.yaml'), `${TIER}---\n${GNP}`)
  writeFileSync(join(dir, 'policies', 'nested', 'knp.json'), KNP_JSON)
  writeFileSync(join(dir, 'policies', 'nested', 'notes.txt'), 'not yaml: [')
  writeFileSync(join(dir, 'bad.yaml'), BAD)
  writeFileSync(join(dir, 'broken.yml'), 'a: [1, 2\n')
  return dir
}

describe('policyboard validate', () => {
  it('accepts valid files and directories, with a one-line summary', async () => {
    const dir = workspace()
    const r = await run(['validate', 'policies'], dir)
    expect(r).toEqual({ code: 0, stdout: '3 documents in 2 files are valid\n', stderr: '' })
  })

  it('prints every problem with file, document, resource and field, then a summary', async () => {
    const dir = workspace()
    const r = await run(['validate', 'bad.yaml', 'policies/tiers.yaml', 'broken.yml'], dir)
    expect(r.code).toBe(1)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(
      "bad.yaml: document 0 (NetworkPolicy shop/web): spec.ingress[1].protocol: expected TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite (case-sensitive) or a number from 1 to 255, got 'tcp'",
    )
    expect(lines[1]).toMatch(
      /^bad\.yaml: document 1 \(GlobalNetworkPolicy Guard\): metadata\.name: expected /,
    )
    expect(lines[2]).toMatch(/^broken\.yml: document 0: .*\(line \d+, column \d+\)$/)
    expect(lines.at(-1)).toBe(`${lines.length - 1} problems in 2 of 3 files`)
  })

  it('prints a JSON report with --json', async () => {
    const dir = workspace()
    const r = await run(['validate', '--json', 'bad.yaml', 'policies'], dir)
    expect(r.code).toBe(1)
    const report = JSON.parse(r.stdout) as {
      valid: boolean
      documents: number
      files: Array<{
        file: string
        valid: boolean
        documents: number
        errors: Array<{ code: string; path: string; document?: number }>
      }>
    }
    expect(report.valid).toBe(false)
    expect(report.files.map((f) => [f.file, f.valid, f.documents])).toEqual([
      ['bad.yaml', false, 2],
      [join('policies', 'nested', 'knp.json'), true, 1],
      [join('policies', 'tiers.yaml'), true, 2],
    ])
    expect(report.files[0]?.errors[0]).toMatchObject({
      code: 'INVALID_VALUE',
      path: 'spec.ingress[1].protocol',
      document: 0,
    })
  })

  it('refuses bad usage with exit code 2', async () => {
    const dir = workspace()
    expect((await run(['validate'], dir)).code).toBe(2)
    expect((await run(['validate', 'missing.yaml'], dir)).code).toBe(2)
    expect((await run(['validate', '--strict', 'bad.yaml'], dir)).code).toBe(2)
    const help = await run(['validate', '--help'], dir)
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('policyboard validate FILE|DIR...')
  })
})
