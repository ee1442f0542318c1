/**
 * The SQL a test server's store runs, caught where each store's reads leave the server: SQLite's
 * prepared statements as they run, PostgreSQL's pool (the server's raw reads and Drizzle's queries).
 */
import BetterSqlite from 'better-sqlite3'
import pg from 'pg'
import { vi } from 'vitest'
import { usePostgres } from './server'

/** The texts of the statements the store ran while `fn` ran, in order. */
export async function statementsRun(fn: () => Promise<unknown>): Promise<string[]> {
  // Read before restoring: mockRestore clears what a spy recorded.
  if (usePostgres()) {
    const queries = vi.spyOn(pg.Pool.prototype, 'query')
    try {
      await fn()
      return queries.mock.calls.map(([config]) => (typeof config === 'string' ? config : ((config as { text?: string }).text ?? '')))
    } finally {
      queries.mockRestore()
    }
  }
  const statement = Object.getPrototypeOf(new BetterSqlite(':memory:').prepare('select 1')) as BetterSqlite.Statement
  const reads = vi.spyOn(statement, 'all')
  try {
    await fn()
    return reads.mock.contexts.map((run) => (run as BetterSqlite.Statement).source)
  } finally {
    reads.mockRestore()
  }
}
