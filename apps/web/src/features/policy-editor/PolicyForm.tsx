import {
  addRule,
  changeScope,
  createPolicy,
  duplicateRule,
  effectiveTypes,
  type GlobalNetworkPolicySpec,
  type K8sNetworkPolicyEgressRule,
  type K8sNetworkPolicyIngressRule,
  moveRule,
  POLICY_RESOURCE_KINDS,
  type PolicyResource,
  type PolicyResourceKind,
  policyKindInfo,
  policyKindOf,
  type Rule,
  type RuleDirection,
  removeRule,
  rulesOf,
  type SelectorInventory,
  type StagedAction,
  setField,
  setType,
} from '@policyboard/policy-core'
import { useState } from 'react'
import { Field } from './FieldErrors.tsx'
import { K8sRuleCard, matchLabelsText, parseMatchLabels } from './K8sRuleCard.tsx'
import { LabelsEditor } from './LabelsEditor.tsx'
import { RuleCard, summariseRule } from './RuleCard.tsx'
import { RuleList } from './RuleList.tsx'
import { SelectorBuilder } from './SelectorBuilder.tsx'

/** Props of {@link PolicyForm}. */
export interface PolicyFormProps {
  policy: PolicyResource
  onEdit: (next: PolicyResource) => void
  /** Tier names to choose from. */
  tiers: readonly string[]
  inventory?: SelectorInventory
  /** A new policy may still change kind; a stored one may not. */
  isNew: boolean
}

const STAGED_ACTIONS: readonly StagedAction[] = ['Set', 'Delete', 'Learn', 'Ignore']

