import type { AuditList } from '@policyboard/api'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { apiDownload, apiFetch } from '../../api/client.ts'
import { Badge, Button, ErrorState, LoadingState } from '../../components/index.ts'
import { useCan } from './me.ts'

const EVENTS = [
  '',
  'login',
  'logout',
  'authn',
  'authz',
  'csrf',
  'token.create',
  'token.revoke',
  'user.put',
  'user.delete',
]

/** Admins' audit log: logins, refusals, token and user changes, with export. */
export function AuditPage() {
  const can = useCan()
  const [event, setEvent] = useState('')
  const [outcome, setOutcome] = useState('')
  const query = { event: event || undefined, outcome: outcome || undefined, limit: 200 }
  const list = useQuery({
    queryKey: ['audit', query],
    queryFn: ({ signal }) => apiFetch<AuditList>('/api/v1/audit', { query, signal }),
    enabled: can.admin,
  })

  async function download(format: 'json' | 'yaml') {
    const file = await apiDownload(
      '/api/v1/audit/export',
      { ...query, limit: undefined, format },
      `audit.${format}`,
    )
    const url = URL.createObjectURL(file.blob)
    const a = document.createElement('a')
    a.href = url
    a.download = file.filename
    a.click()
    URL.revokeObjectURL(url)
  }

  if (!can.admin) return <p className="page">The audit log is for admins.</p>
  return (
    <section className="page audit" data-testid="audit">
      <header className="page-header">
        <h1>Audit log</h1>
        <div className="toolbar">
          <label>
            Event{' '}
            <select value={event} onChange={(e) => setEvent(e.target.value)} aria-label="Event">
              {EVENTS.map((e) => (
                <option key={e} value={e}>
                  {e || 'all'}
                </option>
              ))}
            </select>
          </label>
          <label>
            Outcome{' '}
            <select
              value={outcome}
              onChange={(e) => setOutcome(e.target.value)}
              aria-label="Outcome"
            >
              <option value="">all</option>
              <option value="success">success</option>
              <option value="failure">failure</option>
            </select>
          </label>
          <Button onClick={() => download('json')}>Export JSON</Button>
          <Button onClick={() => download('yaml')}>Export YAML</Button>
        </div>
      </header>
      {list.isPending ? (
        <LoadingState label="Loading audit log…" />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <table className="audit-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>User</th>
              <th>Event</th>
              <th>Outcome</th>
              <th>Request</th>
              <th>Address</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((e) => (
              <tr key={e.id} data-testid="audit.row" data-event={e.event}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{e.actor}</td>
                <td>{e.event}</td>
                <td>
                  <Badge tone={e.outcome === 'success' ? 'allow' : 'deny'}>{e.outcome}</Badge>
                </td>
                <td>
                  <code>
                    {e.method} {e.url}
                  </code>
                </td>
                <td>{e.ip}</td>
                <td>{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
