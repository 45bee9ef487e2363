import type { Labels } from '../resources/types.ts'
import { assertNever, canonicalSet, type SelectorNode } from './ast.ts'

/** A compiled selector: true when a label set matches. */
export type SelectorMatcher = (labels: Labels) => boolean

/** Matches every label set; the compiled form of `all()`, `global()` and the empty selector. */
export const MATCH_ALL: SelectorMatcher = () => true
/** Matches no label set. */
export const MATCH_NONE: SelectorMatcher = () => false

/** Sets up to this size are tested by a linear scan; larger ones by a `Set`. */
const SMALL_SET = 8

/**
 * Compiles a tree to nested closures, with constants (sets, fixed results) precomputed
 * and specialised closures for the common shapes.
 *
 * A label is present when its value is a string: `labels[k]` of an absent key is
 * `undefined`, and the names inherited from `Object.prototype` (`constructor`,
 * `__proto__`, …) are functions or objects, never strings, so one `typeof` test handles
 * every key without an own-property lookup on the hot path.
 */
export function compileNode(node: SelectorNode): SelectorMatcher {
  switch (node.kind) {
    case 'eq': {
      const { label, value } = node
      return (l) => l[label] === value
    }
    case 'ne': {
      const { label, value } = node
      return (l) => l[label] !== value
    }
    case 'contains': {
      const { label, value } = node
      if (value === '') return (l) => typeof l[label] === 'string'
      return (l) => {
        const v = l[label]
        return typeof v === 'string' && v.includes(value)
      }
    }
    case 'startsWith': {
      const { label, value } = node
      return (l) => {
        const v = l[label]
        return typeof v === 'string' && v.startsWith(value)
      }
    }
    case 'endsWith': {
      const { label, value } = node
      return (l) => {
        const v = l[label]
        return typeof v === 'string' && v.endsWith(value)
      }
    }
    case 'in':
      return compileIn(node.label, canonicalSet(node.values))
    case 'notIn': {
      const test = compileIn(node.label, canonicalSet(node.values))
      return test === MATCH_NONE ? MATCH_ALL : (l) => !test(l)
    }
    case 'has': {
      const { label } = node
      return (l) => typeof l[label] === 'string'
    }
    case 'all':
    case 'global':
      return MATCH_ALL
    case 'not':
      return compileNot(node.operand)
    case 'and':
      return compileAnd(node.operands.map(compileNode))
    case 'or':
      return compileOr(node.operands.map(compileNode))
    default:
      return assertNever(node)
  }
}

function compileIn(label: string, values: readonly string[]): SelectorMatcher {
  const [a, b, c] = values
  switch (values.length) {
    case 0:
      return MATCH_NONE
    case 1:
      return (l) => l[label] === a
    case 2:
      return (l) => {
        const v = l[label]
        return v === a || v === b
      }
    case 3:
      return (l) => {
        const v = l[label]
        return v === a || v === b || v === c
      }
  }
  if (values.length <= SMALL_SET) {
    const list = values.slice()
    return (l) => {
      const v = l[label]
      if (typeof v !== 'string') return false
      for (let i = 0; i < list.length; i++) if (list[i] === v) return true
      return false
    }
  }
  const set = new Set(values)
  return (l) => {
    const v = l[label]
    return typeof v === 'string' && set.has(v)
  }
}

function compileNot(operand: SelectorNode): SelectorMatcher {
  if (operand.kind === 'has') {
    const { label } = operand
    return (l) => typeof l[label] !== 'string'
  }
  const inner = compileNode(operand)
  if (inner === MATCH_ALL) return MATCH_NONE
  if (inner === MATCH_NONE) return MATCH_ALL
  return (l) => !inner(l)
}

function compileAnd(all: SelectorMatcher[]): SelectorMatcher {
  if (all.includes(MATCH_NONE)) return MATCH_NONE
  const fs = all.filter((f) => f !== MATCH_ALL)
  const [a, b, c, d] = fs
  switch (fs.length) {
    case 0:
      return MATCH_ALL
    case 1:
      return a as SelectorMatcher
    case 2:
      return and2(a as SelectorMatcher, b as SelectorMatcher)
    case 3:
      return and3(a as SelectorMatcher, b as SelectorMatcher, c as SelectorMatcher)
    case 4:
      return and2(
        and2(a as SelectorMatcher, b as SelectorMatcher),
        and2(c as SelectorMatcher, d as SelectorMatcher),
      )
  }
  return (l) => {
    for (let i = 0; i < fs.length; i++) if (!(fs[i] as SelectorMatcher)(l)) return false
    return true
  }
}

function and2(a: SelectorMatcher, b: SelectorMatcher): SelectorMatcher {
  return (l) => a(l) && b(l)
}

function and3(a: SelectorMatcher, b: SelectorMatcher, c: SelectorMatcher): SelectorMatcher {
  return (l) => a(l) && b(l) && c(l)
}

function compileOr(any: SelectorMatcher[]): SelectorMatcher {
  if (any.includes(MATCH_ALL)) return MATCH_ALL
  const fs = any.filter((f) => f !== MATCH_NONE)
  const [a, b, c] = fs
  switch (fs.length) {
    case 0:
      return MATCH_NONE
    case 1:
      return a as SelectorMatcher
    case 2: {
      const x = a as SelectorMatcher
      const y = b as SelectorMatcher
      return (l) => x(l) || y(l)
    }
    case 3: {
      const x = a as SelectorMatcher
      const y = b as SelectorMatcher
      const z = c as SelectorMatcher
      return (l) => x(l) || y(l) || z(l)
    }
  }
  return (l) => {
    for (let i = 0; i < fs.length; i++) if ((fs[i] as SelectorMatcher)(l)) return true
    return false
  }
}

/**
 * Evaluates a tree directly, without compiling: the plain reference the compiled
 * matchers are tested against. Presence is an own-property test here (`Object.hasOwn`)
 * with a value other than `undefined`.
 */
export function evaluateSelector(ast: SelectorNode, labels: Labels): boolean {
  switch (ast.kind) {
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
    case 'in':
    case 'notIn': {
      const v = ownValue(labels, ast.label)
      if (v === undefined) return ast.kind === 'ne' || ast.kind === 'notIn'
      switch (ast.kind) {
        case 'eq':
          return v === ast.value
        case 'ne':
          return v !== ast.value
        case 'contains':
          return v.includes(ast.value)
        case 'startsWith':
          return v.startsWith(ast.value)
        case 'endsWith':
          return v.endsWith(ast.value)
        case 'in':
          return ast.values.includes(v)
        case 'notIn':
          return !ast.values.includes(v)
      }
      return assertNever(ast)
    }
    case 'has':
      return ownValue(labels, ast.label) !== undefined
    case 'all':
    case 'global':
      return true
    case 'not':
      return !evaluateSelector(ast.operand, labels)
    case 'and':
      return ast.operands.every((o) => evaluateSelector(o, labels))
    case 'or':
      return ast.operands.some((o) => evaluateSelector(o, labels))
    default:
      return assertNever(ast)
  }
}

function ownValue(labels: Labels, key: string): string | undefined {
  return Object.hasOwn(labels, key) ? labels[key] : undefined
}
