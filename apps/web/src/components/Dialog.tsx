import { type ReactNode, useEffect, useId, useLayoutEffect, useRef } from 'react'
import { createPortal } from 'react-dom'

/** Props of `Dialog`. */
export interface DialogProps {
  /** Heading, also the accessible name. */
  title: string
  onClose: () => void
  children: ReactNode
  /** Buttons row at the bottom. */
  footer?: ReactNode
  /** `wide` for diffs and YAML. */
  size?: 'md' | 'wide'
  testId?: string
}

/**
 * A modal dialog: Escape and the backdrop close it, focus moves inside on open and back
 * to where it was on close.
 */
export function Dialog({ title, onClose, children, footer, size = 'md', testId }: DialogProps) {
  const titleId = useId()
  const ref = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    const first = ref.current?.querySelector<HTMLElement>(
      'input, select, textarea, [data-autofocus], button:not([data-close])',
    )
    ;(first ?? ref.current)?.focus()
    return () => previous?.focus?.()
  }, [])

  // A layout effect: the listener is in place before the dialog is painted, so an Escape
  // pressed as soon as the dialog shows is not lost.
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation()
        onClose()
      }
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [onClose])

  return createPortal(
    // biome-ignore lint/a11y/noStaticElementInteractions: a click on the backdrop closes; Escape does the same from the keyboard
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className={`dialog dialog-${size}`}
        data-testid={testId}
        tabIndex={-1}
      >
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button
            type="button"
            className="btn btn-ghost btn-icon"
            aria-label="Close"
            data-close
            onClick={onClose}
          >
            ×
          </button>
        </header>
        <div className="dialog-body">{children}</div>
        {footer ? <footer className="dialog-footer">{footer}</footer> : null}
      </div>
    </div>,
    document.body,
  )
}
