import type { Endpoint, Namespace, ServiceAccount } from '@policyboard/policy-core'
import { type Static, Type } from 'typebox'
import { ResourceVersionSchema } from './common.ts'

const LabelsSchema = Type.Record(Type.String(), Type.String())

/** A namespace and its labels. */
export const InventoryNamespaceSchema = Type.Unsafe<Namespace>(
  Type.Object(
    { name: Type.String({ minLength: 1 }), labels: Type.Optional(LabelsSchema) },
    { additionalProperties: false },
  ),
)

/** A service account and its labels. */
export const InventoryServiceAccountSchema = Type.Unsafe<ServiceAccount>(
  Type.Object(
    {
      name: Type.String({ minLength: 1 }),
      namespace: Type.String({ minLength: 1 }),
      labels: Type.Optional(LabelsSchema),
    },
    { additionalProperties: false },
  ),
)

const EndpointPortSchema = Type.Object(
  {
    name: Type.String(),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    protocol: Type.Union([Type.String(), Type.Integer()]),
  },
  { additionalProperties: false },
)

/** A workload (pod) or host endpoint: labels, IPs, named ports. */
export const InventoryEndpointSchema = Type.Unsafe<Endpoint>(
  Type.Object(
    {
      name: Type.String({ minLength: 1 }),
      namespace: Type.Optional(Type.String()),
      kind: Type.Optional(Type.Union([Type.Literal('workload'), Type.Literal('host')])),
      labels: Type.Optional(LabelsSchema),
      serviceAccount: Type.Optional(Type.String()),
      ips: Type.Optional(Type.Array(Type.String())),
      ports: Type.Optional(Type.Array(EndpointPortSchema)),
      node: Type.Optional(Type.String()),
      profiles: Type.Optional(Type.Array(Type.String())),
    },
    { additionalProperties: false },
  ),
)

/** The whole inventory; `PUT /api/v1/inventory` replaces all three lists at once. */
export const InventorySchema = Type.Object(
  {
    namespaces: Type.Array(InventoryNamespaceSchema),
    serviceAccounts: Type.Array(InventoryServiceAccountSchema),
    endpoints: Type.Array(InventoryEndpointSchema),
  },
  { additionalProperties: false },
)
export type Inventory = Static<typeof InventorySchema>

/** `GET /api/v1/inventory` adds the store revision. */
export const InventoryResponseSchema = Type.Object(
  { ...InventorySchema.properties, revision: ResourceVersionSchema },
  { additionalProperties: false },
)
export type InventoryResponse = Static<typeof InventoryResponseSchema>

/** Bodies of `PUT /api/v1/inventory/{namespaces,serviceaccounts,endpoints}` (bulk replace of one list). */
export const InventoryNamespacesSchema = Type.Array(InventoryNamespaceSchema)
export const InventoryServiceAccountsSchema = Type.Array(InventoryServiceAccountSchema)
export const InventoryEndpointsSchema = Type.Array(InventoryEndpointSchema)

/** Optional filter of the endpoint list. */
export const InventoryEndpointQuerySchema = Type.Object(
  { namespace: Type.Optional(Type.String()) },
  { additionalProperties: false },
)
export type InventoryEndpointQuery = Static<typeof InventoryEndpointQuerySchema>
