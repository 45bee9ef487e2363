/**
 * The one place the demo's flow logs get their verdicts and policy hit strings: the
 * evaluator judges each distinct flow of the demo cluster once, in the enforced and in
 * Calico's pending view, and the records report what it decided.
 */
import {
  type CompiledModel,
  compilePolicySet,
  type DirectionTrace,
  evaluateFlow,
  type Flow,
  type HitNaming,
  hitStrings,
} from '@policyboard/policy-core'
import type { DemoCluster } from './cluster.ts'

/** What one reporter of a flow writes: its verdict and hit lists. */
export interface ReporterVerdict {
  /** The enforced verdict at this reporter. */
  action: 'allow' | 'deny'
  /** Hit strings of the enforced trace. */
  enforced: string[]
  /** Hit strings of Calico's pending view (staged policies as if enforced, beside their twins). */
  pending: string[]
  /** The verdict this reporter would reach in the pending view. */
  pendingAction: 'allow' | 'deny'
}

/** A flow's verdicts at its source (egress) and destination (ingress), where those are endpoints. */
export interface DemoVerdict {
  src?: ReporterVerdict
  dst?: ReporterVerdict
}

/** Judges demo flows; verdicts are cached per (source, destination, protocol, port). */
export type DemoJudge = (flow: Omit<Flow, 'id'>) => DemoVerdict

function reporter(
  enforced: DirectionTrace | undefined,
  pending: DirectionTrace | undefined,
  naming: HitNaming,
): ReporterVerdict | undefined {
  if (!enforced) return undefined
  const p = pending ?? enforced
  return {
    action: enforced.action === 'Allow' ? 'allow' : 'deny',
    enforced: hitStrings(enforced, naming),
    pending: hitStrings(p, naming),
    pendingAction: p.action === 'Allow' ? 'allow' : 'deny',
  }
}

/** A judge over the demo cluster's policies, writing hit strings in `naming`. */
export function createDemoJudge(cluster: DemoCluster, naming: HitNaming = 'legacy'): DemoJudge {
  const model: CompiledModel = compilePolicySet({
    resources: cluster.resources,
    namespaces: cluster.namespaces,
    serviceAccounts: cluster.serviceAccounts,
    endpoints: cluster.endpoints,
  })
  const cache = new Map<string, DemoVerdict>()
  const side = (s: Flow['source']) => ('endpoint' in s ? s.endpoint : `@${s.ip}`)
  return (flow) => {
    const key = `${side(flow.source)}|${side(flow.destination)}|${flow.protocol}|${flow.port}`
    const hit = cache.get(key)
    if (hit) return hit
    const r = evaluateFlow(model, { ...flow, id: key }, { pending: true })
    const src = reporter(r.enforced.egress, r.pending?.egress, naming)
    const dst = reporter(r.enforced.ingress, r.pending?.ingress, naming)
    const v: DemoVerdict = { ...(src ? { src } : {}), ...(dst ? { dst } : {}) }
    cache.set(key, v)
    return v
  }
}
