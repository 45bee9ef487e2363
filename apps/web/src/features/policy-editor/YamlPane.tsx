import type { YamlDiagnostic } from '@policyboard/policy-core'
import { lazy, Suspense, useMemo } from 'react'
import { LoadingState } from '../../components/index.ts'

const YamlEditor = lazy(() => import('./YamlEditor.tsx'))

/** Props of {@link YamlPane}. */
export interface YamlPaneProps {
  yaml: string
  onChange: (text: string) => void
  onBlur: () => void
  /** Problems of the YAML text (it does not read back as a policy). */
  diagnostics: readonly YamlDiagnostic[]
  /** Validation problems of the policy, placed in the text by field path. */
  fieldMarks: readonly { from: number; to: number; message: string }[]
}

/** The YAML side of the editor: CodeMirror with the problems underlined and listed. */
export function YamlPane({ yaml, onChange, onBlur, diagnostics, fieldMarks }: YamlPaneProps) {
  const marks = useMemo(
    () => [
      ...diagnostics.map((d) => ({
        from: d.range.start,
        to: d.range.end,
        message: d.error.message,
      })),
      ...fieldMarks,
    ],
    [diagnostics, fieldMarks],
  )
  return (
    <section className="pe-yaml" aria-label="YAML" data-testid="policy-editor.yaml">
      <header className="pe-section-header">
        <h3>YAML</h3>
        {diagnostics.length > 0 ? (
          <span className="pe-yaml-status pe-invalid-text">
            Invalid: the form keeps the last valid policy
          </span>
        ) : (
          <span className="pe-yaml-status">In sync with the form</span>
        )}
      </header>
      <div className="pe-yaml-editor">
        <Suspense fallback={<LoadingState label="Loading the YAML editor…" />}>
          <YamlEditor value={yaml} onChange={onChange} onBlur={onBlur} marks={marks} />
        </Suspense>
      </div>
      {marks.length > 0 ? (
        <ul className="pe-yaml-problems" data-testid="policy-editor.yaml-problems">
          {diagnostics.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: diagnostics have no identity
            <li key={i}>
              {d.error.path ? <code>{d.error.path}</code> : null} {d.error.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}
