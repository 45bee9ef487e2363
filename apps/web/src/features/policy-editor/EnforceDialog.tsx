import {
  diffFields,
  enforcePlan,
  type PolicyResource,
  policyRef,
  stripServerFields,
  twinRef,
} from '@policyboard/policy-core'
import { useQuery } from '@tanstack/react-query'
import { ApiError } from '../../api/client.ts'
import { policyQueries } from '../../api/queries.ts'
import { Button, Dialog, ErrorMessage, LoadingState } from '../../components/index.ts'
import { editorQueries, toApiRef } from './queries.ts'

function refText(ref: { kind: string; namespace?: string; name: string }): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`
}

function show(v: unknown): string {
  return v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v)
}

/**
 * Confirms enforcing a staged policy: what will be written and deleted, the field diff
 * against the enforced twin, and the flows whose verdict changes (the server's preview).
 */
export function EnforceDialog({
  staged,
  onConfirm,
  onClose,
  pending,
  error,
}: {
  staged: PolicyResource
  onConfirm: () => void
  onClose: () => void
  pending: boolean
  error: unknown
}) {
  const plan = enforcePlan(staged)
  const twin = useQuery({ ...policyQueries.detail(toApiRef(twinRef(staged))), retry: false })
  const impact = useQuery(editorQueries.enforceImpact(policyRef(staged)))
  const twinMissing = twin.error instanceof ApiError && twin.error.status === 404
  const diff =
    plan.write && twin.data
      ? diffFields(
          { metadata: stripServerFields(twin.data.metadata), spec: twin.data.spec },
          { metadata: plan.write.metadata, spec: plan.write.spec },
        )
      : []
  return (
    <Dialog
      title="Enforce this staged policy?"
      onClose={onClose}
      size="wide"
      testId="policy-editor.enforce-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            onClick={onConfirm}
            disabled={pending}
            data-testid="policy-editor.enforce-confirm"
          >
            {pending ? 'Enforcing…' : 'Enforce'}
          </Button>
        </>
      }
    >
      <ul className="pe-plan">
        {plan.write ? <li>Writes {refText(toApiRef(twinRef(staged)))}</li> : null}
        {plan.delete.map((r) => (
          <li key={refText(r)}>Deletes {refText(r)}</li>
        ))}
      </ul>
      <h4>Impact on stored flows</h4>
      {impact.isPending ? <LoadingState label="Computing the impact…" /> : null}
      {impact.data ? (
        <>
          <p data-testid="policy-editor.impact">
            Over the last day: {impact.data.totals.allowedToDenied} flows allowed now would be
            denied, {impact.data.totals.deniedToAllowed} denied now would be allowed,{' '}
            {impact.data.totals.unchanged} unchanged
            {impact.data.totals.uncertain ? `, ${impact.data.totals.uncertain} uncertain` : ''}.
          </p>
          {impact.data.groups.length > 0 ? (
            <ul className="pe-impact-groups">
              {impact.data.groups.map((g) => (
                <li key={g.id}>
                  <span className={g.change === 'allowedToDenied' ? 'pe-invalid-text' : ''}>
                    {g.change}
                  </span>{' '}
                  {g.sourceNamespace}/{g.sourceWorkload} → {g.destinationNamespace}/
                  {g.destinationWorkload} {g.protocol}
                  {g.port !== null ? `/${g.port}` : ''} (
                  {g.counts.allowedToDenied + g.counts.deniedToAllowed + g.counts.uncertain} flows)
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
      {impact.error ? (
        <p className="pe-hint">No impact preview is available: {(impact.error as Error).message}</p>
      ) : null}
      <h4>Changes to the enforced policy</h4>
      {twinMissing ? (
        <p data-testid="policy-editor.enforce-new">
          The enforced policy does not exist yet; it will be created.
        </p>
      ) : null}
      {twin.isPending ? <LoadingState label="Reading the enforced policy…" /> : null}
      {twin.data && diff.length === 0 ? <p>No field changes.</p> : null}
      {diff.length > 0 ? (
        <table className="pe-diff" data-testid="policy-editor.enforce-diff">
          <thead>
            <tr>
              <th>Field</th>
              <th>Enforced now</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {diff.map((d) => (
              <tr key={d.path}>
                <td>
                  <code>{d.path}</code>
                </td>
                <td className="pe-diff-before">{show(d.before)}</td>
                <td className="pe-diff-after">{show(d.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {error ? <ErrorMessage error={error} title="Could not enforce" /> : null}
    </Dialog>
  )
}
