/**
 * The members list: cursor pages in email order, search, the role filter and incremental
 * `since` sync pages, answered as the page's JSON bytes. The hot read of the server.
 */
import { desc, eq, isNull } from 'drizzle-orm'
import type { Member, MemberPage } from '../../shared/api'
import { AppError } from '../../shared/errors'
import { ROLES, type Role } from '../../shared/roles'
import type { Db } from '../db/client'
import { Params, rawRows } from '../db/raw'
import { orgs } from '../db/schema'
import { epochMsText, joinedItems, memberTextIndexable, memberTextIndexed, memberTextTest, memberTextTestable } from '../db/sql'
import { assertCan, knownAccess, roleIn } from './access'
import type { Ctx } from './context'

export interface ListQuery {
  cursor?: string
  limit: number
  q?: string
  role?: Role
  since?: string
}

const encodeCursor = (a: string, b: string) => Buffer.from(JSON.stringify([a, b])).toString('base64url')
function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string')) return v as [string, string]
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'Invalid cursor')
}

export async function membersVersion(db: Db, orgId: string): Promise<number> {
  const k = knownAccess(db, orgId)
  if (k) return k.membersVersion
  const [row] = await db.select({ v: orgs.membersVersion }).from(orgs).where(eq(orgs.id, orgId))
  return row?.v ?? 0
}

const iso = (ms: number) => new Date(ms).toISOString()

/** Each item of a page's JSON starts so; inside a JSON string the quote would be escaped, so this marks items only. */
const ITEM_START = ',{"userId":'

export async function listMembers(ctx: Ctx, userId: string, orgId: string, q: ListQuery): Promise<Buffer> {
  assertCan(await roleIn(ctx.db, orgId, userId), 'members.view')
  return memberPage(ctx, orgId, q)
}

/**
 * The members list is the hot read (200 requests/s, 1 000-row sync pages): a prepared raw
 * statement (db/raw.ts) whose rows are the stored member JSON texts (`member_json`, kept by
 * triggers in both stores), joined as they are (db/sql.ts `joinedItems`): a member is never
 * parsed or built as a JS object. A search may take two (see searchRows), and a total not yet
 * known one more. Answers the page's JSON (MemberPage, exactly as JSON.stringify writes it) as
 * UTF-8 bytes. Callers check the viewer's privilege.
 */
async function memberPage(ctx: Ctx, orgId: string, q: ListQuery, known = totals): Promise<Buffer> {
  const serverTime = ctx.clock.now()
  const since = q.since ? new Date(q.since) : null
  // Sync pages walk (updatedAt, userId) so rows changed during the walk are picked up next time.
  const keys = since ? 'updated_at, user_id' : 'email, user_id'
  const after = q.cursor ? cursorKeys(q.cursor, since) : null
  const version = await membersVersion(ctx.db, orgId)
  /** The page's conditions (`text`: a search's, for the same Params), from the cursor on when `paged`. */
  const where = (p: Params, text?: Statement, paged = true) => {
    const filters = [`org_id = ${p.add(orgId)}`, 'removed_at is null']
    const from = paged ? after : null
    if (q.role) filters.push(`role = ${p.add(q.role)}`)
    // At-or-after: a change stamped in the same millisecond as the last listing is not lost (re-sending one is harmless).
    // A sync cursor is never before `since` (cursorKeys), so after one it is the only bound: with both, SQLite's
    // planner sorted or stepped over every change before the cursor, for each page (up to 120 ms at 100 000).
    if (since && !from) filters.push(`updated_at >= ${p.add(since)}`)
    if (text) filters.push(text(p))
    if (from) filters.push(`(${keys}) > (${p.add(from[0])}, ${p.add(from[1])})`)
    return filters.join(' and ')
  }
  /** The list's next `budget` rows from the cursor: what a search's walk reads. */
  const ahead = (p: Params, budget: number, columns: string) => `select ${columns} from memberships where ${where(p)} order by ${keys} limit ${p.add(budget)}`
  // One row more than the page tells whether another page follows; its item is cut off below.
  const pageRows: PageRows = {
    where: (text) => (p) => `select member_json item from memberships where ${where(p, text)} order by ${keys} limit ${p.add(q.limit + 1)}`,
    walked: (term, budget) => (p) =>
      `select w.member_json item from (${ahead(p, budget, '*')}) w where ${memberTextTest(p, term, 'w.')} order by ${keys} limit ${p.add(q.limit + 1)}`,
    left: (budget) => (p) => `select count(*) from (${ahead(p, budget, '1')}) w`,
  }
  const key = totalKey(orgId, version, q)
  let total = known.get(key)
  const term = q.q
  // A search counts its matches first, once per members version: the count says how to read its pages.
  if (term && total === undefined) total = known.remember(key, await searchTotal(ctx.db, orgId, term, q, (p) => where(p, matching(term), false)))
  let page = NO_ROWS
  if (term && total) page = await searchRows(ctx.db, pageRows, term, total, await orgSize(ctx, orgId, version, known), q.limit)
  else if (total !== 0) page = await read(ctx.db, pageRows.where())
  const more = page.rows > q.limit
  let items = page.items
  if (more) items = items.subarray(0, items.lastIndexOf(ITEM_START))
  const last = more ? (JSON.parse(items.subarray(items.lastIndexOf(ITEM_START) + 1).toString()) as Member) : null
  total ??=
    !q.cursor && !more ? page.rows // the first page holds every match
    : !q.role && !since ? await orgSize(ctx, orgId, version, known)
    : known.remember(key, await countWhere(ctx.db, (p) => where(p, undefined, false)))
  const removed = since && !q.cursor ? await removedSince(ctx.db, orgId, since) : []
  const rest: Omit<MemberPage, 'items'> = {
    removed: removed.map(([id, at]) => ({ userId: id, removedAt: iso(at) })),
    nextCursor: last ? encodeCursor(since ? last.updatedAt : last.email, last.userId) : null,
    total,
    serverTime: serverTime.toISOString(),
  }
  // `{"items":[…],"removed":…}`: the rest's JSON with the items put in front.
  return Buffer.concat([PAGE_START, items, Buffer.from(`],${JSON.stringify(rest).slice(1)}`)])
}
const PAGE_START = Buffer.from('{"items":[')

