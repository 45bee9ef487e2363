import { type DragEvent, useMemo, useRef, useState } from 'react'
import { Link } from 'react-router'
import { Badge, Button, EmptyState, ErrorMessage, YamlEditor } from '../../components/index.ts'
import { useCan, writeRefusalText } from '../auth/me.ts'
import { useTheme } from '../theme/index.ts'
import { DryRunDiff } from './DryRunDiff.tsx'
import { checkImport, errorWhere, type ImportFile, joinFiles } from './import-model.ts'
import { useApply } from './useApply.ts'

async function readFiles(list: FileList | null): Promise<ImportFile[]> {
  return Promise.all([...(list ?? [])].map(async (f) => ({ name: f.name, text: await f.text() })))
}

/** `/import`: paste or drop YAML, see browser-side errors, preview the server's dry run, apply. */
export function ImportPage() {
  const { theme } = useTheme()
  const [text, setText] = useState('')
  const [files, setFiles] = useState<string[]>([])
  const [isOver, setOver] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)
  const check = useMemo(() => checkImport(text), [text])
  const can = useCan()
  const refused =
    check.state === 'valid'
      ? check.resources.map((r) => writeRefusalText(can, r)).find((why) => why !== undefined)
      : undefined
  const dryRun = useApply()
  const apply = useApply()
  const preview = dryRun.data && dryRun.variables?.yaml === text ? dryRun.data : undefined

  const load = async (list: FileList | null) => {
    const read = await readFiles(list)
    if (!read.length) return
    setFiles(read.map((f) => f.name))
    setText(joinFiles(read))
    dryRun.reset()
    apply.reset()
  }
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setOver(false)
    void load(e.dataTransfer.files)
  }

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Import YAML</h1>
          <div className="muted">
            Paste resources or drop files. They are checked here first, then the server shows what
            would change.
          </div>
        </div>
      </header>
      <div className="split">
        {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for files; "Choose files…" is the keyboard path */}
        <section
          className={`panel dropzone${isOver ? ' is-over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault()
            setOver(true)
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
          data-testid="import.dropzone"
        >
          <div className="panel-head">
            <h2>Resources</h2>
            <div className="row">
              {files.length ? <span className="muted">{files.join(', ')}</span> : null}
              <input
                ref={fileInput}
                type="file"
                accept=".yaml,.yml,.json,text/yaml"
                multiple
                hidden
                data-testid="import.file"
                onChange={(e) => void load(e.target.files)}
              />
              <Button size="sm" onClick={() => fileInput.current?.click()}>
                Choose files…
              </Button>
            </div>
          </div>
          <YamlEditor
            value={text}
            onChange={(v) => {
              setText(v)
              setFiles([])
            }}
            theme={theme}
            height="420px"
            ariaLabel="YAML to import"
          />
          <div className="dropzone-hint muted">Drop .yaml files anywhere in this panel</div>
        </section>
        <section className="panel">
          <div className="panel-head">
            <h2>Check and apply</h2>
          </div>
          {check.state === 'empty' ? (
            <EmptyState title="Nothing to import yet">
              Paste Calico or Kubernetes policy YAML on the left.
            </EmptyState>
          ) : check.state === 'invalid' ? (
            <div className="error-box" role="alert" data-testid="import.errors">
              <div className="error-title">
                {check.errors.length} problem{check.errors.length === 1 ? '' : 's'} found
              </div>
              <ul className="error-list">
                {check.errors.map((e, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: errors have no identity of their own
                  <li key={i}>
                    <code>{errorWhere(e) || 'input'}</code> {e.message}{' '}
                    <span className="muted">({e.code})</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <>
              <div className="import-valid" data-testid="import.valid">
                <Badge tone="allow">valid</Badge> {check.resources.length} resource
                {check.resources.length === 1 ? '' : 's'}:{' '}
                <span className="muted">{check.summary.join(', ')}</span>
              </div>
              <div className="row">
                <Button
                  onClick={() => dryRun.mutate({ yaml: text, dryRun: true })}
                  disabled={dryRun.isPending || refused !== undefined}
                  title={refused}
                  data-testid="import.preview"
                >
                  {dryRun.isPending ? 'Checking…' : 'Preview changes'}
                </Button>
                <Button
                  variant="primary"
                  disabled={!preview || apply.isPending || refused !== undefined}
                  title={refused ?? (preview ? undefined : 'Preview the changes first')}
                  onClick={() => apply.mutate({ yaml: text, dryRun: false })}
                  data-testid="import.apply"
                >
                  {apply.isPending ? 'Applying…' : 'Apply'}
                </Button>
              </div>
              {refused ? (
                <p className="muted" data-testid="import.no-write">
                  Cannot apply: {refused}.
                </p>
              ) : null}
              {dryRun.error ? (
                <ErrorMessage title="The server rejected the input" error={dryRun.error} />
              ) : null}
              {apply.error ? <ErrorMessage title="Apply failed" error={apply.error} /> : null}
              {apply.data ? (
                <div className="notice" role="status" data-testid="import.applied">
                  Applied {apply.data.results.length} resources.{' '}
                  <Link to="/board">Open the board</Link> · <Link to="/history">See history</Link>
                </div>
              ) : null}
              {preview && !apply.data ? <DryRunDiff results={preview.results} /> : null}
              {apply.data ? <DryRunDiff results={apply.data.results} /> : null}
            </>
          )}
        </section>
      </div>
    </div>
  )
}
