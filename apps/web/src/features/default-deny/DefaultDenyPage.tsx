import { RECOMMENDATION_TIER } from '@policyboard/policy-core'
import { useQueries, useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { Badge, Button, ErrorMessage, LoadingState } from '../../components/index.ts'
import { useCan } from '../auth/me.ts'
import { ImpactPreview, impactHref, impactQueries } from '../impact/index.ts'
import {
  recommendationQueries,
  useDecideRecommendation,
  useDefaultDenyStep,
  useGenerateRecommendation,
} from '../recommendations/index.ts'
import '../recommendations/recommendations.css'
import { acceptedPolicies, defaultDenyChange } from './default-deny-model.ts'

function Step({
  n,
  title,
  done,
  children,
}: {
  n: number
  title: string
  done: boolean
  children: React.ReactNode
}) {
  return (
    <li className="dd-step" data-testid="default-deny.step" aria-label={`Step ${n}: ${title}`}>
      <h2>
        <span>
          {n}. {title}
        </span>
        {done ? <Badge tone="allow">done</Badge> : null}
      </h2>
      {children}
    </li>
  )
}

/** Step 3: one line per namespace, with its recommendation staged and accepted from here. */
function NamespaceRow({ namespace }: { namespace: string }) {
  const q = useQuery(recommendationQueries.detail(namespace, false))
  const generate = useGenerateRecommendation()
  const decide = useDecideRecommendation()
  const writable = useCan().write(RECOMMENDATION_TIER, namespace)
  if (q.isPending) return <li className="muted">{namespace}: learning…</li>
  if (q.isError)
    return (
      <li>
        {namespace}: <ErrorMessage error={q.error} />
      </li>
    )
  const p = q.data.policies[0]
  const state = p ? q.data.states[p.metadata.name] : undefined
  const rules = q.data.evidence.filter((e) => e.count > 0).length
  return (
    <li className="rec-decide" data-testid="default-deny.namespace">
      <Link to={`/recommendations/${namespace}`}>
        <strong>{namespace}</strong>
      </Link>
      <span className="muted">
        {rules} observed rule{rules === 1 ? '' : 's'}
      </span>
      {state ? <Badge tone={state === 'accepted' ? 'allow' : 'neutral'}>{state}</Badge> : null}
      {state === 'new' && writable ? (
        <Button
          size="sm"
          onClick={() => generate.mutate({ namespace, perWorkload: false })}
          disabled={generate.isPending}
        >
          Stage
        </Button>
      ) : null}
      {p && state && state !== 'new' && state !== 'accepted' && writable ? (
        <Button
          size="sm"
          variant="primary"
          onClick={() => decide.mutate({ namespace, name: p.metadata.name, stagedAction: 'Set' })}
          disabled={decide.isPending}
        >
          Accept
        </Button>
      ) : null}
    </li>
  )
}

/** `/default-deny`: the guided way to a global default deny without breaking wanted traffic. */
export function DefaultDenyPage() {
  const state = useQuery(recommendationQueries.defaultDeny())
  const step = useDefaultDenyStep()
  const can = useCan()
  const found = state.data?.found
  const staged = found && !found.enforced ? found.policy : undefined
  // The same queries as the namespace rows below (shared by key): accepted ones join the preview.
  const recommendations = useQueries({
    queries: (state.data?.namespaces ?? []).map((ns) => ({
      ...recommendationQueries.detail(ns, false),
      enabled: staged !== undefined,
    })),
  })
  const recommendationsLoaded = recommendations.every((q) => !q.isPending)
  const accepted = acceptedPolicies(recommendations.map((q) => q.data))
  // The default deny and the accepted recommendations enforced together, nothing else staged.
  const change = staged && recommendationsLoaded ? defaultDenyChange(staged, accepted) : undefined
  const impact = useQuery({
    ...impactQueries.preview(change ?? { type: 'staged-all' }, {
      window: '24h',
      onlyChanged: true,
    }),
    enabled: change !== undefined,
  })
  const stillBlocked = impact.data?.totals.allowedToDenied ?? 0
  if (state.isPending) return <LoadingState label="Looking for a default deny…" />
  if (state.isError) return <ErrorMessage error={state.error} title="Cannot load" />
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Default deny</h1>
          <div className="muted">
            Stage a global default deny, see what it would block, allow the legitimate flows with
            recommendations, and enforce it when nothing wanted is blocked any more.
          </div>
        </div>
      </header>
      <ol className="dd-steps">
        <Step n={1} title="Stage a global default deny" done={found !== undefined}>
          {found ? (
            <p>
              Found <code>{found.policy.kind}</code> <code>{found.policy.metadata.name}</code>{' '}
              {found.enforced ? '(enforced)' : '(staged)'} in tier{' '}
              <code>{found.policy.spec.tier ?? 'default'}</code>, order{' '}
              {found.policy.spec.order ?? '—'}. <Link to="/board">See it on the board</Link>
            </p>
          ) : (
            <>
              <p className="muted">
                None yet. The workflow stages this one: every namespace but the system ones, Ingress
                and Egress, DNS to kube-dns still allowed.
              </p>
              <pre className="rec-yaml">{JSON.stringify(state.data.proposed.spec, null, 2)}</pre>
              {can.write(state.data.proposed.spec.tier ?? 'default') ? (
                <Button
                  variant="primary"
                  onClick={() => step.mutate({ action: 'stage' })}
                  disabled={step.isPending}
                >
                  Stage default deny
                </Button>
              ) : (
                <p className="muted" data-testid="default-deny.no-write">
                  Staging it needs write rights on tier "
                  {state.data.proposed.spec.tier ?? 'default'}
                  ".
                </p>
              )}
            </>
          )}
        </Step>
        <Step n={2} title="See what it would block" done={impact.isSuccess && stillBlocked === 0}>
          {change ? (
            <>
              <p data-testid="default-deny.preview-scope">
                What the cluster would do with the default deny
                {accepted.length === 0
                  ? ' alone (no recommendation accepted yet)'
                  : ` and the ${accepted.length} accepted recommendation${accepted.length === 1 ? '' : 's'}`}{' '}
                enforced; other staged policies are left out.{' '}
                <Link to={impactHref()}>Preview every staged policy instead</Link>
              </p>
              <ImpactPreview change={change} compact />
            </>
          ) : staged ? (
            <LoadingState label="Loading the accepted recommendations…" />
          ) : found?.enforced ? (
            <p className="muted">The default deny is enforced.</p>
          ) : (
            <p className="muted">Stage the default deny first.</p>
          )}
        </Step>
        <Step
          n={3}
          title="Allow the legitimate flows it blocks"
          done={impact.isSuccess && stillBlocked === 0}
        >
          <p className="muted">
            Recommendations allow what each namespace was seen doing; flows that were denied
            (lateral movement) are never allowed. Accepted recommendations count in the preview
            above.
          </p>
          <ul className="dd-steps">
            {state.data.namespaces.map((ns) => (
              <NamespaceRow key={ns} namespace={ns} />
            ))}
          </ul>
        </Step>
        <Step n={4} title="Enforce" done={found?.enforced === true}>
          {found?.enforced ? (
            <p>
              Enforced. <Link to="/board">Back to the board</Link>
            </p>
          ) : (
            <>
              <p className="muted" data-testid="default-deny.blocked">
                {!staged
                  ? 'Nothing staged yet.'
                  : change === undefined || impact.isPending
                    ? 'Checking the preview…'
                    : stillBlocked === 0
                      ? 'Nothing wanted is blocked: ready to enforce.'
                      : `${stillBlocked} flows would still be blocked.`}
              </p>
              {can.write(found?.policy.spec.tier ?? 'default') ? (
                <Button
                  variant={stillBlocked === 0 ? 'primary' : 'danger'}
                  disabled={!staged || step.isPending}
                  onClick={() => step.mutate({ action: 'enforce' })}
                >
                  Enforce default deny
                </Button>
              ) : (
                <p className="muted" data-testid="default-deny.no-enforce">
                  Enforcing it needs write rights on tier "{found?.policy.spec.tier ?? 'default'}".
                </p>
              )}
            </>
          )}
          {step.isError ? <ErrorMessage error={step.error} title="Cannot do this step" /> : null}
        </Step>
      </ol>
    </div>
  )
}
