import type { LintSeverityName } from '@policyboard/api'
import { useQuery } from '@tanstack/react-query'
import { Link, useSearchParams } from 'react-router'
import { EmptyState, ErrorState, LoadingState } from '../../components/index.ts'
import { policyHref } from '../policy-detail/links.ts'
import { FindingRow } from './FindingsPanel.tsx'
import { LabelRulesEditor } from './LabelRulesEditor.tsx'
import { countPhrase, findingHref, groupByResource } from './lint-model.ts'
import { type LintFilters, lintQueries } from './queries.ts'
import './lint.css'

const SEVERITIES: LintSeverityName[] = ['error', 'warning', 'info']
const WINDOWS = ['1h', '24h', '7d', '30d']

/**
 * `/lint`: findings of the stored policies grouped by resource (`?tab=labels`: label
 * governance and the label rules). Filters live in the URL: `severity`, `tier`, `namespace`,
 * `window`.
 */
export function LintPage() {
  const [params, setParams] = useSearchParams()
  const tab = params.get('tab') === 'labels' ? 'labels' : 'policies'
  const severity = params.get('severity')
  const filters: LintFilters = {
    kind: tab === 'labels' ? 'label' : 'policy',
    ...(severity && (SEVERITIES as string[]).includes(severity)
      ? { severity: severity as LintSeverityName }
      : {}),
    ...(params.get('tier') && tab === 'policies' ? { tier: params.get('tier') as string } : {}),
    ...(params.get('namespace') ? { namespace: params.get('namespace') as string } : {}),
    ...(params.get('window') ? { window: params.get('window') as string } : {}),
  }
  const q = useQuery(lintQueries.list(filters))
  // Tier and namespace choices come from every finding of the tab, not the filtered ones.
  const choices = useQuery(lintQueries.list({ kind: filters.kind }))
  const tiers = [...new Set((choices.data?.findings ?? []).flatMap((f) => f.tier ?? []))].sort()
  const namespaces = [
    ...new Set((choices.data?.findings ?? []).flatMap((f) => f.namespace ?? [])),
  ].sort()
  const set = (key: string, value: string) =>
    setParams((p) => {
      const next = new URLSearchParams(p)
      if (value) next.set(key, value)
      else next.delete(key)
      return next
    })
  const groups = groupByResource(q.data?.findings ?? [])
  return (
    <div className="page lint-page">
      <header className="page-head">
        <div>
          <h1>Lint</h1>
          <div className="muted">
            Problems in the stored policies and workload labels, each with a one-line fix.
          </div>
        </div>
      </header>
      <div className="lint-tabs" role="tablist">
        {(['policies', 'labels'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            className={`lint-tab${tab === t ? ' is-active' : ''}`}
            onClick={() => set('tab', t === 'labels' ? 'labels' : '')}
          >
            {t === 'policies' ? 'Policies' : 'Labels'}
          </button>
        ))}
      </div>
      <div className="lint-toolbar">
        <label>
          Severity{' '}
          <select value={filters.severity ?? ''} onChange={(e) => set('severity', e.target.value)}>
            <option value="">all</option>
            <option value="warning">warning and error</option>
            <option value="error">error</option>
          </select>
        </label>
        {tab === 'policies' ? (
          <label>
            Tier{' '}
            <select value={filters.tier ?? ''} onChange={(e) => set('tier', e.target.value)}>
              <option value="">all</option>
              {tiers.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Namespace{' '}
          <select
            value={filters.namespace ?? ''}
            onChange={(e) => set('namespace', e.target.value)}
          >
            <option value="">all</option>
            {namespaces.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        {tab === 'policies' ? (
          <label title="Flows of this window decide UNUSED_POLICY">
            Window{' '}
            <select value={filters.window ?? '24h'} onChange={(e) => set('window', e.target.value)}>
              {WINDOWS.map((w) => (
                <option key={w}>{w}</option>
              ))}
            </select>
          </label>
        ) : null}
        <span className="muted" data-testid="lint.summary">
          {q.data ? countPhrase(q.data.findings) || 'no findings' : ''}
        </span>
      </div>
      <div className={tab === 'labels' ? 'lint-labels-layout' : undefined}>
        <div>
          {q.isPending ? (
            <LoadingState label="Linting…" />
          ) : q.error ? (
            <ErrorState error={q.error} onRetry={() => q.refetch()} />
          ) : groups.length === 0 ? (
            <EmptyState title="No findings">Nothing to fix with these filters.</EmptyState>
          ) : (
            <div className="lint-groups">
              {groups.map((g) => (
                <section
                  key={g.resource}
                  className={`lint-group lint-group-${g.worst}`}
                  data-testid="lint.group"
                  data-resource={g.resource}
                >
                  <h2 className="lint-group-title">
                    {g.policy ? <Link to={policyHref(g.policy)}>{g.resource}</Link> : g.resource}
                    {g.policy ? <span className="muted"> · tier {g.policy.tier}</span> : null}
                  </h2>
                  <ul className="lint-findings">
                    {g.findings.map((f) => (
                      <FindingRow
                        key={`${f.code}|${f.path}|${f.message}`}
                        finding={f}
                        href={findingHref(f)}
                      />
                    ))}
                  </ul>
                </section>
              ))}
            </div>
          )}
        </div>
        {tab === 'labels' ? <LabelRulesEditor /> : null}
      </div>
    </div>
  )
}
