import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { Button, ErrorMessage, LoadingState } from '../../components/index.ts'
import { explainQueries, TraceView } from '../impact/index.ts'
import { sideLabel } from './flow-model.ts'

/** Both views' traces of one stored record, as the evaluator explains it. */
export function ExplainPanel({
  record,
  onClose,
}: {
  record: Record<string, unknown>
  onClose: () => void
}) {
  const q = useQuery(explainQueries.detail({ record }))
  const ref = useRef<HTMLElement>(null)
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'nearest' })
  }, [])
  return (
    <section
      ref={ref}
      className="flows-explain"
      data-testid="flows.explain-panel"
      aria-label="Explanation"
    >
      <div className="flows-actions">
        <h2 style={{ margin: 0, fontSize: 16 }}>
          Explain {sideLabel(record, 'source')} → {sideLabel(record, 'dest')} {String(record.proto)}
          {record.dest_port !== null && record.dest_port !== undefined
            ? `/${String(record.dest_port)}`
            : ''}
        </h2>
        <Button size="sm" variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      <div className="muted">
        The record says: {String(record.action)} at the {String(record.reporter)} side.
      </div>
      {q.isPending ? <LoadingState label="Judging the flow…" /> : null}
      {q.isError ? <ErrorMessage error={q.error} title="This flow cannot be explained" /> : null}
      {q.data ? (
        <>
          {q.data.uncertain ? (
            <div className="impact-uncertain">Note: {q.data.uncertain.detail}</div>
          ) : null}
          <div className="trace-pair">
            <TraceView title="Enforced" verdict={q.data.enforced} testId="flows.trace-enforced" />
            <TraceView
              title="With staged policies"
              verdict={q.data.staged}
              testId="flows.trace-staged"
            />
          </div>
        </>
      ) : null}
    </section>
  )
}
