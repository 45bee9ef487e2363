import type { RefObject } from 'react'
import { HIT_WINDOWS } from '../../api/types.ts'
import { Button } from '../../components/index.ts'
import { useCan } from '../auth/me.ts'
import type { BoardSearch, BoardSearchPatch } from './useBoardSearch.ts'

/** Filters, the hit window and board-wide actions; every value lives in the URL. */
export function BoardToolbar({
  search,
  update,
  namespaces,
  filterRef,
  onNewTier,
  onExport,
  endpoints,
  onEndpointFocus,
}: {
  search: BoardSearch
  update: (patch: BoardSearchPatch, opts?: { replace?: boolean }) => void
  namespaces: readonly string[]
  filterRef: RefObject<HTMLInputElement | null>
  onNewTier: () => void
  onExport: () => void
  /** Endpoint names (`namespace/name`, or a host endpoint's name) offered while typing. */
  endpoints: readonly string[]
  /** The inventory loads only once someone wants to pick an endpoint. */
  onEndpointFocus: () => void
}) {
  const f = search.filter
  const can = useCan()
  return (
    <div className="toolbar" role="toolbar" aria-label="Board filters">
      <input
        ref={filterRef}
        type="search"
        className="toolbar-search"
        placeholder="Filter policies…  ( / )"
        aria-label="Filter policies"
        data-testid="tier-board.filter"
        value={f.text}
        onChange={(e) => update({ text: e.target.value }, { replace: true })}
        onKeyDown={(e) => {
          if (e.key === 'Escape') (e.target as HTMLInputElement).blur()
        }}
      />
      <select
        aria-label="Namespace"
        value={f.namespace}
        onChange={(e) => update({ namespace: e.target.value })}
      >
        <option value="">All namespaces</option>
        {namespaces.map((ns) => (
          <option key={ns} value={ns}>
            {ns}
          </option>
        ))}
      </select>
      <select
        aria-label="Kind"
        value={f.kind}
        onChange={(e) => update({ kind: e.target.value as typeof f.kind })}
      >
        <option value="">All kinds</option>
        <option value="global">Global</option>
        <option value="namespaced">Namespaced</option>
        <option value="kubernetes">Kubernetes</option>
      </select>
      <select
        aria-label="Staged or enforced"
        value={f.state}
        onChange={(e) => update({ state: e.target.value as typeof f.state })}
      >
        <option value="">Staged and enforced</option>
        <option value="enforced">Enforced only</option>
        <option value="staged">Staged only</option>
      </select>
      <input
        type="search"
        className="toolbar-endpoint"
        placeholder="Selects endpoint ns/pod"
        aria-label="Selects endpoint"
        value={search.endpoint}
        list="board-endpoints"
        onFocus={onEndpointFocus}
        onChange={(e) => update({ endpoint: e.target.value }, { replace: true })}
      />
      <datalist id="board-endpoints">
        {endpoints.map((e) => (
          <option key={e} value={e} />
        ))}
      </datalist>
      <fieldset className="segmented" aria-label="Hit window">
        {HIT_WINDOWS.map((w) => (
          <button
            key={w}
            type="button"
            aria-pressed={search.window === w}
            className={search.window === w ? 'is-on' : ''}
            onClick={() => update({ window: w })}
          >
            {w}
          </button>
        ))}
      </fieldset>
      <span className="toolbar-spacer" />
      <Button size="sm" onClick={onExport} data-testid="tier-board.export">
        Download YAML
      </Button>
      {can.admin ? (
        <Button size="sm" variant="primary" onClick={onNewTier} data-testid="tier-board.new-tier">
          New tier
        </Button>
      ) : null}
    </div>
  )
}
