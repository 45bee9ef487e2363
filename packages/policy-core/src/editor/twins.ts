import { ErrorCodes, PolicyError, type Result } from '../errors.ts'
import { CALICO_API_VERSION, K8S_NETWORKING_API_VERSION, resourceRef } from '../resources/types.ts'
import {
  cloneJson,
  type PolicyIdentity,
  type PolicyResource,
  policyKindInfo,
  policyKindOf,
  policyRef,
  stripServerFields,
} from './policy.ts'

/**
 * The staged twin of a policy: the staged kind with the same name, namespace, labels and
 * spec, and `stagedAction: Set` ("this is what the enforced policy would become"). Server
 * fields (`resourceVersion`, `uid` …) are dropped, since the twin is a new resource. A
 * staged policy comes back as a copy of itself.
 */
export function toStaged(policy: PolicyResource): PolicyResource {
  const kind = policyKindOf(policy)
  const info = policyKindInfo(kind)
  if (info.staged) return cloneJson(policy)
  const metadata = stripServerFields(cloneJson(policy.metadata))
  const { ...spec } = cloneJson(policy.spec)
  // `stagedAction` goes first so the printed YAML reads as intended.
  const stagedSpec = { stagedAction: 'Set' as const, ...spec }
  return {
    apiVersion: CALICO_API_VERSION,
    kind: info.stagedKind,
    metadata,
    spec: stagedSpec,
  } as PolicyResource
}

/**
 * The enforced form of a staged policy: the enforced kind with the same name, namespace,
 * labels and spec, without `stagedAction` (Calico's `ConvertStaged*PolicyToEnforced`).
 * Fails for `stagedAction: Delete`, whose enforcement removes the enforced twin instead
 * (see {@link enforcePlan}). An enforced policy comes back as a copy of itself.
 */
export function toEnforced(policy: PolicyResource): Result<PolicyResource> {
  const kind = policyKindOf(policy)
  const info = policyKindInfo(kind)
  if (!info.staged) return { ok: true, value: cloneJson(policy) }
  const spec = cloneJson(policy.spec) as { stagedAction?: string }
  if (spec.stagedAction === 'Delete') {
    return {
      ok: false,
      errors: [
        new PolicyError(
          ErrorCodes.INVALID_VALUE,
          'expected stagedAction Set to build an enforced policy: enforcing a Delete removes the enforced policy',
          { resource: resourceRef(policy), field: 'spec.stagedAction' },
        ),
      ],
    }
  }
  delete spec.stagedAction
  const metadata = stripServerFields(cloneJson(policy.metadata))
  const value = info.kubernetes
    ? { apiVersion: K8S_NETWORKING_API_VERSION, kind: 'NetworkPolicy', metadata, spec }
    : { apiVersion: CALICO_API_VERSION, kind: info.enforcedKind, metadata, spec }
  return { ok: true, value: value as PolicyResource }
}

/** The identity of a policy's twin: the staged kind for an enforced policy and vice versa. */
export function twinRef(policy: PolicyResource): PolicyIdentity {
  const ref = policyRef(policy)
  const info = policyKindInfo(ref.kind)
  return { ...ref, kind: info.staged ? info.enforcedKind : info.stagedKind }
}

/** The writes that enforce a staged policy, in order. */
export interface EnforcePlan {
  /** The enforced policy to create or replace; absent for `stagedAction: Delete`. */
  write?: PolicyResource
  /** Policies to delete afterwards: the staged policy, and the enforced twin for a Delete. */
  delete: PolicyIdentity[]
}

/**
 * What enforcing a staged policy does: `Set` (and `Learn`/`Ignore`, which Calico treats
 * like `Set`) writes the enforced kind and deletes the staged one; `Delete` deletes the
 * enforced twin and the staged policy. An enforced policy needs nothing: an empty plan.
 */
export function enforcePlan(policy: PolicyResource): EnforcePlan {
  const ref = policyRef(policy)
  if (!policyKindInfo(ref.kind).staged) return { delete: [] }
  const enforced = toEnforced(policy)
  if (enforced.ok) return { write: enforced.value, delete: [ref] }
  return { delete: [twinRef(policy), ref] }
}
