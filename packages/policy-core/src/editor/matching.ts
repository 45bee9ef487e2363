import { workloadLabels } from '../evaluator/compile.ts'
import type { Endpoint, Namespace, ServiceAccount } from '../resources/types.ts'
import {
  compileSelector,
  prefixSelector,
  type SelectorError,
  type SelectorNode,
  tryParseSelector,
} from '../selector/index.ts'

/** The inventory a selector preview runs over: what the cluster runs. */
export interface SelectorInventory {
  /** Namespaces and their labels; a namespace an endpoint names but this omits has no labels. */
  namespaces: readonly Namespace[]
  /** Service accounts and their labels. */
  serviceAccounts: readonly ServiceAccount[]
  /** Workload and host endpoints. */
  endpoints: readonly Endpoint[]
}

/**
 * The labels Calico's selectors see on an endpoint: for a workload, those the evaluator
 * compiles (`workloadLabels`: own labels, `projectcalico.org/namespace`, `orchestrator`,
 * `serviceaccount`, `pcns.`/`pcsa.`-prefixed namespace and service-account labels); host
 * endpoints see their own labels only.
 */
export function endpointSelectorLabels(
  endpoint: Endpoint,
  inventory: Pick<SelectorInventory, 'namespaces' | 'serviceAccounts'>,
): Record<string, string> {
  if (endpoint.kind === 'host' || endpoint.namespace === undefined) return { ...endpoint.labels }
  const ns = endpoint.namespace
  const sa = endpoint.serviceAccount ?? 'default'
  return workloadLabels(
    endpoint,
    inventory.namespaces.find((n) => n.name === ns)?.labels,
    inventory.serviceAccounts.find((s) => s.namespace === ns && s.name === sa)?.labels,
  )
}

/**
 * What a selector field is written over: endpoint labels (`selector`, `notSelector`),
 * namespace labels (`namespaceSelector`, Calico adds `pcns.`), or service-account labels
 * (`serviceAccountSelector`, `serviceAccounts.selector`, Calico adds `pcsa.`).
 */
export type SelectorSubject = 'endpoint' | 'namespace' | 'serviceAccount'

/** A selector preview question. */
export interface SelectorPreview {
  /** The selector text as typed. */
  selector: string
  /** What its labels are. */
  subject: SelectorSubject
  /** Only endpoints of this namespace count (a namespaced policy's own `selector`). */
  namespace?: string
}

/** The endpoints a selector matches now, or the error that makes it invalid. */
export type SelectorPreviewResult =
  | { ok: true; endpoints: Endpoint[] }
  | { ok: false; error: SelectorError }

/** The selector over endpoint labels that a field's selector means (Calico's `pcns.`/`pcsa.` rewriting). */
function asEndpointSelector(ast: SelectorNode, subject: SelectorSubject): SelectorNode {
  if (subject === 'endpoint') return ast
  if (subject === 'serviceAccount') return prefixSelector(ast, 'pcsa.')
  // A namespace selector of exactly all()/global() means "any namespaced thing" /
  // "no namespace", as Calico rewrites them textually (§3.7).
  if (ast.kind === 'all') return { kind: 'has', label: 'projectcalico.org/namespace' }
  if (ast.kind === 'global')
    return { kind: 'not', operand: { kind: 'has', label: 'projectcalico.org/namespace' } }
  return prefixSelector(ast, 'pcns.')
}

/**
 * The inventory endpoints a selector matches now, for the editor's live preview. The text
 * is parsed by the real parser; a namespace or service-account selector is rewritten as
 * Calico does, then compiled and run over every endpoint's label set
 * ({@link endpointSelectorLabels}).
 */
export function previewSelector(
  preview: SelectorPreview,
  inventory: SelectorInventory,
): SelectorPreviewResult {
  const parsed = tryParseSelector(preview.selector)
  if (!parsed.ok) return parsed
  const matcher = compileSelector(asEndpointSelector(parsed.ast, preview.subject))
  const endpoints = inventory.endpoints.filter(
    (e) =>
      (preview.namespace === undefined || e.namespace === preview.namespace) &&
      matcher(endpointSelectorLabels(e, inventory)),
  )
  return { ok: true, endpoints }
}

/**
 * Label keys and their values seen in the inventory for a subject, for autocompletion:
 * endpoint labels (with Calico's implicit `projectcalico.org/*` labels), namespace labels
 * (with `projectcalico.org/name`) or service-account labels. Keys and values are sorted.
 */
export function labelVocabulary(
  inventory: SelectorInventory,
  subject: SelectorSubject,
): Map<string, string[]> {
  const acc = new Map<string, Set<string>>()
  const add = (labels: Readonly<Record<string, string>> | undefined): void => {
    for (const [k, v] of Object.entries(labels ?? {})) {
      const values = acc.get(k) ?? new Set<string>()
      values.add(v)
      acc.set(k, values)
    }
  }
  if (subject === 'namespace') {
    const names = new Set([
      ...inventory.namespaces.map((n) => n.name),
      ...inventory.endpoints.flatMap((e) => e.namespace ?? []),
    ])
    for (const name of names) {
      add(inventory.namespaces.find((n) => n.name === name)?.labels)
      add({ 'projectcalico.org/name': name, 'kubernetes.io/metadata.name': name })
    }
  } else if (subject === 'serviceAccount') {
    for (const sa of inventory.serviceAccounts)
      add({ ...sa.labels, 'projectcalico.org/name': sa.name })
  } else {
    for (const e of inventory.endpoints) {
      const own = endpointSelectorLabels(e, { namespaces: [], serviceAccounts: [] })
      add(
        Object.fromEntries(
          Object.entries(own).filter(([k]) => !k.startsWith('pcns.') && !k.startsWith('pcsa.')),
        ),
      )
    }
  }
  return new Map(
    [...acc].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, [...v].sort()]),
  )
}
