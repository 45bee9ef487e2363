import type { Recommendation } from '@policyboard/api'
import type { EvidenceFlow, ExcludedFlow, ImpactGroupKey } from '@policyboard/policy-core'

/** `ns/workload`, or just the workload for peers outside namespaces (`pub`, a global set). */
export function peerText(k: ImpactGroupKey, source: boolean): string {
  const ns = source ? k.sourceNamespace : k.destinationNamespace
  const w = source ? k.sourceWorkload : k.destinationWorkload
  return ns && ns !== '-' ? `${ns}/${w}` : w
}

/** One evidence line: `a -> b tcp/80`. */
export function flowText(f: EvidenceFlow): string {
  const k = f.key
  return `${peerText(k, true)} → ${peerText(k, false)} ${k.protocol}${k.port !== null ? `/${k.port}` : ''}`
}

/** A rule of a recommended policy in one line, for the evidence table. */
export interface RuleRow {
  policy: string
  direction: 'ingress' | 'egress'
  ruleIndex: number
  scope: string
  peer: string
  ports: string
  protocol: string
  count: number
  flows: EvidenceFlow[]
}

/** The rules of a recommendation with their evidence, in policy order. */
export function ruleRows(r: Recommendation): RuleRow[] {
  return r.evidence.map((e) => {
    const policy = r.policies.find((p) => p.metadata.name === e.policy)
    const rule = (e.direction === 'egress' ? policy?.spec.egress : policy?.spec.ingress)?.[
      e.ruleIndex
    ]
    return {
      policy: e.policy,
      direction: e.direction,
      ruleIndex: e.ruleIndex,
      scope: e.scope,
      peer: e.peer,
      ports: (rule?.destination?.ports ?? []).join(', ') || 'any',
      protocol: String(rule?.protocol ?? 'any'),
      count: e.count,
      flows: e.flows,
    }
  })
}

/** Flows denied by the enforced policies, never made into rules (lateral movement). */
export function deniedFlows(r: Recommendation): ExcludedFlow[] {
  return r.excluded.filter((x) => x.reason === 'denied')
}
