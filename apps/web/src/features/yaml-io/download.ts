/** Saving an export to disk: fetch it, then hand the blob to the browser as a file. */
import type { ExportQuery } from '@policyboard/api'
import { apiDownload, type Download } from '../../api/client.ts'

/** What to export: a policy, a tier, a namespace, or (empty) the whole board. */
export type ExportScope = Pick<ExportQuery, 'tier' | 'namespace' | 'kind' | 'name'>

/** A file name for when the server sends no `Content-Disposition`. */
export function fallbackFileName(scope: ExportScope): string {
  if (scope.name) return `${[scope.namespace, scope.name].filter(Boolean).join('-')}.yaml`
  if (scope.tier) return `tier-${scope.tier}.yaml`
  if (scope.namespace) return `namespace-${scope.namespace}.yaml`
  return 'policyboard.yaml'
}

/** Fetches `GET /api/v1/export` with the scope and options. */
export function fetchExport(query: ExportQuery): Promise<Download> {
  return apiDownload('/api/v1/export', { ...query }, fallbackFileName(query))
}

/** Offers a downloaded file to the user under its name. */
export function saveDownload({ blob, filename }: Download): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.append(a)
  a.click()
  a.remove()
  // Revoke on the next tick: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
