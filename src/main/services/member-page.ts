/**
 * A members page checked without zod's per-field machinery: 100 000 members through
 * memberPageSchema cost a few hundred ms of a first sync. The check is the same contract
 * (same id bounds, roles, timestamp pattern, integers), builds each member afresh with only
 * the known fields (as zod strips unknown keys), and on any doubt hands the page to
 * memberPageSchema itself, so a hostile answer is refused with zod's own issues.
 * The members window main answers at every keystroke is checked the same way (router.ts).
 */
import type { z } from 'zod'
import { regexes } from 'zod/v4/core'
import { memberPageSchema, type Member, type MemberPage } from '../../shared/api'
import { MAX_MEMBER_WINDOW, channels, memberWindowSchema, type Cached, type MemberWindow } from '../../shared/ipc'
import { ROLES, type Role } from '../../shared/roles'
import type { AnswerSchema } from './api-client'

const TIMESTAMP = regexes.datetime({ offset: true, local: false, precision: null })
const roles = new Set<unknown>(ROLES)
/** Everything of a page but its items, which are checked below. */
const pageFrame = memberPageSchema.omit({ items: true })

const isId = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= 64
const isTimestamp = (v: unknown): v is string => typeof v === 'string' && TIMESTAMP.test(v)

function member(v: unknown): Member | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null
  const { userId, email, displayName, role, joinedAt, updatedAt, workspaceCount } = v as Record<string, unknown>
  if (!isId(userId) || typeof email !== 'string' || typeof displayName !== 'string' || !roles.has(role)) return null
  if (!isTimestamp(joinedAt) || !isTimestamp(updatedAt) || !Number.isSafeInteger(workspaceCount) || (workspaceCount as number) < 0) return null
  return { userId, email, displayName, role: role as Role, joinedAt, updatedAt, workspaceCount: workspaceCount as number }
}

/** Each of `items` checked by member(); null if it is not an array or one is not a member. */
function members(items: unknown): Member[] | null {
  if (!Array.isArray(items)) return null
  const out = new Array<Member>(items.length)
  for (let i = 0; i < items.length; i++) {
    const m = member(items[i])
    if (!m) return null
    out[i] = m
  }
  return out
}

function parse(data: unknown): MemberPage | null {
  const items = members((data as { items?: unknown } | null)?.items)
  if (!items) return null
  const frame = pageFrame.safeParse(data)
  return frame.success ? { ...frame.data, items } : null
}

export const memberPageParser: AnswerSchema<MemberPage> = {
  safeParse(data) {
    const page = parse(data)
    return page ? { success: true, data: page } : memberPageSchema.safeParse(data)
  },
}

/** members.list and members.sync answer with this (cached(memberWindowSchema)). */
const windowSchema = channels['members.list'].response
const windowFrame = windowSchema.extend({ data: memberWindowSchema.omit({ members: true }) })

function parseWindow(data: unknown): Cached<MemberWindow> | null {
  const list = members((data as { data?: { members?: unknown } } | null)?.data?.members)
  if (!list || list.length > MAX_MEMBER_WINDOW) return null
  const frame = windowFrame.safeParse(data)
  return frame.success ? { ...frame.data, data: { ...frame.data.data, members: list } } : null
}

/**
 * The router's result check of a members window: for 100 rows zod took 0.4-1.3 ms of each of
 * a session's first searches (its checks are still cold then), this takes 0.04-0.15 ms.
 */
export const memberWindowParser = {
  safeParse(data: unknown): z.ZodSafeParseResult<Cached<MemberWindow>> {
    const window = parseWindow(data)
    return window ? { success: true, data: window } : windowSchema.safeParse(data)
  },
}

const CURSOR_KEY = Buffer.from('"nextCursor":')
/** The longest cursor a members request may carry (memberListQuerySchema). */
const MAX_CURSOR = 512
const QUOTE = 0x22
const BACKSLASH = 0x5c

/**
 * The next page's cursor read straight from a page's raw bytes, before the page is parsed, so
 * the next request can leave at once: the value of the last `"nextCursor":` when it is a string
 * of plain printable ASCII (a server's opaque token), else undefined. A guess, never trusted:
 * the walk uses that request only if the checked page names the same cursor.
 */
export function nextCursorIn(body: Buffer): string | undefined {
  const key = body.lastIndexOf(CURSOR_KEY)
  const start = key + CURSOR_KEY.length + 1
  if (key < 0 || body[start - 1] !== QUOTE) return undefined
  const end = body.indexOf(QUOTE, start)
  if (end <= start || end - start > MAX_CURSOR) return undefined
  for (let i = start; i < end; i++) if (body[i]! < 0x20 || body[i]! > 0x7e || body[i] === BACKSLASH) return undefined
  return body.toString('latin1', start, end)
}
