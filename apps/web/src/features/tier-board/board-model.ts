/**
 * The board's derivations, free of React: evaluation ordering, filtering, the new orders a
 * drag produces, and keyboard focus movement. Ordering follows Calico (tiers: order
 * ascending, unset last, then name; policies: order ascending, unset last, then
 * `name/namespace/kind`).
 */
import type {
  BoardResponse as Board,
  PolicySummary as BoardPolicy,
  BoardTier,
  PolicyKind,
  PolicyRef,
  ReorderRequest,
} from '@policyboard/api'
import type { Resource, Rule } from '@policyboard/policy-core'

/** Built-in tiers whose order Calico pins; they are anchors when tiers are reordered. */
export const BUILT_IN_TIERS: ReadonlySet<string> = new Set([
  'default',
  'kube-admin',
  'kube-baseline',
  'adminnetworkpolicy',
  'baselineadminnetworkpolicy',
  'allow-tigera',
  'calico-system',
])

/** Built-in tiers that hold only cluster-managed policies: nothing may be dropped into them. */
const LOCKED_TIERS: ReadonlySet<string> = new Set([
  'kube-admin',
  'kube-baseline',
  'adminnetworkpolicy',
  'baselineadminnetworkpolicy',
  'allow-tigera',
  'calico-system',
])

/** Whether a tier is built in (its order is fixed and it cannot be deleted). */
export function isBuiltInTier(tier: Pick<BoardTier, 'name' | 'isBuiltin'>): boolean {
  return tier.isBuiltin || BUILT_IN_TIERS.has(tier.name)
}

/** Whether policies may be dropped into (or dragged out of) a tier. */
export function acceptsPolicies(tier: Pick<BoardTier, 'name'>): boolean {
  return !LOCKED_TIERS.has(tier.name)
}

/** Built-in tiers with a Pass default: shown collapsed unless the user opens them. */
export function isCollapsibleTier(tier: BoardTier): boolean {
  return isBuiltInTier(tier) && tier.name !== 'default'
}

/** Kubernetes policies: their tier (`default`) and order (1000) are not theirs to change. */
export function isKubernetesKind(kind: PolicyKind): boolean {
  return kind === 'KubernetesNetworkPolicy' || kind === 'StagedKubernetesNetworkPolicy'
}

/** Whether a kind is a staged kind. */
export function isStagedKind(kind: PolicyKind): boolean {
  return kind.startsWith('Staged')
}

/** Whether a card can be dragged. */
export function isMovable(policy: BoardPolicy): boolean {
  return !isKubernetesKind(policy.kind)
}

