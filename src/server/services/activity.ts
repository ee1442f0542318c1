/** The audit log: every mutating call writes one event; Owners read, filter and search them newest first. */
import { and, desc, eq, gt, gte, inArray, lt, or, type SQL } from 'drizzle-orm'
import type { ActivityAction, ActivityEvent } from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Db } from '../db/client'
import { activity, apiKeys, users } from '../db/schema'
import { containsText, jsonText } from '../db/sql'
import type { Ctx } from './context'
import { requirePrivilege } from './access'
import { isKeyId } from './api-keys'

export interface NewEvent {
  orgId: string
  /** A person's id, an API key's id (`key_…`), or null for the server itself. */
  actorId: string | null
  action: ActivityAction
  target?: string | null
  /** The person the action was about, when it was about a person. */
  targetUserId?: string | null
  details?: Record<string, unknown>
}

export async function record(db: Db, at: Date, e: NewEvent): Promise<void> {
  const byKey = isKeyId(e.actorId)
  await db.insert(activity).values({
    orgId: e.orgId,
    actorId: byKey ? null : e.actorId,
    actorKeyId: byKey ? e.actorId : null,
    action: e.action,
    target: e.target ?? null,
    targetUserId: e.targetUserId ?? null,
    details: e.details ?? {},
    at,
  })
}

export interface ActivityFilter {
  cursor?: string
  limit: number
  after?: string
  actor?: string
  subject?: string
  action?: ActivityAction[]
  from?: string
  to?: string
  q?: string
}

const DAY_MS = 86_400_000

function conditions(orgId: string, f: ActivityFilter): SQL[] {
  const where: SQL[] = [eq(activity.orgId, orgId)]
  if (f.cursor !== undefined) {
    const before = Number(f.cursor)
    if (!Number.isSafeInteger(before)) throw new AppError('validation_failed', 'Invalid cursor')
    where.push(lt(activity.seq, before))
  }
  if (f.after !== undefined) where.push(gt(activity.seq, Number(f.after)))
  if (f.actor) where.push(eq(activity.actorId, f.actor))
  if (f.subject) where.push(or(eq(activity.actorId, f.subject), eq(activity.targetUserId, f.subject))!)
  if (f.action?.length) where.push(inArray(activity.action, f.action))
  // Whole UTC days, both ends included.
  if (f.from) where.push(gte(activity.at, new Date(`${f.from}T00:00:00Z`)))
  if (f.to) where.push(lt(activity.at, new Date(Date.parse(`${f.to}T00:00:00Z`) + DAY_MS)))
  if (f.q) {
    const q = f.q
    where.push(
      or(
        containsText(activity.target, q),
        containsText(users.displayName, q),
        containsText(users.email, q),
        containsText(apiKeys.name, q),
        containsText(jsonText(activity.details), q),
      )!,
    )
  }
  return where
}

export async function listActivity(ctx: Ctx, userId: string, orgId: string, f: ActivityFilter) {
  await requirePrivilege(ctx.db, orgId, userId, 'activity.view')
  if (f.from && f.to && f.from > f.to) throw new AppError('validation_failed', '`from` must not be after `to`')
  const rows = await ctx.db
    .select({
      a: activity,
      actor: { id: users.id, email: users.email, displayName: users.displayName },
      key: { id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix },
    })
    .from(activity)
    .leftJoin(users, eq(users.id, activity.actorId))
    .leftJoin(apiKeys, eq(apiKeys.id, activity.actorKeyId))
    .where(and(...conditions(orgId, f)))
    .orderBy(desc(activity.seq))
    .limit(f.limit + 1)
  const page = rows.slice(0, f.limit)
  return {
    items: page.map(({ a, actor, key }): ActivityEvent => ({
      id: String(a.seq),
      at: a.at.toISOString(),
      action: a.action as ActivityAction,
      actor: actor?.id ? actor : null,
      actorKey: key?.id ? key : null,
      target: a.target,
      targetUserId: a.targetUserId,
      details: a.details,
    })),
    nextCursor: rows.length > f.limit ? String(page[page.length - 1]!.a.seq) : null,
  }
}
