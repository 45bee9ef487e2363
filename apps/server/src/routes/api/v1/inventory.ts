import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  InventoryEndpointQuerySchema,
  InventoryEndpointsSchema,
  InventoryNamespacesSchema,
  InventoryResponseSchema,
  InventorySchema,
  InventoryServiceAccountsSchema,
} from '@policyboard/api'
import { Type } from 'typebox'
import { actorOf } from '../../../plugins/store.ts'
import { errors } from './common.ts'

const Revision = Type.Object({ revision: Type.String() }, { additionalProperties: false })

/** The endpoint inventory: namespaces, service accounts, workload and host endpoints. */
export const inventoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['inventory']
  app.get(
    '/inventory',
    { schema: { tags, response: { 200: InventoryResponseSchema } } },
    async () => ({
      ...(await app.store.inventory()),
      revision: String(await app.store.revision()),
    }),
  )
  app.put(
    '/inventory',
    {
      schema: {
        tags,
        summary: 'Replace the whole inventory',
        body: InventorySchema,
        response: { 200: Revision, ...errors(400) },
      },
    },
    async (request) => ({
      revision: String(await app.store.replaceInventory(actorOf(request), request.body)),
    }),
  )
  app.get(
    '/inventory/namespaces',
    { schema: { tags, response: { 200: InventoryNamespacesSchema } } },
    async () => (await app.store.inventory()).namespaces,
  )
  app.put(
    '/inventory/namespaces',
    {
      schema: {
        tags,
        body: InventoryNamespacesSchema,
        response: { 200: Revision, ...errors(400) },
      },
    },
    async (request) => ({
      revision: String(
        await app.store.replaceInventory(actorOf(request), { namespaces: request.body }),
      ),
    }),
  )
  app.get(
    '/inventory/serviceaccounts',
    { schema: { tags, response: { 200: InventoryServiceAccountsSchema } } },
    async () => (await app.store.inventory()).serviceAccounts,
  )
  app.put(
    '/inventory/serviceaccounts',
    {
      schema: {
        tags,
        body: InventoryServiceAccountsSchema,
        response: { 200: Revision, ...errors(400) },
      },
    },
    async (request) => ({
      revision: String(
        await app.store.replaceInventory(actorOf(request), { serviceAccounts: request.body }),
      ),
    }),
  )
  app.get(
    '/inventory/endpoints',
    {
      schema: {
        tags,
        querystring: InventoryEndpointQuerySchema,
        response: { 200: InventoryEndpointsSchema },
      },
    },
    async (request) => {
      const all = (await app.store.inventory()).endpoints
      const ns = request.query.namespace
      return ns === undefined ? all : all.filter((e) => e.namespace === ns)
    },
  )
  app.put(
    '/inventory/endpoints',
    {
      schema: { tags, body: InventoryEndpointsSchema, response: { 200: Revision, ...errors(400) } },
    },
    async (request) => ({
      revision: String(
        await app.store.replaceInventory(actorOf(request), { endpoints: request.body }),
      ),
    }),
  )
}
