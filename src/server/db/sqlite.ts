/**
 * The embedded store: SQLite through better-sqlite3 (WAL, foreign keys on, busy timeout).
 *
 * better-sqlite3 is synchronous on one connection while services await inside transactions,
 * so two requests' transactions would interleave on a shared connection. Hence:
 * - every statement outside a transaction that only reads runs on a read-only connection,
 *   which in WAL mode sees committed data only;
 * - the write connection belongs to an async queue: `withTx` holds it from BEGIN IMMEDIATE to
 *   COMMIT, and a write outside `withTx` waits its turn and commits alone, so it is never
 *   folded into another request's transaction;
 * - a transaction's handle refuses statements once its transaction has ended, and a write
 *   through the outer handle from inside a transaction (which would wait for itself) throws.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite, { type Database as Connection, type Statement } from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/sqlite-proxy'
import type { Db } from './client'
import { setRawReader } from './raw'
import * as schema from './schema.sqlite'
import { setTxRunner, type TxRunner } from './tx'

type Method = 'run' | 'all' | 'values' | 'get'

/** Prepared statements per connection, keyed by SQL text (services build the same few hundred). */
class Statements {
  private readonly cache = new Map<string, Statement>()
  constructor(readonly conn: Connection) {}

  get(sql: string): Statement {
    let stmt = this.cache.get(sql)
    if (!stmt) {
      if (this.cache.size >= 1000) this.cache.clear()
      stmt = this.conn.prepare(sql)
      this.cache.set(sql, stmt)
    }
    return stmt
  }
}

/** better-sqlite3 binds neither Date nor boolean: store them as the schema does (ms, 0/1). */
const bindable = (v: unknown) => (v instanceof Date ? v.getTime() : typeof v === 'boolean' ? Number(v) : v)

function execute(stmt: Statement, params: unknown[], method: Method): { rows: any[] } { // eslint-disable-line @typescript-eslint/no-explicit-any -- the proxy driver's row type
  const args = params.map(bindable)
  if (method === 'run' || !stmt.reader) {
    stmt.run(...args)
    return { rows: [] }
  }
  // The proxy driver maps rows given as arrays of column values.
  return { rows: (method === 'get' ? stmt.raw(true).get(...args) : stmt.raw(true).all(...args)) as unknown[] }
}

/** One holder at a time, in arrival order. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve()
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn)
    this.tail = result.catch(() => undefined)
    return result
  }
}

const noTransactions = () => {
  throw new Error('Open transactions with withTx (db/tx.ts)')
}

export interface SqliteStore {
  db: Db
  /** Runs a script on the write connection (migrations), between transactions. */
  exec(sql: string): Promise<void>
  /** Ids of applied migrations. */
  applied(): Promise<Set<string>>
  close(): Promise<void>
}

/** Opens `<dataDir>/server.sqlite`; without a directory, a temporary file removed on close. */
export function openSqlite(dataDir?: string): SqliteStore {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'org-server-'))
  const file = join(dir, 'server.sqlite')
  const writer = new BetterSqlite(file)
  writer.pragma('journal_mode = WAL')
  writer.pragma('synchronous = NORMAL')
  writer.pragma('foreign_keys = ON')
  writer.pragma('busy_timeout = 5000')
  const openReader = () => {
    const reader = new BetterSqlite(file, { readonly: true })
    reader.pragma('busy_timeout = 5000')
    // Every read goes through this connection: a search looks members up by scattered rowids, and
    // with SQLite's default 2 MiB page cache most of those lookups went back to the file.
    reader.pragma('cache_size = -65536')
    // A full sync walks every member once: beyond that cache, mapped pages are read where they lie
    // in the OS's file cache instead of copied in by a read call each (4 ms → 2 ms per cold 1 000-row page).
    reader.pragma('mmap_size = 1073741824')
    return new Statements(reader)
  }
  let reads = openReader()
  /**
   * A connection reads the planner's statistics when it loads the schema, and another
   * connection's ANALYZE does not make it reload them (a read-only one cannot run `ANALYZE
   * sqlite_schema` either): after the writer analyzes (migrations, a bulk load), reads move to a
   * new connection. A reader left with no figures for the role index kept sorting the whole
   * organization for each first page of the members list (23 ms at 100 000 members, 0.24 ms
   * through the email index).
   */
  const afterWrite = (sql: string) => {
    if (!/^\s*analyze\b/im.test(sql)) return
    reads.conn.close()
    reads = openReader()
  }
  const writes = new Statements(writer)
  const queue = new Queue()
  const inTx = new AsyncLocalStorage<true>()
  let savepoints = 0

  const db = drizzle(async (sql, params, method) => {
    const stmt = reads.get(sql)
    if (stmt.readonly) return execute(stmt, params, method)
    if (inTx.getStore()) throw new Error('Inside withTx, write through the transaction handle it passes you, not ctx.db')
    return queue.run(async () => {
      const result = execute(writes.get(sql), params, method)
      afterWrite(sql)
      return result
    })
  }, { schema }) as unknown as Db
  Object.assign(db, { transaction: noTransactions })
  setRawReader(db, async (sql, params) => reads.get(sql).raw(true).all(...params.map(bindable)) as unknown[][])

  /** A handle on the write connection, valid while `live()` is true. */
  function txHandle(live: () => boolean): Db {
    const tx = drizzle(async (sql, params, method) => {
      if (!live()) throw new Error('This transaction has already ended')
      return execute(writes.get(sql), params, method)
    }, { schema }) as unknown as Db
    Object.assign(tx, { transaction: noTransactions })
    setTxRunner(tx, nested(live))
    return tx
  }

  /** withTx inside withTx: a savepoint on the transaction already held. */
  const nested = (outerLive: () => boolean): TxRunner => async (fn) => {
    const name = `sp${++savepoints}`
    writer.exec(`SAVEPOINT ${name}`)
    let open = true
    try {
      const result = await fn(txHandle(() => open && outerLive()))
      writer.exec(`RELEASE ${name}`)
      return result
    } catch (err) {
      writer.exec(`ROLLBACK TO ${name}; RELEASE ${name}`)
      throw err
    } finally {
      open = false
    }
  }

  setTxRunner(db, (fn) =>
    queue.run(() =>
      inTx.run(true, async () => {
        writer.exec('BEGIN IMMEDIATE')
        let open = true
        try {
          const result = await fn(txHandle(() => open))
          writer.exec('COMMIT')
          return result
        } catch (err) {
          if (writer.inTransaction) writer.exec('ROLLBACK')
          throw err
        } finally {
          open = false
        }
      }),
    ),
  )

  return {
    db,
    exec: (sql) =>
      queue.run(async () => {
        try {
          writer.exec(sql)
          afterWrite(sql)
        } catch (err) {
          if (writer.inTransaction) writer.exec('ROLLBACK')
          throw err
        }
      }),
    applied: () =>
      queue.run(async () => {
        writer.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at integer NOT NULL)')
        return new Set((writer.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id))
      }),
    close: () =>
      queue.run(async () => {
        reads.conn.close()
        writer.close()
        if (!dataDir) rmSync(dir, { recursive: true, force: true })
      }),
  }
}
