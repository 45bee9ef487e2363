import {
  CALICO_API_VERSION,
  type GlobalNetworkPolicy,
  K8S_NETWORKING_API_VERSION,
  type KubernetesNetworkPolicy,
  type NetworkPolicy,
  type ObjectMeta,
  type Resource,
  type StagedGlobalNetworkPolicy,
  type StagedKubernetesNetworkPolicy,
  type StagedNetworkPolicy,
} from '../resources/types.ts'

/** Every policy resource the editor edits: the six policy kinds of the model. */
export type PolicyResource =
  | NetworkPolicy
  | GlobalNetworkPolicy
  | StagedNetworkPolicy
  | StagedGlobalNetworkPolicy
  | StagedKubernetesNetworkPolicy
  | KubernetesNetworkPolicy

/** The model kind of a policy (`KubernetesNetworkPolicy` names the `networking.k8s.io/v1` kind). */
export type PolicyResourceKind =
  | 'NetworkPolicy'
  | 'GlobalNetworkPolicy'
  | 'StagedNetworkPolicy'
  | 'StagedGlobalNetworkPolicy'
  | 'StagedKubernetesNetworkPolicy'
  | 'KubernetesNetworkPolicy'

/** Every policy kind, enforced kinds first. */
export const POLICY_RESOURCE_KINDS: readonly PolicyResourceKind[] = [
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'KubernetesNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
  'StagedKubernetesNetworkPolicy',
]

/** What the editor needs to know about a policy kind. */
export interface PolicyKindInfo {
  /** The policy lives in a namespace (`metadata.namespace` required). */
  namespaced: boolean
  /** A staged kind: evaluated only in the staged view, carries `spec.stagedAction`. */
  staged: boolean
  /** Rules in Kubernetes form (`podSelector`, `from`/`to` peers) rather than Calico form. */
  kubernetes: boolean
  /** The enforced kind with the same shape (itself for enforced kinds). */
  enforcedKind: PolicyResourceKind
  /** The staged kind with the same shape (itself for staged kinds). */
  stagedKind: PolicyResourceKind
}

const KIND_INFO: Record<PolicyResourceKind, PolicyKindInfo> = {
  NetworkPolicy: {
    namespaced: true,
    staged: false,
    kubernetes: false,
    enforcedKind: 'NetworkPolicy',
    stagedKind: 'StagedNetworkPolicy',
  },
  GlobalNetworkPolicy: {
    namespaced: false,
    staged: false,
    kubernetes: false,
    enforcedKind: 'GlobalNetworkPolicy',
    stagedKind: 'StagedGlobalNetworkPolicy',
  },
  KubernetesNetworkPolicy: {
    namespaced: true,
    staged: false,
    kubernetes: true,
    enforcedKind: 'KubernetesNetworkPolicy',
    stagedKind: 'StagedKubernetesNetworkPolicy',
  },
  StagedNetworkPolicy: {
    namespaced: true,
    staged: true,
    kubernetes: false,
    enforcedKind: 'NetworkPolicy',
    stagedKind: 'StagedNetworkPolicy',
  },
  StagedGlobalNetworkPolicy: {
    namespaced: false,
    staged: true,
    kubernetes: false,
    enforcedKind: 'GlobalNetworkPolicy',
    stagedKind: 'StagedGlobalNetworkPolicy',
  },
  StagedKubernetesNetworkPolicy: {
    namespaced: true,
    staged: true,
    kubernetes: true,
    enforcedKind: 'KubernetesNetworkPolicy',
    stagedKind: 'StagedKubernetesNetworkPolicy',
  },
}

/** Facts about a policy kind (scope, staged or not, rule form, twin kinds). */
export function policyKindInfo(kind: PolicyResourceKind): PolicyKindInfo {
  return KIND_INFO[kind]
}

/** True for a string naming one of the six policy kinds. */
export function isPolicyResourceKind(kind: string): kind is PolicyResourceKind {
  return Object.hasOwn(KIND_INFO, kind)
}

