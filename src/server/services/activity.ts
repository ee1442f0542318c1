/** The activity log: every mutating call writes one event; Owners read them newest first. */
import { and, desc, eq, lt } from 'drizzle-orm'
import type { ActivityEvent } from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Db } from '../db/client'
import { activity, users } from '../db/schema'
import type { Ctx } from './context'
import { requirePrivilege } from './access'

export interface NewEvent {
  orgId: string
  actorId: string | null
  action: ActivityEvent['action']
  target?: string | null
  details?: Record<string, unknown>
}

export async function record(db: Db, at: Date, e: NewEvent): Promise<void> {
  await db.insert(activity).values({
    orgId: e.orgId,
    actorId: e.actorId,
    action: e.action,
    target: e.target ?? null,
    details: e.details ?? {},
    at,
  })
}

export async function listActivity(ctx: Ctx, userId: string, orgId: string, q: { cursor?: string; limit: number; subject?: string }) {
  await requirePrivilege(ctx.db, orgId, userId, 'activity.view')
  const before = q.cursor === undefined ? null : Number(q.cursor)
  if (before !== null && !Number.isSafeInteger(before)) throw new AppError('validation_failed', 'Invalid cursor')
  const rows = await ctx.db
    .select({ a: activity, actor: { id: users.id, email: users.email, displayName: users.displayName } })
    .from(activity)
    .leftJoin(users, eq(users.id, activity.actorId))
    .where(
      and(
        eq(activity.orgId, orgId),
        before === null ? undefined : lt(activity.seq, before),
        q.subject === undefined ? undefined : eq(activity.actorId, q.subject),
      ),
    )
    .orderBy(desc(activity.seq))
    .limit(q.limit + 1)
  const page = rows.slice(0, q.limit)
  return {
    items: page.map(({ a, actor }) => ({
      id: String(a.seq),
      at: a.at.toISOString(),
      action: a.action as ActivityEvent['action'],
      actor: actor?.id ? actor : null,
      target: a.target,
      details: a.details,
    })),
    nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.a.seq) : null,
  }
}
