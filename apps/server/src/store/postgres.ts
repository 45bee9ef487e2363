import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFromStdin } from 'pg-copy-streams'
import { Mutex, numberPlaceholders, type SqlClient, type SqlValue } from './sql.ts'

/** PostgreSQL's parameter limit per statement is 65,535; stay below it. */
const MAX_PARAMS = 60_000

/** BIGINT and NUMERIC come back as numbers (our counters stay far below 2^53). */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v)
    return pg.types.getTypeParser(oid, format)
  },
}

const COPY_SPECIAL = /[\\\n\r\t]/
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** A value in COPY's text format: `\N` for null, backslash, newline, CR and tab escaped. */
function copyText(v: SqlValue): string {
  if (v === null) return '\\N'
  if (typeof v !== 'string') return String(v)
  return COPY_SPECIAL.test(v) ? v.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c] as string) : v
}

/** Options of a PostgreSQL store. */
export interface PostgresOptions {
  /** `postgres://user@host:port/db`. */
  url: string
  /** Schema to use (created if missing) instead of the connection's default search path. */
  schema?: string
  /** Pool size (default 10). */
  max?: number
}

/** PostgreSQL through a `pg` pool. */
export function openPostgres(options: PostgresOptions): SqlClient {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  })
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => undefined)
  // Serialise this process's write transactions so that they queue here instead of each
  // holding a pooled connection while waiting for the revision-counter row lock.
  const mutex = new Mutex()

  function client(q: pg.Pool | pg.PoolClient, inTx: boolean): SqlClient {
    const self: SqlClient = {
      dialect: 'postgres',
      async all<T>(sql: string, params: readonly SqlValue[] = []) {
        const r = await q.query(numberPlaceholders(sql), params as unknown[])
        return r.rows as T[]
      },
      async get<T>(sql: string, params: readonly SqlValue[] = []) {
        const r = await q.query(numberPlaceholders(sql), params as unknown[])
        return r.rows[0] as T | undefined
      },
      async run(sql: string, params: readonly SqlValue[] = []) {
        const r = await q.query(numberPlaceholders(sql), params as unknown[])
        return r.rowCount ?? 0
      },
      async exec(sql: string) {
        await q.query(sql)
      },
      async insertMany(head, rows, tail = '') {
        const width = rows[0]?.length ?? 0
        if (width === 0) return
        const chunk = Math.max(1, Math.floor(MAX_PARAMS / width))
        for (let i = 0; i < rows.length; i += chunk) {
          const part = rows.slice(i, i + chunk)
          const values: unknown[] = []
          const groups: string[] = []
          let n = 0
          for (const row of part) {
            groups.push(`(${row.map(() => `$${++n}`).join(', ')})`)
            for (const v of row) values.push(v)
          }
          await q.query(`${head} VALUES ${groups.join(', ')} ${tail}`, values)
        }
      },
      async copyFrom(table, columns, values, width) {
        if (!inTx)
          return self.transaction(async (tx) => tx.copyFrom?.(table, columns, values, width))
        if (values.length === 0) return
        const lines: string[] = []
        for (let i = 0; i < values.length; i += width) {
          let line = copyText(values[i] as SqlValue)
          for (let j = 1; j < width; j++) line += `\t${copyText(values[i + j] as SqlValue)}`
          lines.push(line)
        }
        const stream = (q as pg.PoolClient).query(
          copyFromStdin(`COPY ${table} (${columns}) FROM STDIN`),
        )
        await pipeline(Readable.from([`${lines.join('\n')}\n`]), stream)
      },
      transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
        if (inTx) return fn(self)
        return mutex.run(async () => {
          const conn = await pool.connect()
          try {
            await conn.query('BEGIN')
            const result = await fn(client(conn, true))
            await conn.query('COMMIT')
            return result
          } catch (err) {
            await conn.query('ROLLBACK').catch(() => undefined)
            throw err
          } finally {
            conn.release()
          }
        })
      },
      async close() {
        await pool.end()
      },
    }
    return self
  }

  return client(pool, false)
}
