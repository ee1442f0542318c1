/**
 * Prepared SQL for the hot read paths (the sign-in check and member pages). Drizzle builds a
 * query's text and maps every row on each call, which at 200 requests/s or 1 000-row pages costs
 * more than the database does; here the text is built by plain string code, runs as a prepared
 * statement cached by its text, and rows come back as arrays. Reads only, outside transactions
 * (SQLite: the read-only connection; PostgreSQL: the pool). Placeholders come from `Params`, so
 * the same text-building code serves both dialects.
 */
import type { Db } from './client'
import { boundStore } from './schema'

export type RawReader = (text: string, params: unknown[]) => Promise<unknown[][]>

const readers = new WeakMap<Db, RawReader>()

export function setRawReader(db: Db, read: RawReader): void {
  readers.set(db, read)
}

/** Rows as arrays of column values, in the order the statement selects them. */
export function rawRows<Row extends unknown[]>(db: Db, text: string, params: unknown[]): Promise<Row[]> {
  const read = readers.get(db)
  if (!read) throw new Error('rawRows: only the store handle reads raw SQL (not a transaction handle)')
  return read(text, params) as Promise<Row[]>
}

/** Collects parameters; `add` returns the store's placeholder for the next one (`?` or `$n`). */
export class Params {
  readonly values: unknown[] = []
  private readonly numbered = boundStore() === 'postgres'
  add(value: unknown): string {
    this.values.push(value)
    return this.numbered ? `$${this.values.length}` : '?'
  }
}
