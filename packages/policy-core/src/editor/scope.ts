import { ErrorCodes, PolicyError, type Result } from '../errors.ts'
import type { EntityRule, Rule } from '../resources/types.ts'
import { normaliseSelector, printSelector, tryParseSelector } from '../selector/index.ts'
import { cloneJson, type PolicyResource, type PolicyResourceKind, policyKindOf } from './policy.ts'

/** Where a Calico policy applies: one namespace, or the whole cluster. */
export type PolicyScope = { scope: 'namespaced'; namespace: string } | { scope: 'global' }

/** A scope change: the converted policy, and what could not be carried over exactly. */
export interface ScopeChange {
  /** The policy of the other scope. */
  policy: PolicyResource
  /** One lowercase sentence per meaning that changed (empty when the conversion is exact). */
  notes: string[]
}

const NAMESPACED_TO_GLOBAL: Partial<Record<PolicyResourceKind, PolicyResourceKind>> = {
  NetworkPolicy: 'GlobalNetworkPolicy',
  StagedNetworkPolicy: 'StagedGlobalNetworkPolicy',
}
const GLOBAL_TO_NAMESPACED: Partial<Record<PolicyResourceKind, PolicyResourceKind>> = {
  GlobalNetworkPolicy: 'NetworkPolicy',
  StagedGlobalNetworkPolicy: 'StagedNetworkPolicy',
}

/** The selector that picks namespace `namespace` by its implicit name label. */
export function namespaceNameSelector(namespace: string): string {
  return printSelector({ kind: 'eq', label: 'projectcalico.org/name', value: namespace })
}

function sameSelector(a: string, b: string): boolean {
  return tryParseSelector(a).ok && normaliseSelector(a) === normaliseSelector(b)
}

function selectsOnlyNamespace(selector: string, namespace: string): boolean {
  return (
    sameSelector(selector, namespaceNameSelector(namespace)) ||
    sameSelector(selector, `kubernetes.io/metadata.name == "${namespace}"`)
  )
}

/** An entity rule whose positive part Calico scopes to the policy's namespace (§3.7). */
function isNamespaceScoped(entity: EntityRule): boolean {
  return (
    entity.namespaceSelector === undefined &&
    (entity.selector !== undefined ||
      entity.notSelector !== undefined ||
      entity.serviceAccounts !== undefined)
  )
}

function mapEntities(
  rules: Rule[] | undefined,
  f: (e: EntityRule, where: string) => EntityRule,
): Rule[] | undefined {
  return rules?.map((rule, i) => {
    const out: Rule = { ...rule }
    if (rule.source) out.source = f(rule.source, `rule ${i + 1} source`)
    if (rule.destination) out.destination = f(rule.destination, `rule ${i + 1} destination`)
    return out
  })
}

/**
 * Moves a Calico policy between namespaced and global kinds (NetworkPolicy ↔
 * GlobalNetworkPolicy, and the staged pair), keeping its meaning where the other kind can
 * express it:
 *
 * - namespaced → global: `metadata.namespace` goes, `spec.namespaceSelector` selects that
 *   namespace by `projectcalico.org/name`, and every rule peer that Calico scoped to the
 *   namespace implicitly (a selector, notSelector or serviceAccounts without a
 *   namespaceSelector) gets the same namespaceSelector. Exact.
 * - global → namespaced: the policy moves into `namespace`; a namespaceSelector naming
 *   exactly that namespace is dropped as implicit; other policy-level namespace selectors
 *   and the global-only fields (`doNotTrack`, `preDNAT`, `applyOnForward`) are dropped with a
 *   note; cluster-wide rule peers get `namespaceSelector: all()`, which no longer reaches
 *   host endpoints and global network sets (noted).
 *
 * Kubernetes kinds are always namespaced and fail with `INVALID_VALUE`; asking for the
 * scope a policy already has changes only the namespace.
 */
