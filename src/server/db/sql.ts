/**
 * The only SQL that differs between the two stores. Everything else is Drizzle's query
 * builder, which both dialects share; `schema.ts` says which store this process opened.
 */
import { ilike, sql, type Column, type SQL, type SQLWrapper } from 'drizzle-orm'
import type { Db } from './client'
import { rawRows, type Params } from './raw'
import { boundStore } from './schema'

const isSqlite = () => boundStore() === 'sqlite'

/** `%term%` for LIKE / ILIKE with backslash escapes: %, _ and \ in `term` match themselves. */
const containsPattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** Case-insensitive substring match; `term` is literal text (%, _ and \ match themselves). */
export function containsText(column: Column | SQL, term: string): SQL {
  const pattern = containsPattern(term)
  // SQLite's LIKE is case-insensitive already (ASCII) but has no default escape character.
  return isSqlite() ? sql`${column} like ${pattern} escape '\\'` : ilike(column, pattern)
}

/**
 * Member search, as raw SQL text (db/raw.ts) over `memberships`: rows whose email or name
 * contains `term`, case-insensitively, found one of two ways (the list picks per page, see
 * services/member-list.ts):
 * - `memberTextIndexed`, the matches the store's trigram index lists (SQLite FTS5, PostgreSQL
 *   pg_trgm GIN): every match is read, so it costs what the term's matches number. Terms of 3
 *   characters or more (`memberTextIndexable`).
 * - `memberTextTest`, a test of each row as it is read (columns of `alias`): for an ordered walk
 *   that stops once the page is full, so it costs what the walk reads before then.
 */
export const memberTextIndexable = (term: string): boolean => [...term].length >= 3

/**
 * Whether the row test finds exactly what the index finds. PostgreSQL: both read the lower-cased
 * search column (migration 0008) with the term lower-cased by the same lower(). SQLite: LIKE folds
 * ASCII letters only and FTS5 folds others too, so only ASCII terms (short ones have no choice).
 */
export const memberTextTestable = (term: string): boolean => !isSqlite() || !memberTextIndexable(term) || /^[\x20-\x7e]*$/.test(term)

export function memberTextIndexed(p: Params, term: string): string {
  if (isSqlite()) return `rowid in (select rowid from memberships_fts where memberships_fts match ${p.add(`"${term.replaceAll('"', '""')}"`)})`
  // The matches' row addresses (ctid, PostgreSQL's rowid): an array subquery runs once, first,
  // and the page reads just those rows (Tid Scan) in any plan, custom or generic. A join back on
  // (org_id, user_id) let the planner pick a hash join over a sequential scan of the whole table
  // whenever it guessed many matches (12-120 ms instead of ~3 ms for a first-plus-last name).
  return `ctid = any(array(select s.ctid from memberships s where s.search_text like lower(${p.add(containsPattern(term))})))`
}

export function memberTextTest(p: Params, term: string, alias = ''): string {
  if (!isSqlite()) return `strpos(${alias}search_text, lower(${p.add(term)})) > 0`
  const like = (column: string) => `${alias}${column} like ${p.add(containsPattern(term))} escape '\\'`
  return `(${like('email')} or ${like('display_name')})`
}

/** A JSON column as text, to search inside it (SQLite keeps JSON as text already). */
export const jsonText = (column: Column): SQL => (isSqlite() ? sql`${column}` : sql`${column}::text`)

/**
 * Runs raw SQL `select` whose one column is `item`, a JSON text. Answers the items joined by
 * commas in the order the rows come, as UTF-8 bytes, with how many rows there were.
 * SQLite joins them in the statement: a subquery's rows are aggregated in the order it yields them
 * (its ORDER BY, kept for its LIMIT; an ORDER BY in the aggregate sorted the page once more, 0.6 →
 * 1.4 ms per 1 000 rows), and the blob comes over as it is, no row becoming a JS value.
 * PostgreSQL answers the rows and they are copied into one buffer here: its string_agg and then
 * node-postgres decoding a single 230 KB message took 1.1-1.2 ms per 1 000-row page, the rows
 * 0.6-0.7 ms (and a bytea comes over in hex, 3-5 ms to decode).
 */
export async function joinedItems(db: Db, select: string, params: unknown[]): Promise<{ items: Buffer; rows: number }> {
  if (isSqlite()) {
    const [row] = await rawRows<[Buffer | null, number]>(db, `select cast(group_concat(item, ',') as blob), count(*) from (${select}) page`, params)
    const [items, rows] = row!
    return { items: items ?? Buffer.alloc(0), rows }
  }
  const rows = await rawRows<[string]>(db, select, params)
  let size = Math.max(rows.length - 1, 0)
  for (const [item] of rows) size += Buffer.byteLength(item)
  const items = Buffer.allocUnsafe(size)
  let at = 0
  rows.forEach(([item], i) => {
    if (i) items[at++] = 0x2c // ,
    at += items.write(item, at)
  })
  return { items, rows: rows.length }
}

/** Raw SQL text: a timestamp column as milliseconds since the epoch (SQLite stores them so). */
export const epochMsText = (column: string): string => (isSqlite() ? column : `(extract(epoch from ${column}) * 1000)::float8`)

/** The part of an email address after the @. */
export const emailDomain = (email: SQLWrapper): SQL =>
  isSqlite() ? sql`substr(${email}, instr(${email}, '@') + 1)` : sql`split_part(${email}, '@', 2)`

/** The larger of two numbers (SQLite's two-argument max). */
export const greatest = (a: SQLWrapper, b: SQLWrapper): SQL =>
  isSqlite() ? sql`max(${a}, ${b})` : sql`greatest(${a}, ${b})`

/**
 * After loading many rows: fresh statistics, so the planner uses the indexes at once. PostgreSQL
 * also vacuums, which sets the rows' visibility and hint bits now instead of in the first
 * requests and in an autovacuum of the whole table while the server is busy.
 */
export const settleBulkLoad = (db: Db): Promise<void> =>
  run(db, isSqlite() ? sql`analyze memberships` : sql`vacuum (analyze) users, memberships`)

/** A statement that returns nothing (maintenance such as ANALYZE). */
export async function run(db: Db, statement: SQL): Promise<void> {
  if (isSqlite()) await (db as unknown as { run(q: SQL): Promise<unknown> }).run(statement)
  else await db.execute(statement)
}
