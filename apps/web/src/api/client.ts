/**
 * The web app's only door to the server. Every request goes through `apiFetch`, which
 * turns a non-2xx answer into an `ApiError` carrying the server's code, message and the
 * field path of the first problem, so views can show where an input went wrong.
 */

/** One problem inside an error body, e.g. a field that failed validation. */
export interface ApiErrorDetail {
  /** Stable SCREAMING_SNAKE code. */
  code: string
  /** Lowercase message saying what was expected. */
  message: string
  /** Field path (`spec.ingress[2].action`), or '' for the whole request. */
  path: string
  /** Document index for multi-document YAML input. */
  document?: number
}

/** A failed API call: HTTP status plus what the server's error body said. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  /** HTTP status; 0 when the server could not be reached at all. */
  readonly status: number
  /** Stable code from the body (`NOT_FOUND`, `CONFLICT`, `UNKNOWN_FIELD`, …). */
  readonly code: string
  /** Field path of the first problem, '' when the error is about the request as a whole. */
  readonly path: string
  /** Every problem the server listed. */
  readonly errors: ApiErrorDetail[]

  constructor(
    status: number,
    code: string,
    message: string,
    path = '',
    errors: ApiErrorDetail[] = [],
  ) {
    super(message)
    this.status = status
    this.code = code
    this.path = path
    this.errors = errors
  }
}

/** What the server returns on failure: `{code, message, errors:[{code,message,path}]}`. */
interface ErrorBodyLike {
  code?: unknown
  error?: unknown
  message?: unknown
  path?: unknown
  errors?: unknown
}

function asDetail(value: unknown): ApiErrorDetail | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  const detail: ApiErrorDetail = {
    code: typeof v.code === 'string' ? v.code : 'ERROR',
    message: typeof v.message === 'string' ? v.message : '',
    path: typeof v.path === 'string' ? v.path : '',
  }
  if (typeof v.document === 'number') detail.document = v.document
  return detail
}

/**
 * Builds an `ApiError` from a status and a response text (JSON or not).
 * @internal exported for tests
 */
export function parseApiError(status: number, text: string, statusText = ''): ApiError {
  let body: ErrorBodyLike | undefined
  try {
    body = JSON.parse(text) as ErrorBodyLike
  } catch {
    body = undefined
  }
  if (!body || typeof body !== 'object') {
    return new ApiError(
      status,
      `HTTP_${status}`,
      text.trim() || statusText || `request failed (${status})`,
    )
  }
  const errors = Array.isArray(body.errors)
    ? body.errors.map(asDetail).filter((d): d is ApiErrorDetail => d !== undefined)
    : []
  const code =
    typeof body.code === 'string'
      ? body.code
      : typeof body.error === 'string'
        ? body.error.toUpperCase().replace(/\s+/g, '_')
        : `HTTP_${status}`
  const message =
    typeof body.message === 'string'
      ? body.message
      : (errors[0]?.message ?? `request failed (${status})`)
  const path = typeof body.path === 'string' && body.path ? body.path : (errors[0]?.path ?? '')
  return new ApiError(status, code, message, path, errors)
}

/** Options for `apiFetch`: a JSON body is serialised, anything else is passed to `fetch`. */
export interface ApiRequest extends Omit<RequestInit, 'body'> {
  /** Sent as JSON when an object, as-is when a string. */
  body?: unknown
  /** Query string values; `undefined` and '' are dropped. */
  query?: Record<string, string | number | boolean | undefined>
}

/** `/api/v1/x` plus the non-empty query values. */
export function apiUrl(path: string, query?: ApiRequest['query']): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== '') params.set(k, String(v))
  }
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

async function send(path: string, req: ApiRequest): Promise<Response> {
  const { body, query, headers, ...rest } = req
  const init: RequestInit = { ...rest, headers: new Headers(headers) }
  const h = init.headers as Headers
  if (body !== undefined) {
    if (typeof body === 'string') init.body = body
    else {
      init.body = JSON.stringify(body)
      h.set('content-type', 'application/json')
    }
  }
  if (!h.has('accept')) h.set('accept', 'application/json')
  // Cookie sessions: a state-changing request echoes the CSRF cookie (double submit).
  const method = (init.method ?? 'GET').toUpperCase()
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = readCookie(CSRF_COOKIE)
    if (csrf && !h.has(CSRF_HEADER)) h.set(CSRF_HEADER, csrf)
  }
  init.credentials ??= 'same-origin'
  let res: Response
  try {
    res = await fetch(apiUrl(path, query), init)
  } catch (e) {
    throw new ApiError(0, 'NETWORK', `could not reach the server: ${(e as Error).message}`)
  }
  if (!res.ok) {
    const error = parseApiError(res.status, await res.text(), res.statusText)
    // The session ended (or never began): the shell sends the user to the login page.
    if (res.status === 401 && typeof window !== 'undefined' && path !== '/api/v1/auth/login') {
      window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT))
    }
    throw error
  }
  return res
}

/** Cookie the server sets beside the session: its CSRF token. */
export const CSRF_COOKIE = 'pb_csrf'
/** Header that carries the CSRF token on state-changing requests. */
export const CSRF_HEADER = 'x-policyboard-csrf'
/** Window event fired when the server answers 401 (no or expired session). */
export const UNAUTHORIZED_EVENT = 'policyboard:unauthorized'

/** One cookie's value from `document.cookie`, if any. */
export function readCookie(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      return decodeURIComponent(part.slice(eq + 1).trim())
    }
  }
  return undefined
}

/** Calls the API and returns the parsed JSON body (or `undefined` for 204). Throws `ApiError`. */
export async function apiFetch<T>(path: string, req: ApiRequest = {}): Promise<T> {
  const res = await send(path, req)
  if (res.status === 204) return undefined as T
  const text = await res.text()
  return (text ? JSON.parse(text) : undefined) as T
}

/** A downloaded file: its content and the name the server gave it. */
export interface Download {
  /** File content. */
  blob: Blob
  /** From `Content-Disposition`, or the fallback. */
  filename: string
}

/** Reads `filename="x.yaml"` (or RFC 5987 `filename*=UTF-8''x.yaml`) from a header value. */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header)
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      // a malformed encoding falls through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header)
  const name = plain?.[2] ?? plain?.[1]?.trim()
  return name || fallback
}

/** Fetches a file (e.g. an export) and names it from `Content-Disposition`. Throws `ApiError`. */
export async function apiDownload(
  path: string,
  query: ApiRequest['query'],
  fallback: string,
): Promise<Download> {
  const res = await send(path, { query, headers: { accept: 'application/yaml, */*' } })
  const blob = await res.blob()
  return {
    blob,
    filename: filenameFromDisposition(res.headers.get('content-disposition'), fallback),
  }
}
