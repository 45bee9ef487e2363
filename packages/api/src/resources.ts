import type { Resource, ResourceKind } from '@policyboard/policy-core'
import { type Static, Type } from 'typebox'
import { ResourceVersionSchema } from './common.ts'

/** Every resource kind the API stores, in the model's own names (`KubernetesNetworkPolicy` for `networking.k8s.io/v1`). */
export const ResourceKindSchema = Type.Union([
  Type.Literal('Tier'),
  Type.Literal('NetworkPolicy'),
  Type.Literal('GlobalNetworkPolicy'),
  Type.Literal('StagedNetworkPolicy'),
  Type.Literal('StagedGlobalNetworkPolicy'),
  Type.Literal('StagedKubernetesNetworkPolicy'),
  Type.Literal('KubernetesNetworkPolicy'),
  Type.Literal('NetworkSet'),
  Type.Literal('GlobalNetworkSet'),
  Type.Literal('HostEndpoint'),
])

/** How one kind is addressed under `/api/v1`. */
export interface ResourcePath {
  /** The plural path segment, e.g. `networkpolicies`. */
  plural: string
  /** Namespaced kinds live under `/api/v1/namespaces/:namespace/<plural>`. */
  namespaced: boolean
}

/**
 * The Calico-like path of every kind: `/api/v1/<plural>/:name` for cluster kinds,
 * `/api/v1/namespaces/:namespace/<plural>/:name` for namespaced ones.
 */
export const RESOURCE_PATHS: Readonly<Record<ResourceKind, ResourcePath>> = {
  Tier: { plural: 'tiers', namespaced: false },
  NetworkPolicy: { plural: 'networkpolicies', namespaced: true },
  GlobalNetworkPolicy: { plural: 'globalnetworkpolicies', namespaced: false },
  StagedNetworkPolicy: { plural: 'stagednetworkpolicies', namespaced: true },
  StagedGlobalNetworkPolicy: { plural: 'stagedglobalnetworkpolicies', namespaced: false },
  StagedKubernetesNetworkPolicy: { plural: 'stagedkubernetesnetworkpolicies', namespaced: true },
  KubernetesNetworkPolicy: { plural: 'kubernetesnetworkpolicies', namespaced: true },
  NetworkSet: { plural: 'networksets', namespaced: true },
  GlobalNetworkSet: { plural: 'globalnetworksets', namespaced: false },
  HostEndpoint: { plural: 'hostendpoints', namespaced: false },
}

/**
 * The URL of one resource (or of its collection when `name` is omitted).
 * @example resourcePath('NetworkPolicy', 'shop', 'allow-web') // '/api/v1/namespaces/shop/networkpolicies/allow-web'
 */
export function resourcePath(kind: ResourceKind, namespace?: string, name?: string): string {
  const p = RESOURCE_PATHS[kind]
  const base = p.namespaced
    ? `/api/v1/namespaces/${encodeURIComponent(namespace ?? '')}/${p.plural}`
    : `/api/v1/${p.plural}`
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`
}

/**
 * A Calico or Kubernetes resource as JSON. The HTTP schema checks only the envelope; the
 * server validates the rest with policy-core so that errors carry Calico field paths.
 * Responses always carry `metadata.resourceVersion`.
 */
export const ResourceSchema = Type.Unsafe<Resource>(
  Type.Object(
    {
      apiVersion: Type.String(),
      kind: Type.String(),
      metadata: Type.Object(
        {
          name: Type.Optional(Type.String()),
          namespace: Type.Optional(Type.String()),
          resourceVersion: Type.Optional(Type.String()),
        },
        { additionalProperties: true },
      ),
      spec: Type.Optional(Type.Object({}, { additionalProperties: true })),
    },
    { additionalProperties: true },
  ),
)

/** A list of stored resources of one kind (and namespace, when given). */
export const ResourceListSchema = Type.Object(
  {
    items: Type.Array(ResourceSchema),
    /** The store's revision counter when the list was read. */
    revision: ResourceVersionSchema,
  },
  { additionalProperties: false },
)
export type ResourceList = Static<typeof ResourceListSchema>

/** `DELETE ?resourceVersion=`: refuse with 409 unless the stored version still matches. */
export const DeleteQuerySchema = Type.Object(
  { resourceVersion: Type.Optional(ResourceVersionSchema) },
  { additionalProperties: false },
)
export type DeleteQuery = Static<typeof DeleteQuerySchema>

/** Body of a successful delete: the resource as it was. */
export const DeleteResponseSchema = Type.Object(
  { deleted: ResourceSchema },
  { additionalProperties: false },
)
export type DeleteResponse = Static<typeof DeleteResponseSchema>
