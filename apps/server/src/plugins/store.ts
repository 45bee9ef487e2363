import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import { BoardService } from '../services/board.ts'
import { seedDemo } from '../services/seed.ts'
import { FlowStore } from '../store/flows.ts'
import { openStore, type Store } from '../store/index.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Validated configuration. */
    config: Config
    /** The resource, revision and inventory store. */
    store: Store
    /** The flow-log store (records, hit counters, tuples). */
    flows: FlowStore
    /** Cached board views (compiled policy set, policy summaries). */
    board: BoardService
  }
}

/** Who made a request: the authenticated user's name (revisions record it), `anonymous` when none. */
export function actorOf(request: FastifyRequest): string {
  return request.principal?.name ?? 'anonymous'
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
    const flows = new FlowStore(store.db)
    app.decorate('store', store)
    app.decorate('flows', flows)
    app.decorate('board', new BoardService(store, flows))
    if (opts.config.demo) {
      const outcome = await seedDemo(store, flows)
      app.log.info({ outcome }, 'demo data')
    }
    // Retention: prune at start and hourly. Every replica may do it; deletes are idempotent.
    let timer: NodeJS.Timeout | undefined
    if (opts.config.flowRetentionDays > 0) {
      const prune = () =>
        flows
          .prune(Math.floor(Date.now() / 1000) - opts.config.flowRetentionDays * 86400)
          .catch((err: unknown) => app.log.error({ err }, 'flow-log retention failed'))
      await prune()
      timer = setInterval(prune, 3600_000)
      timer.unref()
    }
    app.addHook('onClose', async () => {
      if (timer) clearInterval(timer)
      await store.db.close()
    })
  },
  { name: 'store' },
)
