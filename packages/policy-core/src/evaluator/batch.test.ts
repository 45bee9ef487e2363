import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { PolicyError } from '../errors.ts'
import type { Endpoint, Resource } from '../resources/types.ts'
import { readScenario } from '../scenario/read.ts'
import {
  explainTuple,
  internSides,
  judgeFlowBatch,
  tupleFlow,
  VERDICT_ALLOW,
  VERDICT_DENY,
} from './batch.ts'
import { compilePolicySet } from './compile.ts'
import { evaluateFlow, evaluateFlows, flowProtocol } from './evaluate.ts'
import type { Flow, FlowSide } from './types.ts'

const code = (action: 'Allow' | 'Deny' | undefined) =>
  action === 'Allow' ? VERDICT_ALLOW : VERDICT_DENY

/** The flows of a list as batch columns, with sides interned by their JSON. */
function toColumns(flows: readonly Flow[]) {
  const sides: FlowSide[] = []
  const ids = new Map<string, number>()
  const id = (s: FlowSide) => {
    const k = JSON.stringify(s)
    let i = ids.get(k)
    if (i === undefined) {
      i = sides.length
      sides.push(s)
      ids.set(k, i)
    }
    return i
  }
  const n = flows.length
  const cols = {
    sides,
    src: new Int32Array(n),
    dst: new Int32Array(n),
    proto: new Uint8Array(n),
    port: new Int32Array(n),
    icmpType: new Int16Array(n),
    icmpCode: new Int16Array(n),
  }
  flows.forEach((f, i) => {
    cols.src[i] = id(f.source)
    cols.dst[i] = id(f.destination)
    cols.proto[i] = flowProtocol(f.protocol) ?? 0
    cols.port[i] = f.port ?? -1
    cols.icmpType[i] = f.icmpType ?? -1
    cols.icmpCode[i] = f.icmpCode ?? -1
  })
  return cols
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path))
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) out.push(path)
  }
  return out
}

const scenarioFiles = [
  ...yamlFiles(fileURLToPath(new URL('../../../../../shared/conformance/', import.meta.url))),
  ...yamlFiles(fileURLToPath(new URL('../../scenarios/', import.meta.url))),
]

describe('judgeFlowBatch on the conformance scenarios', () => {
  it('finds the scenarios', () => {
    expect(scenarioFiles.length).toBeGreaterThan(0)
  })
  it('gives the verdicts of the traced path in every view, from objects and from columns', () => {
    let checked = 0
    for (const file of scenarioFiles) {
      const parsed = readScenario(readFileSync(file, 'utf8'))
      if (!parsed.ok) continue
      const s = parsed.value
      const model = compilePolicySet({
        resources: s.resources,
        namespaces: s.namespaces,
        serviceAccounts: s.serviceAccounts,
        endpoints: s.endpoints,
      })
      const flows: Flow[] = s.flows.map(({ expect: _e, expectStaged: _s, ...f }) => f)
      const fromObjects = judgeFlowBatch(model, flows, { pending: true })
      const fromColumns = judgeFlowBatch(model, toColumns(flows), { pending: true })
      flows.forEach((flow, i) => {
        const one = evaluateFlow(model, flow, { pending: true })
        const want = [code(one.enforced.action), code(one.staged.action), code(one.pending?.action)]
        const where = `${file} ${flow.id}`
        for (const r of [fromObjects, fromColumns]) {
          expect([r.enforced[i], r.staged[i], r.pending?.[i]], where).toEqual(want)
          const t = r.tupleIndex[i] as number
          expect(explainTuple(model, r, t), where).toEqual({
            enforced: one.enforced,
            staged: one.staged,
            pending: one.pending,
          })
        }
        checked++
      })
    }
    expect(checked).toBeGreaterThan(1000)
  })
})

