export { CommandPalette, useCommandPaletteHotkey } from './CommandPalette.tsx'
export type { PaletteGroup, PaletteItem } from './palette-model.ts'
export { matchScore, paletteItems, rankItems } from './palette-model.ts'
