import { useState } from 'react'

/** Key/value rows for a label map; a row with an empty key is not written. */
export function LabelsEditor({
  labels,
  onChange,
  label,
  testId,
}: {
  labels: Readonly<Record<string, string>> | undefined
  /** Called with the new map, or `undefined` when it is empty. */
  onChange: (labels: Record<string, string> | undefined) => void
  label: string
  testId?: string
}) {
  const entries = Object.entries(labels ?? {})
  const [draft, setDraft] = useState<[string, string] | undefined>()
  const write = (next: [string, string][]) => {
    const map = Object.fromEntries(next.filter(([k]) => k.trim() !== ''))
    onChange(Object.keys(map).length ? map : undefined)
  }
  return (
    <div className="pe-labels" data-testid={testId}>
      {entries.map(([k, v], i) => (
        <div className="pe-label-row" key={k}>
          <input
            aria-label={`${label} key ${i + 1}`}
            defaultValue={k}
            onBlur={(e) =>
              e.target.value !== k &&
              write(entries.map((x, j) => (j === i ? [e.target.value, x[1]] : x)))
            }
          />
          <span>=</span>
          <input
            aria-label={`${label} value ${i + 1}`}
            value={v}
            onChange={(e) => write(entries.map((x, j) => (j === i ? [x[0], e.target.value] : x)))}
          />
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            aria-label={`Remove ${label} ${k}`}
            onClick={() => write(entries.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      {draft ? (
        <div className="pe-label-row">
          <input
            aria-label={`${label} new key`}
            placeholder="key"
            value={draft[0]}
            onChange={(e) => setDraft([e.target.value, draft[1]])}
          />
          <span>=</span>
          <input
            aria-label={`${label} new value`}
            placeholder="value"
            value={draft[1]}
            onChange={(e) => setDraft([draft[0], e.target.value])}
            onBlur={() => {
              if (draft[0].trim()) write([...entries, [draft[0].trim(), draft[1]]])
              setDraft(undefined)
            }}
          />
        </div>
      ) : (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setDraft(['', ''])}>
          + Add label
        </button>
      )}
    </div>
  )
}
