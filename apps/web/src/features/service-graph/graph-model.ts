/**
 * The service graph's own model, independent of React Flow: observed flows (aggregated tuples
 * with their enforced and staged verdicts) become nodes (workloads aggregated by name as flow
 * logs' `name_aggr` does, host endpoints, network sets, outside addresses `pub`/`pvt`, and
 * collapsed namespaces) and edges (one per ordered pair of nodes, with volume and a verdict
 * class). Every function here is pure; the view converts the result to React Flow's
 * `Node`/`Edge` at the last moment.
 */
import type { FlowPeer, VerdictTuple } from '@policyboard/api'
import { nameAggr } from '@policyboard/policy-core'

/** Which policy set colours the edges: enforced only, or the cluster with staged policies enforced. */
export type GraphViewName = 'enforced' | 'staged'

/**
 * The colour class of a flow:
 * - `allowed` / `denied`: the verdict of the chosen view;
 * - `would-deny`: allowed now, denied if the staged policies were enforced (staged view only);
 * - `would-allow`: denied now, newly allowed under the staged policies (staged view only);
 * - `unknown`: the flow's endpoints could not be resolved to the inventory.
 */
export type EdgeVerdict = 'allowed' | 'denied' | 'would-deny' | 'would-allow' | 'unknown'

/** Every verdict class, most important first (the order an edge's class is chosen by). */
export const EDGE_VERDICTS: readonly EdgeVerdict[] = [
  'would-deny',
  'would-allow',
  'denied',
  'unknown',
  'allowed',
]

/** The kind of a graph node. */
export type GraphNodeKind = 'workload' | 'host' | 'networkset' | 'external' | 'namespace'

/** One node of the graph. */
export interface GraphNode {
  /** Stable id, e.g. `wep/shop/frontend-7d4b9-*`, `net/pub`, `namespace/shop`. */
  id: string
  kind: GraphNodeKind
  /** Display name: the aggregated name, set name, `pub`/`pvt`, or the namespace. */
  label: string
  /** The namespace the node belongs to; absent for global sets, host endpoints and outside addresses. */
  namespace?: string
  /** For a collapsed namespace: how many nodes it stands for. */
  members?: number
  /** For a collapsed namespace: flows between its own members (hidden as self-loops). */
  internalFlows?: number
}

/** One stored tuple as part of an edge, with its class in the chosen view. */
export interface EdgeFlow {
  source: FlowPeer
  destination: FlowPeer
  /** Lowercase protocol (`tcp`, `udp`, …). */
  proto: string
  /** Destination port; null for port-less protocols. */
  port: number | null
  /** Flows of the tuple in the window. */
  count: number
  enforced: VerdictTuple['enforced']
  staged: VerdictTuple['staged']
  verdict: EdgeVerdict
}

/** One edge: every observed flow from `source` to `target`. */
export interface GraphEdge {
  /** `${source}->${target}`. */
  id: string
  source: string
  target: string
  /** Total flows (sum of the tuples' counts): the edge's volume. */
  count: number
  /** The most important class among its flows (order of `EDGE_VERDICTS`). */
  verdict: EdgeVerdict
  /** Flows per class. */
  byVerdict: Partial<Record<EdgeVerdict, number>>
  /** `proto/port` texts, sorted by port. */
  ports: string[]
  /** The tuples behind the edge. */
  flows: EdgeFlow[]
}

/** The graph: nodes, edges, and the namespaces drawn as groups around their nodes. */
export interface GraphModel {
  nodes: GraphNode[]
  edges: GraphEdge[]
  /** Expanded namespaces that have member nodes, sorted: drawn as groups. */
  groups: string[]
}

/** Above this many nodes the graph opens with every namespace collapsed. */
export const COLLAPSE_THRESHOLD = 60

/** Flow logs write `-` for "no namespace". */
function namespaceOf(peer: FlowPeer): string | undefined {
  return peer.namespace && peer.namespace !== '-' ? peer.namespace : undefined
}

/** The node id of a collapsed namespace. */
export function namespaceNodeId(namespace: string): string {
  return `namespace/${namespace}`
}

/**
 * The node a flow peer is drawn as. Workloads are aggregated by name as flow logs do
 * (`nginx-86c57db685-x7k2p` → `nginx-86c57db685-*`), so pods of one controller share a node.
 */
