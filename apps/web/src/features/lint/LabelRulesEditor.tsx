import { parseLabelRules } from '@policyboard/policy-core'
import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { Button, ErrorMessage } from '../../components/index.ts'
import { lintQueries, useSaveLabelRules } from './queries.ts'

const EXAMPLE = `# Label keys every workload must carry
requireWorkloadLabels: [team]
# Label keys every namespace must carry
requireNamespaceLabels: []
# Allowed value prefixes per label key
allowedValuePrefixes: {}
`

/**
 * The label rules as YAML, checked as typed (errors with their paths) and saved to the
 * server, which validates them again.
 */
export function LabelRulesEditor() {
  const stored = useQuery(lintQueries.labelRules())
  const save = useSaveLabelRules()
  const [text, setText] = useState<string | undefined>(undefined)
  useEffect(() => {
    if (stored.data && text === undefined) setText(stored.data.text)
  }, [stored.data, text])
  const value = text ?? ''
  const parsed = parseLabelRules(value)
  const dirty = stored.data !== undefined && value !== stored.data.text
  return (
    <section className="lint-rules" aria-label="Label rules">
      <header className="lint-rules-head">
        <h2>Label rules</h2>
        <span className="muted">
          {stored.data?.text ? 'saved rules' : 'no rules saved: only reserved keys are checked'}
        </span>
      </header>
      <textarea
        className="lint-rules-text"
        aria-label="Label rules (YAML)"
        data-testid="lint.rules.text"
        spellCheck={false}
        rows={10}
        value={value}
        placeholder={EXAMPLE}
        onChange={(e) => setText(e.target.value)}
      />
      {parsed.ok ? null : (
        <ul className="lint-rules-errors" role="alert" data-testid="lint.rules.errors">
          {parsed.errors.map((e) => (
            <li key={`${e.location?.field ?? ''}|${e.message}`}>
              {e.location?.field ? <code>{e.location.field}</code> : null} {e.message}
            </li>
          ))}
        </ul>
      )}
      {save.error ? <ErrorMessage error={save.error} title="Could not save the rules" /> : null}
      <div className="lint-rules-actions">
        <Button
          variant="primary"
          disabled={!parsed.ok || !dirty || save.isPending}
          onClick={() => save.mutate(value)}
          data-testid="lint.rules.save"
        >
          {save.isPending ? 'Saving…' : 'Save rules'}
        </Button>
        {dirty ? null : save.isSuccess ? <span className="muted">saved</span> : null}
      </div>
    </section>
  )
}
