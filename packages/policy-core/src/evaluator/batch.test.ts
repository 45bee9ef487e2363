import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { OWN_SCENARIOS, SHARED_SCENARIOS, yamlFiles } from '../../test/scenario-files.ts'
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
import { compilePolicySet, VIEW_INDEX } from './compile.ts'
import { appliedTiers, evaluateFlow, evaluateFlows, flowProtocol } from './evaluate.ts'
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

const sharedRoot = fileURLToPath(new URL('../../../../../', import.meta.url))
const scenarioFiles = [...yamlFiles(SHARED_SCENARIOS), ...yamlFiles(OWN_SCENARIOS)]

describe('judgeFlowBatch on the conformance scenarios', () => {
  it('finds the scenarios', () => {
    expect(scenarioFiles.length).toBeGreaterThan(0)
  })
  for (const file of scenarioFiles) {
    const parsed = readScenario(readFileSync(file, 'utf8'))
    if (!parsed.ok) continue
    it(`${relative(sharedRoot, file)}: the traced path's verdicts in every view, from objects and from columns`, () => {
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
        for (const r of [fromObjects, fromColumns]) {
          expect([r.enforced[i], r.staged[i], r.pending?.[i]], flow.id).toEqual(want)
          const t = r.tupleIndex[i] as number
          expect(explainTuple(model, r, t), flow.id).toEqual({
            enforced: one.enforced,
            staged: one.staged,
            pending: one.pending,
          })
        }
      })
    })
  }
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

describe('appliedTiers with match groups', () => {
  // A cluster where global and namespaced policies interleave in every tier, and endpoints of
  // one namespace share their global matches but differ in namespaced ones.
  let seed = 7
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return (seed >>> 8) % n
  }
  const apps = ['a', 'b', 'c']
  const resources: Resource[] = []
  for (let t = 0; t < 4; t++) {
    resources.push({
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: `t${t}` },
      spec: { order: t, defaultAction: t % 2 ? 'Pass' : 'Deny' },
    } as Resource)
  }
  for (let p = 0; p < 120; p++) {
    const tier = ['t0', 't1', 't2', 't3', 'default'][rnd(5)] as string
    const staged = p % 7 === 0
    const spec = {
      tier,
      order: rnd(4) === 0 ? undefined : rnd(20),
      selector: rnd(3) === 0 ? 'all()' : `app == '${apps[rnd(3)]}'`,
      types: [['Ingress'], ['Egress'], ['Ingress', 'Egress']][rnd(3)],
      ingress: [{ action: 'Allow' }],
      egress: [{ action: 'Deny' }],
      ...(staged ? { stagedAction: ['Set', 'Delete', 'Learn'][rnd(3)] } : {}),
    }
    const global = rnd(2) === 0
    resources.push({
      apiVersion: 'projectcalico.org/v3',
      kind: `${staged ? 'Staged' : ''}${global ? 'Global' : ''}NetworkPolicy`,
      metadata: { name: `${tier}.p${p % 40}`, ...(global ? {} : { namespace: `n${rnd(3)}` }) },
      spec: global ? { ...spec, namespaceSelector: rnd(2) ? "env == 'prod'" : '' } : spec,
    } as unknown as Resource)
  }
  const eps: Endpoint[] = []
  for (let i = 0; i < 60; i++) {
    eps.push({
      name: `e${i}`,
      namespace: `n${i % 3}`,
      labels: { app: apps[rnd(3)] as string, k: `v${rnd(4)}` },
      ips: [`10.1.0.${i + 1}`],
    })
  }
  const namespaces = [0, 1, 2].map((i) => ({ name: `n${i}`, labels: { env: i ? 'prod' : 'dev' } }))
  const model = compilePolicySet({ resources, namespaces, endpoints: eps })

  it('gives every identity the tiers a direct computation gives', () => {
    let nonEmpty = 0
    for (let id = 0; id < model.identities.length; id++) {
      const identity = model.identities[id] as (typeof model.identities)[number]
      for (const view of ['enforced', 'staged', 'pending'] as const) {
        for (const egress of [false, true]) {
          const rank = model.ranks[VIEW_INDEX[view]]
          const want: { tier: string; policies: number[] }[] = []
          const direct = model.policies
            .filter(
              (p) =>
                (rank[p.id] as number) >= 0 &&
                (egress ? p.egress : p.ingress) !== undefined &&
                (p.namespace === undefined || p.namespace === identity.namespace) &&
                p.appliesTo(identity.labels),
            )
            .sort((a, b) => (rank[a.id] as number) - (rank[b.id] as number))
          for (const p of direct) {
            const last = want[want.length - 1]
            if (last?.tier === p.ref.tier) last.policies.push(p.id)
            else want.push({ tier: p.ref.tier, policies: [p.id] })
          }
          const got = appliedTiers(model, id, view, egress)
          expect(
            got.map((vt) => ({ tier: vt.tier.name, policies: vt.policies.map((p) => p.id) })),
          ).toEqual(want)
          for (const vt of got) expect(vt.refs).toEqual(vt.policies.map((p) => p.ref))
          if (want.length) nonEmpty++
        }
      }
    }
    expect(nonEmpty).toBeGreaterThan(100)
    // Endpoints share match groups, and groups with namespaced matches extend a global one.
    expect(model.matchGroups.size).toBeGreaterThan(0)
    expect(model.globalMatches.size).toBeLessThan(model.identities.length)
  })
})
