import type { PolicyError } from '@policyboard/policy-core'
import { createContext, type ReactNode, useContext } from 'react'
import { errorsAt } from './editor-state.ts'

const FieldErrorsContext = createContext<readonly PolicyError[]>([])

/** Makes the policy's validation errors available to every field below. */
export function FieldErrorsProvider({
  errors,
  children,
}: {
  errors: readonly PolicyError[]
  children: ReactNode
}) {
  return <FieldErrorsContext.Provider value={errors}>{children}</FieldErrorsContext.Provider>
}

/** The validation errors of the policy being edited. */
export function useFieldErrors(): readonly PolicyError[] {
  return useContext(FieldErrorsContext)
}

/** The messages of the errors at exactly `path`, shown under a field. */
export function FieldError({ path }: { path: string }) {
  const errors = errorsAt(useFieldErrors(), path)
  if (errors.length === 0) return null
  return (
    <div
      className="pe-field-error"
      role="alert"
      data-testid="policy-editor.field-error"
      data-path={path}
    >
      {errors.map((e) => e.message).join('; ')}
    </div>
  )
}

/** A labelled form row: label, control, and the errors of its field path. */
export function Field({
  label,
  path,
  children,
  hint,
}: {
  label: string
  /** The model field path whose errors show here. */
  path?: string
  children: ReactNode
  hint?: ReactNode
}) {
  return (
    <div className="pe-field">
      <span className="pe-field-label">{label}</span>
      <div className="pe-field-control">
        {children}
        {hint ? <div className="pe-hint">{hint}</div> : null}
        {path ? <FieldError path={path} /> : null}
      </div>
    </div>
  )
}
