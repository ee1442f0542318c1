/**
 * The only SQL that differs between the two stores. Everything else is Drizzle's query
 * builder, which both dialects share; `schema.ts` says which store this process opened.
 */
import { ilike, or, sql, type Column, type SQL, type SQLWrapper } from 'drizzle-orm'
import type { Db } from './client'
import { boundStore, memberships } from './schema'

const isSqlite = () => boundStore() === 'sqlite'

/** Case-insensitive substring match; `term` is literal text (%, _ and \ match themselves). */
export function containsText(column: Column | SQL, term: string): SQL {
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  // SQLite's LIKE is case-insensitive already (ASCII) but has no default escape character.
  return isSqlite() ? sql`${column} like ${pattern} escape '\\'` : ilike(column, pattern)
}

/**
 * Members whose email or name contains `term`, case-insensitively, through the store's
 * trigram index (SQLite FTS5, PostgreSQL pg_trgm GIN). A term under 3 characters has no
 * trigram: it stays a plain filter, which the page's ordered index walk answers by
 * stopping at the end of the page (short terms match many members).
 */
export function memberMatches(term: string): SQL {
  const plain = or(containsText(memberships.email, term), containsText(memberships.displayName, term))!
  if ([...term].length < 3) return plain
  if (isSqlite()) {
    const phrase = `"${term.replaceAll('"', '""')}"`
    return sql`${memberships}.rowid in (select rowid from memberships_fts where memberships_fts match ${phrase})`
  }
  // OFFSET 0 fences the subquery, so the planner answers it from the GIN index first
  // instead of walking the email index and discarding most of the organization.
  return sql`(${memberships.orgId}, ${memberships.userId}) in (select org_id, user_id from ${memberships} where ${plain} offset 0)`
}

/** A JSON column as text, to search inside it (SQLite keeps JSON as text already). */
export const jsonText = (column: Column): SQL => (isSqlite() ? sql`${column}` : sql`${column}::text`)

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
