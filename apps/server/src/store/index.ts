import { join } from 'node:path'
import { migrate } from './migrations.ts'
import { openPostgres } from './postgres.ts'
import type { SqlClient } from './sql.ts'
import { openSqlite } from './sqlite.ts'
import { Store } from './store.ts'

export { StoreError, ValidationFailure } from './errors.ts'
export type { Dialect, SqlClient, SqlValue } from './sql.ts'
export type { ListFilter, PutOptions, PutResult, ResourceId, RevisionFilter } from './store.ts'
export {
  BUILTIN_TIER_NAMES,
  canonicalJson,
  isPolicyResourceKind,
  resourceIdOf,
  Store,
  StoreWriter,
  tierOf,
  withoutServerFields,
} from './store.ts'

/** Where the store lives: a PostgreSQL URL (and schema), else a SQLite file under `dataDir`. */
export interface StoreOptions {
  databaseUrl?: string | undefined
  /** PostgreSQL schema (tests use one per run). */
  schema?: string | undefined
  dataDir: string
}

/** Opens the database, applies migrations and creates the built-in tiers. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const db: SqlClient = options.databaseUrl
    ? openPostgres({
        url: options.databaseUrl,
        ...(options.schema ? { schema: options.schema } : {}),
      })
    : openSqlite(join(options.dataDir, 'policyboard.sqlite'))
  try {
    await migrate(db)
    const store = new Store(db)
    await store.init()
    return store
  } catch (err) {
    await db.close().catch(() => undefined)
    throw err
  }
}
