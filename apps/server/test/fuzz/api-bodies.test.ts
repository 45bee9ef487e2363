/**
 * Fuzzing every write route's body with generated bad input, against one app on SQLite in a
 * temporary directory: never a 5xx; every 4xx body has `code` and `message`, and a
 * validation error lists its problems, each with a code, a message and a path. Valid
 * bodies of the same routes succeed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, parseAllDocuments, stringify } from 'yaml'
import {
  FUZZ_SCALE,
  fuzzRuns,
  mutate,
  mutations,
  nastyValue,
  rawText,
  validResource,
} from '../../../../packages/policy-core/test/fuzz/arbitraries.ts'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { type TestDatabase, testDatabase } from '../backends.ts'

type ErrorItem = { code: unknown; message: string; path: unknown }

const TARGETS = fuzzRuns({
  apply: 2_000,
  create: 3_000,
  replace: 3_000,
  inventory: 2_500,
  flowlogs: 2_500,
  simulate: 2_500,
  reorder: 2_500,
  rollback: 2_000,
  valid: 600,
})
const ran: Record<keyof typeof TARGETS, number> = {
  apply: 0,
  create: 0,
  replace: 0,
  inventory: 0,
  flowlogs: 0,
  simulate: 0,
  reorder: 0,
  rollback: 0,
  valid: 0,
}
const TIMEOUT = 300_000 * FUZZ_SCALE

const PLURALS: Record<string, { plural: string; namespaced: boolean }> = {
  Tier: { plural: 'tiers', namespaced: false },
  NetworkPolicy: { plural: 'networkpolicies', namespaced: true },
  GlobalNetworkPolicy: { plural: 'globalnetworkpolicies', namespaced: false },
  StagedNetworkPolicy: { plural: 'stagednetworkpolicies', namespaced: true },
  StagedGlobalNetworkPolicy: { plural: 'stagedglobalnetworkpolicies', namespaced: false },
  StagedKubernetesNetworkPolicy: { plural: 'stagedkubernetesnetworkpolicies', namespaced: true },
  KubernetesNetworkPolicy: { plural: 'kubernetesnetworkpolicies', namespaced: true },
  NetworkSet: { plural: 'networksets', namespaced: true },
  GlobalNetworkSet: { plural: 'globalnetworksets', namespaced: false },
  HostEndpoint: { plural: 'hostendpoints', namespaced: false },
}

/** The URL kind of a resource object (K8s NetworkPolicy has its own collection). */
function kindOf(r: Record<string, unknown>): string {
  return r.apiVersion === 'networking.k8s.io/v1' ? 'KubernetesNetworkPolicy' : String(r.kind)
}

