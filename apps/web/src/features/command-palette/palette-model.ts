/** The command palette's entries and its fuzzy ranking, free of React. */
import type { BoardResponse } from '@policyboard/api'
import { policyHref } from '../policy-detail/links.ts'

/** What an entry is. */
export type PaletteGroup = 'Action' | 'Policy' | 'Tier' | 'Namespace'

/** One entry: a label, where it goes (or which action it runs). */
export interface PaletteItem {
  /** Stable id, unique in the list. */
  id: string
  group: PaletteGroup
  label: string
  /** Secondary text: kind, tier, namespace. */
  hint?: string
  /** A URL to navigate to… */
  href?: string
  /** …or a named action the shell runs. */
  action?: 'toggle-theme'
}

/** The fixed actions. */
export const PALETTE_ACTIONS: readonly PaletteItem[] = [
  { id: 'action:new-policy', group: 'Action', label: 'New policy', href: '/policies/new' },
  { id: 'action:new-tier', group: 'Action', label: 'New tier', href: '/board?dialog=new-tier' },
  { id: 'action:import', group: 'Action', label: 'Import YAML', href: '/import' },
  { id: 'action:history', group: 'Action', label: 'Change history', href: '/history' },
  { id: 'action:board', group: 'Action', label: 'Go to board', href: '/board' },
  { id: 'action:theme', group: 'Action', label: 'Toggle light/dark theme', action: 'toggle-theme' },
]

/** Every entry derived from a board: policies, tiers, namespaces, then the actions. */
export function paletteItems(board: BoardResponse | undefined): PaletteItem[] {
  const items: PaletteItem[] = [...PALETTE_ACTIONS]
  if (!board) return items
  const namespaces = new Set<string>()
  for (const t of board.tiers) {
    items.push({
      id: `tier:${t.name}`,
      group: 'Tier',
      label: t.name,
      hint: `${t.policies.length} policies`,
      href: `/tiers/${encodeURIComponent(t.name)}`,
    })
    for (const p of t.policies) {
      if (p.namespace) namespaces.add(p.namespace)
      items.push({
        id: `policy:${p.kind}/${p.namespace ?? ''}/${p.name}`,
        group: 'Policy',
        label: p.name,
        hint: [p.kind, p.namespace, `tier ${t.name}`].filter(Boolean).join(' · '),
        href: policyHref(p),
      })
    }
  }
  for (const ns of [...namespaces].sort()) {
    items.push({
      id: `ns:${ns}`,
      group: 'Namespace',
      label: ns,
      hint: 'filter the board',
      href: `/board?ns=${encodeURIComponent(ns)}`,
    })
  }
  return items
}

/**
 * Score of a label for a query: prefix beats word start beats substring beats in-order
 * letters; 0 means no match.
 */
export function matchScore(label: string, query: string): number {
  const l = label.toLowerCase()
  const q = query.trim().toLowerCase()
  if (!q) return 1
  if (l.startsWith(q)) return 100 - Math.min(l.length - q.length, 50) / 100
  const at = l.indexOf(q)
  if (at > 0 && /[-_.\s/]/.test(l[at - 1] ?? '')) return 80
  if (at >= 0) return 60
  // Letters in order, but only within a compact span: loose matches across a long label are noise.
  let i = 0
  let start = -1
  for (let k = 0; k < l.length && i < q.length; k++) {
    if (l[k] === q[i]) {
      if (i === 0) start = k
      i++
      if (i === q.length && k - start + 1 <= q.length * 2) return 20
    }
  }
  return 0
}

/** Substring-only score for secondary text (kind, namespace, tier). */
function hintScore(hint: string, query: string): number {
  const q = query.trim().toLowerCase()
  return q && hint.toLowerCase().includes(q) ? 30 : 0
}

/** Entries matching the query, best first (ties keep group order), at most `limit`. */
export function rankItems(items: readonly PaletteItem[], query: string, limit = 50): PaletteItem[] {
  return items
    .map((item, index) => ({
      item,
      index,
      score: Math.max(matchScore(item.label, query), hintScore(item.hint ?? '', query)),
    }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limit)
    .map((x) => x.item)
}
