import { lazy, Suspense } from 'react'

/** Props of `YamlEditor`. */
export interface YamlEditorProps {
  value: string
  onChange?: (value: string) => void
  readOnly?: boolean
  theme?: 'light' | 'dark'
  /** CSS height, e.g. `320px`. */
  height?: string
  ariaLabel?: string
}

// CodeMirror is about 140 KB gzip: it loads the first time a YAML view opens.
const YamlCodeMirror = lazy(() => import('./YamlCodeMirror.tsx'))

/** A YAML view or editor; shows the plain text while CodeMirror loads. */
export function YamlEditor(props: YamlEditorProps) {
  return (
    <div className="yaml-editor" data-testid="yaml-editor">
      <Suspense fallback={<pre className="yaml-fallback">{props.value}</pre>}>
        <YamlCodeMirror {...props} />
      </Suspense>
    </div>
  )
}
