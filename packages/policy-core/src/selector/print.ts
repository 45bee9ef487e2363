import { assertNever, canonicalSet, type SelectorNode } from './ast.ts'

/**
 * Prints the canonical form of a selector, as Calico's `Selector.String()` does: the
 * string Calico stores, compares and hashes. `print(parse(s))` re-parses to the same tree.
 *
 * - comparisons as `label == "v"`, ` != `, ` contains `, ` starts with `, ` ends with `;
 * - a value in double quotes unless it contains `"`, then in single quotes;
 * - sets sorted by code point, de-duplicated, joined by `", "`; `{}` when empty;
 * - `has(k)`, `all()`, `global()` without inner spaces;
 * - `!` directly before its operand, adding no parentheses (except around a second `!`);
 * - every `&&`/`||` chain of two or more operands in parentheses, also at top level.
 *
 * A value containing both quote characters cannot be written in the language; it is
 * printed in double quotes and will not re-parse.
 *
 * @example printSelector(parseSelector("a=='b'&&c in {'y','x','y'}"))
 *   // → '(a == "b" && c in {"x", "y"})'
 */
export function printSelector(ast: SelectorNode): string {
  const parts: string[] = []
  write(ast, parts)
  return parts.join('')
}

const COMPARISON = {
  eq: ' == ',
  ne: ' != ',
  contains: ' contains ',
  startsWith: ' starts with ',
  endsWith: ' ends with ',
} as const

function write(node: SelectorNode, out: string[]): void {
  switch (node.kind) {
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      out.push(node.label, COMPARISON[node.kind], quote(node.value))
      return
    case 'in':
    case 'notIn':
      out.push(node.label, node.kind === 'in' ? ' in {' : ' not in {')
      canonicalSet(node.values).forEach((v, i) => {
        if (i > 0) out.push(', ')
        out.push(quote(v))
      })
      out.push('}')
      return
    case 'has':
      out.push('has(', node.label, ')')
      return
    case 'all':
      out.push('all()')
      return
    case 'global':
      out.push('global()')
      return
    case 'not':
      // As Calico's NotNode: `!` then the operand, also when the operand is a negation, so
      // `!(!x)` prints `!!x` (which re-parses as `x`: a run of `!` collapses by parity).
      out.push('!')
      write(node.operand, out)
      return
    case 'and':
    case 'or':
      writeChain(node.operands, node.kind === 'and' ? ' && ' : ' || ', node.kind, out)
      return
    default:
      assertNever(node)
  }
}

function writeChain(
  operands: readonly SelectorNode[],
  joiner: string,
  kind: 'and' | 'or',
  out: string[],
): void {
  const [only] = operands
  if (operands.length === 1 && only) {
    write(only, out)
    return
  }
  if (operands.length === 0) {
    // An empty conjunction is true, an empty disjunction false; neither is written with
    // `&&`/`||`, so print an equivalent selector.
    out.push(kind === 'and' ? 'all()' : '!all()')
    return
  }
  out.push('(')
  operands.forEach((o, i) => {
    if (i > 0) out.push(joiner)
    write(o, out)
  })
  out.push(')')
}

/** Quotes a value: double quotes unless it contains `"`. */
function quote(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`
}
