/**
 * One error type for the whole domain. Errors are values: validation returns every
 * problem of a document as a list of these, and callers decide whether to throw.
 */

/** Where a problem sits: which document of an input, which resource, which field. */
export interface ErrorLocation {
  /** 0-based index of the document in a multi-document input (or of the item in a `List`). */
  document?: number
  /** `Kind namespace/name` (or `Kind name`) of the resource, when it could be read. */
  resource?: string
  /** Field path inside the document, e.g. `spec.ingress[2].source.selector`. */
  field?: string
}

/** A character range in a source string (selector text, YAML text), `end` exclusive. */
export interface SourceRange {
  start: number
  end: number
}

/** Every stable error code policy-core produces. */
export const ErrorCodes = {
  SELECTOR_SYNTAX: 'SELECTOR_SYNTAX',
  SELECTOR_LIMIT: 'SELECTOR_LIMIT',
  YAML_SYNTAX: 'YAML_SYNTAX',
  YAML_LIMIT: 'YAML_LIMIT',
  UNKNOWN_KIND: 'UNKNOWN_KIND',
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
  REQUIRED_FIELD: 'REQUIRED_FIELD',
  INVALID_TYPE: 'INVALID_TYPE',
  INVALID_VALUE: 'INVALID_VALUE',
  INVALID_NAME: 'INVALID_NAME',
  CONVERSION: 'CONVERSION',
  SCENARIO: 'SCENARIO',
  IMPACT_CHANGE: 'IMPACT_CHANGE',
} as const

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes]

/**
 * The base error of policy-core. `message` is lowercase and says what was expected;
 * `location` says where. `toString()` renders both for a terminal.
 */
export class PolicyError extends Error {
  override readonly name: string = 'PolicyError'
  readonly code: ErrorCode
  readonly location: ErrorLocation
  /** Range inside the offending string (selectors, YAML), when known. */
  readonly range: SourceRange | undefined

  constructor(code: ErrorCode, message: string, location: ErrorLocation = {}, range?: SourceRange) {
    super(message)
    this.code = code
    this.location = location
    this.range = range
  }

  /** The field path alone (`spec.ingress[0].action`), or '' when the error is about a whole document. */
  get path(): string {
    return this.location.field ?? ''
  }

  /** A copy of this error placed at a location (prefixing the field path, filling document/resource). */
  at(location: ErrorLocation): PolicyError {
    const field = joinFieldPath(location.field, this.location.field)
    return new PolicyError(
      this.code,
      this.message,
      { ...this.location, ...location, ...(field ? { field } : {}) },
      this.range,
    )
  }

  /** Plain data for JSON bodies and CLI output. */
  toJSON(): {
    code: ErrorCode
    message: string
    path: string
    document?: number
    resource?: string
    range?: SourceRange
  } {
    return {
      code: this.code,
      message: this.message,
      path: this.path,
      ...(this.location.document !== undefined ? { document: this.location.document } : {}),
      ...(this.location.resource !== undefined ? { resource: this.location.resource } : {}),
      ...(this.range ? { range: this.range } : {}),
    }
  }

  override toString(): string {
    const where: string[] = []
    if (this.location.document !== undefined) where.push(`document ${this.location.document}`)
    if (this.location.resource) where.push(this.location.resource)
    if (this.location.field) where.push(this.location.field)
    return where.length ? `${where.join(': ')}: ${this.message}` : this.message
  }
}

/** Joins two field paths: `spec` + `ingress[0]` → `spec.ingress[0]`, `x` + `[2]` → `x[2]`. */
export function joinFieldPath(outer: string | undefined, inner: string | undefined): string {
  if (!outer) return inner ?? ''
  if (!inner) return outer
  return inner.startsWith('[') ? `${outer}${inner}` : `${outer}.${inner}`
}

/** The result of an operation that reports problems as values. */
export type Result<T> = { ok: true; value: T } | { ok: false; errors: PolicyError[] }
