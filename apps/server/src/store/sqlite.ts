import { mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { Mutex, type SqlClient, type SqlValue } from './sql.ts'

type Db = Database.Database

/** WAL size past which the writer hands checkpoints to the checkpointer thread. */
const CHECKPOINTER_WAL_BYTES = 8 * 1024 * 1024
/** At most one checkpoint begins per this many milliseconds. */
const CHECKPOINT_INTERVAL_MS = 250
/** Page size of a new database, bytes. */
const PAGE_SIZE = 16384
/** WAL size past which a checkpoint also restarts the WAL, bytes. */
const RESTART_WAL_BYTES = 64 * 1024 * 1024

/**
 * Checkpoints in a thread of their own (`sqlite-checkpointer.mjs`): kicked after each commit,
 * one checkpoint at a time (kicks meanwhile run one more afterwards).
 */
class Checkpointer {
  readonly #worker: Worker
  readonly ready: Promise<boolean>
  #running = false
  #again = false
  #failed = false
  #last = Number.NEGATIVE_INFINITY
  #timer: NodeJS.Timeout | undefined

  /** @param pageSize the database's page size (the WAL holds one page per frame). */
  constructor(file: string, pageSize: number) {
    this.#worker = new Worker(new URL('./sqlite-checkpointer.mjs', import.meta.url), {
      workerData: { file, restartFrames: Math.round(RESTART_WAL_BYTES / pageSize) },
    })
    this.#worker.unref()
    this.ready = new Promise<boolean>((resolve) => {
      this.#worker.on('message', (msg: { ready?: boolean; ok?: boolean }) => {
        if (msg.ready) {
          resolve(true)
          return
        }
        this.#running = false
        if (this.#again && !this.#timer) this.kick()
      })
      const fail = () => {
        this.#failed = true
        resolve(false)
      }
      this.#worker.on('error', fail)
      this.#worker.on('exit', fail)
    })
  }

  /** The thread stopped: the writer checkpoints by itself again. */
  get failed(): boolean {
    return this.#failed
  }

  /**
   * Asks for a checkpoint of what is committed so far: at once, or when the checkpoint
   * running ends, or once `CHECKPOINT_INTERVAL_MS` have passed since the last one began (a
   * pending kick then runs on a timer): fewer, larger checkpoints cost fewer fsyncs and copy
   * a page rewritten meanwhile once.
   */
  kick(): void {
    if (this.#failed) return
    const wait = this.#last + CHECKPOINT_INTERVAL_MS - performance.now()
    if (this.#running || wait > 0) {
      this.#again = true
      if (!this.#running && !this.#timer) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined
          if (this.#again) this.kick()
        }, wait)
        this.#timer.unref()
      }
      return
    }
    this.#again = false
    this.#running = true
    this.#last = performance.now()
    this.#worker.postMessage('checkpoint')
  }

  /** Closes its connection and ends the thread. */
  async close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer)
    if (this.#failed) return
    const exited = new Promise((resolve) => this.#worker.once('exit', resolve))
    // Referenced while closing: the process waits for it instead of exiting meanwhile.
    this.#worker.ref()
    this.#worker.postMessage('close')
    await exited
  }
}

/**
 * SQLite through better-sqlite3, in WAL mode: one writer connection (transactions are
 * serialised by a lock) and one reader connection, so reads outside a transaction see only
 * committed data and never wait for a writer.
 *
 * `synchronous = NORMAL` under WAL: a commit is not fsynced, so a power loss may lose the last
 * commits but never leaves a partial one (a resumable ingest batch records its progress in
 * the same transaction, so its retry stays exact). Once the WAL has grown past
 * `CHECKPOINTER_WAL_BYTES` (bulk writes, such as flow-log ingest), checkpoints move to a
 * checkpointer thread with its own connection; if that thread cannot start, the writer keeps
 * checkpointing every ~40 MB of WAL by itself.
 */
export function openSqlite(file: string): SqlClient {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const writer = new Database(file)
  // 16 KiB pages for a new database (an existing one keeps its size): a flow-log ingest writes
  // its WAL and checkpoints a page per frame, so larger pages mean 4x fewer writes per MB
  // (commits ~40% cheaper, measured). Set before WAL mode, which fixes the size.
  writer.pragma(`page_size = ${PAGE_SIZE}`)
  writer.pragma('journal_mode = WAL')
  writer.pragma('synchronous = NORMAL')
  // Checkpoint every ~40 MB of WAL instead of every 4 MB: a flow-log ingest commits several
  // MB per transaction, and each checkpoint costs two fsyncs.
  writer.pragma(`wal_autocheckpoint = ${autocheckpointPages()}`)
  // A WAL file left larger than this after a restart is truncated.
  writer.pragma(`journal_size_limit = ${64 * 1024 * 1024}`)
  writer.pragma('busy_timeout = 5000')
  writer.pragma('foreign_keys = ON')
  /** ~40 MB of WAL in pages of this database's size (an older database may have 4 KB pages). */
  function autocheckpointPages(): number {
    return Math.round((40 * 1024 * 1024) / pageSize())
  }
  function pageSize(): number {
    return Number(writer.pragma('page_size', { simple: true }))
  }
  let checkpointer: Checkpointer | undefined
  /** After a commit: hands checkpoints to the checkpointer once the WAL is large. */
  const afterCommit = () => {
    if (checkpointer) {
      if (checkpointer.failed) {
        checkpointer = undefined
        writer.pragma(`wal_autocheckpoint = ${autocheckpointPages()}`)
      } else checkpointer.kick()
      return
    }
    if (file === ':memory:') return
    let size = 0
    try {
      size = statSync(`${file}-wal`).size
    } catch {
      return
    }
    if (size < CHECKPOINTER_WAL_BYTES) return
    try {
      const started = new Checkpointer(file, pageSize())
      checkpointer = started
      void started.ready.then((ok) => {
        if (ok && checkpointer === started && writer.open) {
          writer.pragma('wal_autocheckpoint = 0')
          started.kick()
        }
      })
    } catch {
      // No thread: the writer keeps checkpointing.
    }
  }
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
            afterCommit()
            return result
          } catch (err) {
            if (writer.inTransaction) writer.exec('ROLLBACK')
            throw err
          }
        })
      },
      async close() {
        await mutex.run(async () => {
          const c = checkpointer
          checkpointer = undefined
          await c?.close()
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
