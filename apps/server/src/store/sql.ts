/**
 * The small dialect layer under the store: the same SQL text (with `?` placeholders) runs on
 * SQLite and PostgreSQL. Everything above it is written once.
 */

/** Which database a client talks to. */
export type Dialect = 'sqlite' | 'postgres'

/** A parameter value. Booleans are stored as 0/1 by the caller. */
export type SqlValue = string | number | bigint | null

/** One connection's worth of SQL. Inside `transaction`, the callback's client is the transaction. */
export interface SqlClient {
  readonly dialect: Dialect
  /** Every row of a query. */
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>
  /** The first row, or undefined. */
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>
  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
  /**
   * Inserts many rows: `${head} VALUES (…), (…) ${tail}`. SQLite reuses one prepared statement
   * per row; PostgreSQL sends multi-row INSERTs. Rows must have unique conflict keys.
   */
  insertMany(head: string, rows: readonly (readonly SqlValue[])[], tail?: string): Promise<void>
  /**
   * Bulk insert by `COPY table (columns) FROM STDIN` (PostgreSQL only; absent on SQLite): rows
   * given flat, `width` values each. Several times faster than INSERT for large batches.
   */
  copyFrom?(
    table: string,
    columns: string,
    values: readonly SqlValue[],
    width: number,
  ): Promise<void>
  /**
   * Runs `fn` in one transaction (committed when it resolves, rolled back when it throws).
   * Transactions of one process are serialised; on PostgreSQL writers also lock the
   * revision counter row, which serialises them across processes.
   */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>
  /** Closes every connection. */
  close(): Promise<void>
}

/** `?` placeholders → `$1, $2, …` (our SQL never has `?` inside string literals). */
export function numberPlaceholders(sql: string): string {
  let n = 0
  return sql.replace(/\?/g, () => `$${++n}`)
}

/** A FIFO lock: `run` waits for every earlier holder. */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve()

  /** Runs `fn` once every earlier `run` has settled. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn, fn)
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }
}
