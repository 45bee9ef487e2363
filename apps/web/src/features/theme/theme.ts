/** Theme preference: follow the system, or a fixed light/dark, remembered in localStorage. */

/** What the user chose. */
export type ThemePreference = 'system' | 'light' | 'dark'
/** What is painted. */
export type ResolvedTheme = 'light' | 'dark'

/** localStorage key of the preference (also read by index.html before first paint). */
export const THEME_STORAGE_KEY = 'policyboard.theme'

/** Reads the remembered preference; `system` when none or storage is unavailable. */
export function readThemePreference(): ThemePreference {
  try {
    const v = localStorage.getItem(THEME_STORAGE_KEY)
    return v === 'light' || v === 'dark' ? v : 'system'
  } catch {
    return 'system'
  }
}

/** Remembers the preference (`system` forgets it). */
export function writeThemePreference(pref: ThemePreference): void {
  try {
    if (pref === 'system') localStorage.removeItem(THEME_STORAGE_KEY)
    else localStorage.setItem(THEME_STORAGE_KEY, pref)
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** The theme to paint for a preference, given whether the system prefers dark. */
export function resolveTheme(pref: ThemePreference, systemDark: boolean): ResolvedTheme {
  if (pref === 'system') return systemDark ? 'dark' : 'light'
  return pref
}

/** The next preference in the toolbar's cycle: system → light → dark → system. */
export function nextThemePreference(pref: ThemePreference): ThemePreference {
  return pref === 'system' ? 'light' : pref === 'light' ? 'dark' : 'system'
}
