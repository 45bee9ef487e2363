import type { ReactNode } from 'react'

/** Colour family of a badge. */
export type BadgeTone = 'neutral' | 'allow' | 'deny' | 'pass' | 'log' | 'staged' | 'info' | 'warn'

/** A small label: kind, state, action. */
export function Badge({
  tone = 'neutral',
  children,
  title,
  testId,
}: {
  tone?: BadgeTone
  children: ReactNode
  title?: string
  testId?: string
}) {
  return (
    <span className={`badge badge-${tone}`} title={title} data-testid={testId}>
      {children}
    </span>
  )
}
