import type { SelectorNode } from '../selector/index.ts'
import { printSelector, tryParseSelector } from '../selector/index.ts'

/** The operators a selector-builder row offers, spelled as in the selector language. */
export type RowOperator =
  | '=='
  | '!='
  | 'in'
  | 'not in'
  | 'has'
  | '!has'
  | 'contains'
  | 'starts with'
  | 'ends with'

/** Every row operator, in the order a menu lists them. */
export const ROW_OPERATORS: readonly RowOperator[] = [
  '==',
  '!=',
  'in',
  'not in',
  'has',
  '!has',
  'contains',
  'starts with',
  'ends with',
]

/** One term of a selector that is a plain AND of terms. */
export interface SelectorRow {
  /** The label key. */
  key: string
  /** The comparison. */
  operator: RowOperator
  /**
   * The operand: one value for `==`, `!=`, `contains`, `starts with`, `ends with`; the set
   * for `in` / `not in` (any number); none for `has` / `!has`.
   */
  values: string[]
}

/** How many values an operator takes: exactly one, a set, or none. */
export function operatorArity(operator: RowOperator): 'one' | 'set' | 'none' {
  if (operator === 'has' || operator === '!has') return 'none'
  if (operator === 'in' || operator === 'not in') return 'set'
  return 'one'
}

const COMPARISON_OPERATOR = {
  eq: '==',
  ne: '!=',
  contains: 'contains',
  startsWith: 'starts with',
  endsWith: 'ends with',
} as const

function nodeToRow(node: SelectorNode): SelectorRow | undefined {
  switch (node.kind) {
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return { key: node.label, operator: COMPARISON_OPERATOR[node.kind], values: [node.value] }
    case 'in':
      return { key: node.label, operator: 'in', values: [...node.values] }
    case 'notIn':
      return { key: node.label, operator: 'not in', values: [...node.values] }
    case 'has':
      return { key: node.label, operator: 'has', values: [] }
    case 'not':
      return node.operand.kind === 'has'
        ? { key: node.operand.label, operator: '!has', values: [] }
        : undefined
    default:
      return undefined
  }
}

/**
 * The rows of a selector that is a plain AND of label terms (`==`, `!=`, `in`, `not in`,
 * `has`, `!has`, `contains`, `starts with`, `ends with`), in source order; nested ANDs
 * from parentheses are flattened, since AND is associative. `all()` and the empty
 * selector are zero rows. `undefined` when the text does not parse or uses anything a row
 * cannot express (`||`, `global()`, negations other than `!has`), so the builder falls
 * back to text.
 *
 * @example selectorToRows('app == "web" && has(tier)') // [{key:'app',operator:'==',values:['web']}, {key:'tier',operator:'has',values:[]}]
 */
export function selectorToRows(text: string): SelectorRow[] | undefined {
  const parsed = tryParseSelector(text)
  if (!parsed.ok) return undefined
  if (parsed.ast.kind === 'all') return []
  const rows: SelectorRow[] = []
  const visit = (node: SelectorNode): boolean => {
    if (node.kind === 'and') return node.operands.every(visit)
    const row = nodeToRow(node)
    if (row) rows.push(row)
    return row !== undefined
  }
  return visit(parsed.ast) ? rows : undefined
}

/** A row the builder is still filling in: it has no key yet, or no value where one is needed. */
export function isIncompleteRow(row: SelectorRow): boolean {
  return row.key.trim() === '' || (operatorArity(row.operator) === 'one' && row.values.length === 0)
}

/** The syntax-tree node of one complete row. */
export function rowToNode(row: SelectorRow): SelectorNode {
  const label = row.key.trim()
  switch (row.operator) {
    case '==':
      return { kind: 'eq', label, value: row.values[0] ?? '' }
    case '!=':
      return { kind: 'ne', label, value: row.values[0] ?? '' }
    case 'contains':
      return { kind: 'contains', label, value: row.values[0] ?? '' }
    case 'starts with':
      return { kind: 'startsWith', label, value: row.values[0] ?? '' }
    case 'ends with':
      return { kind: 'endsWith', label, value: row.values[0] ?? '' }
    case 'in':
    case 'not in':
      return { kind: row.operator === 'in' ? 'in' : 'notIn', label, values: [...row.values] }
    case 'has':
      return { kind: 'has', label }
    case '!has':
      return { kind: 'not', operand: { kind: 'has', label } }
  }
}

/**
 * The canonical selector text of rows, AND-ed, printed by the selector module's printer;
 * incomplete rows (see {@link isIncompleteRow}) are skipped. No rows give `''`: a rule
 * peer without a selector, or `all()` for a policy selector.
 *
 * @example rowsToSelector([{key:'app',operator:'in',values:['b','a']}]) // 'app in {"a", "b"}'
 */
export function rowsToSelector(rows: readonly SelectorRow[]): string {
  const nodes = rows.filter((r) => !isIncompleteRow(r)).map(rowToNode)
  if (nodes.length === 0) return ''
  if (nodes.length === 1) return printSelector(nodes[0] as SelectorNode)
  return printSelector({ kind: 'and', operands: nodes })
}