describe('judgeFlowBatch', () => {
  const endpoints: Endpoint[] = [
    { name: 'a', namespace: 'x', labels: { app: 'a' }, ips: ['10.0.0.1'] },
    { name: 'b', namespace: 'x', labels: { app: 'b' }, ips: ['10.0.0.2'] },
  ]
  const resources = [
    {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'b-web' },
      spec: {
        selector: "app == 'b'",
        ingress: [
          { action: 'Allow', protocol: 'TCP', destination: { ports: [80] } },
          { action: 'Allow', protocol: 'ICMP', icmp: { type: 0 } },
        ],
      },
    },
  ] as unknown as Resource[]
  const model = compilePolicySet({ resources, endpoints })
  const sides = internSides(model, ['x/a', 'x/b', { ip: '192.0.2.1' }, { ip: '10.0.0.2' }])

  it('judges each distinct tuple once and codes every flow', () => {
    const r = judgeFlowBatch(model, {
      sides,
      src: Int32Array.of(0, 0, 0, 2, 0, 0, 0),
      dst: Int32Array.of(1, 1, 1, 1, 3, 1, 1),
      proto: Uint8Array.of(6, 6, 6, 6, 6, 1, 1),
      port: Int32Array.of(80, 443, 80, 80, 80, 80, 443),
      icmpType: Int16Array.of(-1, -1, -1, -1, -1, 0, 0),
    })
    expect([...r.enforced]).toEqual([1, 2, 1, 1, 1, 1, 1])
    expect([...r.staged]).toEqual([...r.enforced])
    // ICMP flows ignore their port: the last two flows are one tuple.
    expect([...r.tupleIndex]).toEqual([0, 1, 0, 2, 3, 4, 4])
    expect(r.tuples.count).toBe(5)
    expect(r.pending).toBeUndefined()
    expect(tupleFlow(r, 4)).toEqual({
      source: { endpoint: 'x/a' },
      destination: { endpoint: 'x/b' },
      protocol: 1,
      icmpType: 0,
      icmpCode: 0,
    })
    expect(tupleFlow(r, 2)).toEqual({
      source: { ip: '192.0.2.1' },
      destination: { endpoint: 'x/b' },
      protocol: 6,
      port: 80,
    })
  })

  it('builds traces on request and keeps them', () => {
    const r = judgeFlowBatch(model, {
      sides,
      src: Int32Array.of(0),
      dst: Int32Array.of(1),
      proto: Uint8Array.of(6),
      port: Uint16Array.of(443),
    })
    expect(r.tuples.explained[0]).toBeUndefined()
    const v = explainTuple(model, r, 0)
    expect(v.enforced.action).toBe('Deny')
    expect(v.enforced.ingress?.decidedBy).toMatchObject({ by: 'endOfTier', tier: 'default' })
    expect(explainTuple(model, r, 0)).toBe(v)
    expect(() => explainTuple(model, r, 1)).toThrow(PolicyError)
  })

  it('matches evaluateFlows with traces, sharing verdicts per tuple', () => {
    const flows: Flow[] = [
      {
        id: '1',
        source: { endpoint: 'x/a' },
        destination: { endpoint: 'x/b' },
        protocol: 'TCP',
        port: 80,
      },
      {
        id: '2',
        source: { endpoint: 'x/a' },
        destination: { endpoint: 'x/b' },
        protocol: 6,
        port: 80,
      },
      {
        id: '3',
        source: { endpoint: 'x/a' },
        destination: { endpoint: 'x/b' },
        protocol: 'TCP',
        port: 70000,
      },
      {
        id: '4',
        source: { endpoint: 'x/a' },
        destination: { endpoint: 'x/b' },
        protocol: 'ICMP',
        icmpType: 300,
      },
    ]
    const r = judgeFlowBatch(model, flows, { traces: true })
    expect(r.tuples.count).toBe(3)
    expect(r.tuples.explained[0]?.enforced.action).toBe('Allow')
    expect([...r.enforced]).toEqual([VERDICT_ALLOW, VERDICT_ALLOW, VERDICT_DENY, VERDICT_DENY])
    expect(tupleFlow(r, 1).port).toBe(70000)
    expect(tupleFlow(r, 2)).toMatchObject({ protocol: 1, icmpType: 300, icmpCode: 0 })
    const out = evaluateFlows(model, flows)
    expect(out.map((f) => f.id)).toEqual(['1', '2', '3', '4'])
    expect(out[0]?.enforced).toBe(out[1]?.enforced)
    expect(out[2]?.enforced.action).toBe('Deny')
  })

  it('throws located errors for bad columns and sides', () => {
    const bad = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        return e instanceof PolicyError ? `${e.code} ${e.path}` : String(e)
      }
      return 'no error'
    }
    const one = { src: Int32Array.of(0), dst: Int32Array.of(1), proto: Uint8Array.of(6) }
    expect(bad(() => judgeFlowBatch(model, { ...one, sides, dst: Int32Array.of(9) }))).toBe(
      'SCENARIO dst[0]',
    )
    expect(bad(() => judgeFlowBatch(model, { ...one, sides, proto: Uint8Array.of(0) }))).toBe(
      'SCENARIO proto[0]',
    )
    expect(bad(() => judgeFlowBatch(model, { ...one, sides, port: Int32Array.of(1, 2) }))).toBe(
      'SCENARIO port',
    )
    expect(bad(() => judgeFlowBatch(model, { ...one, sides: ['x/a', 'x/zz'] }))).toBe(
      'SCENARIO sides[1].endpoint',
    )
    const other = compilePolicySet({ resources, endpoints })
    expect(bad(() => judgeFlowBatch(other, { ...one, sides }))).toBe('SCENARIO sides')
    const flows: Flow[] = [
      { id: '1', source: { endpoint: 'x/a' }, destination: { ip: '10.0.0.300' }, protocol: 'TCP' },
    ]
    expect(bad(() => judgeFlowBatch(model, flows))).toBe('SCENARIO destination.ip')
    expect(
      bad(() =>
        evaluateFlows(model, [
          { ...(flows[0] as Flow), destination: { endpoint: 'x/b' }, protocol: 'XTP' },
        ]),
      ),
    ).toBe('SCENARIO protocol')
  })
})