export function changeScope(policy: PolicyResource, target: PolicyScope): Result<ScopeChange> {
  const kind = policyKindOf(policy)
  if (NAMESPACED_TO_GLOBAL[kind] === undefined && GLOBAL_TO_NAMESPACED[kind] === undefined) {
    return {
      ok: false,
      errors: [
        new PolicyError(
          ErrorCodes.INVALID_VALUE,
          'expected a Calico policy kind: Kubernetes network policies are always namespaced',
          { field: 'metadata.namespace' },
        ),
      ],
    }
  }
  const copy = cloneJson(policy) as unknown as {
    apiVersion: string
    kind: string
    metadata: PolicyResource['metadata']
    spec: Record<string, unknown> & { ingress?: Rule[]; egress?: Rule[] }
  }
  const notes: string[] = []
  const namespace = policy.metadata.namespace
  if (target.scope === 'global') {
    const globalKind = NAMESPACED_TO_GLOBAL[kind]
    if (globalKind === undefined)
      return { ok: true, value: { policy: copy as PolicyResource, notes } }
    const nsSel = namespaceNameSelector(namespace ?? 'default')
    copy.kind = globalKind
    delete copy.metadata.namespace
    copy.spec = insertAfter(copy.spec, 'selector', 'namespaceSelector', nsSel)
    const scopeEntity = (e: EntityRule): EntityRule =>
      isNamespaceScoped(e) ? { namespaceSelector: nsSel, ...e } : e
    setRules(copy.spec, 'ingress', mapEntities(copy.spec.ingress, scopeEntity))
    setRules(copy.spec, 'egress', mapEntities(copy.spec.egress, scopeEntity))
    return { ok: true, value: { policy: copy as PolicyResource, notes } }
  }
  const nsKind = GLOBAL_TO_NAMESPACED[kind]
  copy.metadata = {
    name: copy.metadata.name,
    namespace: target.namespace,
    ...omit(copy.metadata, ['name', 'namespace']),
  }
  if (nsKind === undefined) return { ok: true, value: { policy: copy as PolicyResource, notes } }
  copy.kind = nsKind
  const policyNsSel = copy.spec.namespaceSelector
  if (typeof policyNsSel === 'string' && !selectsOnlyNamespace(policyNsSel, target.namespace)) {
    notes.push(
      `the namespace selector "${policyNsSel}" was dropped: the policy now applies in ${target.namespace} only`,
    )
  }
  delete copy.spec.namespaceSelector
  for (const field of ['doNotTrack', 'preDNAT', 'applyOnForward']) {
    if (copy.spec[field] !== undefined) {
      notes.push(`${field} was dropped: namespaced policies do not have it`)
      delete copy.spec[field]
    }
  }
  const unscope = (e: EntityRule, where: string): EntityRule => {
    if (
      e.namespaceSelector !== undefined &&
      selectsOnlyNamespace(e.namespaceSelector, target.namespace)
    ) {
      const { namespaceSelector: _, ...rest } = e
      return rest
    }
    if (isNamespaceScoped(e)) {
      notes.push(`${where} now matches namespaced endpoints only (namespaceSelector all())`)
      return { namespaceSelector: 'all()', ...e }
    }
    return e
  }
  setRules(
    copy.spec,
    'ingress',
    mapEntities(copy.spec.ingress, (e, w) => unscope(e, `ingress ${w}`)),
  )
  setRules(
    copy.spec,
    'egress',
    mapEntities(copy.spec.egress, (e, w) => unscope(e, `egress ${w}`)),
  )
  return { ok: true, value: { policy: copy as PolicyResource, notes } }
}

function setRules(spec: Record<string, unknown>, key: string, rules: Rule[] | undefined): void {
  if (rules !== undefined) spec[key] = rules
}

function omit<T extends object>(obj: T, keys: string[]): Partial<T> {
  const out: Record<string, unknown> = { ...(obj as Record<string, unknown>) }
  for (const k of keys) delete out[k]
  return out as Partial<T>
}

/** A copy of `obj` with `key: value` placed right after `after` (or first when `after` is absent). */
function insertAfter(
  obj: Record<string, unknown>,
  after: string,
  key: string,
  value: unknown,
): Record<string, unknown> & { ingress?: Rule[]; egress?: Rule[] } {
  const out: Record<string, unknown> = {}
  if (!(after in obj)) out[key] = value
  for (const [k, v] of Object.entries(obj)) {
    if (k === key) continue
    out[k] = v
    if (k === after) out[key] = value
  }
  return out
}
