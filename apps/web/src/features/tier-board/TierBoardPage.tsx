import type { BoardTier } from '@policyboard/api'
import { useQuery } from '@tanstack/react-query'
import { useMemo, useRef, useState } from 'react'
import { boardQueries, inventoryQueries } from '../../api/queries.ts'
import { EmptyState, ErrorState, LoadingState } from '../../components/index.ts'
import type { ExportScope } from '../yaml-io/download.ts'
import { ExportDialog } from '../yaml-io/ExportDialog.tsx'
import { BoardToolbar } from './BoardToolbar.tsx'
import { boardNamespaces, filterBoard, isFiltering, sortBoard } from './board-model.ts'
import { DeleteTierDialog } from './DeleteTierDialog.tsx'
import { endpointRef, selectsEndpoint } from './endpoint-filter.ts'
import { boardEndpointQueries } from './queries.ts'
import { TierBoard } from './TierBoard.tsx'
import { TierDialog } from './TierDialog.tsx'
import { useBoardSearch } from './useBoardSearch.ts'

/** `/board`: toolbar, columns, and the tier and export dialogs. */
export function TierBoardPage() {
  const [search, update] = useBoardSearch()
  const query = boardQueries.detail(search.window)
  const board = useQuery(query)
  const [wantsInventory, setWantsInventory] = useState(false)
  const inventory = useQuery({
    ...inventoryQueries.detail(),
    enabled: wantsInventory || search.endpoint !== '',
  })
  const endpointNames = useMemo(
    () =>
      inventory.data?.endpoints
        .map((e) => (e.namespace ? `${e.namespace}/${e.name}` : e.name))
        .sort() ?? [],
    [inventory.data],
  )
  const filterRef = useRef<HTMLInputElement>(null)
  const [deleting, setDeleting] = useState<BoardTier | null>(null)
  const [exporting, setExporting] = useState<ExportScope | null>(null)

  const sorted = useMemo(() => (board.data ? sortBoard(board.data) : undefined), [board.data])
  // Only names of the inventory are sent to the server (not every keystroke of the filter).
  const ref = endpointRef(search.endpoint)
  const isKnown = Boolean(ref && inventory.data && endpointNames.includes(search.endpoint.trim()))
  const isUnknown = Boolean(search.endpoint.trim() && inventory.data && !isKnown)
  const applied = useQuery({
    ...boardEndpointQueries.policies(
      ref ?? { namespace: '', name: '' },
      board.data?.revision ?? '',
    ),
    enabled: isKnown && board.data !== undefined,
  })
  const predicate = useMemo(
    () => (applied.data ? selectsEndpoint(applied.data) : undefined),
    [applied.data],
  )
  const shown = useMemo(() => {
    if (!sorted) return undefined
    // An endpoint that is not in the inventory (or that the server cannot judge) selects nothing.
    if (isUnknown || applied.isError) return filterBoard(sorted, search.filter, () => false)
    return filterBoard(sorted, search.filter, isKnown ? predicate : undefined)
  }, [sorted, search.filter, predicate, isKnown, isUnknown, applied.isError])
  const namespaces = useMemo(() => (sorted ? boardNamespaces(sorted) : []), [sorted])

  const editing = search.dialog.startsWith('edit-tier:')
    ? sorted?.tiers.find((t) => t.name === search.dialog.slice('edit-tier:'.length))
    : undefined
  const shownCount = shown?.tiers.reduce((n, t) => n + t.policies.length, 0) ?? 0
  const totalCount = sorted?.tiers.reduce((n, t) => n + t.policies.length, 0) ?? 0

  return (
    <div className="board-page">
      <BoardToolbar
        search={search}
        update={update}
        namespaces={namespaces}
        filterRef={filterRef}
        onNewTier={() => update({ dialog: 'new-tier' })}
        onExport={() => setExporting({})}
        endpoints={endpointNames}
        onEndpointFocus={() => setWantsInventory(true)}
      />
      <div className="board-status" aria-live="polite">
        {sorted ? (
          <>
            {sorted.tiers.length} tiers ·{' '}
            {isFiltering(search.filter, search.endpoint)
              ? `${shownCount} of ${totalCount}`
              : totalCount}{' '}
            policies
            {isUnknown ? ` · no endpoint "${search.endpoint}" in the inventory` : ''}
            {isKnown && applied.isPending ? ` · finding policies for ${search.endpoint}…` : ''}
            {isKnown && applied.isError ? ` · ${applied.error.message}` : ''}
            {board.isFetching ? ' · refreshing…' : ''}
          </>
        ) : null}
        <span className="board-keys">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>e</kbd> edit · <kbd>/</kbd>{' '}
          filter · <kbd>Alt ↑↓</kbd> reorder
        </span>
      </div>
      {board.isPending ? (
        <LoadingState label="Loading board…" />
      ) : board.isError ? (
        <ErrorState error={board.error} onRetry={() => board.refetch()} />
      ) : sorted && shown && sorted.tiers.length === 0 ? (
        <EmptyState title="No tiers yet" action={null}>
          Create a tier or import YAML to fill the board.
        </EmptyState>
      ) : sorted && shown ? (
        <TierBoard
          board={sorted}
          shown={shown}
          boardKey={query.queryKey}
          expanded={search.expanded}
          onToggleExpanded={(name) =>
            update({
              expanded: search.expanded.includes(name)
                ? search.expanded.filter((n) => n !== name)
                : [...search.expanded, name],
            })
          }
          onEditTier={(t) => update({ dialog: `edit-tier:${t.name}` })}
          onDeleteTier={setDeleting}
          onExportTier={(t) => setExporting({ tier: t.name })}
          filterRef={filterRef}
        />
      ) : null}
      {search.dialog === 'new-tier' || editing ? (
        <TierDialog
          tier={editing}
          tiers={sorted?.tiers ?? []}
          onClose={() => update({ dialog: '' }, { replace: true })}
        />
      ) : null}
      {deleting ? <DeleteTierDialog tier={deleting} onClose={() => setDeleting(null)} /> : null}
      {exporting ? <ExportDialog scope={exporting} onClose={() => setExporting(null)} /> : null}
    </div>
  )
}