export function peerNode(peer: FlowPeer): GraphNode {
  const namespace = namespaceOf(peer)
  switch (peer.type) {
    case 'wep': {
      const label = nameAggr(peer.name)
      return { id: `wep/${namespace ?? '-'}/${label}`, kind: 'workload', label, namespace }
    }
    case 'hep':
      return { id: `hep/${peer.name}`, kind: 'host', label: peer.name }
    case 'ns':
      return namespace === undefined
        ? { id: `ns/-/${peer.name}`, kind: 'networkset', label: peer.name }
        : { id: `ns/${namespace}/${peer.name}`, kind: 'networkset', label: peer.name, namespace }
    default:
      // `net`: an address outside every set, named `pub` or `pvt` by the flow log.
      return { id: `net/${peer.name}`, kind: 'external', label: peer.name }
  }
}

/**
 * The colour class of a tuple in a view. The enforced view shows the enforced verdict; the
 * staged view shows the staged verdict and marks the flows whose verdict the staged policies
 * change.
 */
export function classifyVerdict(
  enforced: VerdictTuple['enforced'],
  staged: VerdictTuple['staged'],
  view: GraphViewName,
): EdgeVerdict {
  const now = view === 'enforced' ? enforced : staged
  if (view === 'staged') {
    if (enforced === 'Allow' && staged === 'Deny') return 'would-deny'
    if (enforced === 'Deny' && staged === 'Allow') return 'would-allow'
  }
  if (now === 'Allow') return 'allowed'
  if (now === 'Deny') return 'denied'
  return 'unknown'
}

/** The more important of two classes (earlier in `EDGE_VERDICTS`). */
function moreImportant(a: EdgeVerdict, b: EdgeVerdict): EdgeVerdict {
  return EDGE_VERDICTS.indexOf(a) <= EDGE_VERDICTS.indexOf(b) ? a : b
}

function portText(f: { proto: string; port: number | null }): string {
  return f.port === null ? f.proto : `${f.proto}/${f.port}`
}

function edgeFrom(source: string, target: string, flows: EdgeFlow[]): GraphEdge {
  let count = 0
  let verdict: EdgeVerdict = 'allowed'
  const byVerdict: Partial<Record<EdgeVerdict, number>> = {}
  const ports = new Map<string, number>()
  for (const f of flows) {
    count += f.count
    verdict = moreImportant(verdict, f.verdict)
    byVerdict[f.verdict] = (byVerdict[f.verdict] ?? 0) + f.count
    ports.set(portText(f), f.port ?? -1)
  }
  const sortedPorts = [...ports].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
  return {
    id: `${source}->${target}`,
    source,
    target,
    count,
    verdict,
    byVerdict,
    ports: sortedPorts.map(([t]) => t),
    flows,
  }
}

/**
 * Builds the full graph (every namespace expanded) from verdict tuples: one node per
 * aggregated peer, one edge per ordered pair of nodes.
 *
 * @param tuples the verdicts API's items
 * @param view which verdict colours the edges
 */
export function buildGraph(tuples: readonly VerdictTuple[], view: GraphViewName): GraphModel {
  const nodes = new Map<string, GraphNode>()
  const byPair = new Map<string, { source: string; target: string; flows: EdgeFlow[] }>()
  for (const t of tuples) {
    const src = peerNode(t.source)
    const dst = peerNode(t.destination)
    if (!nodes.has(src.id)) nodes.set(src.id, src)
    if (!nodes.has(dst.id)) nodes.set(dst.id, dst)
    const key = `${src.id}->${dst.id}`
    let pair = byPair.get(key)
    if (!pair) {
      pair = { source: src.id, target: dst.id, flows: [] }
      byPair.set(key, pair)
    }
    pair.flows.push({
      source: t.source,
      destination: t.destination,
      proto: t.proto,
      port: t.port,
      count: t.count,
      enforced: t.enforced,
      staged: t.staged,
      verdict: classifyVerdict(t.enforced, t.staged, view),
    })
  }
  const sortedNodes = [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id))
  const edges = [...byPair.values()]
    .map((p) => edgeFrom(p.source, p.target, p.flows))
    .sort((a, b) => a.id.localeCompare(b.id))
  return { nodes: sortedNodes, edges, groups: groupsOf(sortedNodes) }
}

function groupsOf(nodes: readonly GraphNode[]): string[] {
  const groups = new Set<string>()
  for (const n of nodes) if (n.kind !== 'namespace' && n.namespace) groups.add(n.namespace)
  return [...groups].sort()
}