/** Stable string id of a policy: `kind/namespace/name` (namespace empty for global kinds). */
export function policyId(ref: PolicyRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`
}

/** The inverse of `policyId`. */
export function parsePolicyId(id: string): PolicyRef {
  const [kind = '', namespace = '', ...rest] = id.split('/')
  const ref: PolicyRef = { kind: kind as PolicyKind, name: rest.join('/') }
  if (namespace) ref.namespace = namespace
  return ref
}

function compareOrder(a: number | null | undefined, b: number | null | undefined): number {
  if (a === b || (a == null && b == null)) return 0
  if (a == null) return 1
  if (b == null) return -1
  return a - b
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Calico's tier order: `order` ascending (unset last), then name. */
export function compareTiers(a: BoardTier, b: BoardTier): number {
  return compareOrder(a.order, b.order) || byteCompare(a.name, b.name)
}

/** Calico's policy order inside a tier: `order` ascending (unset last), then `name/namespace/kind`. */
export function comparePolicies(a: BoardPolicy, b: BoardPolicy): number {
  return (
    compareOrder(a.order, b.order) ||
    byteCompare(
      `${a.name}/${a.namespace ?? ''}/${a.kind}`,
      `${b.name}/${b.namespace ?? ''}/${b.kind}`,
    )
  )
}

/** The board in evaluation order: tiers left to right, policies top to bottom. */
export function sortBoard(board: Board): Board {
  return {
    ...board,
    tiers: [...board.tiers]
      .sort(compareTiers)
      .map((t) => ({ ...t, policies: [...t.policies].sort(comparePolicies) })),
  }
}

/** Kind family shown in the filter. */
export type KindFilter = '' | 'global' | 'namespaced' | 'kubernetes'
/** Enforcement filter. */
export type StateFilter = '' | 'staged' | 'enforced'

/** Every board filter; all of them live in the URL. */
export interface BoardFilter {
  /** Free text: matches name, namespace, tier and selector, case-insensitively. */
  text: string
  /** Only policies of this namespace ('' = any; global policies never match a namespace). */
  namespace: string
  kind: KindFilter
  state: StateFilter
}

/** A filter that lets everything through. */
export const EMPTY_FILTER: BoardFilter = { text: '', namespace: '', kind: '', state: '' }

/** The kind family of a policy. */
export function kindFamily(kind: PolicyKind): Exclude<KindFilter, ''> {
  if (isKubernetesKind(kind)) return 'kubernetes'
  return kind === 'GlobalNetworkPolicy' || kind === 'StagedGlobalNetworkPolicy'
    ? 'global'
    : 'namespaced'
}

/** Whether a policy passes the filter (and, when given, the endpoint predicate). */
export function matchesFilter(
  p: BoardPolicy,
  f: BoardFilter,
  selectsEndpoint?: (p: BoardPolicy) => boolean,
): boolean {
  if (f.namespace && p.namespace !== f.namespace) return false
  if (f.kind && kindFamily(p.kind) !== f.kind) return false
  if (f.state === 'staged' && !isStagedKind(p.kind)) return false
  if (f.state === 'enforced' && isStagedKind(p.kind)) return false
  if (f.text) {
    const needle = f.text.toLowerCase()
    const hay =
      `${p.name} ${p.namespace ?? ''} ${p.tier} ${appliesTo(p.resource)} ${p.kind}`.toLowerCase()
    if (!hay.includes(needle)) return false
  }
  if (selectsEndpoint && !selectsEndpoint(p)) return false
  return true
}

/** Whether any filter is set. */
export function isFiltering(f: BoardFilter, endpoint = ''): boolean {
  return Boolean(f.text || f.namespace || f.kind || f.state || endpoint)
}

/**
 * The board with only matching policies; tiers stay (an empty column still says where a
 * policy would go). Assumes `board` is sorted.
 */
export function filterBoard(
  board: Board,
  f: BoardFilter,
  selectsEndpoint?: (p: BoardPolicy) => boolean,
): Board {
  if (!isFiltering(f) && !selectsEndpoint) return board
  return {
    ...board,
    tiers: board.tiers.map((t) => ({
      ...t,
      policies: t.policies.filter((p) => matchesFilter(p, f, selectsEndpoint)),
    })),
  }
}

/** Namespaces that appear on the board, sorted. */
export function boardNamespaces(board: Board): string[] {
  const set = new Set<string>()
  for (const t of board.tiers) for (const p of t.policies) if (p.namespace) set.add(p.namespace)
  return [...set].sort()
}

/** One slot of a list to be numbered: its current order and whether it may change. */
export interface OrderSlot {
  /** Current order; `null`/`undefined` sorts last. */
  order: number | null | undefined
  /** Pinned slots keep their order (built-in tiers, Kubernetes policies). */
  fixed?: boolean
  /** The slot the user just moved: it always gets a fresh order. */
  moved?: boolean
}

/** Gap between generated orders at the ends of a list. */
const STEP = 100

/** A round number strictly between lo and hi (the coarsest power-of-ten multiple that fits). */
export function between(lo: number, hi: number): number {
  const mid = (lo + hi) / 2
  let unit = 10 ** Math.ceil(Math.log10(hi - lo))
  for (let i = 0; i < 40; i++, unit /= 10) {
    const candidate = Number((Math.round(mid / unit) * unit).toPrecision(15))
    if (candidate > lo && candidate < hi) return candidate
  }
  return mid
}

/**
 * Orders for a list shown top to bottom so that sorting by order reproduces it. Fixed
 * slots keep theirs; other slots keep theirs when it still fits, so a drag changes as few
 * policies as possible; the rest get round numbers between their neighbours (steps of 100
 * at the ends). A trailing run of unordered slots stays unordered: they sort last anyway.
 * @returns one order per slot (`undefined` only in that trailing run)
 */
export function assignOrders(slots: readonly OrderSlot[]): Array<number | undefined> {
  const n = slots.length
  const keep: boolean[] = new Array(n).fill(false)
  let last = Number.NEGATIVE_INFINITY
  for (let i = 0; i < n; i++) {
    const s = slots[i] as OrderSlot
    if (s.fixed) {
      keep[i] = true
      if (s.order != null) last = s.order
      continue
    }
    if (s.moved || s.order == null || s.order <= last) continue
    // A slot must also sort before every later pinned slot.
    let nextFixed = Number.POSITIVE_INFINITY
    for (let j = i + 1; j < n; j++) {
      const f = slots[j] as OrderSlot
      if (f.fixed && f.order != null) {
        nextFixed = f.order
        break
      }
    }
    if (s.order >= nextFixed) continue
    keep[i] = true
    last = s.order
  }

  const out: Array<number | undefined> = slots.map((s, i) =>
    keep[i] ? (s.order ?? undefined) : undefined,
  )
  let i = 0
  while (i < n) {
    if (keep[i]) {
      i++
      continue
    }
    let j = i
    while (j < n && !keep[j]) j++
    const run = slots.slice(i, j)
    const lo = i > 0 ? out[i - 1] : undefined
    const hi = j < n ? out[j] : undefined
    const trailingUnordered = j === n && run.every((s) => s.order == null && !s.moved)
    if (!trailingUnordered) fillRun(out, i, run.length, lo, hi)
    i = j
  }
  return out
}

function fillRun(
  out: Array<number | undefined>,
  start: number,
  count: number,
  lo?: number,
  hi?: number,
): void {
  if (hi === undefined) {
    const base = lo ?? 0
    for (let k = 0; k < count; k++) out[start + k] = base + STEP * (k + 1)
    return
  }
  if (lo === undefined && hi <= 0) {
    for (let k = 0; k < count; k++) out[start + k] = hi - STEP * (count - k)
    return
  }
  const from = lo ?? 0
  const gap = (hi - from) / (count + 1)
  let cursor = from
  for (let k = 0; k < count; k++) {
    const target = from + gap * (k + 1)
    cursor = between(Math.max(cursor, target - gap / 2), target + gap / 2)
    out[start + k] = cursor
  }
}

/** The result of a drag: the board as it will look and the request that makes it so. */
export interface MovePlan {
  /** The board after the move, for the optimistic update. */
  board: Board
  /** Body of `POST /api/v1/policies/reorder`. */
  request: ReorderRequest
}

function refOf(p: BoardPolicy): PolicyRef {
  return p.namespace
    ? { kind: p.kind, namespace: p.namespace, name: p.name }
    : { kind: p.kind, name: p.name }
}

/**
 * Plans moving a policy to `toIndex` of tier `toTier` (an index into that tier's full list
 * without the moved policy). The optimistic board numbers the tier as the server will
 * (neighbours keep their orders when a value fits between them). Returns `null` when
 * nothing changes or the move is not allowed (Kubernetes policies, locked tiers).
 */
export function planPolicyMove(
  board: Board,
  ref: PolicyRef,
  toTier: string,
  toIndex: number,
): MovePlan | null {
  const id = policyId(ref)
  const fromTier = board.tiers.find((t) => t.policies.some((p) => policyId(p) === id))
  const target = board.tiers.find((t) => t.name === toTier)
  if (!fromTier || !target) return null
  const policy = fromTier.policies.find((p) => policyId(p) === id) as BoardPolicy
  if (!isMovable(policy) || !acceptsPolicies(target) || !acceptsPolicies(fromTier)) return null
  const fromIndex = fromTier.policies.indexOf(policy)
  if (fromTier.name === toTier && fromIndex === toIndex) return null

  const rest = target.policies.filter((p) => policyId(p) !== id)
  const index = Math.max(0, Math.min(toIndex, rest.length))
  const list = [...rest.slice(0, index), policy, ...rest.slice(index)]
  const orders = assignOrders(
    list.map((p) => ({ order: p.order, fixed: !isMovable(p), moved: p === policy })),
  )
  const updated = list.map((p, k): BoardPolicy => {
    const order = orders[k] ?? null
    if (p !== policy && order === p.order) return p
    return { ...p, tier: toTier, order }
  })
  const tiers = board.tiers.map((t) => {
    if (t.name === toTier) return { ...t, policies: updated }
    if (t.name === fromTier.name)
      return { ...t, policies: t.policies.filter((p) => policyId(p) !== id) }
    return t
  })
  const after = rest[index - 1]
  const before = rest[index]
  const request: ReorderRequest = {
    policy: refOf(policy),
    resourceVersion: policy.resourceVersion,
    tier: toTier,
    after: after ? refOf(after) : null,
    before: before ? refOf(before) : null,
  }
  return { board: { ...board, tiers }, request }
}

/** A tier whose order changes. */
export interface TierOrderChange {
  name: string
  order: number
}

/**
 * Plans moving a tier to position `toIndex` of the board. Built-in tiers are anchors and
 * cannot move; user tiers are numbered around them.
 */
export function planTierMove(
  board: Board,
  name: string,
  toIndex: number,
): { board: Board; changes: TierOrderChange[] } | null {
  const from = board.tiers.findIndex((t) => t.name === name)
  const tier = board.tiers[from]
  if (!tier || isBuiltInTier(tier) || from === toIndex) return null
  const rest = board.tiers.filter((t) => t.name !== name)
  const index = Math.max(0, Math.min(toIndex, rest.length))
  const list = [...rest.slice(0, index), tier, ...rest.slice(index)]
  const orders = assignOrders(
    list.map((t) => ({ order: t.order, fixed: isBuiltInTier(t), moved: t === tier })),
  )
  const changes: TierOrderChange[] = []
  const tiers = list.map((t, k) => {
    const order = orders[k]
    if (order === undefined || order === t.order) return t
    changes.push({ name: t.name, order })
    return { ...t, order }
  })
  return { board: { ...board, tiers }, changes }
}

/** Where keyboard focus sits: a column and a card index in it. */
export interface BoardFocus {
  tier: number
  card: number
}

/** Keys that move focus. */
export type FocusKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight' | 'j' | 'k' | 'h' | 'l'

/**
 * The next focus after a key, over column lengths `sizes` (empty columns are skipped
 * sideways). Up/down (k/j) move within a column; left/right (h/l) move to the nearest
 * non-empty column, keeping the row where possible.
 */
export function moveFocus(
  sizes: readonly number[],
  focus: BoardFocus | null,
  key: FocusKey,
): BoardFocus | null {
  const first = sizes.findIndex((s) => s > 0)
  if (first < 0) return null
  if (!focus || (sizes[focus.tier] ?? 0) === 0) return { tier: first, card: 0 }
  const size = sizes[focus.tier] as number
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return { tier: focus.tier, card: Math.min(size - 1, focus.card + 1) }
    case 'ArrowUp':
    case 'k':
      return { tier: focus.tier, card: Math.max(0, focus.card - 1) }
    case 'ArrowLeft':
    case 'h':
    case 'ArrowRight':
    case 'l': {
      const dir = key === 'ArrowLeft' || key === 'h' ? -1 : 1
      for (let t = focus.tier + dir; t >= 0 && t < sizes.length; t += dir) {
        const s = sizes[t] as number
        if (s > 0) return { tier: t, card: Math.min(s - 1, focus.card) }
      }
      return focus
    }
    default: {
      const never: never = key
      return never
    }
  }
}

/** Number of rules per action, ingress and egress together. */
export interface RuleCounts {
  Allow: number
  Deny: number
  Pass: number
  Log: number
}

/** Rules per action of a stored policy; every Kubernetes rule allows. */
export function ruleCounts(resource: Resource): RuleCounts {
  const counts: RuleCounts = { Allow: 0, Deny: 0, Pass: 0, Log: 0 }
  const spec = (resource as { spec?: { ingress?: unknown[]; egress?: unknown[] } }).spec
  const rules = [...(spec?.ingress ?? []), ...(spec?.egress ?? [])]
  for (const r of rules) {
    const action = (r as Partial<Rule>).action
    if (action && action in counts) counts[action] += 1
    else if (!action) counts.Allow += 1
  }
  return counts
}

/** What a policy applies to, in one line: its selector (plus namespace selector for globals). */
export function appliesTo(resource: Resource): string {
  const spec = (resource as unknown as { spec?: Record<string, unknown> }).spec ?? {}
  if ('podSelector' in spec) {
    const ps = spec.podSelector as {
      matchLabels?: Record<string, string>
      matchExpressions?: unknown[]
    }
    const labels = Object.entries(ps?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`)
    const exprs = ps?.matchExpressions?.length ?? 0
    if (!labels.length && !exprs) return 'all pods'
    return [labels.join(','), exprs ? `+${exprs} expr` : ''].filter(Boolean).join(' ')
  }
  const sel = typeof spec.selector === 'string' && spec.selector.trim() ? spec.selector : 'all()'
  const ns =
    typeof spec.namespaceSelector === 'string' && spec.namespaceSelector.trim()
      ? spec.namespaceSelector
      : ''
  return ns ? `${sel} · ns: ${ns}` : sel
}

/** One-line summary of a card: rule counts by action, e.g. `2 allow · 1 deny`. */
export function ruleSummary(counts: RuleCounts): string {
  const parts: string[] = []
  for (const a of ['Allow', 'Deny', 'Pass', 'Log'] as const) {
    const n = counts[a]
    if (n > 0) parts.push(`${n} ${a.toLowerCase()}`)
  }
  return parts.length ? parts.join(' · ') : 'no rules'
}

/** Compact count: 950, 1.2k, 34k, 1.5M. */
export function formatCount(n: number): string {
  if (n < 1000) return String(n)
  if (n < 10_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`
}