function collectionUrl(kind: string, namespace: string): string {
  const p = PLURALS[kind] ?? { plural: 'tiers', namespaced: false }
  return p.namespaced
    ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/${p.plural}`
    : `/api/v1/${p.plural}`
}

const scenarioDir = fileURLToPath(
  new URL('../../../../packages/policy-core/scenarios/', import.meta.url),
)
const scenarios: Array<Record<string, unknown>> = readdirSync(scenarioDir)
  .filter((n) => n.endsWith('.yaml') && statSync(join(scenarioDir, n)).isFile())
  .map((n) => parse(readFileSync(join(scenarioDir, n), 'utf8')) as Record<string, unknown>)
  .map((doc) =>
    typeof doc.resources === 'string'
      ? { ...doc, resources: parseAllDocuments(doc.resources).map((d) => d.toJS() as unknown) }
      : doc,
  )

const inventory = {
  namespaces: [{ name: 'shop', labels: { env: 'prod' } }],
  serviceAccounts: [{ name: 'web', namespace: 'shop', labels: {} }],
  endpoints: [
    {
      name: 'web-1',
      namespace: 'shop',
      labels: { app: 'web' },
      serviceAccount: 'web',
      ips: ['10.0.1.1'],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
  ],
}

const record = {
  start_time: 1_764_201_600,
  end_time: 1_764_201_900,
  host: 'node-1',
  action: 'allow',
  reporter: 'dst',
  source_type: 'wep',
  source_namespace: 'shop',
  source_name: '-',
  source_name_aggr: 'web-*',
  source_ip: null,
  source_port: null,
  source_labels: { labels: ['app=web'] },
  dest_type: 'wep',
  dest_namespace: 'shop',
  dest_name: '-',
  dest_name_aggr: 'api-*',
  dest_ip: null,
  dest_port: 9000,
  proto: 'tcp',
  policies: { enforced_policies: ['0|default|shop/default.api|allow|0'] },
  bytes_in: 1,
  bytes_out: 1,
  packets_in: 1,
  packets_out: 1,
  num_flows: 1,
  num_flows_started: 1,
  num_flows_completed: 0,
}

const reorder = {
  policy: { kind: 'GlobalNetworkPolicy', name: 'fuzz-a' },
  tier: 'default',
  after: null,
  before: { kind: 'GlobalNetworkPolicy', name: 'fuzz-b' },
}

const TOKEN = 'fuzz-admin-token-0123456789'
const auth = { authorization: `Bearer ${TOKEN}` }

let db: TestDatabase
let app: FastifyInstance

beforeAll(async () => {
  db = await testDatabase('sqlite')
  const config = loadConfig({
    POLICYBOARD_DEMO: 'false',
    DATA_DIR: db.dataDir,
    WEB_DIST: `${db.dataDir}/no-web`,
    LOG_LEVEL: 'silent',
    // Every request carries this token; the rate limit is lifted for the fuzzing volume.
    POLICYBOARD_ADMIN_TOKEN: TOKEN,
    API_RATE_LIMIT: '10000000',
  })
  app = await buildApp(config, { logger: false })
  for (const name of ['fuzz-a', 'fuzz-b']) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/globalnetworkpolicies',
      headers: auth,
      payload: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'GlobalNetworkPolicy',
        metadata: { name },
        spec: { order: name === 'fuzz-a' ? 10 : 20, selector: 'all()' },
      },
    })
    expect(res.statusCode, res.body).toBe(201)
  }
})

afterAll(async () => {
  await app?.close()
  await db?.cleanup()
})

/** A body as the client sends it: JSON of a value, or raw text with a content type. */
type Body = { json: unknown } | { text: string; type: string }

const anyBody: fc.Arbitrary<Body> = fc.oneof(
  nastyValue.map((json) => ({ json })),
  rawText.map((text) => ({ text, type: 'application/json' })),
  rawText.map((text) => ({ text, type: 'text/yaml' })),
  fc
    .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml')
    .map((type) => ({ text: 'a=b', type })),
)

/** Mutations of `base`, or anything at all. */
function badBodies(base: fc.Arbitrary<unknown>): fc.Arbitrary<Body> {
  return fc.oneof(
    { arbitrary: fc.tuple(base, mutations).map(([b, m]) => ({ json: mutate(b, m) })), weight: 6 },
    { arbitrary: anyBody, weight: 2 },
  )
}

async function send(
  method: 'POST' | 'PUT',
  url: string,
  body: Body,
): Promise<LightMyRequestResponse> {
  if ('json' in body) {
    const payload = JSON.stringify(body.json) ?? 'null'
    return app.inject({
      method,
      url,
      payload,
      headers: { ...auth, 'content-type': 'application/json' },
    })
  }
  return app.inject({
    method,
    url,
    payload: body.text,
    headers: { ...auth, 'content-type': body.type },
  })
}

/** Status codes seen per route, to show the inputs reached validation (and beyond). */
const seen = new Map<string, Map<number, number>>()

function tally(route: string, status: number): void {
  const m = seen.get(route) ?? new Map<number, number>()
  m.set(status, (m.get(status) ?? 0) + 1)
  seen.set(route, m)
}

/** Asserts the error contract of one response: no 5xx; a 4xx body says what and where. */
function checkResponse(res: LightMyRequestResponse, what: string, route = what, sent?: Body): void {
  tally(route, res.statusCode)
  expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(500)
  if (res.statusCode < 400) return
  const body = res.json() as {
    code?: unknown
    message?: unknown
    errors?: Array<{ code?: unknown; message?: unknown; path?: unknown }>
  }
  expect(typeof body.code === 'string' && body.code.length > 0, res.body).toBe(true)
  expect(typeof body.message === 'string' && body.message.length > 0, res.body).toBe(true)
  if (body.code !== 'VALIDATION') return
  expect(Array.isArray(body.errors) && body.errors.length > 0, res.body).toBe(true)
  for (const e of body.errors ?? []) {
    expect(typeof e.code === 'string' && e.code.length > 0, res.body).toBe(true)
    expect(typeof e.message === 'string' && e.message.length > 0, res.body).toBe(true)
    expect(typeof e.path, res.body).toBe('string')
  }
  // A body that is an object is wrong somewhere inside it: some error says where.
  const placed = (body.errors ?? []).some(
    (e) => (typeof e.path === 'string' && e.path !== '') || 'document' in e,
  )
  if (sent && isObjectBody(sent)) expect(placed, res.body).toBe(true)
}

/** Whether a JSON body sent an object (as opposed to text, a list or a scalar). */
function isObjectBody(sent: Body): boolean {
  const v = 'json' in sent ? JSON.parse(JSON.stringify(sent.json) ?? 'null') : undefined
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function property<T>(
  name: keyof typeof TARGETS,
  arb: fc.Arbitrary<T>,
  run: (value: T) => Promise<void>,
): Promise<void> {
  return fc.assert(
    fc.asyncProperty(arb, async (value) => {
      ran[name]++
      await run(value)
    }),
    { numRuns: TARGETS[name] },
  )
}

describe('API bodies (fuzz, SQLite)', () => {
  it(
    'apply: YAML text and JSON bodies',
    () =>
      property(
        'apply',
        fc.tuple(
          fc.oneof(
            fc
              .tuple(fc.array(validResource, { minLength: 1, maxLength: 2 }), mutations)
              .map(([docs, m]) => ({
                text: (mutate(docs, m) as unknown[]).map((d) => stringify(d)).join('---\n'),
                type: 'text/yaml',
              })),
            fc
              .tuple(validResource, mutations)
              .map(([doc, m]) => ({ json: { yaml: stringify(mutate(doc, m)) } })),
            badBodies(fc.constant({ yaml: '' })),
          ),
          fc.boolean(),
        ),
        async ([body, dryRun]) => {
          const res = await send('POST', `/api/v1/apply?dryRun=${dryRun}`, body)
          checkResponse(res, 'apply', 'apply', body)
        },
      ),
    TIMEOUT,
  )

  it(
    'resources: create (POST) of every kind',
    () =>
      property(
        'create',
        fc.tuple(validResource, badBodies(validResource)),
        async ([base, body]) => {
          const r = base as Record<string, unknown>
          const ns = (r.metadata as { namespace?: string }).namespace ?? 'fuzz'
          checkResponse(
            await send('POST', collectionUrl(kindOf(r), ns), body),
            kindOf(r),
            'create',
            body,
          )
        },
      ),
    TIMEOUT,
  )

  it(
    'resources: replace (PUT) of every kind',
    () =>
      property(
        'replace',
        fc.tuple(validResource, mutations, fc.oneof(fc.constant(''), fc.string({ maxLength: 8 }))),
        async ([base, m, suffix]) => {
          const r = base as Record<string, unknown>
          const meta = r.metadata as { name: string; namespace?: string }
          const url = `${collectionUrl(kindOf(r), meta.namespace ?? 'fuzz')}/${encodeURIComponent(meta.name + suffix)}`
          const sent = { json: mutate(r, m) }
          checkResponse(await send('PUT', url, sent), `PUT ${url}`, 'replace', sent)
        },
      ),
    TIMEOUT,
  )

  it(
    'inventory: PUT',
    () =>
      property('inventory', badBodies(fc.constant(inventory)), async (body) => {
        checkResponse(await send('PUT', '/api/v1/inventory', body), 'inventory', 'inventory', body)
      }),
    TIMEOUT,
  )

  it(
    'flow logs: ingest as a JSON array or JSON lines',
    () =>
      property(
        'flowlogs',
        fc.oneof(
          fc
            .array(fc.tuple(fc.constant(record), mutations), { minLength: 1, maxLength: 3 })
            .chain((pairs) => {
              const docs = pairs.map(([r, m]) => mutate(r, m))
              return fc.constantFrom<Body>(
                { json: docs },
                {
                  text: docs.map((d) => JSON.stringify(d) ?? 'null').join('\n'),
                  type: 'application/x-ndjson',
                },
              )
            }),
          anyBody,
        ),
        async (body) => {
          const res = await send('POST', '/api/v1/flowlogs', body)
          checkResponse(res, 'flowlogs')
          if (res.statusCode !== 200) return
          // Ingest is streamed: bad records are listed as rejected, each error at its field.
          const out = res.json() as { rejected: Array<{ line: number; errors: ErrorItem[] }> }
          for (const r of out.rejected) {
            tally('flowlogs-rejected', 400)
            expect(r.errors.length, res.body).toBeGreaterThan(0)
            for (const e of r.errors) {
              expect(typeof e.code === 'string' && e.message.length > 0, res.body).toBe(true)
              expect(typeof e.path, res.body).toBe('string')
            }
          }
        },
      ),
    TIMEOUT,
  )

  it(
    'simulate: mutated scenarios',
    () =>
      property('simulate', badBodies(fc.constantFrom(...scenarios)), async (body) => {
        checkResponse(await send('POST', '/api/v1/simulate', body), 'simulate', 'simulate', body)
      }),
    TIMEOUT,
  )

  it(
    'policies: reorder',
    () =>
      property('reorder', badBodies(fc.constant(reorder)), async (body) => {
        checkResponse(
          await send('POST', '/api/v1/policies/reorder', body),
          'reorder',
          'reorder',
          body,
        )
      }),
    TIMEOUT,
  )

  it(
    'revisions: rollback with any id and any body',
    () =>
      property(
        'rollback',
        fc.tuple(
          fc.oneof(
            fc.integer({ min: -5, max: 1_000_000 }).map(String),
            fc.constantFrom('0', '1e3', '9'.repeat(40), '-', '%00', '1.5', 'NaN', ''),
            fc.string({ maxLength: 8 }).map(encodeURIComponent),
          ),
          fc.option(anyBody, { nil: undefined }),
        ),
        async ([id, body]) => {
          const url = `/api/v1/revisions/${id}/rollback`
          const res = body
            ? await send('POST', url, body)
            : await app.inject({ method: 'POST', url, headers: auth })
          checkResponse(res, url, 'rollback')
        },
      ),
    TIMEOUT,
  )

  it(
    'valid bodies succeed',
    () =>
      property('valid', fc.tuple(validResource, fc.nat(2)), async ([doc, route]) => {
        const r = structuredClone(doc)
        const meta = r.metadata as { name: string; namespace?: string }
        // A fresh name each run, so a create never meets an earlier one.
        meta.name = `${meta.name}-v${ran.valid}`
        const kind = kindOf(r)
        let res: LightMyRequestResponse
        if (route === 0)
          res = await send('POST', collectionUrl(kind, meta.namespace ?? ''), { json: r })
        else if (route === 1)
          res = await send('PUT', `${collectionUrl(kind, meta.namespace ?? '')}/${meta.name}`, {
            json: r,
          })
        else res = await send('POST', '/api/v1/apply', { text: stringify(r), type: 'text/yaml' })
        expect(res.statusCode, `${kind} via ${route}: ${res.body}`).toBeLessThan(300)
      }),
    TIMEOUT,
  )

  it('reached validation on every route', () => {
    for (const route of [
      'apply',
      'create',
      'replace',
      'inventory',
      'flowlogs-rejected',
      'simulate',
      'reorder',
    ]) {
      const statuses = seen.get(route)
      expect(
        statuses?.get(400) ?? 0,
        `${route}: ${JSON.stringify([...(statuses ?? [])])}`,
      ).toBeGreaterThan(0)
    }
  })

  it('places an unknown empty key at a path (found by fuzzing)', async () => {
    const res = await send('POST', '/api/v1/policies/reorder', { json: { ...reorder, '': 0 } })
    expect(res.statusCode).toBe(400)
    expect((res.json() as { errors: ErrorItem[] }).errors).toContainEqual(
      expect.objectContaining({ code: 'UNKNOWN_FIELD', path: "['']" }),
    )
  })

  it('ran every generated input it was asked to', () => {
    // Last in the file: the properties above have all finished.
    for (const key of Object.keys(TARGETS) as Array<keyof typeof TARGETS>)
      expect(ran[key], key).toBeGreaterThanOrEqual(TARGETS[key])
  })
})
