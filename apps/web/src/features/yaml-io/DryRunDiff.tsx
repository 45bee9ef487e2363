import type { ApplyResult } from '@policyboard/api'
import { Badge } from '../../components/index.ts'

const TONE = { created: 'allow', changed: 'info', unchanged: 'neutral' } as const

function show(value: unknown): string {
  if (value === undefined) return '—'
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** What an apply did or would do: created / changed / unchanged, with changed fields. */
export function DryRunDiff({ results }: { results: readonly ApplyResult[] }) {
  const count = (a: ApplyResult['action']) => results.filter((r) => r.action === a).length
  return (
    <div className="dryrun" data-testid="import.dry-run">
      <div className="dryrun-summary">
        <Badge tone="allow">{count('created')} created</Badge>
        <Badge tone="info">{count('changed')} changed</Badge>
        <Badge>{count('unchanged')} unchanged</Badge>
      </div>
      <ul className="dryrun-list">
        {results.map((r) => (
          <li
            key={`${r.kind}/${r.namespace ?? ''}/${r.name}`}
            className="dryrun-item"
            data-testid="import.result"
          >
            <div className="dryrun-head">
              <Badge tone={TONE[r.action]}>{r.action}</Badge>
              <span>
                {r.kind} <strong>{[r.namespace, r.name].filter(Boolean).join('/')}</strong>
              </span>
            </div>
            {r.action === 'changed' && r.diff.length > 0 ? (
              <table className="field-diff">
                <thead>
                  <tr>
                    <th>Field</th>
                    <th>Before</th>
                    <th>After</th>
                  </tr>
                </thead>
                <tbody>
                  {r.diff.map((d) => (
                    <tr key={d.path}>
                      <td className="mono">{d.path}</td>
                      <td className="mono diff-del">{show(d.before)}</td>
                      <td className="mono diff-add">{show(d.after)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            {r.action === 'created' ? (
              <div className="muted">{r.diff.length} fields set</div>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  )
}
