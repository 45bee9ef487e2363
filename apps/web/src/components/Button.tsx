import type { ButtonHTMLAttributes } from 'react'

/** Visual weight of a button. */
export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost'

/** Props of `Button`: a native button plus variant and size. */
export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant
  /** `sm` for toolbars and cards. */
  size?: 'sm' | 'md'
}

/** The app's button; `type="button"` unless told otherwise. */
export function Button({
  variant = 'secondary',
  size = 'md',
  className,
  type,
  ...rest
}: ButtonProps) {
  const cls = ['btn', `btn-${variant}`, size === 'sm' ? 'btn-sm' : '', className ?? '']
    .filter(Boolean)
    .join(' ')
  return <button type={type ?? 'button'} className={cls} {...rest} />
}
