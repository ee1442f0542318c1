/**
 * Automatic suggestion: a person with a verified address in a domain the organization
 * verified asks to join; an Owner approves (needs a free seat) or declines. The person
 * consented by asking, the organization by approving.
 */
import { and, asc, eq, isNull } from 'drizzle-orm'
import type { JoinRequest } from '../../shared/api'
import { AppError } from '../../shared/errors'
import { withTx } from '../db/tx'
import type { Db } from '../db/client'
import { joinRequests, memberships, users } from '../db/schema'
import { assertCan, roleIn } from './access'
import { record } from './activity'
import { personId } from './api-keys'
import { toUser } from './auth'
import type { Ctx } from './context'
import { newId } from './crypto'
import { requireVerified, suggestionsFor, userRow } from './inbox'
import { seatsTaken } from './invitations'
import { addMembership } from './members'
import { lockOrg } from './org-lock'

const isMember = async (db: Db, orgId: string, userId: string) =>
  (await db.select({ id: memberships.userId }).from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId), isNull(memberships.removedAt)))).length > 0

export async function requestToJoin(ctx: Ctx, userId: string, orgId: string): Promise<void> {
  await withTx(ctx.db, async (db) => {
    const u = await userRow(db, userId)
    requireVerified(u)
    const suggestion = (await suggestionsFor(db, u)).find((s) => s.orgId === orgId)
    if (!suggestion) throw new AppError('not_found', 'This organization is not suggested to you')
    if (suggestion.requested) throw new AppError('conflict', `You already asked to join ${suggestion.orgName}`)
    const now = ctx.clock.now()
    await db.insert(joinRequests).values({ id: newId(), orgId, userId, domain: suggestion.domain, createdAt: now })
    await record(db, now, { orgId, actorId: userId, action: 'join_request.created', target: u.email, targetUserId: userId })
  })
}

export async function listJoinRequests(ctx: Ctx, actorId: string, orgId: string): Promise<JoinRequest[]> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'joinRequests.decide')
  const rows = await ctx.db
    .select({ r: joinRequests, u: users })
    .from(joinRequests)
    .innerJoin(users, eq(users.id, joinRequests.userId))
    .where(and(eq(joinRequests.orgId, orgId), isNull(joinRequests.decidedAt)))
    .orderBy(asc(joinRequests.createdAt))
  return rows.map(({ r, u }) => ({ id: r.id, user: toUser(u), domain: r.domain, createdAt: r.createdAt.toISOString() }))
}

export async function decideJoinRequest(ctx: Ctx, actorId: string, orgId: string, requestId: string, approve: boolean): Promise<void> {
  await withTx(ctx.db, async (db) => {
    // The cap is checked after concurrent invitations and joins of this organization commit.
    await lockOrg(db, orgId)
    // Under the lock: a key revoked meanwhile has no role any more.
    assertCan(await roleIn(db, orgId, actorId), 'joinRequests.decide')
    const now = ctx.clock.now()
    const [r] = await db
      .update(joinRequests)
      .set({ decidedAt: now, decision: approve ? 'approved' : 'declined', decidedBy: personId(actorId) })
      .where(and(eq(joinRequests.id, requestId), eq(joinRequests.orgId, orgId), isNull(joinRequests.decidedAt)))
      .returning()
    if (!r) throw new AppError('not_found', 'No pending request to join with this id')
    const [u] = await db.select().from(users).where(eq(users.id, r.userId))
    if (approve) {
      // Approving must never change the role of someone who joined meanwhile.
      if (await isMember(db, orgId, u!.id)) throw new AppError('conflict', `${u!.email} is already a member of this organization`)
      const { taken, limit } = await seatsTaken(db, orgId, now)
      if (taken >= limit) throw new AppError('cap_reached', `The organization has reached its limit of ${limit} users`)
      await addMembership(db, now, { orgId, userId: u!.id, email: u!.email, displayName: u!.displayName, role: 'member' })
    }
    await record(db, now, { orgId, actorId, action: approve ? 'join_request.approved' : 'join_request.declined', target: u!.email, targetUserId: u!.id })
  })
}
