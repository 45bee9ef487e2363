import type { ExportQuery, StagedFilter } from '@policyboard/api'
import { useMutation } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { Button, Dialog, ErrorMessage } from '../../components/index.ts'
import { type ExportScope, fetchExport, saveDownload } from './download.ts'

/** Human title of an export scope. */
export function scopeTitle(scope: ExportScope): string {
  if (scope.name) return `policy ${[scope.namespace, scope.name].filter(Boolean).join('/')}`
  if (scope.tier) return `tier ${scope.tier}`
  if (scope.namespace) return `namespace ${scope.namespace}`
  return 'the whole board'
}

/** Download YAML for a scope, choosing staged handling and the naming model. */
export function ExportDialog({ scope, onClose }: { scope: ExportScope; onClose: () => void }) {
  const ids = { staged: useId(), naming: useId() }
  const [staged, setStaged] = useState<StagedFilter>('include')
  const [naming, setNaming] = useState<'v3.32' | 'legacy'>('v3.32')
  const download = useMutation({
    mutationFn: (q: ExportQuery) => fetchExport(q),
    onSuccess: (file) => {
      saveDownload(file)
      onClose()
    },
  })
  const single = Boolean(scope.name)
  return (
    <Dialog
      title={`Download YAML: ${scopeTitle(scope)}`}
      onClose={onClose}
      testId="export-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            data-testid="export-dialog.download"
            disabled={download.isPending}
            onClick={() => download.mutate({ ...scope, ...(single ? {} : { staged }), naming })}
          >
            {download.isPending ? 'Preparing…' : 'Download'}
          </Button>
        </>
      }
    >
      <div className="form">
        {!single ? (
          <>
            <label htmlFor={ids.staged}>Staged policies</label>
            <select
              id={ids.staged}
              value={staged}
              onChange={(e) => setStaged(e.target.value as StagedFilter)}
            >
              <option value="include">Include staged</option>
              <option value="exclude">Enforced only</option>
              <option value="only">Staged only</option>
            </select>
          </>
        ) : null}
        <label htmlFor={ids.naming}>Naming model</label>
        <select
          id={ids.naming}
          value={naming}
          onChange={(e) => setNaming(e.target.value as 'v3.32' | 'legacy')}
        >
          <option value="v3.32">Calico ≥ 3.32 (names as stored)</option>
          <option value="legacy">Legacy (tier-prefixed names)</option>
        </select>
      </div>
      {download.error ? <ErrorMessage title="Export failed" error={download.error} /> : null}
    </Dialog>
  )
}
