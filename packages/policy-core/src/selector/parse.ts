import { canonicalSet, type SelectorNode } from './ast.ts'
import { limitError, SELECTOR_LIMITS, type SelectorError, syntaxError } from './errors.ts'
import { type Token, type TokenKind, tokenize } from './tokenize.ts'

/** The result of parsing: the tree, or the first error. */
export type ParseResult = { ok: true; ast: SelectorNode } | { ok: false; error: SelectorError }

const ALL: SelectorNode = { kind: 'all' }

/** Thrown inside the recursive descent and caught at its root; never escapes this module. */
class Abort {
  constructor(readonly error: SelectorError) {}
}

/**
 * Parses selector text by precedence, one function per level (`||` → `&&` → `!` →
 * primary), as Calico's parser does. An empty or blank selector is `all()`. Surrounding
 * whitespace other than space/TAB is not trimmed here (see `normaliseSelector`).
 */
export function parse(text: string): ParseResult {
  if (text.length > SELECTOR_LIMITS.maxLength) {
    const error = limitError(
      'maxLength',
      `selector too long (${text.length} characters)`,
      SELECTOR_LIMITS.maxLength,
      text.length,
    )
    return { ok: false, error }
  }
  const lexed = tokenize(text)
  if (!lexed.ok) return lexed
  const tokens = lexed.tokens
  if (tokens[0]?.kind === 'eof') return { ok: true, ast: ALL }
  try {
    const parser = new Parser(tokens)
    const ast = parser.parseOr(0)
    const next = parser.peek()
    if (next.kind !== 'eof') {
      throw new Abort(
        syntaxError(
          `unexpected ${describe(next)} after a complete expression: expected '&&', '||' or the end of the selector`,
          next.start,
          next.end,
        ),
      )
    }
    return { ok: true, ast }
  } catch (e) {
    if (e instanceof Abort) return { ok: false, error: e.error }
    throw e
  }
}

class Parser {
  private pos = 0
  constructor(private readonly tokens: readonly Token[]) {}

  peek(): Token {
    // The token list always ends with `eof`, and the parser never moves past it.
    return this.tokens[this.pos] as Token
  }

  private next(): Token {
    const t = this.peek()
    if (t.kind !== 'eof') this.pos++
    return t
  }

  /** orExpr = andExpr { "||" andExpr } */
  parseOr(depth: number): SelectorNode {
    const first = this.parseAnd(depth)
    if (this.peek().kind !== 'or') return first
    const operands = [first]
    while (this.peek().kind === 'or') {
      this.pos++
      operands.push(this.parseAnd(depth))
    }
    return { kind: 'or', operands }
  }

  /** andExpr = unary { "&&" unary } */
  private parseAnd(depth: number): SelectorNode {
    const first = this.parseUnary(depth)
    if (this.peek().kind !== 'and') return first
    const operands = [first]
    while (this.peek().kind === 'and') {
      this.pos++
      operands.push(this.parseUnary(depth))
    }
    return { kind: 'and', operands }
  }

  /** unary = { "!" } primary — a run of `!` collapses by parity. */
  private parseUnary(depth: number): SelectorNode {
    let negated = false
    while (this.peek().kind === 'not') {
      this.pos++
      negated = !negated
    }
    const operand = this.parsePrimary(depth)
    return negated ? { kind: 'not', operand } : operand
  }

  private parsePrimary(depth: number): SelectorNode {
    const t = this.next()
    switch (t.kind) {
      case 'has':
        return { kind: 'has', label: t.value }
      case 'all':
        return ALL
      case 'global':
        return { kind: 'global' }
      case 'label':
        return this.parseLabelOperation(t)
      case 'lparen': {
        if (depth + 1 > SELECTOR_LIMITS.maxDepth) {
          throw new Abort(limitError('maxDepth', 'parentheses nested too deeply', t.start, t.end))
        }
        const inner = this.parseOr(depth + 1)
        const close = this.peek()
        if (close.kind !== 'rparen') {
          throw new Abort(
            syntaxError(
              `expected ')' to close the '(' at ${t.start}, found ${describe(close)}`,
              close.start,
              close.end,
            ),
          )
        }
        this.pos++
        return inner
      }
      default:
        throw new Abort(
          syntaxError(
            `unexpected ${describe(t)}: expected a label, has(…), all(), global(), '!' or '('`,
            t.start,
            t.end,
          ),
        )
    }
  }

  private parseLabelOperation(label: Token): SelectorNode {
    const op = this.next()
    switch (op.kind) {
      case 'eq':
      case 'ne':
      case 'contains':
      case 'startsWith':
      case 'endsWith': {
        const literal = this.next()
        if (literal.kind !== 'string') {
          throw new Abort(
            syntaxError(
              `expected a quoted string after '${OPERATOR_TEXT[op.kind]}', found ${describe(literal)}`,
              literal.start,
              literal.end,
            ),
          )
        }
        return { kind: op.kind, label: label.value, value: literal.value }
      }
      case 'in':
      case 'notIn':
        return { kind: op.kind, label: label.value, values: this.parseSet(op) }
      default:
        throw new Abort(
          syntaxError(
            `expected an operator after label "${label.value}" (==, !=, in, not in, contains, starts with, ends with), found ${describe(op)}`,
            op.start,
            op.end,
          ),
        )
    }
  }

  /** `{` [ string { "," string } [ "," ] ] `}` — sorted and de-duplicated. */
  private parseSet(op: Token): string[] {
    const open = this.next()
    if (open.kind !== 'lbrace') {
      throw new Abort(
        syntaxError(
          `expected a set literal '{…}' after '${OPERATOR_TEXT[op.kind]}', found ${describe(open)}`,
          open.start,
          open.end,
        ),
      )
    }
    const values: string[] = []
    while (this.peek().kind === 'string') {
      const item = this.next()
      if (values.length >= SELECTOR_LIMITS.maxSetSize) {
        throw new Abort(limitError('maxSetSize', 'set literal too large', item.start, item.end))
      }
      values.push(item.value)
      if (this.peek().kind !== 'comma') break
      this.pos++
    }
    const close = this.peek()
    if (close.kind !== 'rbrace') {
      const expected = values.length === 0 ? "a quoted string or '}'" : "',' or '}'"
      throw new Abort(
        syntaxError(
          `expected ${expected} in set literal, found ${describe(close)}`,
          close.start,
          close.end,
        ),
      )
    }
    this.pos++
    return canonicalSet(values)
  }
}

const OPERATOR_TEXT: Partial<Record<TokenKind, string>> = {
  eq: '==',
  ne: '!=',
  contains: 'contains',
  startsWith: 'starts with',
  endsWith: 'ends with',
  in: 'in',
  notIn: 'not in',
}

const PUNCTUATION: Partial<Record<TokenKind, string>> = {
  lbrace: "'{'",
  rbrace: "'}'",
  comma: "','",
  not: "'!'",
  lparen: "'('",
  rparen: "')'",
  and: "'&&'",
  or: "'||'",
  all: "'all()'",
  global: "'global()'",
}

/** A token as named in error messages. */
function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of selector'
    case 'label':
      return `label "${t.value}"`
    case 'string':
      return `string ${JSON.stringify(t.value)}`
    case 'has':
      return `'has(${t.value})'`
    default: {
      const op = OPERATOR_TEXT[t.kind]
      return op ? `'${op}'` : (PUNCTUATION[t.kind] ?? t.kind)
    }
  }
}