/** The form over every field of a policy; each change goes through a policy-core function. */
export function PolicyForm({ policy, onEdit, tiers, inventory, isNew }: PolicyFormProps) {
  const kind = policyKindOf(policy)
  const info = policyKindInfo(kind)
  const spec = policy.spec as GlobalNetworkPolicySpec & {
    stagedAction?: StagedAction
    podSelector?: unknown
  }
  const set = (path: string, value: unknown) => onEdit(setField(policy, path, value))
  const [scopeNotes, setScopeNotes] = useState<string[]>([])
  const namespace = info.namespaced ? policy.metadata.namespace : undefined
  const inv = inventory ? { inventory } : {}
  const namedPorts = [
    ...new Set(inventory?.endpoints.flatMap((e) => e.ports?.map((p) => p.name) ?? []) ?? []),
  ].sort()

  const onKind = (next: PolicyResourceKind) => {
    const fresh = createPolicy(next, {
      name: policy.metadata.name,
      ...(policy.metadata.namespace ? { namespace: policy.metadata.namespace } : {}),
      ...(spec.tier ? { tier: spec.tier } : {}),
    })
    onEdit(fresh)
  }
  const onScope = (scope: 'namespaced' | 'global') => {
    const r = changeScope(
      policy,
      scope === 'global' ? { scope } : { scope, namespace: policy.metadata.namespace ?? 'default' },
    )
    if (r.ok) {
      setScopeNotes(r.value.notes)
      onEdit(r.value.policy)
    }
  }
  const types = effectiveTypes(policy)

  const ruleSection = (direction: RuleDirection) => {
    const rules = rulesOf(policy, direction)
    return (
      <RuleList
        direction={direction}
        count={rules.length}
        summary={(i) =>
          info.kubernetes
            ? kubernetesSummary(
                rules[i] as K8sNetworkPolicyIngressRule & K8sNetworkPolicyEgressRule,
              )
            : summariseRule(rules[i] as Rule)
        }
        onAdd={() => onEdit(addRule(policy, direction))}
        onMove={(from, to) => onEdit(moveRule(policy, direction, from, to))}
        onRemove={(i) => onEdit(removeRule(policy, direction, i))}
        onDuplicate={(i) => onEdit(duplicateRule(policy, direction, i))}
        render={(i) => {
          const path = `spec.${direction}[${i}]`
          const onField = (rel: string, value: unknown) => set(`${path}.${rel}`, value)
          if (info.kubernetes) {
            const r = rules[i] as K8sNetworkPolicyIngressRule & K8sNetworkPolicyEgressRule
            const peersField = direction === 'ingress' ? 'from' : 'to'
            return (
              <K8sRuleCard
                peers={r[peersField]}
                ports={r.ports}
                peersField={peersField}
                path={path}
                onField={onField}
              />
            )
          }
          return (
            <RuleCard
              rule={rules[i] as Rule}
              path={path}
              onField={onField}
              namedPorts={namedPorts}
              {...(namespace ? { namespace } : {})}
              {...inv}
            />
          )
        }}
      />
    )
  }

  return (
    <form
      className="pe-form"
      onSubmit={(e) => e.preventDefault()}
      aria-label="Policy form"
      data-testid="policy-editor.form"
    >
      <section className="pe-section" aria-label="Metadata">
        <Field label="Kind">
          {isNew ? (
            <select
              aria-label="Kind"
              value={kind}
              onChange={(e) => onKind(e.target.value as PolicyResourceKind)}
            >
              {POLICY_RESOURCE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          ) : (
            <code data-testid="policy-editor.kind">{kind}</code>
          )}
        </Field>
        <Field label="Name" path="metadata.name">
          <input
            aria-label="Name"
            value={policy.metadata.name}
            readOnly={!isNew}
            onChange={(e) => set('metadata.name', e.target.value)}
          />
        </Field>
        {!info.kubernetes ? (
          <Field label="Scope">
            <div className="pe-radios" role="radiogroup" aria-label="Scope">
              <label>
                <input
                  type="radio"
                  name="scope"
                  checked={info.namespaced}
                  disabled={!isNew}
                  onChange={() => onScope('namespaced')}
                />{' '}
                Namespace
              </label>
              <label>
                <input
                  type="radio"
                  name="scope"
                  checked={!info.namespaced}
                  disabled={!isNew}
                  onChange={() => onScope('global')}
                />{' '}
                Global
              </label>
            </div>
            {scopeNotes.length ? (
              <ul className="pe-notes" data-testid="policy-editor.scope-notes">
                {scopeNotes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            ) : null}
          </Field>
        ) : null}
        {info.namespaced ? (
          <Field label="Namespace" path="metadata.namespace">
            <input
              aria-label="Namespace"
              value={policy.metadata.namespace ?? ''}
              readOnly={!isNew}
              list="pe-namespaces"
              onChange={(e) => set('metadata.namespace', e.target.value)}
            />
            <datalist id="pe-namespaces">
              {inventory?.namespaces.map((n) => (
                <option key={n.name} value={n.name} />
              ))}
            </datalist>
          </Field>
        ) : null}
        <Field label="Labels" path="metadata.labels">
          <LabelsEditor
            label="Label"
            labels={policy.metadata.labels}
            onChange={(l) => set('metadata.labels', l)}
          />
        </Field>
        {info.staged ? (
          <Field label="Staged action" path="spec.stagedAction">
            <select
              aria-label="Staged action"
              value={spec.stagedAction ?? 'Set'}
              onChange={(e) => set('spec.stagedAction', e.target.value)}
            >
              {STAGED_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
      </section>

      <section className="pe-section" aria-label="Applies to">
        {info.kubernetes ? (
          <Field
            label="Pod selector"
            path="spec.podSelector"
            hint="a=b, c=d; empty selects every pod of the namespace"
          >
            <input
              aria-label="Pod selector"
              key={matchLabelsText(spec.podSelector as never)}
              defaultValue={matchLabelsText(spec.podSelector as never)}
              onBlur={(e) => set('spec.podSelector', parseMatchLabels(e.target.value))}
            />
          </Field>
        ) : (
          <>
            <Field label="Tier" path="spec.tier">
              <select
                aria-label="Tier"
                value={spec.tier ?? 'default'}
                onChange={(e) =>
                  set(
                    'spec.tier',
                    e.target.value === 'default' && !spec.tier ? undefined : e.target.value,
                  )
                }
              >
                {[...new Set(['default', ...tiers, ...(spec.tier ? [spec.tier] : [])])].map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Order" path="spec.order" hint="lower runs first; empty runs last">
              <input
                aria-label="Order"
                type="number"
                value={spec.order ?? ''}
                onChange={(e) =>
                  set('spec.order', e.target.value === '' ? undefined : Number(e.target.value))
                }
              />
            </Field>
            <Field label="Selector">
              <SelectorBuilder
                label="Policy selector"
                testId="policy-editor.selector"
                value={spec.selector}
                onChange={(v) => set('spec.selector', v)}
                subject="endpoint"
                path="spec.selector"
                {...(namespace ? { namespace } : {})}
                {...inv}
              />
            </Field>
            {!info.namespaced ? (
              <Field label="Namespace selector">
                <SelectorBuilder
                  label="Policy namespace selector"
                  value={spec.namespaceSelector}
                  onChange={(v) => set('spec.namespaceSelector', v)}
                  subject="namespace"
                  path="spec.namespaceSelector"
                  {...inv}
                />
              </Field>
            ) : null}
            <Field label="Service account selector">
              <SelectorBuilder
                label="Policy service account selector"
                value={spec.serviceAccountSelector}
                onChange={(v) => set('spec.serviceAccountSelector', v)}
                subject="serviceAccount"
                path="spec.serviceAccountSelector"
                {...inv}
              />
            </Field>
          </>
        )}
        <Field label="Types" path={info.kubernetes ? 'spec.policyTypes' : 'spec.types'}>
          <div className="pe-radios">
            {(['ingress', 'egress'] as const).map((d) => (
              <label key={d}>
                <input
                  type="checkbox"
                  aria-label={d === 'ingress' ? 'Ingress' : 'Egress'}
                  checked={types.includes(d === 'ingress' ? 'Ingress' : 'Egress')}
                  onChange={(e) => onEdit(setType(policy, d, e.target.checked))}
                />{' '}
                {d === 'ingress' ? 'Ingress' : 'Egress'}
              </label>
            ))}
          </div>
        </Field>
      </section>
      {ruleSection('ingress')}
      {ruleSection('egress')}
    </form>
  )
}

function kubernetesSummary(rule: K8sNetworkPolicyIngressRule & K8sNetworkPolicyEgressRule): string {
  const peers = rule.from ?? rule.to
  const ports = rule.ports?.map((p) => `${p.protocol ?? 'TCP'}/${p.port ?? '*'}`).join(', ')
  return [
    `Allow`,
    ports ? `ports ${ports}` : '',
    peers ? `${peers.length} peer${peers.length === 1 ? '' : 's'}` : 'everyone',
  ]
    .filter(Boolean)
    .join(' ')
}
