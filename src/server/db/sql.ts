/**
 * The only SQL that differs between the two stores. Everything else is Drizzle's query
 * builder, which both dialects share; `schema.ts` says which store this process opened.
 */
import { ilike, sql, type Column, type SQL, type SQLWrapper } from 'drizzle-orm'
import type { Db } from './client'
import { boundStore } from './schema'

const isSqlite = () => boundStore() === 'sqlite'

/** Case-insensitive substring match; `term` is literal text (%, _ and \ match themselves). */
export function containsText(column: Column, term: string): SQL {
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  // SQLite's LIKE is case-insensitive already (ASCII) but has no default escape character.
  return isSqlite() ? sql`${column} like ${pattern} escape '\\'` : ilike(column, pattern)
}

/** The part of an email address after the @. */
export const emailDomain = (email: SQLWrapper): SQL =>
  isSqlite() ? sql`substr(${email}, instr(${email}, '@') + 1)` : sql`split_part(${email}, '@', 2)`

/** The larger of two numbers (SQLite's two-argument max). */
export const greatest = (a: SQLWrapper, b: SQLWrapper): SQL =>
  isSqlite() ? sql`max(${a}, ${b})` : sql`greatest(${a}, ${b})`

/** A statement that returns nothing (maintenance such as ANALYZE). */
export async function run(db: Db, statement: SQL): Promise<void> {
  if (isSqlite()) await (db as unknown as { run(q: SQL): Promise<unknown> }).run(statement)
  else await db.execute(statement)
}
