import { describe, expect, it } from 'vitest'
import type { Flow } from '../evaluator/types.ts'
import { loadResources } from '../resources/index.ts'
import type { Endpoint, Resource } from '../resources/types.ts'
import { checkChange } from './check.ts'

const endpoints: Endpoint[] = [
  {
    name: 'web-0',
    namespace: 'shop',
    labels: { app: 'web' },
    ips: ['10.0.0.1'],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  },
  {
    name: 'db-0',
    namespace: 'shop',
    labels: { app: 'db' },
    ips: ['10.0.0.2'],
    ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
  },
]

function load(yaml: string): Resource[] {
  const r = loadResources(yaml)
  if (!r.ok) throw new Error(r.errors.map(String).join('\n'))
  return r.value
}

const dbFromWeb = `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  selector: app == 'db'
  types: [Ingress]
  ingress: [{action: Allow, protocol: TCP, source: {selector: app == 'web'}, destination: {ports: [5432]}}]
`
const dbClosed = `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  selector: app == 'db'
  types: [Ingress]
`

const flows: Flow[] = [
  {
    id: 'web->db',
    source: { endpoint: 'shop/web-0' },
    destination: { endpoint: 'shop/db-0' },
    protocol: 'TCP',
    port: 5432,
  },
  {
    id: 'db->web',
    source: { endpoint: 'shop/db-0' },
    destination: { endpoint: 'shop/web-0' },
    protocol: 'TCP',
    port: 8080,
  },
]

describe('checkChange', () => {
  const cases: Array<{
    name: string
    base: string
    head: string
    failOn?: 'new-denies' | 'any-change'
    failed: boolean
    newDenies: number
    newAllows: number
  }> = [
    {
      name: 'no change',
      base: dbFromWeb,
      head: dbFromWeb,
      failed: false,
      newDenies: 0,
      newAllows: 0,
    },
    {
      name: 'new deny fails',
      base: dbFromWeb,
      head: dbClosed,
      failed: true,
      newDenies: 1,
      newAllows: 0,
    },
    {
      name: 'new allow passes',
      base: dbClosed,
      head: dbFromWeb,
      failed: false,
      newDenies: 0,
      newAllows: 1,
    },
    {
      name: 'new allow fails any-change',
      base: dbClosed,
      head: dbFromWeb,
      failOn: 'any-change',
      failed: true,
      newDenies: 0,
      newAllows: 1,
    },
  ]
  for (const c of cases) {
    it(`scenario flows: ${c.name}`, () => {
      const r = checkChange({
        base: load(c.base),
        head: load(c.head),
        inventory: { endpoints },
        flows,
        ...(c.failOn ? { failOn: c.failOn } : {}),
      })
      expect(r.mode).toBe('flows')
      expect(r.failed).toBe(c.failed)
      expect(r.totals.newDenies).toBe(c.newDenies)
      expect(r.totals.newAllows).toBe(c.newAllows)
      expect(r.totals.judged).toBe(2)
    })
  }

  it('explains what decides before and after', () => {
    const r = checkChange({
      base: load(dbFromWeb),
      head: load(dbClosed),
      inventory: { endpoints },
      flows,
    })
    expect(r.changes[0]).toMatchObject({
      id: 'web->db',
      change: 'newDeny',
      before: 'Allow',
      after: 'Deny',
      afterBy: 'ingress default end of tier',
    })
    expect(r.changes[0]?.beforeBy).toContain('default/db rule 0')
  })

  it('diffs connectivity between endpoint groups without flows', () => {
    const r = checkChange({ base: load(dbFromWeb), head: load(dbClosed), inventory: { endpoints } })
    expect(r.mode).toBe('semantic')
    // Groups shop/db and shop/web, each declaring one port: four group-to-group connections.
    expect(r.totals.judged).toBe(4)
    expect(r.changes).toEqual([
      expect.objectContaining({
        source: 'shop/web',
        destination: 'shop/db',
        port: 5432,
        change: 'newDeny',
      }),
    ])
    expect(r.failed).toBe(true)
  })
})
