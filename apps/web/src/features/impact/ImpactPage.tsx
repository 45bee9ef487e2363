import type { ImpactChange } from '@policyboard/api'
import { useQuery } from '@tanstack/react-query'
import { useSearchParams } from 'react-router'
import { boardQueries } from '../../api/queries.ts'
import { ImpactPreview } from './ImpactPreview.tsx'

/** The change named by the URL: `?kind=&ns=&name=` (one staged policy), `?rev=`, else all staged. */
export function changeFromParams(params: URLSearchParams): ImpactChange {
  const rev = Number(params.get('rev') ?? '')
  if (Number.isInteger(rev) && rev > 0) return { type: 'revision', id: rev }
  const kind = params.get('kind')
  const name = params.get('name')
  if (kind && name) {
    const ns = params.get('ns')
    return { type: 'staged', kind, ...(ns ? { namespace: ns } : {}), name }
  }
  return { type: 'staged-all' }
}

/** `/impact`: what enforcing the staged policies (all, or one) would do to the stored flows. */
export function ImpactPage() {
  const [params, setParams] = useSearchParams()
  const change = changeFromParams(params)
  const board = useQuery(boardQueries.detail('24h'))
  const staged = (board.data?.tiers ?? []).flatMap((t) => t.policies.filter((p) => p.isStaged))
  const value =
    change.type === 'staged'
      ? `${change.kind}|${change.namespace ?? ''}|${change.name}`
      : change.type === 'revision'
        ? `rev|${change.id}`
        : ''
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Impact preview</h1>
          <div className="muted">
            What enforcing staged policies would do to the flows stored in the window: flows whose
            verdict would change, and flows that cannot be judged exactly.
          </div>
        </div>
      </header>
      <div className="impact-pick">
        <label>
          Preview{' '}
          <select
            aria-label="Change to preview"
            data-testid="impact.change"
            value={value}
            onChange={(e) => {
              const [kind, ns, name] = e.target.value.split('|')
              setParams(() => {
                const next = new URLSearchParams()
                if (kind && kind !== 'rev' && name) {
                  next.set('kind', kind)
                  if (ns) next.set('ns', ns)
                  next.set('name', name)
                }
                return next
              })
            }}
          >
            <option value="">All staged policies ({staged.length})</option>
            {staged.map((p) => (
              <option
                key={`${p.kind}|${p.namespace ?? ''}|${p.name}`}
                value={`${p.kind}|${p.namespace ?? ''}|${p.name}`}
              >
                {p.kind} {p.namespace ? `${p.namespace}/` : ''}
                {p.name} (tier {p.tier})
              </option>
            ))}
            {change.type === 'revision' ? (
              <option value={value}>Revision {change.id}</option>
            ) : null}
          </select>
        </label>
      </div>
      <ImpactPreview key={JSON.stringify(change)} change={change} />
    </div>
  )
}
