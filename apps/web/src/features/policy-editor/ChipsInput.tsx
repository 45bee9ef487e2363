import { type KeyboardEvent, useId, useState } from 'react'

/**
 * A list of short values as chips: type and press Enter (or comma) to add, Backspace on an
 * empty input or × to remove. Used for ports, CIDRs and service-account names.
 */
export function ChipsInput({
  values,
  onChange,
  label,
  placeholder,
  testId,
  suggestions,
}: {
  values: readonly string[]
  onChange: (values: string[]) => void
  /** Accessible name of the text input. */
  label: string
  placeholder?: string
  testId?: string
  /** Offered in a datalist while typing. */
  suggestions?: readonly string[]
}) {
  const [draft, setDraft] = useState('')
  const listId = useId()
  const commit = () => {
    const parts = draft
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    if (parts.length > 0) onChange([...values, ...parts.filter((p) => !values.includes(p))])
    setDraft('')
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault()
      commit()
    } else if (e.key === 'Backspace' && draft === '' && values.length > 0) {
      onChange(values.slice(0, -1))
    }
  }
  return (
    <div className="pe-chips" data-testid={testId}>
      {values.map((v, i) => (
        <span className="pe-chip" key={v}>
          {v}
          <button
            type="button"
            className="pe-chip-remove"
            aria-label={`Remove ${v}`}
            onClick={() => onChange(values.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        aria-label={label}
        value={draft}
        placeholder={values.length === 0 ? placeholder : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={commit}
        list={suggestions ? listId : undefined}
      />
      {suggestions ? (
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
    </div>
  )
}
