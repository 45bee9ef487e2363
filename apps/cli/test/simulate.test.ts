import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runCli as run } from './run.ts'

const conformance = fileURLToPath(
  new URL('../../../../shared/conformance/calico/tiers-and-staged-basics.yaml', import.meta.url),
)

describe('policyboard simulate', () => {
  it('prints only the JSON result with --json', async () => {
    const r = await run(['simulate', conformance, '--json'])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    const doc = JSON.parse(r.stdout) as {
      flows: Array<{ id: string; enforced: { action: string }; staged: { action: string } }>
    }
    const byId = Object.fromEntries(
      doc.flows.map((f) => [f.id, [f.enforced.action, f.staged.action]]),
    )
    expect(byId['web-api-9000']).toEqual(['Allow', 'Deny'])
    expect(byId['web-api-22']).toEqual(['Deny', 'Deny'])
    expect(byId['web-dns']).toEqual(['Allow', 'Allow'])
  })

  it('prints a table without --json', async () => {
    const r = await run(['simulate', conformance])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^ID\s+ENFORCED\s+STAGED/)
    expect(r.stdout).toContain('web-api-22')
    expect(r.stdout).toContain('security/security.guard rule 0 Deny')
  })

  it('fails on an invalid resource, naming document and field path, with nothing on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policyboard-sim-'))
    const file = join(dir, 'bad.yaml')
    writeFileSync(
      file,
      `endpoints:
  - {name: a, namespace: x, ips: ["10.0.0.1"]}
resources: |
  apiVersion: projectcalico.org/v3
  kind: Tier
  metadata: {name: t}
  spec: {order: 1}
  ---
  apiVersion: projectcalico.org/v3
  kind: GlobalNetworkPolicy
  metadata: {name: p}
  spec:
    ingress:
      - action: Permit
flows:
  - {id: f, source: {endpoint: x/a}, destination: {ip: "1.2.3.4"}, protocol: TCP, port: 80}
`,
    )
    const r = await run(['simulate', file, '--json'])
    expect(r.code).not.toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('document 1')
    expect(r.stderr).toContain('spec.ingress[0].action')
  })

  it('fails on a flow naming an unknown endpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policyboard-sim-'))
    const file = join(dir, 'bad.yaml')
    writeFileSync(
      file,
      `endpoints:
  - {name: a, namespace: x}
flows:
  - {id: f, source: {endpoint: x/a}, destination: {endpoint: y/b}, protocol: TCP, port: 80}
`,
    )
    const r = await run(['simulate', file, '--json'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('flows[0].destination.endpoint')
  })

  it('fails on a missing namespace of a workload', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policyboard-sim-'))
    const file = join(dir, 'bad.yaml')
    writeFileSync(file, 'endpoints:\n  - {name: a}\nflows: []\n')
    const r = await run(['simulate', file])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('endpoints[0].namespace')
  })
})
