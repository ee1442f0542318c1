/**
 * The members list: cursor pages in email order, search, the role filter and incremental
 * `since` sync pages, answered as the page's JSON bytes. The hot read of the server.
 */
import { desc, eq, isNull } from 'drizzle-orm'
import type { Member, MemberPage } from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Role } from '../../shared/roles'
import type { Db } from '../db/client'
import { Params, rawRows } from '../db/raw'
import { orgs } from '../db/schema'
import { epochMsText, joinedItems, memberMatchesText } from '../db/sql'
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
 * The members list is the hot read (200 requests/s, 1 000-row sync pages): one prepared raw
 * statement (db/raw.ts) whose rows are the stored member JSON texts (`member_json`, kept by
 * triggers in both stores), joined as they are (db/sql.ts `joinedItems`): a member is never
 * parsed or built as a JS object. Answers the page's JSON
 * (MemberPage, exactly as JSON.stringify writes it) as UTF-8 bytes. Callers check the
 * viewer's privilege.
 */
async function memberPage(ctx: Ctx, orgId: string, q: ListQuery): Promise<Buffer> {
  const serverTime = ctx.clock.now()
  const since = q.since ? new Date(q.since) : null
  const p = new Params()
  const filters = [`org_id = ${p.add(orgId)}`, 'removed_at is null']
  if (q.role) filters.push(`role = ${p.add(q.role)}`)
  if (q.q) filters.push(memberMatchesText(p, q.q))
  // At-or-after: a change stamped in the same millisecond as the last listing is not lost (re-sending one is harmless).
  if (since) filters.push(`updated_at >= ${p.add(since)}`)
  const where = filters.join(' and ')
  const filterParams = [...p.values]
  // Sync pages walk (updatedAt, userId) so rows changed during the walk are picked up next time.
  const keys = since ? 'updated_at, user_id' : 'email, user_id'
  let after = ''
  if (q.cursor) {
    const [a, b] = decodeCursor(q.cursor)
    const at = since ? new Date(a) : null
    // A sync cursor carries a time; anything else would reach the database as an invalid timestamp.
    if (at && Number.isNaN(at.getTime())) throw new AppError('validation_failed', 'Invalid cursor')
    after = ` and (${keys}) > (${p.add(at ?? a)}, ${p.add(b)})`
  }
  const totalKey = JSON.stringify([orgId, await membersVersion(ctx.db, orgId), q.q, q.role, q.since])
  const known = totals.get(totalKey)
  // A search's first page sorts all its matches anyway: count them in the same statement.
  const countInPage = known === undefined && !!q.q && !q.cursor
  // One row more than the page tells whether another page follows; its item is cut off below.
  const page = await joinedItems(
    ctx.db,
    `select member_json item, ${countInPage ? 'count(*) over ()' : 'null'} extra
     from memberships where ${where}${after} order by ${keys} limit ${p.add(q.limit + 1)}`,
    p.values,
  )
  const more = page.rows > q.limit
  let items = page.items
  if (more) items = items.subarray(0, items.lastIndexOf(ITEM_START))
  const last = more ? (JSON.parse(items.subarray(items.lastIndexOf(ITEM_START) + 1).toString()) as Member) : null
  const total =
    known ??
    (countInPage ? remember(totalKey, page.extra ?? 0)
      : !q.cursor && !more ? page.rows // the first page holds every match
      : !q.q && !q.role && !since ? await memberCount(ctx.db, orgId)
      : remember(totalKey, await countMatching(ctx.db, where, filterParams)))
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
  const cursor = encodeCursor('', '')
  // A search twice: its first page counts the matches, and once the total is known it does not.
  for (const q of [{}, { cursor }, { q: 'warm-up' }, { q: 'warm-up' }, { since: iso(0) }]) await memberPage(ctx, noOrgId, { limit: 100, ...q })
  const [largest] = await ctx.db.select({ id: orgs.id }).from(orgs).where(isNull(orgs.deletedAt)).orderBy(desc(orgs.memberCount)).limit(1)
  if (!largest) return
  const first = JSON.parse((await memberPage(ctx, largest.id, { limit: 100 })).toString()) as MemberPage
  // The middle of the email order, and the first three letters of a name that is there.
  await memberPage(ctx, largest.id, { limit: 100, cursor: encodeCursor('m', '') })
  const term = [...(first.items[0]?.displayName ?? '')].slice(0, 3)
  if (term.length === 3) await memberPage(ctx, largest.id, { limit: 100, q: term.join('') })
  // Every row of it once, as pages and searches read them (the table's pages, not only an index's).
  const p = new Params()
  await rawRows(ctx.db, `select sum(length(member_json)) from memberships where org_id = ${p.add(largest.id)} and removed_at is null`, p.values)
}

/**
 * Counting 100 000 rows on every page would dominate a full sync, and the answer only
 * changes with the organization's members version, which is part of the key (read from
 * the database, so every server process keys alike).
 */
const totals = new Map<string, number>()
function remember(key: string, n: number): number {
  if (totals.size > 5000) totals.clear()
  totals.set(key, n)
  return n
}

/** Removal stamps updatedAt too, so the (org, updatedAt) index finds the tombstones. */
function removedSince(db: Db, orgId: string, since: Date) {
  const p = new Params()
  const where = `org_id = ${p.add(orgId)} and updated_at >= ${p.add(since)} and removed_at >= ${p.add(since)}`
  return rawRows<[string, number]>(db, `select user_id, ${epochMsText('removed_at')} from memberships where ${where}`, p.values)
}

/** The whole list's length, kept by the database (migrations 0009 / 0010). */
async function memberCount(db: Db, orgId: string): Promise<number> {
  const p = new Params()
  const [row] = await rawRows<[number]>(db, `select member_count from orgs where id = ${p.add(orgId)}`, p.values)
  return row?.[0] ?? 0
}

async function countMatching(db: Db, where: string, params: unknown[]): Promise<number> {
  const [row] = await rawRows<[number | string]>(db, `select count(*) from memberships where ${where}`, params)
  return Number(row?.[0] ?? 0)
}

