import {
  labelVocabulary,
  operatorArity,
  previewSelector,
  ROW_OPERATORS,
  type RowOperator,
  rowsToSelector,
  type SelectorInventory,
  type SelectorRow,
  type SelectorSubject,
  selectorToRows,
  validateSelector,
} from '@policyboard/policy-core'
import { useId, useMemo, useState } from 'react'
import { ChipsInput } from './ChipsInput.tsx'
import { FieldError } from './FieldErrors.tsx'

/** Props of {@link SelectorBuilder}. */
export interface SelectorBuilderProps {
  /** The selector text of the model field (`undefined` when the field is absent). */
  value: string | undefined
  /** Called with the new text, or `undefined` to remove the field. */
  onChange: (value: string | undefined) => void
  /** Accessible name, e.g. "Policy selector". */
  label: string
  /** What the selector's labels are; decides autocomplete and the live preview. */
  subject: SelectorSubject
  /** Model field path, for validation errors. */
  path: string
  /** Only endpoints of this namespace can match (a namespaced policy's scoping). */
  namespace?: string
  /** The cluster inventory; without it there is no autocomplete or preview. */
  inventory?: SelectorInventory
  testId?: string
}

const MAX_LISTED = 8

/**
 * A selector as rows of key / operator / value, two-way with its text. The text is parsed
 * by the real parser as you type, its error underlined at its range; the endpoints of the
 * inventory it matches are listed live. Selectors a row cannot express (`||`, `global()`…)
 * are edited as text only.
 */
export function SelectorBuilder({
  value,
  onChange,
  label,
  subject,
  path,
  namespace,
  inventory,
  testId = 'selector-builder',
}: SelectorBuilderProps) {
  const [text, setText] = useState(value ?? '')
  const [rows, setRows] = useState<SelectorRow[]>(() => selectorToRows(value ?? '') ?? [])
  const [seen, setSeen] = useState(value)
  // The model changed from elsewhere (the YAML pane, a scope change): follow it.
  if (value !== seen) {
    setSeen(value)
    if ((value ?? '') !== text) {
      setText(value ?? '')
      const parsed = selectorToRows(value ?? '')
      if (parsed && rowsToSelector(parsed) !== rowsToSelector(rows)) setRows(parsed)
    }
  }
  const rowForm = selectorToRows(text) !== undefined
  const error = validateSelector(text)
  const vocabulary = useMemo(
    () => (inventory ? labelVocabulary(inventory, subject) : new Map<string, string[]>()),
    [inventory, subject],
  )
  const preview = useMemo(
    () =>
      inventory && !error && text.trim() !== ''
        ? previewSelector(
            { selector: text, subject, ...(namespace ? { namespace } : {}) },
            inventory,
          )
        : undefined,
    [inventory, error, text, subject, namespace],
  )
  const keysId = useId()

  const push = (next: string) => onChange(next === '' ? undefined : next)
  const onText = (t: string) => {
    setText(t)
    const parsed = selectorToRows(t)
    if (parsed) setRows(parsed)
    push(t)
  }
  const onRows = (next: SelectorRow[]) => {
    setRows(next)
    // Rows still being filled in (no key, no value) print nothing until complete.
    const t = rowsToSelector(next)
    if (t === text) return
    setText(t)
    push(t)
  }
  const setRow = (i: number, patch: Partial<SelectorRow>) =>
    onRows(rows.map((r, j) => (j === i ? normaliseRow({ ...r, ...patch }) : r)))

  return (
    <div className="pe-selector" data-testid={testId}>
      {rowForm ? (
        <div className="pe-selector-rows">
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional; keys may repeat
            <div className="pe-selector-row" key={i} data-testid="selector-builder.row">
              <input
                aria-label={`${label} row ${i + 1} key`}
                className="pe-selector-key"
                placeholder="label key"
                value={row.key}
                list={keysId}
                onChange={(e) => setRow(i, { key: e.target.value })}
              />
              <select
                aria-label={`${label} row ${i + 1} operator`}
                value={row.operator}
                onChange={(e) => setRow(i, { operator: e.target.value as RowOperator })}
              >
                {ROW_OPERATORS.map((op) => (
                  <option key={op} value={op}>
                    {op}
                  </option>
                ))}
              </select>
              <RowValue
                row={row}
                label={`${label} row ${i + 1} value`}
                suggestions={vocabulary.get(row.key.trim()) ?? []}
                onChange={(values) => setRow(i, { values })}
              />
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                aria-label={`Remove ${label} row ${i + 1}`}
                onClick={() => onRows(rows.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => setRows([...rows, { key: '', operator: '==', values: [] }])}
          >
            + Add term
          </button>
          <datalist id={keysId}>
            {[...vocabulary.keys()].map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
        </div>
      ) : (
        <div className="pe-hint" data-testid="selector-builder.text-only">
          This selector uses more than AND-ed label terms; edit it as text.
        </div>
      )}
      <input
        className={`pe-selector-text${error ? ' pe-invalid' : ''}`}
        aria-label={label}
        aria-invalid={error ? true : undefined}
        spellCheck={false}
        placeholder={
          subject === 'namespace' ? 'e.g. team == "a", or global()' : 'e.g. app == "web"'
        }
        value={text}
        onChange={(e) => onText(e.target.value)}
      />
      {error ? (
        <div className="pe-selector-error" role="alert" data-testid="selector-builder.error">
          <code className="pe-selector-mirror">
            {text.slice(0, error.range.start)}
            <mark>{text.slice(error.range.start, error.range.end) || ' '}</mark>
            {text.slice(error.range.end)}
          </code>
          <span>{error.message}</span>
        </div>
      ) : null}
      <FieldError path={path} />
      {preview?.ok ? <MatchList endpoints={preview.endpoints} /> : null}
    </div>
  )
}

function normaliseRow(row: SelectorRow): SelectorRow {
  const arity = operatorArity(row.operator)
  if (arity === 'none') return { ...row, values: [] }
  if (arity === 'one') return { ...row, values: row.values.slice(0, 1) }
  return row
}

function RowValue({
  row,
  label,
  suggestions,
  onChange,
}: {
  row: SelectorRow
  label: string
  suggestions: readonly string[]
  onChange: (values: string[]) => void
}) {
  const listId = useId()
  const arity = operatorArity(row.operator)
  if (arity === 'none') return <span className="pe-selector-novalue" />
  if (arity === 'set')
    return (
      <ChipsInput
        values={row.values}
        onChange={onChange}
        label={label}
        placeholder="values"
        suggestions={suggestions}
      />
    )
  return (
    <>
      <input
        aria-label={label}
        placeholder="value"
        value={row.values[0] ?? ''}
        list={listId}
        onChange={(e) => onChange([e.target.value])}
      />
      <datalist id={listId}>
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </>
  )
}

function MatchList({ endpoints }: { endpoints: readonly { name: string; namespace?: string }[] }) {
  const shown = endpoints.slice(0, MAX_LISTED)
  return (
    <div className="pe-matches" data-testid="selector-builder.matches" aria-live="polite">
      <span className="pe-matches-count">
        {endpoints.length === 0
          ? 'Matches no endpoint now'
          : `Matches ${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'} now`}
      </span>
      {shown.map((e) => (
        <span className="pe-match" key={`${e.namespace ?? ''}/${e.name}`}>
          {e.namespace ? `${e.namespace}/${e.name}` : e.name}
        </span>
      ))}
      {endpoints.length > shown.length ? (
        <span className="pe-match-more">+{endpoints.length - shown.length} more</span>
      ) : null}
    </div>
  )
}