type Statement = (p: Params) => string
/**
 * A page's rows (one more than the page) as statements: by `where` and a text condition, or tested
 * for `term` as they are `walked`; and how many rows are `left` in the list from the cursor, up to `budget`.
 */
type PageRows = { where: (text?: Statement) => Statement; walked: (term: string, budget: number) => Statement; left: (budget: number) => Statement }
const NO_ROWS: { items: Buffer; rows: number } = { items: Buffer.alloc(0), rows: 0 }

/**
 * How a search page's rows are read (db/sql.ts), the cheaper way: through the trigram index,
 * which reads all `total` matches and then sorts them; or by walking the list in order and testing
 * each row, which reads about (limit + 1) × size / total rows to fill the page when the matches
 * are spread evenly. With 100 000 members the index alone took 25-90 ms for a term in every
 * address and, on PostgreSQL, 7-11 ms for a first name (4 000 matches); walking, 0.04-0.5 ms.
 * Matches bunched elsewhere in the order (one domain's addresses, a first name where addresses
 * are first.last@) leave a walk short of a page: it stops at `budget`, 4 times what it expected.
 */
export function searchReading(term: string, total: number, size: number, limit: number): { by: 'test' } | { by: 'index' } | { by: 'walk'; budget: number } {
  if (!memberTextIndexable(term)) return { by: 'test' }
  const expected = ((limit + 1) * size) / total
  if (!memberTextTestable(term) || expected >= total) return { by: 'index' }
  return { by: 'walk', budget: Math.ceil(4 * expected) }
}

async function searchRows(db: Db, rows: PageRows, term: string, total: number, size: number, limit: number) {
  const reading = searchReading(term, total, size, limit)
  if (reading.by === 'test') return read(db, rows.where((p) => memberTextTest(p, term)))
  const indexed = rows.where((p) => memberTextIndexed(p, term))
  if (reading.by === 'index') return read(db, indexed)
  const walked = await read(db, rows.walked(term, reading.budget))
  if (walked.rows > limit || reading.budget >= size) return walked
  // Short of a page: the rest of the list may hold more, unless the walk read all of it, as near
  // the list's end (there the index read every match, 40-70 ms for a term in every address).
  return (await count(db, rows.left(reading.budget))) < reading.budget ? walked : read(db, indexed)
}

const matching = (term: string): Statement => (p) => (memberTextIndexable(term) ? memberTextIndexed(p, term) : memberTextTest(p, term))

function read(db: Db, statement: Statement) {
  const p = new Params()
  const text = statement(p)
  return joinedItems(db, text, p.values)
}

/**
 * A cursor's keys, checked: a sync cursor carries a time, anything else would reach the database
 * as an invalid timestamp. One from before `since` (this server writes none) starts at `since`:
 * every row stamped then sorts after (since, '').
 */
function cursorKeys(cursor: string, since: Date | null): [string | Date, string] {
  const [a, b] = decodeCursor(cursor)
  if (!since) return [a, b]
  const at = new Date(a)
  if (Number.isNaN(at.getTime())) throw new AppError('validation_failed', 'Invalid cursor')
  return at < since ? [since, ''] : [at, b]
}

/**
 * Runs each shape of the list's statements once, for an organization that does not exist (nothing
 * read): a connection's first run of a statement loads catalogs and plans it, 5-15 ms each on a
 * fresh PostgreSQL backend. Then reads the largest organization's list: a backend's first reads
 * of real rows still took 10-29 ms a statement, and pg-pool hands out its most recently used
 * connection, so the first burst of concurrent requests after a start met nine such backends at
 * once. At 200 requests/s after a start, answers over 20 ms in the first seconds: up to 368 with
 * none of this, 81-137 with its pages and search, 3-19 with every row read too.
 */
