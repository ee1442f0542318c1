/**
 * Opens the database: embedded SQLite (a data directory, or a temporary file) by default,
 * PostgreSQL when a connection URL is given. Each has its own tables (same shapes, see
 * schema.ts) and its own migration list.
 */
import { mkdirSync } from 'node:fs'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { migrations } from './migrations'
import { setRawReader } from './raw'
import { sqliteMigrations } from './migrations.sqlite'
import { bindTables, type StoreKind } from './schema'
import * as pgSchema from './schema.pg'
import { openSqlite } from './sqlite'
import { setTxRunner, type TxRunner } from './tx'

/** Typed as PostgreSQL's; the SQLite handle offers the same query builder (see schema.ts). */
export type Db = PgDatabase<PgQueryResultHKT, typeof pgSchema>

export interface Database {
  db: Db
  close(): Promise<void>
  kind: StoreKind
  /** Runs `fn` on every pooled connection at once, each through a handle of its own (SQLite: once); a failure is logged. */
  onEachConnection(fn: (db: Db) => Promise<void>): Promise<void>
}

interface Migrator {
  applied(): Promise<Set<string>>
  /** Runs one migration and records it, atomically. */
  apply(m: { id: string; sql: string }): Promise<void>
}

export async function openDatabase(opts: { dataDir?: string; databaseUrl?: string }): Promise<Database> {
  const kind: StoreKind = opts.databaseUrl ? 'postgres' : 'sqlite'
  bindTables(kind)
  if (opts.databaseUrl) {
    const pool = openPool(opts.databaseUrl)
    const db = drizzle(pool, { schema: pgSchema }) as unknown as Db
    const names = new Map<string, string>()
    setTxRunner(db, pgTransactions(db))
    setRawReader(db, pgRawReader(pool, names))
    const onEachConnection = (fn: (db: Db) => Promise<void>) =>
      eachPooled(pool, (client) => {
        const handle = drizzle(client, { schema: pgSchema }) as unknown as Db
        setRawReader(handle, pgRawReader(client, names))
        return fn(handle)
      })
    const database: Database = { db, close: () => pool.end(), kind, onEachConnection }
    await migrate(database, migrations, {
      applied: async () => {
        await pool.query('CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())')
        const { rows } = await pool.query<{ id: string }>('SELECT id FROM schema_migrations')
        return new Set(rows.map((r) => r.id))
      },
      apply: async (m) => void (await pool.query(`BEGIN;\n${m.sql}\nINSERT INTO schema_migrations (id) VALUES ('${m.id}');\nCOMMIT;`)),
    })
    return database
  }
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true })
  const store = openSqlite(opts.dataDir)
  const database: Database = { db: store.db, close: store.close, kind, onEachConnection: (fn) => fn(store.db).catch(warnFailed) }
  await migrate(database, sqliteMigrations, {
    applied: store.applied,
    apply: (m) => store.exec(`BEGIN;\n${m.sql}\nINSERT INTO schema_migrations (id, applied_at) VALUES ('${m.id}', ${Date.now()});\nCOMMIT;`),
  })
  return database
}

const POOL_SIZE = 10

/**
 * Connections stay open once made (pg closes idle ones after 10 s by default): a new one costs
 * a backend start and cold catalog caches, milliseconds the next burst of requests would wait.
 */
function openPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: POOL_SIZE, idleTimeoutMillis: 0 })
  // A connection the database closes while idle (restart, idle timeout, administrator) has already
  // left the pool, which opens another on demand; unhandled, the event would stop the server.
  pool.on('error', (err) => console.warn(`PostgreSQL closed an idle connection: ${err.message}`))
  return pool
}

/**
 * Opens the whole pool and runs `fn` on each connection, all at once (so each holds its own); one
 * that fails to open opens on demand later. Run before serving, this keeps the first burst of
 * requests off cold connections (see index.ts).
 */
async function eachPooled(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const opened = await Promise.allSettled(Array.from({ length: POOL_SIZE }, () => pool.connect()))
  await Promise.all(
    opened.map(async (c) => {
      if (c.status === 'rejected') return
      await fn(c.value).catch(warnFailed)
      c.value.release() // a connection that broke meanwhile is dropped by the pool
    }),
  )
}

const warnFailed = (err: Error) => console.warn(`Warming a database connection failed: ${err.message}`)

/**
 * Named statements: each pooled connection parses and plans a text once, then only binds
 * (texts hold only placeholders and come in a few dozen shapes, so the names stay few). One
 * name per text for the whole pool, so a statement prepared while warming is the one requests run.
 */
function pgRawReader(db: pg.Pool | pg.PoolClient, names: Map<string, string>) {
  return async (text: string, values: unknown[]) => {
    let name = names.get(text)
    if (!name) names.set(text, (name = `raw${names.size}`))
    const result = await db.query<unknown[]>({ name, text, values, rowMode: 'array' })
    // In the server the driver's result outlives the call past young-generation GCs (only a
    // full GC frees it, and no strong path to it shows in a heap snapshot), and with it each
    // member page's ~23 KB of text. It is held through the promise pg-pool answers with (a
    // callback-style query does not keep it). Detached from it, the rows die with the request:
    // at 200 req/s for 25 s, 110 → 22 MB promoted, scavenges 410–550 → 180 ms in all, 28–35 →
    // 8–9 over 5 ms.
    const { rows } = result
    result.rows = []
    return rows
  }
}

/** Transactions on a pooled connection; withTx inside one becomes a savepoint. */
function pgTransactions(db: Db): TxRunner {
  return (fn) =>
    db.transaction((tx) => {
      const handle = tx as unknown as Db
      setTxRunner(handle, pgTransactions(handle))
      return fn(handle)
    })
}

async function migrate(database: Database, list: readonly { id: string; sql: string }[], m: Migrator): Promise<void> {
  try {
    const applied = await m.applied()
    // One transaction per migration: a failed one leaves the schema as it was.
    for (const step of list) if (!applied.has(step.id)) await m.apply(step)
  } catch (err) {
    await database.close()
    throw err
  }
}
