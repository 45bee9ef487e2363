import type { ResourceKind } from '@policyboard/policy-core'
import { useSearchParams } from 'react-router'
import { HistoryList } from './HistoryList.tsx'

/** `/history`: every change, newest first; `?kind=&ns=&name=&tier=` narrows it, `?rev=` selects one. */
export function HistoryPage() {
  const [params, setParams] = useSearchParams()
  const filter = {
    ...(params.get('kind') ? { kind: params.get('kind') as ResourceKind } : {}),
    ...(params.get('ns') ? { namespace: params.get('ns') as string } : {}),
    ...(params.get('name') ? { name: params.get('name') as string } : {}),
    ...(params.get('tier') ? { tier: params.get('tier') as string } : {}),
  }
  const rev = Number(params.get('rev') ?? '')
  const scope = [filter.kind, filter.namespace, filter.name].filter(Boolean).join(' ')
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Change history</h1>
          <div className="muted">
            {scope || filter.tier
              ? `Changes of ${scope}${filter.tier ? ` in tier ${filter.tier}` : ''}`
              : 'Every change to tiers and policies'}
            . Select a change to see its diff and roll back.
          </div>
        </div>
      </header>
      <HistoryList
        filter={filter}
        selected={Number.isInteger(rev) && rev > 0 ? rev : null}
        onSelect={(id) =>
          setParams((p) => {
            const next = new URLSearchParams(p)
            if (id === null) next.delete('rev')
            else next.set('rev', String(id))
            return next
          })
        }
      />
    </div>
  )
}
