import { yaml } from '@codemirror/lang-yaml'
import CodeMirror from '@uiw/react-codemirror'
import type { YamlEditorProps } from './YamlEditor.tsx'

const extensions = [yaml()]

/** CodeMirror with YAML highlighting; loaded lazily through `YamlEditor`. */
export default function YamlCodeMirror({
  value,
  onChange,
  readOnly,
  theme,
  height,
  ariaLabel,
}: YamlEditorProps) {
  return (
    <CodeMirror
      value={value}
      onChange={onChange}
      readOnly={readOnly}
      editable={!readOnly}
      theme={theme}
      height={height}
      extensions={extensions}
      basicSetup={{ foldGutter: true, highlightActiveLine: !readOnly }}
      aria-label={ariaLabel}
    />
  )
}
