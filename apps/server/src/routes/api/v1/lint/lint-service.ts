import { createHash } from 'node:crypto'
import type {
  LintCounts,
  LintFindingItem,
  LintKind,
  LintPolicyRef,
  PolicyKind,
  PolicySummary,
} from '@policyboard/api'
import {
  bareName,
  type LabelRules,
  LintCodes,
  type LintFinding,
  lintLabels,
  lintPolicies,
  parseLabelRules,
  type Resource,
  resourceKind,
} from '@policyboard/policy-core'
import type { BoardService } from '../../../../services/board.ts'
import { isPolicyResourceKind, type Store, tierOf } from '../../../../store/index.ts'

/** The meta key under which the label rules' text is stored. */
export const LABEL_RULES_META_KEY = 'lint.labelRules'

const LABEL_CODES: ReadonlySet<string> = new Set([
  LintCodes.RESERVED_LABEL_KEY,
  LintCodes.MISSING_REQUIRED_LABEL,
  LintCodes.LABEL_VALUE_PREFIX,
])

/** What the server knows about the resource a finding names (by its `Kind ns/name` text). */
interface RefInfo {
  policy?: LintPolicyRef
  tier?: string
  namespace?: string
}

/** `Kind ns/name` (or `Kind name`) as policy-core's findings name resources. */
export function lintRefOf(r: Resource): string {
  const ns = r.metadata.namespace
  const kind = resourceKind(r)
  return ns ? `${kind} ${ns}/${r.metadata.name}` : `${kind} ${r.metadata.name}`
}

function refInfo(r: Resource): RefInfo {
  const kind = resourceKind(r)
  const ns = r.metadata.namespace
  if (kind === 'Tier') return { tier: r.metadata.name }
  if (!isPolicyResourceKind(kind)) return ns ? { namespace: ns } : {}
  const tier = tierOf(r) ?? 'default'
  return {
    policy: {
      kind: kind as PolicyKind,
      ...(ns ? { namespace: ns } : {}),
      name: bareName(r),
      tier,
    },
    tier,
    ...(ns ? { namespace: ns } : {}),
  }
}

/** Label findings name `Namespace x`, `Pod ns/name` or `HostEndpoint name`. */
function labelInfo(resource: string): RefInfo {
  const [kind, rest = ''] = resource.split(' ', 2)
  if (kind === 'Namespace') return { namespace: rest }
  const slash = rest.indexOf('/')
  return kind === 'Pod' && slash > 0 ? { namespace: rest.slice(0, slash) } : {}
}

/** Adds kind, policy, tier and namespace to policy-core's findings. */
export function decorate(
  findings: readonly LintFinding[],
  kind: LintKind,
  byRef: ReadonlyMap<string, RefInfo>,
): LintFindingItem[] {
  return findings.map((f) => {
    const info = kind === 'label' ? labelInfo(f.resource) : (byRef.get(f.resource) ?? {})
    return { ...f, kind, ...info }
  })
}

/** Counts by severity. */
export function countFindings(findings: readonly LintFindingItem[]): LintCounts {
  const counts = { error: 0, warning: 0, info: 0 }
  for (const f of findings) counts[f.severity] += 1
  return counts
}

/** Hit counts per policy keyed by `resourceKey` (`Kind/ns/name`), from the board's summaries. */
export function hitCountsOf(items: readonly PolicySummary[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const p of items) {
    const key = p.namespace ? `${p.kind}/${p.namespace}/${p.name}` : `${p.kind}/${p.name}`
    out[key] = (out[key] ?? 0) + p.hits.allowed + p.hits.denied + p.hits.passed
  }
  return out
}

/** Whether a finding is a label-governance finding. */
export function isLabelCode(code: string): boolean {
  return LABEL_CODES.has(code)
}

/** Every finding of the stored set at one revision, flow version, window and label rules. */
export interface LintResult {
  findings: LintFindingItem[]
  revision: number
  from: number
  to: number
}

/**
 * Lint over the store: policy checks with the inventory and the per-policy hit counters of a
 * window, and label governance with the stored rules. Results are cached by the board's
 * summaries key (store revision, flow-data version, window hours) and the rules' hash, so a
 * write on any replica invalidates every replica's cache.
 */
export class LintService {
  readonly #store: Store
  readonly #board: BoardService
  readonly #cache = new Map<string, Promise<LintResult>>()

  constructor(store: Store, board: BoardService) {
    this.#store = store
    this.#board = board
  }

  /** The stored label rules and their text (`{}` and `''` when none were saved). */
  async labelRules(): Promise<{ rules: LabelRules; text: string }> {
    const text = (await this.#store.getMeta(LABEL_RULES_META_KEY)) ?? ''
    const parsed = parseLabelRules(text)
    // Only validated text is ever stored; a failed parse would mean a hand-edited row.
    return { rules: parsed.ok ? parsed.value : {}, text }
  }

  /** Stores the rules' text (already validated by the caller). */
  async saveLabelRules(text: string): Promise<void> {
    await this.#store.setMeta(LABEL_RULES_META_KEY, text)
  }

  /** Every finding over the window ending at `now` (seconds). */
  async all(windowSeconds: number, now: number): Promise<LintResult> {
    const { items, revision, from, to, key } = await this.#board.summaries(windowSeconds, now)
    const { rules, text } = await this.labelRules()
    const cacheKey = `${key}|${createHash('sha256').update(text).digest('hex').slice(0, 16)}`
    let cached = this.#cache.get(cacheKey)
    if (!cached) {
      cached = this.#compute(items, rules).then((findings) => ({ findings, revision, from, to }))
      this.#cache.set(cacheKey, cached)
      if (this.#cache.size > 16) this.#cache.delete(this.#cache.keys().next().value as string)
      cached.catch(() => this.#cache.delete(cacheKey))
    }
    return cached
  }

  async #compute(items: PolicySummary[], rules: LabelRules): Promise<LintFindingItem[]> {
    const [snap, inventory] = await Promise.all([this.#board.snapshot(), this.#store.inventory()])
    const byRef = new Map(snap.resources.map((r) => [lintRefOf(r), refInfo(r)]))
    const policy = lintPolicies({
      resources: snap.resources,
      ...inventory,
      hitCounts: hitCountsOf(items),
    })
    return [
      ...decorate(policy, 'policy', byRef),
      ...decorate(lintLabels(inventory, rules), 'label', byRef),
    ]
  }

  /**
   * Findings about a draft policy: the stored set with the draft in place of the stored policy
   * of the same kind, namespace and bare name (or added), linted with the inventory and hits.
   */
  async draft(draft: Resource, windowSeconds: number, now: number): Promise<LintFindingItem[]> {
    const { items } = await this.#board.summaries(windowSeconds, now)
    const [snap, inventory] = await Promise.all([this.#board.snapshot(), this.#store.inventory()])
    const same = (r: Resource) =>
      resourceKind(r) === resourceKind(draft) &&
      (r.metadata.namespace ?? '') === (draft.metadata.namespace ?? '') &&
      bareName(r) === bareName(draft)
    const resources = [...snap.resources.filter((r) => !same(r)), draft]
    const ref = lintRefOf(draft)
    const findings = lintPolicies({ resources, ...inventory, hitCounts: hitCountsOf(items) })
    return decorate(
      findings.filter((f) => f.resource === ref),
      'policy',
      new Map([[ref, refInfo(draft)]]),
    )
  }
}
