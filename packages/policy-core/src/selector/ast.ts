/**
 * The selector syntax tree: a discriminated union, one variant per node of Calico's
 * `parser/ast.go`. An `and`/`or` always has at least two operands when it comes from the
 * parser; an `and` directly inside an `and` (or `or` inside `or`) exists only because the
 * user wrote parentheses there, which is how those parentheses survive canonical printing.
 */
export type SelectorNode =
  | ComparisonNode
  | SetNode
  | HasNode
  | AllNode
  | GlobalNode
  | NotNode
  | AndNode
  | OrNode

/** `label == "v"`, `!=`, `contains`, `starts with`, `ends with`. */
export interface ComparisonNode {
  readonly kind: 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith'
  /** The label key compared. */
  readonly label: string
  /** The literal compared with (no escapes exist in the language). */
  readonly value: string
}

/** `label in {…}` / `label not in {…}`. */
export interface SetNode {
  readonly kind: 'in' | 'notIn'
  /** The label key tested. */
  readonly label: string
  /** The set's values, sorted by code point (UTF-8 byte order) and de-duplicated. */
  readonly values: readonly string[]
}

/** `has(label)`: the label is present (an empty value counts). */
export interface HasNode {
  readonly kind: 'has'
  /** The label key that must be present. */
  readonly label: string
}

/** `all()` (also the meaning of an empty selector): matches everything. */
export interface AllNode {
  readonly kind: 'all'
}

/** `global()`: matches everything; a marker for rule scoping (non-namespaced entities). */
export interface GlobalNode {
  readonly kind: 'global'
}

/** `!operand`. */
export interface NotNode {
  readonly kind: 'not'
  /** The negated expression. */
  readonly operand: SelectorNode
}

/** `a && b && …` (one n-ary chain). */
export interface AndNode {
  readonly kind: 'and'
  /** The conjuncts, in source order; at least two from the parser. */
  readonly operands: readonly SelectorNode[]
}

/** `a || b || …` (one n-ary chain). */
export interface OrNode {
  readonly kind: 'or'
  /** The disjuncts, in source order; at least two from the parser. */
  readonly operands: readonly SelectorNode[]
}

/**
 * Orders strings by Unicode code point, which is the UTF-8 byte order Calico sorts set
 * values by. Plain `<` compares UTF-16 units and misplaces astral characters against
 * U+E000..U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return codePointRank(x) - codePointRank(y)
  }
  return a.length - b.length
}

function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800
  if (unit >= 0xd800) return unit + 0x2000
  return unit
}

/** Sorts and de-duplicates set values into the canonical order (a new array). */
export function canonicalSet(values: readonly string[]): string[] {
  const sorted = [...values].sort(compareCodePoints)
  const out: string[] = []
  for (const v of sorted) if (out.length === 0 || out[out.length - 1] !== v) out.push(v)
  return out
}

/**
 * Prefixes every label key in a selector (Calico's `PrefixVisitor`), e.g. turning a
 * namespace selector into one over `pcns.`-prefixed endpoint labels. `all()` and
 * `global()` are left alone.
 */
export function prefixSelector(ast: SelectorNode, prefix: string): SelectorNode {
  switch (ast.kind) {
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return { kind: ast.kind, label: prefix + ast.label, value: ast.value }
    case 'in':
    case 'notIn':
      return { kind: ast.kind, label: prefix + ast.label, values: ast.values }
    case 'has':
      return { kind: 'has', label: prefix + ast.label }
    case 'all':
    case 'global':
      return ast
    case 'not':
      return { kind: 'not', operand: prefixSelector(ast.operand, prefix) }
    case 'and':
    case 'or':
      return { kind: ast.kind, operands: ast.operands.map((o) => prefixSelector(o, prefix)) }
    default:
      return assertNever(ast)
  }
}

/** The label keys a selector refers to, de-duplicated, in order of first appearance. */
export function selectorLabels(ast: SelectorNode): string[] {
  const seen = new Set<string>()
  const visit = (node: SelectorNode): void => {
    switch (node.kind) {
      case 'eq':
      case 'ne':
      case 'contains':
      case 'startsWith':
      case 'endsWith':
      case 'in':
      case 'notIn':
      case 'has':
        seen.add(node.label)
        return
      case 'all':
      case 'global':
        return
      case 'not':
        visit(node.operand)
        return
      case 'and':
      case 'or':
        for (const o of node.operands) visit(o)
        return
      default:
        assertNever(node)
    }
  }
  visit(ast)
  return [...seen]
}

/**
 * Whether the tree holds a negated negation (`!(!x)`). Calico prints it `!!x`, which parses
 * back as `x`, so such trees are the one place where the canonical form is not a fixed point.
 */
export function hasNegatedNegation(ast: SelectorNode): boolean {
  switch (ast.kind) {
    case 'not':
      return ast.operand.kind === 'not' || hasNegatedNegation(ast.operand)
    case 'and':
    case 'or':
      return ast.operands.some(hasNegatedNegation)
    default:
      return false
  }
}

/** Exhaustiveness check for `switch (node.kind)`. */
export function assertNever(value: never): never {
  throw new Error(`unexpected selector node ${JSON.stringify(value)}`)
}
