/**
 * The life cycle of a learning recommendation, as Calico Enterprise's engine runs it
 * (`policy-recommendation`, `updateRules` / `updateStatus`): when regenerating changes a
 * policy's rules, its `lastUpdated` is stamped now and its status goes back to `Learning`;
 * while the rules stay the same the stamp is kept, and the status follows its age:
 * `Learning` up to two processing intervals, `Stabilizing` up to the stabilisation period,
 * `Stable` after it. A namespace without stored flows is `NoData`. (`Stale` is declared by
 * the engine but never set by it, so it is not produced here either.)
 */
import { stableStringify } from '../lint/covers.ts'
import type { Rule, StagedNetworkPolicy } from '../resources/types.ts'
import { RECOMMENDATION_ANNOTATIONS } from './types.ts'

/** The engine's processing interval (Calico Enterprise default: 2m30s). */
export const RECOMMENDATION_INTERVAL_MS = 150_000
/** The engine's stabilisation period (Calico Enterprise default: 10 minutes). */
export const RECOMMENDATION_STABILIZATION_MS = 600_000

/** A recommendation's status annotation (`policyrecommendation.tigera.io/status`). */
export type RecommendationStatus = 'NoData' | 'Learning' | 'Stabilizing' | 'Stable'

/** The engine's timing: how long rules must stay unchanged to stabilise. */
export interface RecommendationTiming {
  /** Processing interval, ms. */
  interval?: number
  /** Stabilisation period, ms. */
  stabilization?: number
}

/**
 * Status of a recommendation whose rules last changed `sinceChange` ms ago.
 * @example recommendationStatus(10 * 60_000 + 1) // 'Stable'
 */
export function recommendationStatus(
  sinceChange: number,
  timing: RecommendationTiming = {},
): Exclude<RecommendationStatus, 'NoData'> {
  const interval = timing.interval ?? RECOMMENDATION_INTERVAL_MS
  const stabilization = timing.stabilization ?? RECOMMENDATION_STABILIZATION_MS
  if (sinceChange <= 2 * interval) return 'Learning'
  if (sinceChange <= stabilization) return 'Stabilizing'
  return 'Stable'
}

const STAMP = RECOMMENDATION_ANNOTATIONS.lastUpdated

/** A rule without its `lastUpdated` stamp, as text: equal rules give equal keys. */
function ruleKey(rule: Rule): string {
  const annotations = { ...(rule.metadata?.annotations ?? {}) }
  delete annotations[STAMP]
  return stableStringify({ ...rule, metadata: { ...rule.metadata, annotations } })
}

function keys(rules: readonly Rule[] | undefined): string {
  return (rules ?? []).map(ruleKey).join('\n')
}

/**
 * The regenerated policy `fresh`, carried over from the stored learning policy `stored`:
 * rules that did not change keep their stamps, the policy keeps its stamp when no rule
 * changed, and the status is set from the stamp's age at `now`.
 */
export function settleRecommendation(
  fresh: StagedNetworkPolicy,
  stored: StagedNetworkPolicy | undefined,
  now: number,
  observed: boolean,
  timing: RecommendationTiming = {},
): StagedNetworkPolicy {
  const stamps = new Map<string, string>()
  for (const dir of ['ingress', 'egress'] as const) {
    for (const rule of stored?.spec[dir] ?? []) {
      const stamp = rule.metadata?.annotations?.[STAMP]
      if (stamp) stamps.set(`${dir}\n${ruleKey(rule)}`, stamp)
    }
  }
  const restamp = (dir: 'ingress' | 'egress', rules: Rule[] | undefined) =>
    rules?.map((rule) => {
      const stamp = stamps.get(`${dir}\n${ruleKey(rule)}`)
      if (!stamp || !rule.metadata?.annotations) return rule
      return {
        ...rule,
        metadata: {
          ...rule.metadata,
          annotations: { ...rule.metadata.annotations, [STAMP]: stamp },
        },
      }
    })
  const storedStamp = stored?.metadata.annotations?.[STAMP]
  const storedAt = storedStamp ? Date.parse(storedStamp) : Number.NaN
  const unchanged =
    stored !== undefined &&
    Number.isFinite(storedAt) &&
    keys(fresh.spec.ingress) === keys(stored.spec.ingress) &&
    keys(fresh.spec.egress) === keys(stored.spec.egress)
  const stamp = unchanged && storedStamp ? storedStamp : new Date(now).toISOString()
  const status: RecommendationStatus = observed
    ? recommendationStatus(unchanged ? now - storedAt : 0, timing)
    : 'NoData'
  const ingress = restamp('ingress', fresh.spec.ingress)
  const egress = restamp('egress', fresh.spec.egress)
  return {
    ...fresh,
    metadata: {
      ...fresh.metadata,
      annotations: {
        ...fresh.metadata.annotations,
        [RECOMMENDATION_ANNOTATIONS.status]: status,
        [STAMP]: stamp,
      },
    },
    spec: {
      ...fresh.spec,
      ...(ingress ? { ingress } : {}),
      ...(egress ? { egress } : {}),
    },
  }
}
