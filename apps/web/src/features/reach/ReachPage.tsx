import type { ExplainRequest } from '@policyboard/api'
import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { useSearchParams } from 'react-router'
import { inventoryQueries } from '../../api/queries.ts'
import { Badge, Button, EmptyState, ErrorMessage, LoadingState } from '../../components/index.ts'
import { DecidedBy, explainQueries, TraceView } from '../impact/index.ts'
import { reachRequest } from './reach-model.ts'
import '../impact/impact.css'

const PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ICMP', 'ICMPv6']

function Result({ req }: { req: ExplainRequest }) {
  const q = useQuery(explainQueries.detail(req))
  if (q.isPending) return <LoadingState label="Judging…" />
  if (q.isError) return <ErrorMessage error={q.error} title="Cannot judge this flow" />
  const views = [
    ['Enforced now', q.data.enforced],
    ['With staged policies', q.data.staged],
  ] as const
  return (
    <div data-testid="reach.result">
      <div className="reach-summary">
        {views.map(([title, v]) => (
          <div key={title} className="reach-verdict" data-testid="reach.verdict">
            <strong>
              {title}:{' '}
              <Badge tone={v.action === 'Allow' ? 'allow' : 'deny'}>
                {v.action === 'Allow' ? 'can reach' : 'cannot reach'}
              </Badge>
            </strong>
            {[v.egress, v.ingress].map((d) =>
              d ? (
                <span key={d.direction} className="muted">
                  {d.direction}: <DecidedBy trace={d} />
                </span>
              ) : null,
            )}
          </div>
        ))}
      </div>
      <div className="trace-pair">
        {views.map(([title, v]) => (
          <TraceView key={title} title={title} verdict={v} />
        ))}
      </div>
    </div>
  )
}

/** `/reach`: can a source reach a destination on a protocol and port, now and with staged policies? */
export function ReachPage() {
  const [params, setParams] = useSearchParams()
  const form = {
    source: params.get('from') ?? '',
    destination: params.get('to') ?? '',
    protocol: params.get('protocol') ?? 'TCP',
    port: params.get('port') ?? '',
  }
  const inventory = useQuery(inventoryQueries.detail())
  const endpoints = useMemo(
    () =>
      (inventory.data?.endpoints ?? [])
        .map((e) => (e.kind === 'host' ? e.name : `${e.namespace ?? ''}/${e.name}`))
        .sort(),
    [inventory.data],
  )
  const req = reachRequest(form)
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Can X reach Y?</h1>
          <div className="muted">
            Pick an endpoint of the inventory or type an address on each side; the evaluator judges
            the flow in the enforced view and with the staged policies.
          </div>
        </div>
      </header>
      <form
        className="reach-form"
        data-testid="reach.form"
        onSubmit={(e) => {
          e.preventDefault()
          const data = new FormData(e.currentTarget)
          const next = new URLSearchParams()
          for (const [k, v] of data.entries()) if (String(v).trim()) next.set(k, String(v).trim())
          setParams(next)
        }}
      >
        <label>
          Source (endpoint or IP)
          <input
            name="from"
            list="reach-endpoints"
            defaultValue={form.source}
            key={`s${form.source}`}
            aria-label="Source"
            placeholder={endpoints[0] ?? 'namespace/pod'}
          />
        </label>
        <label>
          Destination (endpoint or IP)
          <input
            name="to"
            list="reach-endpoints"
            defaultValue={form.destination}
            key={`d${form.destination}`}
            aria-label="Destination"
            placeholder={endpoints[1] ?? '10.0.0.1'}
          />
        </label>
        <label>
          Protocol
          <select
            name="protocol"
            defaultValue={form.protocol}
            key={`p${form.protocol}`}
            aria-label="Protocol"
          >
            {PROTOCOLS.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Port
          <input
            name="port"
            inputMode="numeric"
            defaultValue={form.port}
            key={`n${form.port}`}
            aria-label="Port"
            placeholder="e.g. 443"
          />
        </label>
        <Button type="submit" variant="primary">
          Check
        </Button>
        <datalist id="reach-endpoints">
          {endpoints.map((e) => (
            <option key={e} value={e} />
          ))}
        </datalist>
      </form>
      {req ? (
        <Result req={req} />
      ) : (
        <EmptyState title="Pick a source and a destination" action={null}>
          Each side is an endpoint of the inventory (start typing for suggestions) or an IP address.
          With a port, rules that test ports are judged exactly.
        </EmptyState>
      )}
    </div>
  )
}
