import { type ApiErrorCode, ApiErrorCodes, type ErrorItem } from '@policyboard/api'
import type { PolicyError } from '@policyboard/policy-core'

/** A request whose content failed policy-core validation: 400 with every error. */
export class ValidationFailure extends Error {
  override readonly name = 'ValidationFailure'
  readonly errors: ErrorItem[]

  constructor(message: string, errors: readonly (PolicyError | ErrorItem)[]) {
    super(message)
    this.errors = errors.map((e) =>
      'toJSON' in e && typeof e.toJSON === 'function' ? e.toJSON() : (e as ErrorItem),
    )
  }
}

/** A refused store operation, mapped to its HTTP status in one place (the app's error handler). */
export class StoreError extends Error {
  override readonly name = 'StoreError'
  readonly code: ApiErrorCode
  readonly statusCode: number
  /** On a stale write: the version currently stored. */
  readonly currentResourceVersion: string | undefined

  constructor(code: ApiErrorCode, statusCode: number, message: string, current?: string) {
    super(message)
    this.code = code
    this.statusCode = statusCode
    this.currentResourceVersion = current
  }
}

/** 404: no such resource. */
export function notFound(what: string): StoreError {
  return new StoreError(ApiErrorCodes.NOT_FOUND, 404, `${what} not found`)
}

/** 409: the write named a version that is no longer current. */
export function staleVersion(
  what: string,
  expected: string,
  current: string | undefined,
): StoreError {
  return new StoreError(
    ApiErrorCodes.CONFLICT,
    409,
    `${what} was modified: expected resourceVersion ${expected}, found ${current ?? 'none'}`,
    current,
  )
}
