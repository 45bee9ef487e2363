/** Small stroke icons drawn inline, so no icon font or emoji font is needed. */

const PATHS = {
  download: 'M8 2v8m0 0L5 7m3 3 3-3M3 12.5h10',
  edit: 'M10.5 2.5l3 3L6 13H3v-3l7.5-7.5z',
  trash: 'M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.5 8.5h6l.5-8.5',
  grip: 'M6 3.5h.01M10 3.5h.01M6 8h.01M10 8h.01M6 12.5h.01M10 12.5h.01',
  lock: 'M4.5 7.5h7v5.5h-7zM6 7.5V5.5a2 2 0 0 1 4 0v2',
  collapse: 'M10 3.5 5.5 8l4.5 4.5',
  endpoints: 'M8 2l5 3v6l-5 3-5-3V5z',
} as const

/** Name of an icon. */
export type IconName = keyof typeof PATHS

/** A 16×16 stroke icon in the current text colour. */
export function Icon({ name, size = 14 }: { name: IconName; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={name === 'grip' ? 2.4 : 1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  )
}
