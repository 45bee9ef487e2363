/**
 * The small toolkit every resource validator uses: an error collector that knows the
 * document and resource being checked, and typed readers for plain-object fields that
 * report wrong types and unknown keys with their field path.
 */
import {
  type ErrorCode,
  ErrorCodes,
  type ErrorLocation,
  joinFieldPath,
  PolicyError,
} from '../errors.ts'

/** Collects every problem of one document; validators push into it and keep going. */
export class Checker {
  readonly errors: PolicyError[] = []
  private readonly base: ErrorLocation
  /** Field path prefix (e.g. `items[3]` for an item of a `List`). */
  private readonly prefix: string

  constructor(base: ErrorLocation = {}, prefix = '') {
    this.base = base
    this.prefix = prefix
  }

  /** Names the resource in every error reported from now on (and in those already reported). */
  setResource(resource: string): void {
    this.base.resource = resource
    for (const [i, e] of this.errors.entries()) {
      this.errors[i] = new PolicyError(e.code, e.message, { ...e.location, resource }, e.range)
    }
  }

  /** Reports a problem at `field` (a path inside the document). */
  report(code: ErrorCode, field: string, message: string): void {
    this.errors.push(
      new PolicyError(code, message, { ...this.base, field: joinFieldPath(this.prefix, field) }),
    )
  }

  /** Reports an error produced elsewhere (a selector error) at `field`. */
  reportError(error: PolicyError, field: string): void {
    this.errors.push(error.at({ ...this.base, field: joinFieldPath(this.prefix, field) }))
  }

  /** Whether any error was reported. */
  get failed(): boolean {
    return this.errors.length > 0
  }
}

/** A plain object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `path.key` (or `path['odd/key']` for keys that are not plain words), or `key` at the root. */
export function sub(path: string, key: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(key)) return `${path}['${key}']`
  return path ? `${path}.${key}` : key
}

/** The JSON-ish type name of a value, for messages. */
export function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number'
  return `a ${typeof value}`
}

/**
 * Reads `value` as an object with only the `allowed` keys. Reports INVALID_TYPE when it is
 * not an object and UNKNOWN_FIELD for each extra key; returns the object (or undefined).
 */
export function readObject(
  c: Checker,
  value: unknown,
  path: string,
  allowed: readonly string[],
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) {
    c.report(ErrorCodes.INVALID_TYPE, path, `expected an object, got ${typeName(value)}`)
    return undefined
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      c.report(
        ErrorCodes.UNKNOWN_FIELD,
        sub(path, key),
        `unknown field '${key}'; expected one of ${allowed.join(', ')}`,
      )
    }
  }
  return value
}

/** A string field; absent stays undefined, a wrong type is reported. */
export function readString(c: Checker, value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') {
    c.report(ErrorCodes.INVALID_TYPE, path, `expected a string, got ${typeName(value)}`)
    return undefined
  }
  return value
}

/** A finite number field. */
export function readNumber(c: Checker, value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    c.report(ErrorCodes.INVALID_TYPE, path, `expected a number, got ${typeName(value)}`)
    return undefined
  }
  return value
}

/** An integer field within `[min, max]`. */
export function readInteger(
  c: Checker,
  value: unknown,
  path: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    c.report(ErrorCodes.INVALID_TYPE, path, `expected an integer, got ${typeName(value)}`)
    return undefined
  }
  if (value < min || value > max) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      path,
      `expected an integer from ${min} to ${max}, got ${value}`,
    )
    return undefined
  }
  return value
}

/** A boolean field. */
export function readBoolean(c: Checker, value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') {
    c.report(ErrorCodes.INVALID_TYPE, path, `expected true or false, got ${typeName(value)}`)
    return undefined
  }
  return value
}

/** A list field with at most `max` items; each item read by `item` (undefined items dropped). */
export function readList<T>(
  c: Checker,
  value: unknown,
  path: string,
  max: number,
  item: (v: unknown, p: string, i: number) => T | undefined,
): T[] | undefined {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value)) {
    c.report(ErrorCodes.INVALID_TYPE, path, `expected a list, got ${typeName(value)}`)
    return undefined
  }
  if (value.length > max) {
    c.report(ErrorCodes.INVALID_VALUE, path, `expected at most ${max} items, got ${value.length}`)
  }
  const out: T[] = []
  for (const [i, v] of value.entries()) {
    const r = item(v, `${path}[${i}]`, i)
    if (r !== undefined) out.push(r)
  }
  return out
}

/** A list of strings. */
export function readStringList(
  c: Checker,
  value: unknown,
  path: string,
  max: number,
): string[] | undefined {
  return readList(c, value, path, max, (v, p) => {
    if (typeof v !== 'string') {
      c.report(ErrorCodes.INVALID_TYPE, p, `expected a string, got ${typeName(v)}`)
      return undefined
    }
    return v
  })
}

/** One of the given string values (case-sensitive). */
export function readEnum<T extends string>(
  c: Checker,
  value: unknown,
  path: string,
  values: readonly T[],
): T | undefined {
  const s = readString(c, value, path)
  if (s === undefined) return undefined
  if (!(values as readonly string[]).includes(s)) {
    c.report(ErrorCodes.INVALID_VALUE, path, `expected one of ${values.join(', ')}, got '${s}'`)
    return undefined
  }
  return s as T
}

/** A string → string map (labels, annotations). */
export function readStringMap(
  c: Checker,
  value: unknown,
  path: string,
): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined
  if (!isPlainObject(value)) {
    c.report(ErrorCodes.INVALID_TYPE, path, `expected a map of strings, got ${typeName(value)}`)
    return undefined
  }
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      c.report(ErrorCodes.INVALID_TYPE, sub(path, k), `expected a string value, got ${typeName(v)}`)
      continue
    }
    out[k] = v
  }
  return out
}

/** Copies `obj` without the keys whose value is undefined. */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v
  return out as T
}
