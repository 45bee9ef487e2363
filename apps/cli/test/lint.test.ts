import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli as run } from './run.ts'

const shadowed = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: web
spec:
  selector: app == 'web'
  ingress:
    - action: Allow
      protocol: TCP
      destination:
        ports: ['80:90']
    - action: Deny
      protocol: TCP
      destination:
        ports: [85]
`

const emptyTier = `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: unused
spec:
  order: 50
`

const broken = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: bad
spec:
  selector: app == 'web
`

const inventory = `namespaces:
  - name: shop
    labels: {team: shop}
endpoints:
  - {name: web-1, namespace: shop, labels: {app: web}, ips: ["10.0.0.1"]}
  - {name: api-1, namespace: shop, labels: {'projectcalico.org/tier': x}, ips: ["10.0.0.2"]}
`

const nothing = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: ghost
  namespace: shop
spec:
  selector: app == 'nobody'
  ingress:
    - action: Allow
      protocol: TCP
`

describe('policyboard lint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policyboard-lint-'))
  writeFileSync(join(dir, 'shadowed.yaml'), shadowed)
  mkdirSync(join(dir, 'tiers'))
  writeFileSync(join(dir, 'tiers', 'unused.yaml'), emptyTier)
  writeFileSync(join(dir, 'tiers', 'notes.txt'), 'not yaml: [')
  writeFileSync(join(dir, 'broken.yaml'), broken)
  writeFileSync(join(dir, 'inventory.yaml'), inventory)
  writeFileSync(join(dir, 'nothing.yaml'), nothing)
  writeFileSync(join(dir, 'labels.yaml'), 'requireWorkloadLabels: [app]\n')
  writeFileSync(join(dir, 'bad-labels.yaml'), 'requireWorkloadLabels: app\n')

  it('prints findings grouped by resource with severity, code, path and fix; warnings do not fail by default', async () => {
    const r = await run(['lint', 'shadowed.yaml'], dir)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      'GlobalNetworkPolicy web\n  warning SHADOWED_RULE  spec.ingress[1]\n',
    )
    expect(r.stdout).toContain('fix: remove the rule')
    expect(r.stdout).toMatch(/1 finding: 0 error, 1 warning, 0 info\n$/)
  })

  it('exits 1 when a finding reaches --fail-on', async () => {
    expect((await run(['lint', 'shadowed.yaml', '--fail-on', 'warning'], dir)).code).toBe(1)
    expect((await run(['lint', 'shadowed.yaml', '--fail-on=info'], dir)).code).toBe(1)
  })

  it('reads directories recursively (YAML only) and prints a JSON report', async () => {
    const r = await run(['lint', 'tiers', 'shadowed.yaml', '--json'], dir)
    expect(r.code).toBe(0)
    const report = JSON.parse(r.stdout) as {
      findings: Array<{ code: string; resource: string; path: string; severity: string }>
      summary: Record<string, number>
      failed: boolean
    }
    expect(report.findings.map((f) => `${f.code} ${f.resource}`)).toEqual([
      'SHADOWED_RULE GlobalNetworkPolicy web',
      'EMPTY_TIER Tier unused',
    ])
    expect(report.summary).toEqual({ error: 0, warning: 1, info: 1 })
    expect(report.failed).toBe(false)
  })

  it('hides findings below --severity', async () => {
    const r = await run(['lint', 'tiers', 'shadowed.yaml', '--json', '--severity', 'warning'], dir)
    const report = JSON.parse(r.stdout) as { findings: Array<{ code: string }> }
    expect(report.findings.map((f) => f.code)).toEqual(['SHADOWED_RULE'])
  })

  it('uses an inventory file for selectors that match nothing, and label rules', async () => {
    const r = await run(
      [
        'lint',
        'nothing.yaml',
        '--inventory',
        'inventory.yaml',
        '--labels',
        'labels.yaml',
        '--json',
      ],
      dir,
    )
    const report = JSON.parse(r.stdout) as { findings: Array<{ code: string; resource: string }> }
    const codes = report.findings.map((f) => `${f.code} ${f.resource}`)
    expect(codes).toContain('SELECTS_NOTHING NetworkPolicy shop/ghost')
    expect(codes).toContain('MISSING_REQUIRED_LABEL Pod shop/api-1')
    expect(codes).toContain('RESERVED_LABEL_KEY Pod shop/api-1')
    expect(r.code).toBe(1)
  })

  it('fails on invalid policy YAML, naming the file and field, with nothing on stdout', async () => {
    const r = await run(['lint', 'broken.yaml'], dir)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('broken.yaml')
    expect(r.stderr).toContain('spec.selector')
  })

  it('fails on invalid label rules with their path', async () => {
    const r = await run(
      ['lint', 'shadowed.yaml', '--inventory', 'inventory.yaml', '--labels', 'bad-labels.yaml'],
      dir,
    )
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('requireWorkloadLabels')
  })

  it('rejects bad usage with exit 2', async () => {
    expect((await run(['lint'], dir)).code).toBe(2)
    expect((await run(['lint', 'x.yaml', '--severity', 'loud'], dir)).code).toBe(2)
    expect((await run(['lint', 'x.yaml', '--bogus'], dir)).code).toBe(2)
    expect((await run(['lint', 'missing.yaml'], dir)).code).toBe(1)
  })

  describe('--server', () => {
    let server: Server
    let url = ''
    const requests: string[] = []
    beforeAll(async () => {
      server = createServer((req, res) => {
        requests.push(req.url ?? '')
        if (req.url === '/api/v1/export?staged=include') {
          res.setHeader('content-type', 'application/yaml')
          res.end(nothing)
        } else if (req.url === '/api/v1/inventory') {
          res.setHeader('content-type', 'application/json')
          res.end(
            JSON.stringify({
              namespaces: [{ name: 'shop' }],
              serviceAccounts: [],
              endpoints: [{ name: 'web-1', namespace: 'shop', labels: { app: 'web' } }],
              revision: '3',
            }),
          )
        } else {
          res.statusCode = 404
          res.end('{"code":"NOT_FOUND"}')
        }
      })
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    })
    afterAll(async () => {
      await new Promise((done) => server.close(done))
    })

    it('lints the server export with the server inventory', async () => {
      const r = await run(['lint', '--server', `${url}/`, '--json'], dir)
      expect(r.stderr).toBe('')
      const report = JSON.parse(r.stdout) as { findings: Array<{ code: string; resource: string }> }
      expect(report.findings.map((f) => `${f.code} ${f.resource}`)).toContain(
        'SELECTS_NOTHING NetworkPolicy shop/ghost',
      )
      // A server without a lint route (404): its export is linted here.
      expect(requests).toEqual([
        '/api/v1/lint?window=24h',
        '/api/v1/export?staged=include',
        '/api/v1/inventory',
      ])
    })

    it("uses the server's own lint when it has the route", async () => {
      const lintServer = createServer((req, res) => {
        lintRequests.push(req.url ?? '')
        res.setHeader('content-type', 'application/json')
        if (req.url?.startsWith('/api/v1/lint?')) {
          res.end(
            JSON.stringify({
              findings: [
                {
                  code: 'UNUSED_POLICY',
                  severity: 'info',
                  message: 'no stored flow of the window hit this policy',
                  resource: 'NetworkPolicy shop/web',
                  path: '',
                  fix: 'delete it',
                  kind: 'policy',
                  tier: 'default',
                },
              ],
              counts: { error: 0, warning: 0, info: 1 },
              window: { from: 0, to: 3600 },
              revision: '4',
            }),
          )
        } else if (req.url === '/api/v1/inventory') {
          res.end(
            JSON.stringify({
              namespaces: [],
              serviceAccounts: [],
              endpoints: [{ name: 'web-1', namespace: 'shop', labels: { app: 'web' } }],
            }),
          )
        } else {
          res.statusCode = 404
          res.end('{"code":"NOT_FOUND"}')
        }
      })
      const lintRequests: string[] = []
      await new Promise<void>((done) => lintServer.listen(0, '127.0.0.1', done))
      const base = `http://127.0.0.1:${(lintServer.address() as AddressInfo).port}`
      try {
        const r = await run(['lint', '--server', base, '--window', '7d', '--json'], dir)
        expect(r.stderr).toBe('')
        const report = JSON.parse(r.stdout) as {
          findings: Array<Record<string, unknown>>
          failed: boolean
        }
        expect(report.findings).toEqual([
          {
            code: 'UNUSED_POLICY',
            severity: 'info',
            message: 'no stored flow of the window hit this policy',
            resource: 'NetworkPolicy shop/web',
            path: '',
            fix: 'delete it',
          },
        ])
        expect(report.failed).toBe(false)
        expect(lintRequests).toEqual(['/api/v1/lint?window=7d'])

        // Local label rules: policy findings from the server, labels linted here.
        writeFileSync(join(dir, 'rules.yaml'), 'requireWorkloadLabels: [team]\n')
        const labelled = await run(
          ['lint', '--server', base, '--labels', 'rules.yaml', '--json'],
          dir,
        )
        expect(labelled.code).toBe(1)
        const codes = (JSON.parse(labelled.stdout) as { findings: Array<{ code: string }> })
          .findings
        expect(codes.map((f) => f.code)).toEqual(['UNUSED_POLICY', 'MISSING_REQUIRED_LABEL'])
        expect(lintRequests.slice(1)).toEqual([
          '/api/v1/lint?window=24h&kind=policy',
          '/api/v1/inventory',
        ])
      } finally {
        await new Promise((done) => lintServer.close(done))
      }
    })

    it('fails clearly when the server is not there', async () => {
      const r = await run(['lint', '--server', 'http://127.0.0.1:1'], dir)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('cannot reach')
    })
  })
})
