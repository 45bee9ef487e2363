import { limitError, SELECTOR_LIMITS, type SelectorError, syntaxError } from './errors.ts'

/** The kinds of token of the selector language (Calico's `tokenizer.Kind`). */
export type TokenKind =
  | 'label'
  | 'string'
  | 'lbrace'
  | 'rbrace'
  | 'comma'
  | 'eq'
  | 'ne'
  | 'in'
  | 'notIn'
  | 'not'
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | 'all'
  | 'has'
  | 'global'
  | 'lparen'
  | 'rparen'
  | 'and'
  | 'or'
  | 'eof'

/** One token with its place in the source text. */
export interface Token {
  /** What the token is. */
  readonly kind: TokenKind
  /** The label key (`label`, `has`) or the unquoted content (`string`); '' otherwise. */
  readonly value: string
  /** Offset of the token's first character in the selector text. */
  readonly start: number
  /** Offset just past the token's last character. */
  readonly end: number
}

/** The result of tokenizing: the tokens (ending with `eof`) or the first error. */
export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; error: SelectorError }

const SPACE = 0x20
const TAB = 0x09

/** True for the characters of a label key: `[A-Za-z0-9_./-]`. */
export function isIdentChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x5f || // _
    c === 0x2e || // .
    c === 0x2f || // /
    c === 0x2d // -
  )
}

function skipBlanks(text: string, i: number): number {
  let c = text.charCodeAt(i)
  while (c === SPACE || c === TAB) c = text.charCodeAt(++i)
  return i
}

function identEnd(text: string, i: number): number {
  while (i < text.length && isIdentChar(text.charCodeAt(i))) i++
  return i
}

/** True when `word` sits at `i` and is not followed by another label character. */
function wordAt(text: string, i: number, word: string): boolean {
  return text.startsWith(word, i) && !isIdentChar(text.charCodeAt(i + word.length))
}

/**
 * Splits selector text into tokens, exactly by Calico's lexical rules: only space and TAB
 * separate tokens; quotes have no escapes; operator words (`contains`, `starts with`,
 * `ends with`, `in`, `not in`, the blank between words optional) are recognised only right
 * after a label, so the same words are usable as label keys; `has(`, `all(` and `global(`
 * only when written without a space before the parenthesis.
 */
export function tokenize(text: string): TokenizeResult {
  const tokens: Token[] = []
  const n = text.length
  let i = 0
  const push = (kind: TokenKind, start: number, end: number, value = ''): number => {
    tokens.push({ kind, value, start, end })
    return end
  }
  const fail = (error: SelectorError): TokenizeResult => ({ ok: false, error })
  for (;;) {
    i = skipBlanks(text, i)
    if (i >= n) {
      push('eof', n, n)
      return { ok: true, tokens }
    }
    const start = i
    const c = text.charCodeAt(i)
    switch (c) {
      case 0x28: // (
        i = push('lparen', i, i + 1)
        continue
      case 0x29: // )
        i = push('rparen', i, i + 1)
        continue
      case 0x7b: // {
        i = push('lbrace', i, i + 1)
        continue
      case 0x7d: // }
        i = push('rbrace', i, i + 1)
        continue
      case 0x2c: // ,
        i = push('comma', i, i + 1)
        continue
      case 0x22: // "
      case 0x27: {
        // ' — a literal ends at the next quote of the same kind; there are no escapes.
        const close = text.indexOf(c === 0x22 ? '"' : "'", i + 1)
        if (close < 0)
          return fail(syntaxError('unterminated string: expected a closing quote', i, n))
        push('string', start, close + 1, text.slice(i + 1, close))
        i = close + 1
        continue
      }
      case 0x3d: // =
        if (text.charCodeAt(i + 1) !== 0x3d) return fail(syntaxError("expected '=='", i, i + 1))
        i = push('eq', i, i + 2)
        continue
      case 0x21: // !
        if (text.charCodeAt(i + 1) === 0x3d) i = push('ne', i, i + 2)
        else i = push('not', i, i + 1)
        continue
      case 0x26: // &
        if (text.charCodeAt(i + 1) !== 0x26) return fail(syntaxError("expected '&&'", i, i + 1))
        i = push('and', i, i + 2)
        continue
      case 0x7c: // |
        if (text.charCodeAt(i + 1) !== 0x7c) return fail(syntaxError("expected '||'", i, i + 1))
        i = push('or', i, i + 2)
        continue
    }
    const last = tokens[tokens.length - 1]
    if (last?.kind === 'label') {
      const op = operatorAfterLabel(text, i)
      if (!op) {
        const wordEnd = Math.max(identEnd(text, i), i + 1)
        return fail(
          syntaxError(
            `expected an operator after label "${last.value}" (==, !=, in, not in, contains, starts with, ends with)`,
            i,
            wordEnd,
          ),
        )
      }
      push(op.kind, i, op.end)
      i = op.end
      continue
    }
    if (text.startsWith('has(', i)) {
      const labelStart = skipBlanks(text, i + 4)
      const labelEnd = identEnd(text, labelStart)
      if (labelEnd === labelStart) {
        return fail(
          syntaxError(
            "expected a label name after 'has('",
            labelStart,
            Math.min(labelStart + 1, n),
          ),
        )
      }
      const tooLong = checkLabelLength(labelStart, labelEnd)
      if (tooLong) return fail(tooLong)
      const label = text.slice(labelStart, labelEnd)
      const close = skipBlanks(text, labelEnd)
      if (text.charCodeAt(close) !== 0x29) {
        return fail(syntaxError(`expected ')' after has(${label}`, start, close))
      }
      push('has', start, close + 1, label)
      i = close + 1
      continue
    }
    const marker = text.startsWith('all(', i)
      ? 'all'
      : text.startsWith('global(', i)
        ? 'global'
        : ''
    if (marker) {
      const close = skipBlanks(text, i + marker.length + 1)
      if (text.charCodeAt(close) !== 0x29) {
        return fail(syntaxError(`expected ')' after ${marker}(`, start, close))
      }
      push(marker, start, close + 1)
      i = close + 1
      continue
    }
    const end = identEnd(text, i)
    if (end === i) {
      return fail(
        syntaxError(
          `unexpected character ${JSON.stringify(text[i])}: expected a label, a quoted string, an operator or a parenthesis`,
          i,
          i + 1,
        ),
      )
    }
    const tooLong = checkLabelLength(i, end)
    if (tooLong) return fail(tooLong)
    push('label', i, end, text.slice(i, end))
    i = end
  }
}

function checkLabelLength(start: number, end: number): SelectorError | undefined {
  if (end - start <= SELECTOR_LIMITS.maxLabelLength) return undefined
  return limitError('maxLabelLength', `label too long (${end - start} characters)`, start, end)
}

/** Recognises an operator word at `i` (right after a label); returns its kind and end. */
function operatorAfterLabel(
  text: string,
  i: number,
): { kind: 'contains' | 'startsWith' | 'endsWith' | 'in' | 'notIn'; end: number } | undefined {
  if (wordAt(text, i, 'contains')) return { kind: 'contains', end: i + 8 }
  if (wordAt(text, i, 'in')) return { kind: 'in', end: i + 2 }
  const twoWords = [
    ['starts', 'with', 'startsWith'],
    ['ends', 'with', 'endsWith'],
    ['not', 'in', 'notIn'],
  ] as const
  for (const [first, second, kind] of twoWords) {
    if (!text.startsWith(first, i)) continue
    const j = skipBlanks(text, i + first.length)
    if (wordAt(text, j, second)) return { kind, end: j + second.length }
  }
  return undefined
}
