import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import { openStore, type Store } from '../store/index.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Validated configuration. */
    config: Config
    /** The resource, revision and inventory store. */
    store: Store
  }
}

/** Who made a request: the `x-policyboard-actor` header, `anonymous` when absent. */
export function actorOf(request: FastifyRequest): string {
  const h = request.headers['x-policyboard-actor']
  const v = Array.isArray(h) ? h[0] : h
  return v?.trim().slice(0, 200) || 'anonymous'
}

/** Opens the store (migrations, built-in tiers) and closes it with the app. */
export const storePlugin = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const store = await openStore({
      databaseUrl: opts.config.databaseUrl,
      schema: opts.config.databaseSchema,
      dataDir: opts.config.dataDir,
    })
    app.decorate('config', opts.config)
    app.decorate('store', store)
    app.addHook('onClose', async () => {
      await store.db.close()
    })
  },
  { name: 'store' },
)
