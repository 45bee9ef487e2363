import {
  type PolicyResource,
  policyKindInfo,
  policyKindOf,
  policyRef,
  printPolicyYaml,
  type SelectorInventory,
  toStaged,
  yamlFieldRange,
} from '@policyboard/policy-core'
import { useMemo, useReducer, useState } from 'react'
import { useNavigate } from 'react-router'
import { ApiError } from '../../api/client.ts'
import { Badge, Button, ErrorMessage } from '../../components/index.ts'
import { useCan } from '../auth/me.ts'
import { FindingsPanel } from '../lint/FindingsPanel.tsx'
import { policyEditHref } from '../policy-detail/links.ts'
import { DraftImpactPanel } from './DraftImpactPanel.tsx'
import { EnforceDialog } from './EnforceDialog.tsx'
import { editorReducer, initEditorState } from './editor-state.ts'
import { FieldErrorsProvider } from './FieldErrors.tsx'
import { PolicyForm } from './PolicyForm.tsx'
import { toApiRef, useEnforcePolicy, useSavePolicy } from './queries.ts'
import { YamlPane } from './YamlPane.tsx'

/** Props of {@link PolicyEditor}. */
export interface PolicyEditorProps {
  /** The policy as loaded (or freshly created). */
  initial: PolicyResource
  /** The stored version it was loaded at; absent for a new policy. */
  resourceVersion?: string
  tiers: readonly string[]
  inventory?: SelectorInventory
  /** Re-reads the stored policy (after a conflict). */
  onReload?: () => void
}

