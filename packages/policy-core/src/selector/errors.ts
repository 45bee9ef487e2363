import { ErrorCodes, PolicyError, type SourceRange } from '../errors.ts'

/**
 * Caps that keep the selector parser and compiler bounded on hostile input. Calico's CRD
 * schema limits a policy selector to 1024 characters, but Policyboard composes longer
 * selectors internally (namespace and service-account scoping), so the parser's cap is wider.
 */
export const SELECTOR_LIMITS = {
  /** Longest selector text accepted, in UTF-16 code units (64 KiB). */
  maxLength: 65_536,
  /** Deepest nesting of parentheses accepted (more than a 1024-character policy selector can hold). */
  maxDepth: 1_024,
  /** Most values accepted in one `in {…}` / `not in {…}` set literal. */
  maxSetSize: 10_000,
  /** Longest label key accepted, in characters (Calico's own rule). */
  maxLabelLength: 512,
} as const

/** The name of one entry of {@link SELECTOR_LIMITS}. */
export type SelectorLimitName = keyof typeof SELECTOR_LIMITS

/**
 * A selector that does not parse. `code` is `SELECTOR_SYNTAX` for malformed text and
 * `SELECTOR_LIMIT` when one of {@link SELECTOR_LIMITS} is exceeded; `range` covers the
 * offending characters of the selector text (`end` exclusive).
 */
export class SelectorError extends PolicyError {
  override readonly name: string = 'SelectorError'
  /** Where in the selector text the problem is; never undefined for selector errors. */
  declare readonly range: SourceRange

  constructor(code: 'SELECTOR_SYNTAX' | 'SELECTOR_LIMIT', message: string, range: SourceRange) {
    super(code, message, {}, range)
  }
}

/** A `SELECTOR_SYNTAX` error covering `[start, end)`. */
export function syntaxError(message: string, start: number, end: number): SelectorError {
  return new SelectorError(ErrorCodes.SELECTOR_SYNTAX, message, {
    start,
    end: Math.max(start, end),
  })
}

/** A `SELECTOR_LIMIT` error naming the limit that was exceeded. */
export function limitError(
  limit: SelectorLimitName,
  what: string,
  start: number,
  end: number,
): SelectorError {
  return new SelectorError(
    ErrorCodes.SELECTOR_LIMIT,
    `${what}: the limit is ${SELECTOR_LIMITS[limit]} (${limit})`,
    { start, end: Math.max(start, end) },
  )
}