/** Every namespace that has nodes in the graph, sorted. */
export function namespacesOf(graph: GraphModel): string[] {
  const out = new Set<string>()
  for (const n of graph.nodes) if (n.namespace) out.add(n.namespace)
  return [...out].sort()
}

/**
 * Collapses every namespace not in `expanded` into one node. Edges are re-aggregated between
 * the surviving nodes; flows inside a collapsed namespace become its `internalFlows`.
 *
 * @param expanded namespaces to keep open; `'all'` keeps every namespace open
 */
export function collapseNamespaces(
  graph: GraphModel,
  expanded: ReadonlySet<string> | 'all',
): GraphModel {
  if (expanded === 'all') return graph
  const mapTo = new Map<string, string>()
  const nodes = new Map<string, GraphNode>()
  for (const n of graph.nodes) {
    if (n.namespace === undefined || expanded.has(n.namespace) || n.kind === 'namespace') {
      mapTo.set(n.id, n.id)
      nodes.set(n.id, n)
      continue
    }
    const id = namespaceNodeId(n.namespace)
    mapTo.set(n.id, id)
    const group = nodes.get(id)
    if (group) group.members = (group.members ?? 0) + 1
    else {
      nodes.set(id, {
        id,
        kind: 'namespace',
        label: n.namespace,
        namespace: n.namespace,
        members: 1,
        internalFlows: 0,
      })
    }
  }
  const byPair = new Map<string, { source: string; target: string; flows: EdgeFlow[] }>()
  for (const e of graph.edges) {
    const source = mapTo.get(e.source) ?? e.source
    const target = mapTo.get(e.target) ?? e.target
    if (source === target && source !== e.source) {
      const group = nodes.get(source) as GraphNode
      group.internalFlows = (group.internalFlows ?? 0) + e.count
      continue
    }
    const key = `${source}->${target}`
    let pair = byPair.get(key)
    if (!pair) {
      pair = { source, target, flows: [] }
      byPair.set(key, pair)
    }
    pair.flows.push(...e.flows)
  }
  const sortedNodes = [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id))
  const edges = [...byPair.values()]
    .map((p) => edgeFrom(p.source, p.target, p.flows))
    .sort((a, b) => a.id.localeCompare(b.id))
  return { nodes: sortedNodes, edges, groups: groupsOf(sortedNodes) }
}

/**
 * The node that stands for `id` in `graph`: itself, or its collapsed namespace.
 * Undefined when neither is in the graph.
 */
export function resolveNodeId(graph: GraphModel, id: string): string | undefined {
  if (graph.nodes.some((n) => n.id === id)) return id
  const parts = id.split('/')
  if ((parts[0] === 'wep' || parts[0] === 'ns') && parts[1] && parts[1] !== '-') {
    const ns = namespaceNodeId(parts[1])
    if (graph.nodes.some((n) => n.id === ns)) return ns
  }
  return undefined
}

/**
 * Keeps only `focus` (or the collapsed namespace standing for it), its direct peers in either
 * direction, and the edges that touch it. An unknown focus leaves the graph unchanged.
 */
export function hideUnrelated(graph: GraphModel, focus: string): GraphModel {
  const id = resolveNodeId(graph, focus)
  if (id === undefined) return graph
  const keep = new Set<string>([id])
  const edges = graph.edges.filter((e) => e.source === id || e.target === id)
  for (const e of edges) {
    keep.add(e.source)
    keep.add(e.target)
  }
  const nodes = graph.nodes.filter((n) => keep.has(n.id))
  return { nodes, edges, groups: groupsOf(nodes) }
}

/** Which tuples to draw. Empty lists mean "no restriction". */
export interface GraphFilters {
  /** Flows with a source or destination in one of these namespaces. */
  namespaces: readonly string[]
  /** Flows of these classes (in the chosen view). */
  verdicts: readonly EdgeVerdict[]
  /** Flows to these destination ports. */
  ports: readonly number[]
}

