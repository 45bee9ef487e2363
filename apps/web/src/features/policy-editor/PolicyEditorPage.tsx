import {
  createPolicy,
  isPolicyResourceKind,
  type PolicyResource,
  type PolicyResourceKind,
} from '@policyboard/policy-core'
import { useQuery } from '@tanstack/react-query'
import { useParams, useSearchParams } from 'react-router'
import { inventoryQueries, policyQueries } from '../../api/queries.ts'
import { ErrorState, LoadingState } from '../../components/index.ts'
import { PolicyEditor } from './PolicyEditor.tsx'
import { editorQueries } from './queries.ts'
import './policy-editor.css'

/**
 * The policy editor page. `/policies/new?kind=&namespace=&tier=` starts an empty policy;
 * `/policies/:kind/:namespace?/:name/edit` edits a stored one.
 */
export function PolicyEditorPage() {
  const params = useParams()
  const [search] = useSearchParams()
  const tiers = useQuery(editorQueries.tiers())
  const inventory = useQuery(inventoryQueries.detail())
  const editing = params.kind !== undefined && params.name !== undefined
  const kindParam = params.kind ?? search.get('kind') ?? 'NetworkPolicy'
  const kind: PolicyResourceKind = isPolicyResourceKind(kindParam) ? kindParam : 'NetworkPolicy'
  const ref = {
    kind,
    name: params.name ?? '',
    ...(params.namespace ? { namespace: params.namespace } : {}),
  }
  const stored = useQuery({ ...policyQueries.detail(ref), enabled: editing })
  const common = {
    tiers: tiers.data ?? [],
    ...(inventory.data ? { inventory: inventory.data } : {}),
  }

  if (!editing) {
    const initial = createPolicy(kind, {
      ...(search.get('namespace') ? { namespace: search.get('namespace') as string } : {}),
      ...(search.get('tier') ? { tier: search.get('tier') as string } : {}),
    })
    return <PolicyEditor key={`new-${kind}`} initial={initial} {...common} />
  }
  if (editing && params.kind !== undefined && !isPolicyResourceKind(params.kind)) {
    return (
      <ErrorState
        error={new Error(`expected a policy kind in the address, found ${params.kind}`)}
      />
    )
  }
  if (stored.isPending) return <LoadingState label="Loading the policy…" />
  if (stored.error) return <ErrorState error={stored.error} onRetry={() => stored.refetch()} />
  const policy = stored.data as PolicyResource
  const version = policy.metadata.resourceVersion ?? ''
  return (
    <PolicyEditor
      key={`${kind}/${ref.namespace ?? ''}/${ref.name}@${version}`}
      initial={policy}
      resourceVersion={version}
      onReload={() => stored.refetch()}
      {...common}
    />
  )
}
