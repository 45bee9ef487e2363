import type { ReactNode } from 'react'
import { ApiError } from '../api/client.ts'

/** A centred spinner with a label. */
export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  )
}

/** Nothing to show, with a hint of what to do. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string
  children?: ReactNode
  action?: ReactNode
}) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children ? <div className="muted">{children}</div> : null}
      {action}
    </div>
  )
}

/** Renders any error; an `ApiError` shows its code, message and every field path. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  const api = error instanceof ApiError ? error : undefined
  const message = error instanceof Error ? error.message : String(error)
  const details = api?.errors.length
    ? api.errors
    : api?.path
      ? [{ code: api.code, message, path: api.path }]
      : []
  return (
    <div className="error-box" role="alert" data-testid="error.message">
      <div className="error-title">
        {title ?? 'Something went wrong'}
        {api ? <code className="error-code">{api.code}</code> : null}
      </div>
      <div>{message}</div>
      {details.length > 0 ? (
        <ul className="error-list">
          {details.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: details have no identity of their own
            <li key={i}>
              {d.path ? <code>{d.path}</code> : null} {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

/** A full-area error with an optional retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="state state-error">
      <ErrorMessage error={error} />
      {onRetry ? (
        <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  )
}
