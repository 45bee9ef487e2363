import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli as run } from './run.ts'

const knp = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - ports: [{port: 81, endPort: 90}, {port: 80}, {protocol: UDP, port: 53}]
`

describe('policyboard convert', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policyboard-convert-'))
  const file = join(dir, 'knp.yaml')
  writeFileSync(file, knp)

  it('prints the Calico policy as JSON with legacy names by default', async () => {
    const r = await run(['convert', file, '-o', 'json'])
    expect(r.code).toBe(0)
    const [policy] = JSON.parse(r.stdout) as Array<{
      metadata: { name: string }
      spec: Record<string, unknown>
    }>
    expect(policy?.metadata.name).toBe('knp.default.web')
    expect(policy?.spec).toMatchObject({
      tier: 'default',
      order: 1000,
      selector: "projectcalico.org/orchestrator == 'k8s' && app == 'web'",
      types: ['Ingress'],
      ingress: [
        { action: 'Allow', protocol: 'TCP', destination: { ports: ['80:90'] } },
        { action: 'Allow', protocol: 'UDP', destination: { ports: [53] } },
      ],
    })
  })

  it('keeps the bare name with --naming v3.32 and prints YAML by default', async () => {
    const r = await run(['convert', file, '--naming', 'v3.32'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('name: web\n')
    expect(r.stdout).toContain('kind: NetworkPolicy')
  })
})
