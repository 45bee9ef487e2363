import type { PolicyKind } from '@policyboard/api'
import type { DirectionTrace, PolicyRef, Verdict } from '@policyboard/policy-core'
import { Link } from 'react-router'
import { Badge } from '../../components/index.ts'
import { policyHref } from '../policy-detail/links.ts'

function PolicyLink({ policy, rule }: { policy: PolicyRef; rule?: number }) {
  const href = policyHref({
    kind: policy.kind as PolicyKind,
    ...(policy.namespace ? { namespace: policy.namespace } : {}),
    name: policy.name,
  })
  const label = `${policy.namespace ? `${policy.namespace}/` : ''}${policy.name}`
  return (
    <Link to={rule !== undefined && rule >= 0 ? `${href}#rule-${rule}` : href} className="mono">
      {label}
      {policy.staged ? ' (staged)' : ''}
      {rule !== undefined && rule >= 0 ? ` rule ${rule + 1}` : ''}
    </Link>
  )
}

/** One sentence naming what decided a direction. */
export function DecidedBy({ trace }: { trace: DirectionTrace }) {
  const d = trace.decidedBy
  switch (d.by) {
    case 'rule':
      return (
        <span data-testid="trace.decided-by">
          {d.action} by <PolicyLink policy={d.policy} rule={d.ruleIndex} /> in tier{' '}
          <strong>{d.tier}</strong>
        </span>
      )
    case 'endOfTier':
      return (
        <span data-testid="trace.decided-by">
          Deny at the end of tier <strong>{d.tier}</strong> (no rule of{' '}
          <PolicyLink policy={d.policy} /> or the tier's other policies matched)
        </span>
      )
    case 'profile':
      return (
        <span data-testid="trace.decided-by">
          {d.action} by profile <code>{d.profile}</code> (no tier decided)
        </span>
      )
    case 'noProfile':
      return <span data-testid="trace.decided-by">Deny: no tier decided and no profile allows</span>
    case 'failsafe':
      return (
        <span data-testid="trace.decided-by">
          Allow by the host's failsafe port {d.port} (open on every host endpoint before policy)
        </span>
      )
  }
}

function DirectionView({ trace }: { trace: DirectionTrace }) {
  return (
    <div className="trace-direction">
      <div className="trace-direction-head">
        <Badge tone={trace.action === 'Allow' ? 'allow' : 'deny'}>{trace.action}</Badge>
        <span>
          {trace.direction} at <code>{trace.endpoint}</code>
        </span>
      </div>
      <div className="trace-decided">
        <DecidedBy trace={trace} />
      </div>
      {trace.tiers.length > 0 ? (
        <ol className="trace-tiers">
          {trace.tiers.map((t) => (
            <li key={t.tier}>
              <strong>{t.tier}</strong>{' '}
              <span className="muted">
                {t.policies.length} {t.policies.length === 1 ? 'policy' : 'policies'} apply
              </span>{' '}
              <Badge
                tone={
                  t.ended.includes('Deny') ? 'deny' : t.ended.includes('Pass') ? 'pass' : 'allow'
                }
              >
                {t.ended === 'EndOfTierDeny'
                  ? 'end of tier: deny'
                  : t.ended === 'EndOfTierPass'
                    ? 'end of tier: pass'
                    : t.ended}
              </Badge>
              {t.match ? (
                <span>
                  {' '}
                  matched <PolicyLink policy={t.match.policy} rule={t.match.ruleIndex} />
                </span>
              ) : null}
              {t.logged?.length ? (
                <span className="muted"> · {t.logged.length} log rule(s) matched</span>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <div className="muted">No tier applies to this endpoint in this direction.</div>
      )}
      {trace.profile ? (
        <div className="muted">
          Profiles: {trace.profile.profiles.join(', ') || 'none'} →{' '}
          {trace.profile.ended === 'NoMatch' ? 'no match' : trace.profile.ended}
        </div>
      ) : null}
    </div>
  )
}

/** A verdict with its egress and ingress traces, rendered as the evaluator returned them. */
export function TraceView({
  title,
  verdict,
  testId,
}: {
  title: string
  verdict: Verdict
  testId?: string
}) {
  return (
    <section className="trace" data-testid={testId ?? 'trace'} aria-label={title}>
      <header className="trace-head">
        <h3>{title}</h3>
        <Badge tone={verdict.action === 'Allow' ? 'allow' : 'deny'} testId="trace.verdict">
          {verdict.action}
        </Badge>
      </header>
      {verdict.egress ? <DirectionView trace={verdict.egress} /> : null}
      {verdict.ingress ? <DirectionView trace={verdict.ingress} /> : null}
      {!verdict.egress && !verdict.ingress ? (
        <div className="muted">Neither side is a cluster endpoint: no policy applies.</div>
      ) : null}
    </section>
  )
}