/** The model kind of a policy resource (tells the two `NetworkPolicy` kinds apart). */
export function policyKindOf(policy: PolicyResource): PolicyResourceKind {
  return policy.apiVersion === K8S_NETWORKING_API_VERSION ? 'KubernetesNetworkPolicy' : policy.kind
}

/** True when a resource is one of the six policy kinds. */
export function isPolicyResource(resource: Resource): resource is PolicyResource {
  return resource.apiVersion === K8S_NETWORKING_API_VERSION || isPolicyResourceKind(resource.kind)
}

/** What a new policy starts with. */
export interface NewPolicyOptions {
  /** `metadata.name`; empty when not given, for the user to fill in. */
  name?: string
  /** `metadata.namespace` of namespaced kinds; `default` when not given. Ignored for global kinds. */
  namespace?: string
  /** `spec.tier` of Calico kinds; left unset (the `default` tier) when not given. */
  tier?: string
}

/**
 * An empty policy of a kind: no rules, `types: [Ingress]` (what Calico defaults an empty
 * policy to), an `all()` selector for Calico kinds, an empty `podSelector` (all pods of
 * the namespace) for Kubernetes kinds, and `stagedAction: Set` for staged kinds.
 */
export function createPolicy(
  kind: PolicyResourceKind,
  options: NewPolicyOptions = {},
): PolicyResource {
  const info = KIND_INFO[kind]
  const metadata: ObjectMeta = { name: options.name ?? '' }
  if (info.namespaced) metadata.namespace = options.namespace ?? 'default'
  switch (kind) {
    case 'KubernetesNetworkPolicy':
      return {
        apiVersion: K8S_NETWORKING_API_VERSION,
        kind: 'NetworkPolicy',
        metadata,
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      }
    case 'StagedKubernetesNetworkPolicy':
      return {
        apiVersion: CALICO_API_VERSION,
        kind,
        metadata,
        spec: { stagedAction: 'Set', podSelector: {}, policyTypes: ['Ingress'] },
      }
    case 'NetworkPolicy':
    case 'GlobalNetworkPolicy':
      return {
        apiVersion: CALICO_API_VERSION,
        kind,
        metadata,
        spec: {
          ...(options.tier ? { tier: options.tier } : {}),
          selector: 'all()',
          types: ['Ingress'],
        },
      }
    case 'StagedNetworkPolicy':
    case 'StagedGlobalNetworkPolicy':
      return {
        apiVersion: CALICO_API_VERSION,
        kind,
        metadata,
        spec: {
          stagedAction: 'Set',
          ...(options.tier ? { tier: options.tier } : {}),
          selector: 'all()',
          types: ['Ingress'],
        },
      }
  }
}

/** Metadata fields the server owns; a converted copy must not carry them. */
const SERVER_FIELDS = [
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'managedFields',
  'ownerReferences',
  'finalizers',
] as const

/** A copy of metadata without the fields the server owns (`resourceVersion`, `uid` …). */
export function stripServerFields(metadata: ObjectMeta): ObjectMeta {
  const out: ObjectMeta = { ...metadata }
  for (const f of SERVER_FIELDS) delete out[f]
  return out
}

/** A deep copy of plain JSON data (resources are plain JSON). */
export function cloneJson<T>(value: T): T {
  return structuredClone(value)
}

/** `Kind namespace/name` identity of a policy: what a twin shares with its original. */
export interface PolicyIdentity {
  /** The model kind. */
  kind: PolicyResourceKind
  /** Namespace of namespaced kinds, absent for global ones. */
  namespace?: string
  /** `metadata.name`. */
  name: string
}

/** The identity of a policy (its model kind, namespace and name). */
export function policyRef(policy: PolicyResource): PolicyIdentity {
  const ref: PolicyIdentity = { kind: policyKindOf(policy), name: policy.metadata.name }
  if (policy.metadata.namespace !== undefined) ref.namespace = policy.metadata.namespace
  return ref
}