/** Keeps the tuples that pass every filter. */
export function filterTuples(
  tuples: readonly VerdictTuple[],
  filters: GraphFilters,
  view: GraphViewName,
): VerdictTuple[] {
  const ns = new Set(filters.namespaces)
  const verdicts = new Set(filters.verdicts)
  const ports = new Set(filters.ports)
  return tuples.filter((t) => {
    if (ns.size > 0) {
      const s = namespaceOf(t.source)
      const d = namespaceOf(t.destination)
      if (!(s !== undefined && ns.has(s)) && !(d !== undefined && ns.has(d))) return false
    }
    if (ports.size > 0 && (t.port === null || !ports.has(t.port))) return false
    if (verdicts.size > 0 && !verdicts.has(classifyVerdict(t.enforced, t.staged, view))) {
      return false
    }
    return true
  })
}

/** Every destination port seen in the tuples, ascending. */
export function portsOf(tuples: readonly VerdictTuple[]): number[] {
  const out = new Set<number>()
  for (const t of tuples) if (t.port !== null) out.add(t.port)
  return [...out].sort((a, b) => a - b)
}

/**
 * A hash of the graph's shape (node ids and kinds, groups and edge endpoints; not verdicts or
 * volumes), so a layout can be reused while only colours change. 32-bit FNV-1a, hex.
 */
export function graphHash(graph: GraphModel): string {
  let h = 0x811c9dc5
  const feed = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i)
      h = Math.imul(h, 0x01000193)
    }
    h ^= 0x1f
    h = Math.imul(h, 0x01000193)
  }
  for (const n of graph.nodes) feed(`${n.id}|${n.kind}|${n.members ?? ''}`)
  feed('#groups')
  for (const g of graph.groups) feed(g)
  feed('#edges')
  for (const e of graph.edges) feed(e.id)
  return `${(h >>> 0).toString(16).padStart(8, '0')}-${graph.nodes.length}-${graph.edges.length}`
}

/** What the page shows, as held in the URL. */
export interface GraphViewState {
  view: GraphViewName
  /** Namespace filter (`ns`), also the drill-down path. */
  namespaces: string[]
  /** Node whose unrelated nodes are hidden (`focus`). */
  focus?: string
  verdicts: EdgeVerdict[]
  ports: number[]
  /** Namespaces opened (`expanded`); undefined = the default (all open unless the graph is large). */
  expanded?: string[]
}

function list(params: URLSearchParams, key: string): string[] {
  const v = params.get(key)
  return v ? v.split(',').filter((s) => s !== '') : []
}

/** Reads the view from search params (`view`, `ns`, `focus`, `verdict`, `port`, `expanded`). */
export function parseViewState(params: URLSearchParams): GraphViewState {
  const verdicts = list(params, 'verdict').filter((v): v is EdgeVerdict =>
    (EDGE_VERDICTS as readonly string[]).includes(v),
  )
  const ports = list(params, 'port')
    .map(Number)
    .filter((p) => Number.isInteger(p) && p >= 0 && p <= 65535)
  const state: GraphViewState = {
    view: params.get('view') === 'staged' ? 'staged' : 'enforced',
    namespaces: list(params, 'ns'),
    verdicts,
    ports,
  }
  const focus = params.get('focus')
  if (focus) state.focus = focus
  if (params.has('expanded')) state.expanded = list(params, 'expanded')
  return state
}

/** Writes the view as search params, leaving out defaults. */
export function viewStateParams(state: GraphViewState): URLSearchParams {
  const p = new URLSearchParams()
  if (state.view !== 'enforced') p.set('view', state.view)
  if (state.namespaces.length > 0) p.set('ns', state.namespaces.join(','))
  if (state.focus) p.set('focus', state.focus)
  if (state.verdicts.length > 0) p.set('verdict', state.verdicts.join(','))
  if (state.ports.length > 0) p.set('port', state.ports.join(','))
  if (state.expanded !== undefined) p.set('expanded', state.expanded.join(','))
  return p
}

/**
 * The graph to draw for a view state: filtered tuples, then namespaces collapsed (by default
 * all of them once the full graph has more than `COLLAPSE_THRESHOLD` nodes), then unrelated
 * nodes hidden around the focus.
 */
export function deriveGraph(tuples: readonly VerdictTuple[], state: GraphViewState): GraphModel {
  const filtered = filterTuples(tuples, state, state.view)
  const full = buildGraph(filtered, state.view)
  const expanded =
    state.expanded !== undefined
      ? new Set(state.expanded)
      : full.nodes.length > COLLAPSE_THRESHOLD
        ? new Set<string>()
        : 'all'
  const collapsed = collapseNamespaces(full, expanded)
  return state.focus ? hideUnrelated(collapsed, state.focus) : collapsed
}
