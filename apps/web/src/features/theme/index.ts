export { ThemeProvider, useTheme } from './ThemeProvider.tsx'
export { ThemeToggle } from './ThemeToggle.tsx'
export type { ResolvedTheme, ThemePreference } from './theme.ts'
export { nextThemePreference, resolveTheme } from './theme.ts'
