import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli as run } from './run.ts'

const inventory = `
endpoints:
  - {name: web-0, namespace: shop, labels: {app: web}, ips: [10.0.0.1], ports: [{name: http, port: 8080, protocol: TCP}]}
  - {name: db-0, namespace: shop, labels: {app: db}, ips: [10.0.0.2], ports: [{name: pg, port: 5432, protocol: TCP}]}
`

const open = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  selector: app == 'db'
  types: [Ingress]
  ingress: [{action: Allow, protocol: TCP, source: {selector: app == 'web'}, destination: {ports: [5432]}}]
`
const closed = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  selector: app == 'db'
  types: [Ingress]
`
const scenario = `${inventory}
flows:
  - {id: web-db, source: {endpoint: shop/web-0}, destination: {endpoint: shop/db-0}, protocol: TCP, port: 5432}
  - {id: db-web, source: {endpoint: shop/db-0}, destination: {endpoint: shop/web-0}, protocol: TCP, port: 8080}
`

function record(port: number): string {
  return JSON.stringify({
    start_time: 1_780_000_000,
    end_time: 1_780_000_300,
    host: 'node-1',
    action: 'allow',
    reporter: 'dst',
    source_type: 'wep',
    source_namespace: 'shop',
    source_name: 'web-0',
    source_name_aggr: 'web-0',
    source_ip: '10.0.0.1',
    source_port: null,
    dest_type: 'wep',
    dest_namespace: 'shop',
    dest_name: 'db-0',
    dest_name_aggr: 'db-0',
    dest_ip: '10.0.0.2',
    dest_port: port,
    proto: 'tcp',
    bytes_in: 1,
    bytes_out: 1,
    packets_in: 1,
    packets_out: 1,
    num_flows: 3,
    num_flows_started: 3,
    num_flows_completed: 3,
  })
}

let dir = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pb-check-'))
  for (const [name, text] of [
    ['open', open],
    ['closed', closed],
  ] as const) {
    mkdirSync(join(dir, name))
    writeFileSync(join(dir, name, 'db.yaml'), text)
  }
  writeFileSync(join(dir, 'inventory.yaml'), inventory)
  writeFileSync(join(dir, 'scenario.yaml'), scenario)
  writeFileSync(join(dir, 'flows.jsonl'), `${record(5432)}\n${record(5432)}\n`)
  writeFileSync(join(dir, 'bad.yaml'), 'kind: NetworkPolicy\napiVersion: projectcalico.org/v3\n')
})

describe('policyboard check', () => {
  const table: Array<{
    name: string
    argv: string[]
    code: number
    out: RegExp
  }> = [
    {
      name: 'unchanged policies pass',
      argv: ['--base', 'open', '--head', 'open', '--flows', 'scenario.yaml'],
      code: 0,
      out: /2 flows judged: 0 newly denied, 0 newly allowed, 2 unchanged\ncheck passed/,
    },
    {
      name: 'a new deny fails, with the flow in the table',
      argv: ['--base', 'open', '--head', 'closed', '--flows', 'scenario.yaml'],
      code: 1,
      out: /NEW DENY\s+shop\/web-0\s+shop\/db-0\s+tcp\/5432\s+1\s+Allow -> Deny\s+ingress default end of tier[\s\S]*check failed \(--fail-on new-denies\)/,
    },
    {
      name: 'a new allow passes by default',
      argv: ['--base', 'closed', '--head', 'open', '--flows', 'scenario.yaml'],
      code: 0,
      out: /NEW ALLOW[\s\S]*1 newly allowed[\s\S]*check passed/,
    },
    {
      name: 'a new allow fails with --fail-on any-change',
      argv: [
        '--base',
        'closed',
        '--head',
        'open',
        '--flows',
        'scenario.yaml',
        '--fail-on',
        'any-change',
      ],
      code: 1,
      out: /check failed \(--fail-on any-change\)/,
    },
    {
      name: 'flow-log records are weighted by num_flows',
      argv: [
        '--base',
        'open/db.yaml',
        '--head',
        'closed/db.yaml',
        '--flows',
        'flows.jsonl',
        '--inventory',
        'inventory.yaml',
      ],
      code: 1,
      out: /NEW DENY\s+shop\/web-0\s+shop\/db-0\s+tcp\/5432\s+6\s[\s\S]*6 flows judged: 6 newly denied/,
    },
    {
      name: 'semantic diff over the inventory without flows',
      argv: ['--base', 'open', '--head', 'closed', '--inventory', 'inventory.yaml'],
      code: 1,
      out: /NEW DENY\s+shop\/web\s+shop\/db\s+tcp\/5432[\s\S]*4 connections between endpoint groups judged: 1 newly denied/,
    },
    {
      name: 'semantic diff with nothing changed',
      argv: ['--base', 'closed', '--head', 'closed', '--inventory', 'inventory.yaml'],
      code: 0,
      out: /0 newly denied, 0 newly allowed, 4 unchanged\ncheck passed/,
    },
  ]
  for (const c of table) {
    it(c.name, async () => {
      const r = await run(['check', ...c.argv], dir)
      expect(r.stderr).toBe('')
      expect(r.stdout).toMatch(c.out)
      expect(r.code).toBe(c.code)
    })
  }

  it('prints a machine-readable report with --json', async () => {
    const argv = [
      'check',
      '--base',
      'open',
      '--head',
      'closed',
      '--flows',
      'scenario.yaml',
      '--json',
    ]
    const j = await run(argv, dir)
    expect(j.code).toBe(1)
    const report = JSON.parse(j.stdout)
    expect(report).toMatchObject({
      mode: 'flows',
      failed: true,
      failOn: 'new-denies',
      totals: { judged: 2, newDenies: 1, newAllows: 0, unchanged: 1, uncertain: 0 },
    })
    expect(report.changes[0]).toMatchObject({ id: 'web-db', before: 'Allow', after: 'Deny' })
  })

  it('refuses bad usage and invalid input with exit code 2', async () => {
    expect((await run(['check', '--base', 'open'], dir)).code).toBe(2)
    expect((await run(['check', '--base', 'open', '--head', 'open'], dir)).code).toBe(2)
    const badFail = await run(
      [
        'check',
        '--base',
        'open',
        '--head',
        'open',
        '--inventory',
        'inventory.yaml',
        '--fail-on',
        'x',
      ],
      dir,
    )
    expect(badFail.code).toBe(2)
    expect(badFail.stderr).toMatch(/--fail-on expects new-denies or any-change/)
    const bad = await run(
      ['check', '--base', 'bad.yaml', '--head', 'open', '--inventory', 'inventory.yaml'],
      dir,
    )
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/bad\.yaml/)
    const missing = await run(
      ['check', '--base', 'nope', '--head', 'open', '--inventory', 'inventory.yaml'],
      dir,
    )
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/cannot read nope/)
  })
})
