import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadResources, type StagedNetworkPolicy } from '@policyboard/policy-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run.ts'

function run(argv: string[], cwd: string) {
  return runCli(['recommend', ...argv], cwd)
}

const inventory = `
endpoints:
  - {name: web-0, namespace: shop, labels: {app: web}, ips: [10.0.0.1]}
  - {name: db-0, namespace: shop, labels: {app: db}, ips: [10.0.0.2]}
  - {name: bad-0, namespace: other, labels: {app: bad, quarantine: 'true'}, ips: [10.0.1.1]}
  - {name: dns-0, namespace: kube-system, labels: {k8s-app: kube-dns}, ips: [10.0.9.1]}
`
const policies = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: quarantine}
spec:
  selector: quarantine == 'true'
  types: [Egress]
  egress: [{action: Deny}]
`

function record(src: [string, string], dst: [string, string], port: number, action = 'allow') {
  return JSON.stringify({
    start_time: 1_780_000_000,
    end_time: 1_780_000_300,
    host: 'node-1',
    action,
    reporter: 'src',
    source_type: 'wep',
    source_namespace: src[0],
    source_name: src[1],
    source_name_aggr: src[1],
    source_ip: null,
    source_port: null,
    dest_type: 'wep',
    dest_namespace: dst[0],
    dest_name: dst[1],
    dest_name_aggr: dst[1],
    dest_ip: null,
    dest_port: port,
    proto: 'tcp',
    bytes_in: 1,
    bytes_out: 1,
    packets_in: 1,
    packets_out: 1,
    num_flows: 4,
    num_flows_started: 4,
    num_flows_completed: 4,
  })
}

let dir = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pb-recommend-'))
  writeFileSync(join(dir, 'inventory.yaml'), inventory)
  writeFileSync(join(dir, 'policies.yaml'), policies)
  writeFileSync(
    join(dir, 'flows.jsonl'),
    [
      record(['shop', 'web-0'], ['shop', 'db-0'], 5432),
      record(['other', 'bad-0'], ['shop', 'db-0'], 5432, 'deny'),
    ].join('\n'),
  )
})

function policiesOf(stdout: string): StagedNetworkPolicy[] {
  const loaded = loadResources(stdout)
  if (!loaded.ok) throw new Error(loaded.errors.map(String).join('\n'))
  return loaded.value.filter((r): r is StagedNetworkPolicy => r.kind === 'StagedNetworkPolicy')
}

describe('policyboard recommend', () => {
  const files = [
    '--flows',
    'flows.jsonl',
    '--policies',
    'policies.yaml',
    '--inventory',
    'inventory.yaml',
  ]

  it('prints the tier and a Learn-staged policy for the namespace, with evidence comments', async () => {
    const r = await run(['--namespace', 'shop', ...files], dir)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/kind: Tier\nmetadata:\n {2}name: namespace-isolation/)
    expect(r.stdout).toMatch(/# shop-recommendation ingress\[0\] Namespace shop: 4 flows/)
    expect(r.stdout).toMatch(/#\s+shop\/web-0 -> shop\/db-0 tcp\/5432 \(4\)/)
    expect(r.stdout).toMatch(/never allowed \(denied by the enforced policies\): 1 flow groups/)
    const [p] = policiesOf(r.stdout)
    expect(p?.metadata.name).toBe('shop-recommendation')
    expect(p?.spec.stagedAction).toBe('Learn')
    expect(p?.spec.ingress).toHaveLength(1)
    expect(p?.spec.ingress?.[0]?.source?.namespaceSelector).toBe('projectcalico.org/name == "shop"')
  })

  it('writes one policy per workload with --per-workload', async () => {
    const r = await run(['--namespace', 'shop', '--per-workload', ...files], dir)
    expect(r.code).toBe(0)
    expect(policiesOf(r.stdout).map((p) => p.metadata.name)).toEqual([
      'shop-db-recommendation',
      'shop-web-recommendation',
    ])
  })

  it('asks a server for its recommendation with --server', async () => {
    let asked = ''
    const server = createServer((req, res) => {
      asked = req.url ?? ''
      res.setHeader('content-type', 'application/json')
      res.end(
        JSON.stringify({
          policies: [
            {
              apiVersion: 'projectcalico.org/v3',
              kind: 'StagedNetworkPolicy',
              metadata: { name: 'shop-recommendation', namespace: 'shop' },
              spec: { tier: 'namespace-isolation', selector: 'all()', stagedAction: 'Learn' },
            },
          ],
          states: {},
          evidence: [],
          excluded: [],
        }),
      )
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    try {
      const port = (server.address() as AddressInfo).port
      const r = await run(
        ['--namespace', 'shop', '--per-workload', '--server', `http://127.0.0.1:${port}/`],
        dir,
      )
      expect(r.code).toBe(0)
      expect(asked).toBe('/api/v1/recommendations/shop?perWorkload=true')
      expect(policiesOf(r.stdout)[0]?.metadata.name).toBe('shop-recommendation')
    } finally {
      server.close()
    }
  })

  it('refuses bad usage', async () => {
    expect((await run(['--flows', 'flows.jsonl'], dir)).code).toBe(2)
    const r = await run(['--namespace', 'shop', '--flows', 'flows.jsonl'], dir)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/expected --server, or --flows, --policies and --inventory/)
  })
})
