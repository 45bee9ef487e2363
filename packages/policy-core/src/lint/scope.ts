/**
 * Selector composition as Calico performs it before matching: the applies-to selector of a
 * policy (calico-semantics.md §3.3) and the scoped selector of a rule side (§3.7). Results
 * are selector trees; their canonical print is their identity.
 */
import type { EntityRule } from '../resources/types.ts'
import {
  prefixSelector,
  printSelector,
  type SelectorNode,
  tryParseSelector,
} from '../selector/index.ts'
import type { LintPolicy } from './model.ts'

const NAMESPACE_LABEL = 'projectcalico.org/namespace'
const SERVICE_ACCOUNT_LABEL = 'projectcalico.org/serviceaccount'

/** Parses selector text (`''` is `all()`); undefined when it does not parse. */
export function parseOrUndefined(text: string | undefined): SelectorNode | undefined {
  const r = tryParseSelector(text ?? '')
  return r.ok ? r.ast : undefined
}

function and(...operands: SelectorNode[]): SelectorNode {
  return operands.length === 1 && operands[0] ? operands[0] : { kind: 'and', operands }
}

/** Replaces `all()` (and `global()` when asked) anywhere in a tree, as Calico's textual replacement does. */
function replaceMarkers(
  ast: SelectorNode,
  all: SelectorNode,
  global: SelectorNode | undefined,
): SelectorNode {
  switch (ast.kind) {
    case 'all':
      return all
    case 'global':
      return global ?? ast
    case 'not':
      return { kind: 'not', operand: replaceMarkers(ast.operand, all, global) }
    case 'and':
    case 'or':
      return { kind: ast.kind, operands: ast.operands.map((o) => replaceMarkers(o, all, global)) }
    default:
      return ast
  }
}

const HAS_NAMESPACE: SelectorNode = { kind: 'has', label: NAMESPACE_LABEL }
const NO_NAMESPACE: SelectorNode = { kind: 'not', operand: HAS_NAMESPACE }

function inNamespace(ns: string): SelectorNode {
  return { kind: 'eq', label: NAMESPACE_LABEL, value: ns }
}

/**
 * The selector a policy's applies-to becomes: NP/KNP restricted to their namespace, GNP
 * AND-ed with the `pcns.`-prefixed namespace selector, both AND-ed with the `pcsa.`-prefixed
 * service-account selector. Undefined when a selector does not parse.
 */
export function appliesToSelector(p: LintPolicy): SelectorNode | undefined {
  let sel = parseOrUndefined(p.selector)
  if (!sel) return undefined
  if (p.namespace !== undefined) {
    sel = and(sel, inNamespace(p.namespace))
  } else if (p.namespaceSelector) {
    const ns = parseOrUndefined(p.namespaceSelector)
    if (!ns) return undefined
    sel = replaceMarkers(and(sel, prefixSelector(ns, 'pcns.')), HAS_NAMESPACE, undefined)
  }
  if (p.serviceAccountSelector) {
    const sa = parseOrUndefined(p.serviceAccountSelector)
    if (!sa) return undefined
    sel = and(sel, prefixSelector(sa, 'pcsa.'))
    if (p.namespace === undefined) {
      sel = replaceMarkers(sel, { kind: 'has', label: SERVICE_ACCOUNT_LABEL }, undefined)
    }
  }
  return sel
}

/** A rule side's selectors after scoping: the positive part and the raw `notSelector`. */
export interface ScopedEntity {
  /** What the address must belong to; undefined when the side has no positive selector at all. */
  positive?: SelectorNode
  /** Canonical text of `positive`. */
  positiveText?: string
  /** What the address must not belong to (never namespace-scoped). */
  negative?: SelectorNode
  /** Canonical text of `negative`. */
  negativeText?: string
  /** False when a selector of the side does not parse. */
  valid: boolean
}

/**
 * Scopes a rule side as Calico's `GetEntityRuleSelector`: service accounts and `selector`
 * AND-ed, then restricted by the `pcns.`-prefixed namespace selector (`all()` → any namespace,
 * `global()` → no namespace) or, in a namespaced policy, by the policy's namespace.
 */
export function scopeEntity(p: LintPolicy, e: EntityRule | undefined): ScopedEntity {
  if (!e) return { valid: true }
  // Rule objects are compared many times over (pairs of rules); scope each once per policy.
  let perPolicy = scoped.get(e)
  if (!perPolicy) {
    perPolicy = new WeakMap()
    scoped.set(e, perPolicy)
  }
  const hit = perPolicy.get(p)
  if (hit) return hit
  const result = scopeEntityUncached(p, e)
  perPolicy.set(p, result)
  return result
}

const scoped = new WeakMap<EntityRule, WeakMap<LintPolicy, ScopedEntity>>()

function scopeEntityUncached(p: LintPolicy, e: EntityRule): ScopedEntity {
  const parts: SelectorNode[] = []
  let valid = true
  const sa = e.serviceAccounts
  if (sa?.selector) {
    const s = parseOrUndefined(sa.selector)
    if (s) parts.push(prefixSelector(s, 'pcsa.'))
    else valid = false
  }
  if (sa?.names && sa.names.length > 0) {
    parts.push({ kind: 'in', label: SERVICE_ACCOUNT_LABEL, values: [...new Set(sa.names)].sort() })
  }
  if (e.selector) {
    const s = parseOrUndefined(e.selector)
    if (s) parts.push(s)
    else valid = false
  }
  const sel = parts.length > 0 ? and(...parts) : undefined
  let nsSel: SelectorNode | undefined
  if (e.namespaceSelector) {
    const ns = parseOrUndefined(e.namespaceSelector)
    if (ns) nsSel = replaceMarkers(prefixSelector(ns, 'pcns.'), HAS_NAMESPACE, NO_NAMESPACE)
    else valid = false
  } else if (p.namespace !== undefined) {
    nsSel = inNamespace(p.namespace)
  }
  let negative: SelectorNode | undefined
  if (e.notSelector) {
    negative = parseOrUndefined(e.notSelector)
    if (!negative) valid = false
  }
  let positive = sel
  if (nsSel && (sel || e.notSelector || e.namespaceSelector)) {
    positive = sel ? and(nsSel, sel) : nsSel
  }
  return {
    ...(positive ? { positive, positiveText: printSelector(positive) } : {}),
    ...(negative ? { negative, negativeText: printSelector(negative) } : {}),
    valid,
  }
}

/** The canonical text of a tree, or undefined. */
export function canonical(ast: SelectorNode | undefined): string | undefined {
  return ast ? printSelector(ast) : undefined
}

const canonicalTexts = new Map<string, string | undefined>()

/** The canonical text of selector text (memoised), or undefined when it does not parse. */
export function canonicalText(text: string): string | undefined {
  if (canonicalTexts.has(text)) return canonicalTexts.get(text)
  const out = canonical(parseOrUndefined(text))
  // Bounded: a long-running server lints many sets; the cache only saves re-parsing.
  if (canonicalTexts.size > 10_000) canonicalTexts.clear()
  canonicalTexts.set(text, out)
  return out
}