/** Offers the YAML as a file, named after the policy. */
function download(policy: PolicyResource): void {
  const blob = new Blob([printPolicyYaml(policy)], { type: 'application/yaml' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = `${policy.metadata.name || 'policy'}.yaml`
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** The tier (Kubernetes policies: `default`) and namespace a policy is written in. */
function writeScope(p: PolicyResource): { tier: string; namespace?: string } {
  const tier = (p.spec as { tier?: unknown }).tier
  const namespace = p.metadata.namespace
  return {
    tier: typeof tier === 'string' && tier ? tier : 'default',
    ...(namespace ? { namespace } : {}),
  }
}

/** The editor: form and YAML side by side over one policy value, with save, stage and enforce. */
export function PolicyEditor({
  initial,
  resourceVersion,
  tiers,
  inventory,
  onReload,
}: PolicyEditorProps) {
  const [state, dispatch] = useReducer(editorReducer, initial, initEditorState)
  const [enforcing, setEnforcing] = useState(false)
  const navigate = useNavigate()
  const save = useSavePolicy()
  const enforce = useEnforcePolicy()
  const isNew = resourceVersion === undefined
  const kind = policyKindOf(state.policy)
  const info = policyKindInfo(kind)
  const invalid = state.errors.length > 0 || state.yamlDiagnostics.length > 0
  const can = useCan()
  // Saving needs write rights on the tier and namespace the policy has now and had when opened.
  const readOnly = [initial, state.policy]
    .filter((_, i) => i === 1 || !isNew)
    .map((p) => writeScope(p))
    .find((s) => !can.write(s.tier, s.namespace))
  const noWrite = readOnly
    ? `Read only: you cannot write policies in tier "${readOnly.tier}"${readOnly.namespace ? ` and namespace "${readOnly.namespace}"` : ''}.`
    : undefined

  const fieldMarks = useMemo(
    () =>
      state.yamlDiagnostics.length > 0
        ? []
        : state.errors.flatMap((e) => {
            const r = e.path ? yamlFieldRange(state.yaml, e.path) : undefined
            return r ? [{ from: r.start, to: r.end, message: e.message }] : []
          }),
    [state.errors, state.yaml, state.yamlDiagnostics],
  )

  const afterWrite = (written: PolicyResource) =>
    navigate(policyEditHref(toApiRef(policyRef(written))), { replace: true })
  const onSave = () =>
    save.mutate(
      {
        policy: state.policy,
        mode: isNew ? 'create' : 'replace',
        ...(resourceVersion ? { resourceVersion } : {}),
      },
      { onSuccess: (r) => afterWrite(r as PolicyResource) },
    )
  const onStage = () =>
    save.mutate(
      { policy: toStaged(state.policy), mode: 'replace' },
      { onSuccess: (r) => afterWrite(r as PolicyResource) },
    )
  const onEnforce = () =>
    enforce.mutate(
      { staged: state.policy, ...(resourceVersion ? { resourceVersion } : {}) },
      {
        onSuccess: (written) => {
          setEnforcing(false)
          if (written) afterWrite(written as PolicyResource)
          else navigate('/board')
        },
      },
    )
  const conflict = save.error instanceof ApiError && save.error.status === 409 && !isNew

  return (
    <div className="pe-page" data-testid="policy-editor">
      <header className="pe-toolbar">
        <h2>
          {isNew ? 'New policy' : state.policy.metadata.name}{' '}
          <Badge tone={info.staged ? 'staged' : 'neutral'} testId="policy-editor.kind-badge">
            {kind}
          </Badge>
          {state.dirty ? <span className="pe-dirty"> • unsaved</span> : null}
        </h2>
        <div className="pe-actions">
          <Button onClick={() => download(state.policy)} data-testid="policy-editor.download">
            Download YAML
          </Button>
          {!info.staged && !isNew ? (
            <Button
              onClick={onStage}
              disabled={invalid || save.isPending || noWrite !== undefined}
              title={noWrite}
              data-testid="policy-editor.stage"
            >
              Stage changes
            </Button>
          ) : null}
          {info.staged && !isNew ? (
            <Button
              onClick={() => setEnforcing(true)}
              disabled={invalid || state.dirty || noWrite !== undefined}
              data-testid="policy-editor.enforce"
              title={noWrite ?? (state.dirty ? 'Save the staged policy first' : undefined)}
            >
              Enforce…
            </Button>
          ) : null}
          <Button
            variant="primary"
            onClick={onSave}
            disabled={invalid || save.isPending || noWrite !== undefined}
            title={noWrite}
            data-testid="policy-editor.save"
          >
            {isNew
              ? info.staged
                ? 'Create staged policy'
                : 'Create policy'
              : info.staged
                ? 'Save staged policy'
                : 'Save'}
          </Button>
        </div>
      </header>
      {noWrite ? (
        <p className="pe-readonly" role="note" data-testid="policy-editor.no-write">
          {noWrite}
        </p>
      ) : null}
      {conflict ? (
        <div className="error-box pe-conflict" role="alert" data-testid="policy-editor.conflict">
          <strong>Someone else changed this policy since you opened it.</strong> Your save was
          refused so their change is not lost. Reload to edit the latest version (your edits here
          will be discarded), or download your YAML first.
          <div>
            <Button size="sm" onClick={() => onReload?.()} data-testid="policy-editor.reload">
              Reload latest
            </Button>
          </div>
        </div>
      ) : save.error ? (
        <ErrorMessage error={save.error} title="Could not save" />
      ) : null}
      <FieldErrorsProvider errors={state.errors}>
        <div className="pe-split">
          <div className="pe-split-form">
            <PolicyForm
              policy={state.policy}
              onEdit={(policy) => dispatch({ type: 'edit', policy })}
              tiers={tiers}
              isNew={isNew}
              {...(inventory ? { inventory } : {})}
            />
          </div>
          <div className="pe-split-yaml">
            <YamlPane
              yaml={state.yaml}
              onChange={(text) => dispatch({ type: 'yaml', text })}
              onBlur={() => dispatch({ type: 'yamlBlur' })}
              diagnostics={state.yamlDiagnostics}
              fieldMarks={fieldMarks}
            />
            <DraftImpactPanel
              policy={state.policy}
              isValid={!invalid}
              {...(isNew ? {} : { stored: initial })}
            />
          </div>
        </div>
      </FieldErrorsProvider>
      <FindingsPanel policy={state.policy} isValid={!invalid} />
      {enforcing ? (
        <EnforceDialog
          staged={state.policy}
          onConfirm={onEnforce}
          onClose={() => setEnforcing(false)}
          pending={enforce.isPending}
          error={enforce.error}
        />
      ) : null}
    </div>
  )
}
