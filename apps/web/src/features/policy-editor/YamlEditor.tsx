/**
 * The CodeMirror 6 YAML editor, loaded lazily (its chunk is large). Diagnostics are drawn
 * as lint marks: a wavy underline over each range, the message on hover.
 */
import { yaml } from '@codemirror/lang-yaml'
import CodeMirror, {
  Decoration,
  type DecorationSet,
  EditorView,
  hoverTooltip,
  type Range,
  StateEffect,
  StateField,
} from '@uiw/react-codemirror'
import { useEffect, useMemo, useRef } from 'react'

/** One problem to draw: a range of the document and its message. */
export interface YamlMark {
  from: number
  to: number
  message: string
}

const setMarks = StateEffect.define<YamlMark[]>()

const marksField = StateField.define<{ marks: YamlMark[]; deco: DecorationSet }>({
  create: () => ({ marks: [], deco: Decoration.none }),
  update(value, tr) {
    for (const e of tr.effects) {
      if (e.is(setMarks)) {
        const len = tr.state.doc.length
        const ranges: Range<Decoration>[] = []
        for (const m of e.value) {
          const from = Math.min(m.from, len)
          const to = Math.min(Math.max(m.to, from + 1), len)
          if (to > from)
            ranges.push(
              Decoration.mark({
                class: 'cm-lintRange cm-lintRange-error',
                attributes: { title: m.message },
              }).range(from, to),
            )
        }
        return { marks: e.value, deco: Decoration.set(ranges, true) }
      }
    }
    return tr.docChanged ? { marks: value.marks, deco: value.deco.map(tr.changes) } : value
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.deco),
})

const markTooltip = hoverTooltip((view, pos) => {
  const { marks } = view.state.field(marksField)
  const hit = marks.filter((m) => pos >= m.from && pos <= m.to)
  if (hit.length === 0) return null
  return {
    pos: hit[0]?.from ?? pos,
    end: hit[0]?.to ?? pos,
    create: () => {
      const dom = document.createElement('div')
      dom.className = 'cm-diagnostic cm-diagnostic-error'
      dom.textContent = hit.map((m) => m.message).join('\n')
      return { dom }
    },
  }
})

const lintTheme = EditorView.baseTheme({
  '.cm-lintRange-error': {
    backgroundImage:
      "url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='6' height='3'%3E%3Cpath d='m0 3 l2 -2 l1 0 l2 2 l1 0' stroke='%23d11' fill='none' stroke-width='.7'/%3E%3C/svg%3E\")",
    backgroundRepeat: 'repeat-x',
    backgroundPosition: 'left bottom',
    paddingBottom: '0.7px',
  },
  '.cm-diagnostic-error': {
    padding: '3px 6px',
    borderLeft: '4px solid #d11',
    whiteSpace: 'pre-wrap',
  },
})

/** Props of the lazy YAML editor. */
export interface YamlEditorProps {
  value: string
  onChange: (text: string) => void
  onBlur?: () => void
  marks: readonly YamlMark[]
  dark?: boolean
}

/** The YAML pane's editor. */
export default function YamlEditor({ value, onChange, onBlur, marks, dark }: YamlEditorProps) {
  const viewRef = useRef<EditorView | null>(null)
  const extensions = useMemo(
    () => [yaml(), marksField, markTooltip, lintTheme, EditorView.lineWrapping],
    [],
  )
  useEffect(() => {
    viewRef.current?.dispatch({ effects: setMarks.of([...marks]) })
  }, [marks])
  return (
    <CodeMirror
      value={value}
      onChange={onChange}
      onBlur={onBlur}
      extensions={extensions}
      theme={dark ? 'dark' : 'light'}
      basicSetup={{ foldGutter: false, highlightActiveLine: false }}
      aria-label="Policy YAML"
      onCreateEditor={(view) => {
        viewRef.current = view
        view.dispatch({ effects: setMarks.of([...marks]) })
      }}
    />
  )
}
