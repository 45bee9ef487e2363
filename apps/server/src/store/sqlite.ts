import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { Mutex, type SqlClient, type SqlValue } from './sql.ts'

type Db = Database.Database

/**
 * SQLite through better-sqlite3, in WAL mode: one writer connection (transactions are
 * serialised by a lock) and one reader connection, so reads outside a transaction see only
 * committed data and never wait for a writer.
 */
export function openSqlite(file: string): SqlClient {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const writer = new Database(file)
  writer.pragma('journal_mode = WAL')
  writer.pragma('synchronous = NORMAL')
  // Checkpoint every ~40 MB of WAL instead of every 4 MB: a flow-log ingest commits several
  // MB per transaction, and each checkpoint costs two fsyncs.
  writer.pragma('wal_autocheckpoint = 10000')
  writer.pragma('busy_timeout = 5000')
  writer.pragma('foreign_keys = ON')
  const reader = file === ':memory:' ? writer : new Database(file, { readonly: true })
  reader.pragma('busy_timeout = 5000')
  const mutex = new Mutex()
  // Prepared statements by connection, keyed by their SQL text itself (a key built per call
  // would hash the whole text again: multi-row INSERTs are several KB long).
  const statements = new Map<Db, Map<string, Database.Statement>>([
    [writer, new Map()],
    [reader, new Map()],
  ])

  function prepare(db: Db, sql: string): Database.Statement {
    const cache = statements.get(db) as Map<string, Database.Statement>
    let stmt = cache.get(sql)
    if (!stmt) {
      stmt = db.prepare(sql)
      cache.set(sql, stmt)
    }
    return stmt
  }

  function client(db: Db, inTx: boolean): SqlClient {
    const self: SqlClient = {
      dialect: 'sqlite',
      async all<T>(sql: string, params: readonly SqlValue[] = []) {
        return prepare(db, sql).all(...params) as T[]
      },
      async get<T>(sql: string, params: readonly SqlValue[] = []) {
        return prepare(db, sql).get(...params) as T | undefined
      },
      // Writes outside a transaction go through one, on the writer connection, so that they
      // queue behind the lock instead of meeting SQLITE_BUSY.
      async run(sql: string, params: readonly SqlValue[] = []) {
        if (!inTx) return self.transaction((tx) => tx.run(sql, params))
        return prepare(db, sql).run(...params).changes
      },
      async exec(sql: string) {
        if (!inTx) return self.transaction((tx) => tx.exec(sql))
        db.exec(sql)
      },
      async insertMany(head, rows, tail = '') {
        if (!inTx) return self.transaction((tx) => tx.insertMany(head, rows, tail))
        if (rows.length === 0) return
        const width = rows[0]?.length ?? 0
        const stmt = prepare(db, `${head} VALUES (${Array(width).fill('?').join(', ')}) ${tail}`)
        for (const row of rows) stmt.run(...row)
      },
      transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
        if (inTx) return fn(self)
        return mutex.run(async () => {
          writer.exec('BEGIN IMMEDIATE')
          try {
            const result = await fn(client(writer, true))
            writer.exec('COMMIT')
            return result
          } catch (err) {
            if (writer.inTransaction) writer.exec('ROLLBACK')
            throw err
          }
        })
      },
      async close() {
        await mutex.run(async () => {
          for (const cache of statements.values()) cache.clear()
          if (reader !== writer) reader.close()
          writer.close()
        })
      },
    }
    return self
  }

  return client(reader, false)
}
