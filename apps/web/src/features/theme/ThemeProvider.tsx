import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react'
import {
  type ResolvedTheme,
  readThemePreference,
  resolveTheme,
  type ThemePreference,
  writeThemePreference,
} from './theme.ts'

interface ThemeState {
  /** What the user chose. */
  preference: ThemePreference
  /** What is painted now. */
  theme: ResolvedTheme
  setPreference: (pref: ThemePreference) => void
}

const ThemeContext = createContext<ThemeState | null>(null)

function systemPrefersDark(): boolean {
  return typeof window.matchMedia === 'function'
    ? window.matchMedia('(prefers-color-scheme: dark)').matches
    : false
}

/** Paints `data-theme` on <html> and follows the system while the preference is `system`. */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const [preference, setPref] = useState<ThemePreference>(readThemePreference)
  const [systemDark, setSystemDark] = useState(systemPrefersDark)

  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return
    const mq = window.matchMedia('(prefers-color-scheme: dark)')
    const onChange = () => setSystemDark(mq.matches)
    mq.addEventListener('change', onChange)
    return () => mq.removeEventListener('change', onChange)
  }, [])

  const theme = resolveTheme(preference, systemDark)
  useEffect(() => {
    document.documentElement.dataset.theme = theme
  }, [theme])

  const value = useMemo<ThemeState>(
    () => ({
      preference,
      theme,
      setPreference: (p) => {
        writeThemePreference(p)
        setPref(p)
      },
    }),
    [preference, theme],
  )
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>
}

/** The current theme and a setter; must be used under `ThemeProvider`. */
export function useTheme(): ThemeState {
  const ctx = useContext(ThemeContext)
  if (!ctx) throw new Error('useTheme must be used inside ThemeProvider')
  return ctx
}
