import type { Revision } from '@policyboard/api'
import { printResource, type Resource } from '@policyboard/policy-core'
import { useMemo, useState } from 'react'
import { type DiffLine, diffLines, sideBySide } from './line-diff.ts'

function yamlOf(r: Resource | null): string {
  return r ? printResource(r) : ''
}

function Cell({ line, side }: { line: DiffLine | undefined; side: 'left' | 'right' }) {
  if (!line) return <td className="diff-cell diff-blank" colSpan={2} />
  const n = side === 'left' ? line.before : line.after
  return (
    <>
      <td className="diff-num">{n}</td>
      <td className={`diff-cell diff-${line.op}`}>{line.text || ' '}</td>
    </>
  )
}

/** Before/after YAML of a revision, unified or side by side. */
export function RevisionDiff({ revision }: { revision: Revision }) {
  const [mode, setMode] = useState<'split' | 'unified'>('split')
  const diff = useMemo(
    () =>
      diffLines(
        yamlOf(revision.before as Resource | null),
        yamlOf(revision.after as Resource | null),
      ),
    [revision],
  )
  const rows = useMemo(() => sideBySide(diff), [diff])
  const changed = diff.filter((l) => l.op !== 'same').length
  return (
    <div className="diff" data-testid="history.diff">
      <div className="diff-toolbar">
        <span className="muted">
          {changed} changed line{changed === 1 ? '' : 's'}
        </span>
        <fieldset className="segmented" aria-label="Diff layout">
          <button
            type="button"
            aria-pressed={mode === 'split'}
            className={mode === 'split' ? 'is-on' : ''}
            onClick={() => setMode('split')}
          >
            Side by side
          </button>
          <button
            type="button"
            aria-pressed={mode === 'unified'}
            className={mode === 'unified' ? 'is-on' : ''}
            onClick={() => setMode('unified')}
          >
            Unified
          </button>
        </fieldset>
      </div>
      <div className="diff-scroll">
        {mode === 'split' ? (
          <table className="diff-table">
            <thead>
              <tr>
                <th colSpan={2}>Before</th>
                <th colSpan={2}>After</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
                <tr key={i}>
                  <Cell line={r.left} side="left" />
                  <Cell line={r.right} side="right" />
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <table className="diff-table">
            <tbody>
              {diff.map((l, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
                <tr key={i}>
                  <td className="diff-num">{l.before}</td>
                  <td className="diff-num">{l.after}</td>
                  <td className={`diff-cell diff-${l.op}`}>
                    {l.op === 'add' ? '+ ' : l.op === 'del' ? '- ' : '  '}
                    {l.text}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  )
}
