import { useCallback, useMemo } from 'react'
import { useSearchParams } from 'react-router'
import { HIT_WINDOWS, type HitWindow } from '../../api/types.ts'
import type { BoardFilter, KindFilter, StateFilter } from './board-model.ts'

/** Everything the board reads from its URL. */
export interface BoardSearch {
  filter: BoardFilter
  /** `namespace/name` (or a host endpoint name) the policies must select; '' = no filter. */
  endpoint: string
  window: HitWindow
  /** Built-in tiers the user expanded. */
  expanded: string[]
  /** An open dialog (`new-tier`, `edit-tier:<name>`, `export`). */
  dialog: string
}

const KINDS: readonly KindFilter[] = ['', 'global', 'namespaced', 'kubernetes']
const STATES: readonly StateFilter[] = ['', 'staged', 'enforced']

/** Parses the board's search params; unknown values fall back to defaults. */
export function parseBoardSearch(params: URLSearchParams): BoardSearch {
  const kind = params.get('kind') ?? ''
  const state = params.get('state') ?? ''
  const win = params.get('window') ?? ''
  return {
    filter: {
      text: params.get('q') ?? '',
      namespace: params.get('ns') ?? '',
      kind: (KINDS as readonly string[]).includes(kind) ? (kind as KindFilter) : '',
      state: (STATES as readonly string[]).includes(state) ? (state as StateFilter) : '',
    },
    endpoint: params.get('endpoint') ?? '',
    window: (HIT_WINDOWS as readonly string[]).includes(win) ? (win as HitWindow) : '24h',
    expanded: (params.get('expand') ?? '').split(',').filter(Boolean),
    dialog: params.get('dialog') ?? '',
  }
}

/** URL parameter names of each board setting. */
const PARAM = {
  text: 'q',
  namespace: 'ns',
  kind: 'kind',
  state: 'state',
  endpoint: 'endpoint',
  window: 'window',
  expanded: 'expand',
  dialog: 'dialog',
} as const

/** A change to the board's URL state. */
export type BoardSearchPatch = Partial<
  BoardFilter & Pick<BoardSearch, 'endpoint' | 'window' | 'expanded' | 'dialog'>
>

/** Applies a patch to search params (empty values and the default window are dropped). */
export function patchBoardSearch(
  params: URLSearchParams,
  patch: BoardSearchPatch,
): URLSearchParams {
  const next = new URLSearchParams(params)
  for (const [key, value] of Object.entries(patch) as Array<[keyof typeof PARAM, unknown]>) {
    const name = PARAM[key]
    const text = Array.isArray(value) ? value.join(',') : String(value ?? '')
    if (!text || (key === 'window' && text === '24h')) next.delete(name)
    else next.set(name, text)
  }
  return next
}

/**
 * The board's URL state and a setter. Typing in the text filter replaces the history entry
 * (one entry per search, not per keystroke); every other change pushes one.
 */
export function useBoardSearch(): [
  BoardSearch,
  (patch: BoardSearchPatch, opts?: { replace?: boolean }) => void,
] {
  const [params, setParams] = useSearchParams()
  const search = useMemo(() => parseBoardSearch(params), [params])
  const update = useCallback(
    (patch: BoardSearchPatch, opts?: { replace?: boolean }) =>
      setParams((prev) => patchBoardSearch(prev, patch), { replace: opts?.replace ?? false }),
    [setParams],
  )
  return [search, update]
}
