/**
 * What is addressed to the signed-in person: pending invitations to their address and
 * organizations suggested by a verified domain in automatic-suggestion mode. Both need a
 * verified address — a squatted, unproven one sees nothing — and both are answered here
 * without a link: accept or decline an invitation, or ask to join.
 */
import { aliasedTable, and, asc, eq, isNotNull, isNull } from 'drizzle-orm'
import type { Inbox } from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Db } from '../db/client'
import { withTx } from '../db/tx'
import { invitations, joinRequests, memberships, orgs, trustedDomains, users } from '../db/schema'
import { record } from './activity'
import { toUser } from './auth'
import type { Ctx } from './context'
import { joinThroughInvitation, pendingAt, statusOf } from './invitations'

export async function userRow(db: Db, userId: string) {
  const [u] = await db.select().from(users).where(eq(users.id, userId))
  if (!u) throw new AppError('unauthorized', 'Sign in again')
  return u
}

export function requireVerified(u: { email: string; emailVerifiedAt: Date | null }): void {
  if (!u.emailVerifiedAt) {
    throw new AppError('email_unverified', `Verify ${u.email} first: invitations and suggestions reach only a proven address`)
  }
}

export async function suggestionsFor(db: Db, u: { id: string; email: string }) {
  const domain = u.email.slice(u.email.lastIndexOf('@') + 1)
  const rows = await db
    .select({ orgId: orgs.id, orgName: orgs.name, domain: trustedDomains.domain, membership: memberships.userId, request: joinRequests.id })
    .from(trustedDomains)
    .innerJoin(orgs, eq(orgs.id, trustedDomains.orgId))
    .leftJoin(memberships, and(eq(memberships.orgId, orgs.id), eq(memberships.userId, u.id), isNull(memberships.removedAt)))
    .leftJoin(joinRequests, and(eq(joinRequests.orgId, orgs.id), eq(joinRequests.userId, u.id), isNull(joinRequests.decidedAt)))
    .where(and(eq(trustedDomains.domain, domain), isNotNull(trustedDomains.verifiedAt), eq(trustedDomains.enrollment, 'automatic_suggestion')))
    .orderBy(asc(orgs.name))
  return rows.filter((r) => !r.membership).map((r) => ({ orgId: r.orgId, orgName: r.orgName, domain: r.domain, requested: !!r.request }))
}

export async function inbox(ctx: Ctx, userId: string): Promise<Inbox> {
  const u = await userRow(ctx.db, userId)
  if (!u.emailVerifiedAt) return { emailVerified: false, invitations: [], suggestions: [] }
  const now = ctx.clock.now()
  const inviter = aliasedTable(users, 'inviter')
  const rows = await ctx.db
    .select({ i: invitations, orgName: orgs.name, by: { id: inviter.id, email: inviter.email, displayName: inviter.displayName } })
    .from(invitations)
    .innerJoin(orgs, eq(orgs.id, invitations.orgId))
    .leftJoin(inviter, eq(inviter.id, invitations.invitedBy))
    .where(and(eq(invitations.email, u.email), pendingAt(now)))
    .orderBy(asc(invitations.expiresAt))
  return {
    emailVerified: true,
    invitations: rows.map(({ i, orgName, by }) => ({
      id: i.id, orgId: i.orgId, orgName, role: i.role, invitedBy: by?.id ? toUser(by) : null, expiresAt: i.expiresAt.toISOString(), automatic: i.automatic,
    })),
    suggestions: await suggestionsFor(ctx.db, u),
  }
}

async function mine(db: Db, userId: string, invitationId: string, now: Date) {
  const u = await userRow(db, userId)
  requireVerified(u)
  const [i] = await db.select().from(invitations).where(and(eq(invitations.id, invitationId), eq(invitations.email, u.email)))
  if (!i) throw new AppError('not_found', 'Invitation not found')
  const status = statusOf(i, now)
  if (status !== 'pending') throw new AppError('invitation_not_pending', `This invitation is ${status}`, { status })
  return { u, i }
}

export async function acceptMine(ctx: Ctx, userId: string, invitationId: string): Promise<{ orgId: string }> {
  return withTx(ctx.db, async (db) => {
    const now = ctx.clock.now()
    const { u, i } = await mine(db, userId, invitationId, now)
    await joinThroughInvitation(db, now, i, u)
    return { orgId: i.orgId }
  })
}

/** Declining frees the seat the invitation held. */
export async function declineMine(ctx: Ctx, userId: string, invitationId: string): Promise<void> {
  await withTx(ctx.db, async (db) => {
    const now = ctx.clock.now()
    const { i } = await mine(db, userId, invitationId, now)
    await db.update(invitations).set({ declinedAt: now }).where(and(eq(invitations.id, i.id), pendingAt(now)))
    await record(db, now, { orgId: i.orgId, actorId: userId, action: 'invitation.declined', target: i.email, targetUserId: userId })
  })
}
