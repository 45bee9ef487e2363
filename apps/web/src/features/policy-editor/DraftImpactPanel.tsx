import {
  type PolicyResource,
  policyKindInfo,
  policyKindOf,
  policyRef,
} from '@policyboard/policy-core'
import { useEffect, useState } from 'react'
import { ImpactPreview } from '../impact/index.ts'
import { draftImpactLabel } from './draft-impact.ts'

/** Props of {@link DraftImpactPanel}. */
export interface DraftImpactPanelProps {
  /** The draft as edited now (the editor's policy value). */
  policy: PolicyResource
  /** Whether the draft is valid: only a valid draft is sent. */
  isValid: boolean
  /** The policy as loaded; absent for a new policy. */
  stored?: PolicyResource
  /** Wait this long after the last edit before replaying (ms). */
  debounceMs?: number
}

interface Settled {
  policy: PolicyResource
  isValid: boolean
}

/**
 * The editor's impact panel: 600 ms after edits stop, a valid draft is replayed over the stored
 * flows of the window (`POST /api/v1/impact` with a `draft` change) and the counts are shown,
 * expandable to the grouped flows and their traces. Nothing is saved.
 */
export function DraftImpactPanel({
  policy,
  isValid,
  stored,
  debounceMs = 600,
}: DraftImpactPanelProps) {
  const [settled, setSettled] = useState<Settled>({ policy, isValid })
  useEffect(() => {
    const t = setTimeout(() => setSettled({ policy, isValid }), debounceMs)
    return () => clearTimeout(t)
  }, [policy, isValid, debounceMs])
  const waiting = settled.policy !== policy || settled.isValid !== isValid
  const staged = policyKindInfo(policyKindOf(settled.policy)).staged
  const storedRef = stored ? policyRef(stored) : undefined
  const label = draftImpactLabel(policyRef(settled.policy), storedRef, staged)
  return (
    <section
      className="pe-impact"
      aria-label="Impact of the draft"
      data-testid="policy-editor.draft-impact"
    >
      <header className="pe-impact-head">
        <h2>Impact</h2>
        <span className="muted" data-testid="policy-editor.impact-state">
          {!settled.isValid
            ? 'fix the errors to preview the impact of the draft'
            : waiting
              ? 'waiting for edits to settle…'
              : 'not saved: a preview of the draft as it is now'}
        </span>
      </header>
      {settled.isValid ? (
        <ImpactPreview
          change={{ type: 'draft', resource: settled.policy as unknown as Record<string, unknown> }}
          label={label}
          compact
          collapsible
        />
      ) : null}
    </section>
  )
}
