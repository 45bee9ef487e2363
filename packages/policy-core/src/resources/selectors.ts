/**
 * Selector fields of resources: syntax through the selector language, Calico's length cap,
 * and where `global()` may appear.
 */
import { ErrorCodes } from '../errors.ts'
import { validateSelector } from '../selector/index.ts'
import { tokenize } from '../selector/tokenize.ts'
import { type Checker, readString } from './check.ts'

/** Longest selector Calico's CRD schema accepts in a policy or rule field. */
export const MAX_SELECTOR_LENGTH = 1024

/** Where `global()` may appear in a selector field. */
export type GlobalUse = 'forbidden' | 'entire'

/**
 * Reads a selector field: a string that parses, at most 1024 characters. With
 * `global: 'forbidden'` it may not contain `global(` (policy `selector`,
 * `serviceAccountSelector`, GNP `namespaceSelector`, rule `selector`); with `'entire'` a
 * selector mentioning `global(` must be the `global()` token alone (rule `namespaceSelector`),
 * the checks of Calico's validator (`validateEntityRule`).
 */
export function readSelector(
  c: Checker,
  value: unknown,
  path: string,
  global: GlobalUse,
): string | undefined {
  const text = readString(c, value, path)
  if (text === undefined) return undefined
  if (text.length > MAX_SELECTOR_LENGTH) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      path,
      `expected a selector of at most ${MAX_SELECTOR_LENGTH} characters, got ${text.length}`,
    )
    return text
  }
  const err = validateSelector(text)
  if (err) {
    c.reportError(err, path)
    return text
  }
  if (text.includes('global(')) {
    if (global === 'forbidden') {
      c.report(
        ErrorCodes.INVALID_VALUE,
        path,
        'expected no global() here: global() can only be used in a rule namespaceSelector',
      )
    } else if (!isGlobalAlone(text)) {
      c.report(
        ErrorCodes.INVALID_VALUE,
        path,
        'expected global() alone: global() cannot be combined with other selectors',
      )
    }
  }
  return text
}

/**
 * Whether a selector is `global()` and nothing else, as Calico's validator decides it: its
 * tokens are exactly `global()` then the end (so `global( )` is, `(global())` is not).
 */
function isGlobalAlone(text: string): boolean {
  const t = tokenize(text)
  return t.ok && t.tokens.length === 2 && t.tokens[0]?.kind === 'global'
}
