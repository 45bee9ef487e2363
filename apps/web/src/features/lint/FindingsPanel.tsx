import type { LintFindingItem } from '@policyboard/api'
import type { Resource } from '@policyboard/policy-core'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { ErrorMessage } from '../../components/index.ts'
import { countPhrase } from './lint-model.ts'
import { lintQueries } from './queries.ts'
import './lint.css'

/** Props of `FindingsPanel`. */
export interface FindingsPanelProps {
  /** The draft as edited now. */
  policy: Resource
  /** Whether the draft is valid (an invalid one is not sent). */
  isValid?: boolean
  /** Wait this long after the last edit before linting (ms). */
  debounceMs?: number
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return debounced
}

/**
 * Lint findings of the draft in the policy editor, from `POST /api/v1/lint` after edits
 * settle. The finding at the address's `?field=` path (a link from the lint page) is
 * highlighted and scrolled into view.
 */
export function FindingsPanel({ policy, isValid = true, debounceMs = 400 }: FindingsPanelProps) {
  const text = useDebounced(JSON.stringify(policy), debounceMs)
  const [search] = useSearchParams()
  const field = search.get('field') ?? undefined
  const q = useQuery({
    ...lintQueries.draft(text),
    enabled: isValid,
    placeholderData: keepPreviousData,
  })
  const findings = q.data?.findings ?? []
  return (
    <section className="lint-panel" aria-label="Lint findings" data-testid="lint.panel">
      <header className="lint-panel-head">
        <h2>Lint</h2>
        <span className="muted" data-testid="lint.panel.summary">
          {!isValid
            ? 'fix the errors to lint the draft'
            : q.isPending
              ? 'linting…'
              : findings.length === 0
                ? 'no findings'
                : countPhrase(findings)}
        </span>
      </header>
      {q.error ? <ErrorMessage error={q.error} title="Could not lint the draft" /> : null}
      {findings.length > 0 ? (
        <ul className="lint-findings">
          {findings.map((f) => (
            <FindingRow
              key={`${f.code}|${f.path}|${f.message}`}
              finding={f}
              active={f.path === field}
            />
          ))}
        </ul>
      ) : null}
    </section>
  )
}

/** One finding: severity, code, path, message and fix. */
export function FindingRow({
  finding: f,
  active = false,
  href,
}: {
  finding: LintFindingItem
  active?: boolean
  href?: string | undefined
}) {
  const ref = (el: HTMLLIElement | null) => {
    if (active && el) el.scrollIntoView?.({ block: 'nearest' })
  }
  return (
    <li
      ref={ref}
      className={`lint-finding lint-finding-${f.severity}${active ? ' is-active' : ''}`}
      data-testid="lint.finding"
      data-code={f.code}
    >
      <span className={`lint-sev lint-sev-${f.severity}`}>{f.severity}</span>
      <code className="lint-code">{f.code}</code>
      {f.path ? (
        href ? (
          <Link className="lint-path" to={href}>
            {f.path}
          </Link>
        ) : (
          <code className="lint-path">{f.path}</code>
        )
      ) : null}
      <div className="lint-message">{f.message}</div>
      <div className="lint-fix">
        <span className="muted">Fix:</span> {f.fix}
      </div>
    </li>
  )
}
