/**
 * Opens the database: embedded PGlite (a data directory, or memory) by default,
 * PostgreSQL when a connection URL is given. Both speak the same SQL and schema.
 */
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { migrations } from './migrations'
import * as schema from './schema'

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

export interface Database {
  db: Db
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>
  close(): Promise<void>
  kind: 'pglite' | 'postgres'
}

export async function openDatabase(opts: { dataDir?: string; databaseUrl?: string }): Promise<Database> {
  let database: Database
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 })
    database = {
      db: drizzlePg(pool, { schema }) as unknown as Db,
      exec: async (sql) => void (await pool.query(sql)),
      close: () => pool.end(),
      kind: 'postgres',
    }
  } else {
    const client = new PGlite({ dataDir: opts.dataDir, extensions: { pg_trgm } })
    database = {
      db: drizzlePglite(client, { schema }) as unknown as Db,
      exec: async (sql) => void (await client.exec(sql)),
      close: () => client.close(),
      kind: 'pglite',
    }
  }
  await migrate(database)
  return database
}

async function migrate(database: Database): Promise<void> {
  await database.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  )
  const { rows } = (await database.db.execute('SELECT id FROM schema_migrations')) as unknown as { rows: { id: string }[] }
  const applied = new Set(rows.map((r) => r.id))
  for (const m of migrations) {
    if (applied.has(m.id)) continue
    // One transaction per migration: a failed one leaves the schema as it was.
    await database.exec(`BEGIN;\n${m.sql}\nINSERT INTO schema_migrations (id) VALUES ('${m.id}');\nCOMMIT;`)
  }
}