export async function warmMemberList(ctx: Ctx, noOrgId: string): Promise<void> {
  // Its own totals: connections warm at once, and one's counts would spare another statements.
  const known = new Totals()
  const cursor = encodeCursor('', '')
  for (const q of [{}, { cursor }, { q: 'warm-up' }, { since: iso(0) }]) await memberPage(ctx, noOrgId, { limit: 100, ...q }, known)
  const [largest] = await ctx.db.select({ id: orgs.id }).from(orgs).where(isNull(orgs.deletedAt)).orderBy(desc(orgs.memberCount)).limit(1)
  if (!largest) return
  const first = JSON.parse((await memberPage(ctx, largest.id, { limit: 100 }, known)).toString()) as MemberPage
  // The middle of the email order, then a search read each way (searchRows): a whole name (few
  // matches: the index), its first two letters (no index), and the end of an address (a domain
  // most share: a walk).
  await memberPage(ctx, largest.id, { limit: 100, cursor: encodeCursor('m', '') }, known)
  const name = first.items[0]?.displayName ?? ''
  for (const term of [name, [...name].slice(0, 2).join(''), first.items.at(-1)?.email.slice(-3) ?? '']) {
    if (term.trim()) await memberPage(ctx, largest.id, { limit: 100, q: term.trim() }, known)
  }
  // Every row of it once, as pages and searches read them (the table's pages, not only an index's).
  const p = new Params()
  await rawRows(ctx.db, `select sum(length(member_json)) from memberships where org_id = ${p.add(largest.id)} and removed_at is null`, p.values)
}

/**
 * The list's totals by organization, members version and filter. Counting 100 000 rows on every
 * page would dominate a full sync, and the answer only changes with the organization's members
 * version, which is part of the key (read from the database, so every server process keys alike).
 */
class Totals {
  private readonly counts = new Map<string, number>()
  get = (key: string) => this.counts.get(key)
  remember(key: string, n: number): number {
    if (this.counts.size > 5000) this.counts.clear()
    this.counts.set(key, n)
    return n
  }
}
const totals = new Totals()

/** Through the tombstones' own index (migrations 0012 / 0013), however many rows changed since. */
function removedSince(db: Db, orgId: string, since: Date) {
  const p = new Params()
  const where = `org_id = ${p.add(orgId)} and removed_at >= ${p.add(since)}`
  return rawRows<[string, number]>(db, `select user_id, ${epochMsText('removed_at')} from memberships where ${where}`, p.values)
}

const totalKey = (orgId: string, version: number, q: Pick<ListQuery, 'q' | 'role' | 'since'>) =>
  JSON.stringify([orgId, version, q.q ?? null, q.role ?? null, q.since ?? null])

/** The whole list's length, kept by the database (migrations 0009 / 0010), remembered as the unfiltered list's total. */
async function orgSize(ctx: Ctx, orgId: string, version: number, known: Totals): Promise<number> {
  const key = totalKey(orgId, version, {})
  const size = known.get(key)
  if (size !== undefined) return size
  const p = new Params()
  const [row] = await rawRows<[number]>(ctx.db, `select member_count from orgs where id = ${p.add(orgId)}`, p.values)
  return known.remember(key, row?.[0] ?? 0)
}

/**
 * How many members hold a term of one or two characters, kept per organization by the database
 * (migrations 0013 / 0014): no index finds such a term, and testing every member took 16-22 ms on
 * SQLite and 30-90 ms on PostgreSQL at 100 000. Null for a longer term, or one that lower-casing
 * lengthens (PostgreSQL), which the kept counts cannot answer.
 */
async function shortTermCount(db: Db, orgId: string, term: string): Promise<number | null> {
  if ([...term].length > 2) return null
  const p = new Params()
  const gram = () => `lower(${p.add(term)})`
  const statement = `select case when length(${gram()}) <= 2 then coalesce((select members from member_grams where org_id = ${p.add(orgId)} and gram = ${gram()}), 0) end`
  const [row] = await rawRows<[number | null]>(db, statement, p.values)
  return row?.[0] ?? null
}

/**
 * A search's total, counted by `matches`, or for a term of one or two characters read from the
 * counts the database keeps. Those know no roles: Members, most of an organization, are all the
 * matches less the Owners' and Billing Admins', which the role index reads; a filter on either of
 * those roles, or `since`, counts its rows.
 */
async function searchTotal(db: Db, orgId: string, term: string, q: ListQuery, matches: Statement): Promise<number> {
  const kept = q.since || (q.role && q.role !== 'member') ? null : await shortTermCount(db, orgId, term)
  if (kept === null) return countWhere(db, matches)
  if (!q.role) return kept
  const others = (p: Params) => ROLES.filter((role) => role !== 'member').map((role) => p.add(role)).join(', ')
  return kept - (await countWhere(db, (p) => `org_id = ${p.add(orgId)} and removed_at is null and role in (${others(p)}) and ${memberTextTest(p, term)}`))
}

const countWhere = (db: Db, where: Statement) => count(db, (p) => `select count(*) from memberships where ${where(p)}`)

/** The number a `select count(*)` statement answers (PostgreSQL's bigint comes as text). */
async function count(db: Db, statement: Statement): Promise<number> {
  const p = new Params()
  const [row] = await rawRows<[number | string]>(db, statement(p), p.values)
  return Number(row?.[0] ?? 0)
}
