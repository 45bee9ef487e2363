/**
 * The Calico selector language: parse, validate, print canonically, compile to matchers.
 * One stage per module (tokenize, parse, print, compile) behind this facade.
 */
import type { Labels } from '../resources/types.ts'
import type { SelectorNode } from './ast.ts'
import { compileNode, type SelectorMatcher } from './compile.ts'
import type { SelectorError } from './errors.ts'
import { parse } from './parse.ts'
import { printSelector } from './print.ts'
import { makeUniqueId } from './unique-id.ts'

export type {
  AllNode,
  AndNode,
  ComparisonNode,
  GlobalNode,
  HasNode,
  NotNode,
  OrNode,
  SelectorNode,
  SetNode,
} from './ast.ts'
export { hasNegatedNegation, prefixSelector, selectorLabels } from './ast.ts'
export type { SelectorMatcher } from './compile.ts'
export { evaluateSelector, MATCH_ALL, MATCH_NONE } from './compile.ts'
export type { SelectorLimitName } from './errors.ts'
export { SELECTOR_LIMITS, SelectorError } from './errors.ts'
export { printSelector } from './print.ts'

/**
 * Parses a selector, throwing a {@link SelectorError} when it is invalid. An empty or
 * blank (spaces/TABs) selector is `all()`. Other surrounding whitespace, such as the
 * trailing newline of a YAML block scalar, makes it invalid, as in Calico.
 */
export function parseSelector(text: string): SelectorNode {
  const result = parse(text)
  if (!result.ok) throw result.error
  return result.ast
}

/** Parses a selector, returning the tree or the error as a value. */
export function tryParseSelector(
  text: string,
): { ok: true; ast: SelectorNode } | { ok: false; error: SelectorError } {
  return parse(text)
}

/** The error that makes a selector invalid, or `undefined` when it is valid. */
export function validateSelector(text: string): SelectorError | undefined {
  const result = parse(text)
  return result.ok ? undefined : result.error
}

/**
 * The canonical form of a selector, as Calico's `selector.Normalise`: surrounding
 * whitespace is trimmed first, `''` becomes `all()`. Text that does not parse is returned
 * trimmed and otherwise unaltered (check it with {@link validateSelector}).
 */
export function normaliseSelector(text: string): string {
  const trimmed = trimSpace(text)
  const result = parse(trimmed)
  return result.ok ? printSelector(result.ast) : trimmed
}

/**
 * Compiles a selector (text or tree) to a matcher function. Compile once and reuse the
 * matcher: it is a tree of closures with its constants precomputed.
 *
 * @throws SelectorError when given text that does not parse.
 */
export function compileSelector(input: string | SelectorNode): SelectorMatcher {
  return compileNode(typeof input === 'string' ? parseSelector(input) : input)
}

/** True when `labels` match the selector (parses and compiles on every call: prefer {@link compileSelector}). */
export function matchesSelector(input: string | SelectorNode, labels: Labels): boolean {
  return compileSelector(input)(labels)
}

/**
 * Calico's unique ID of a selector (`Selector.UniqueID()`): `s:` + unpadded base64url of
 * SHA-224 over `s:` + the canonical form. Equivalent selectors share an ID, e.g.
 * `selectorUniqueId('')` is `s:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug` (that of `all()`).
 *
 * @throws SelectorError when given text that does not parse (after trimming).
 */
export function selectorUniqueId(input: string | SelectorNode): string {
  const ast = typeof input === 'string' ? parseSelector(trimSpace(input)) : input
  return makeUniqueId('s', printSelector(ast))
}

/** Trims the characters Go's `unicode.IsSpace` accepts, as Calico's `strings.TrimSpace` does. */
function trimSpace(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isGoSpace(text.charCodeAt(start))) start++
  while (end > start && isGoSpace(text.charCodeAt(end - 1))) end--
  return text.slice(start, end)
}

function isGoSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  )
}
