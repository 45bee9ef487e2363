import { useTheme } from './ThemeProvider.tsx'
import { nextThemePreference } from './theme.ts'

const LABEL = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' } as const
const ICON = { system: '◐', light: '☀', dark: '☾' } as const

/** Cycles system → light → dark; the label says the current choice. */
export function ThemeToggle() {
  const { preference, setPreference } = useTheme()
  return (
    <button
      type="button"
      className="btn btn-ghost btn-icon"
      data-testid="theme.toggle"
      aria-label={`${LABEL[preference]} (click to change)`}
      title={LABEL[preference]}
      onClick={() => setPreference(nextThemePreference(preference))}
    >
      <span aria-hidden="true">{ICON[preference]}</span>
    </button>
  )
}
