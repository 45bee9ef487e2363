import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../backends.ts'
import { build } from '../helper.ts'

const boardYaml = readFileSync(new URL('../fixtures/board.yaml', import.meta.url), 'utf8')

describe.each(BACKENDS)('policy list size on %s', (backend) => {
  it('lists summaries without resources unless full=true, and compresses large bodies', async () => {
    const app = await build(backend)
    const docs = [boardYaml]
    for (let i = 0; i < 120; i++) {
      docs.push(
        `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: many-${i}, namespace: shop}\nspec: {order: ${i}, selector: "app == 'a${i}'", ingress: [{action: Allow, protocol: TCP, destination: {ports: [${1000 + i}]}}]}\n`,
      )
    }
    const applied = await app.inject({
      method: 'POST',
      url: '/api/v1/apply',
      payload: { yaml: docs.join('---\n') },
    })
    expect(applied.statusCode, applied.body).toBe(200)

    const slim = await app.inject({ method: 'GET', url: '/api/v1/policies' })
    expect(slim.statusCode, slim.body).toBe(200)
    const items = slim.json().items as Array<Record<string, unknown>>
    expect(items.length).toBeGreaterThan(120)
    expect(items.every((p) => !('resource' in p))).toBe(true)
    expect(items[0]).toHaveProperty('hits')

    const full = await app.inject({ method: 'GET', url: '/api/v1/policies?full=true' })
    const fullItems = full.json().items as Array<{ name: string; resource: { kind: string } }>
    expect(fullItems.map((p) => p.name)).toEqual(items.map((p) => p.name))
    expect(fullItems.every((p) => typeof p.resource.kind === 'string')).toBe(true)

    const zipped = await app.inject({
      method: 'GET',
      url: '/api/v1/policies?full=true',
      headers: { 'accept-encoding': 'gzip, deflate' },
    })
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(zipped.headers.vary).toContain('accept-encoding')
    expect(zipped.rawPayload.length).toBeLessThan(full.rawPayload.length / 3)
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8'))).toEqual(full.json())

    // The board keeps whole resources (its cards read selectors and rules from them).
    const board = await app.inject({ method: 'GET', url: '/api/v1/board' })
    const policies = board.json().tiers.flatMap((t: { policies: unknown[] }) => t.policies)
    expect(policies[0]).toHaveProperty('resource')
  })
})
