/**
 * Enrollment modes of a verified domain. *Manual*: nothing happens by itself. *Automatic
 * invitation*: every person with a verified address in the domain gets a pending
 * invitation with the Member role (emailed, holding a seat). *Automatic suggestion*: the
 * organization appears in their inbox and they may ask to join (join-requests.ts). No mode
 * makes anyone a member: the person always accepts, or asks and an Owner approves.
 */
import { and, asc, eq, isNotNull, isNull, notExists, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { emailDomain } from '../db/sql'
import { invitations, memberships, trustedDomains, users } from '../db/schema'
import type { Ctx } from './context'
import { inVerifiedDomainOf } from './domains'
import { insertInvitation, pendingAt, seatsTaken } from './invitations'
import { lockOrg } from './org-lock'

const DEFAULT_ROLE = 'member' as const

const notMemberNorInvited = (db: Db, orgId: string, now: Date) =>
  and(
    notExists(
      db.select({ one: sql`1` }).from(memberships)
        .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, users.id), isNull(memberships.removedAt))),
    ),
    notExists(
      db.select({ one: sql`1` }).from(invitations)
        .where(and(eq(invitations.orgId, orgId), eq(invitations.email, users.email), pendingAt(now))),
    ),
  )

/** `secret` is the invitation link secret (linkSecret), read before the transaction began. */
async function autoInvite(ctx: Ctx, db: Db, secret: Buffer, orgId: string, emails: string[]): Promise<void> {
  const now = ctx.clock.now()
  // Seats are counted after concurrent invitations and joins of this organization commit.
  await lockOrg(db, orgId)
  let { taken, limit } = await seatsTaken(db, orgId, now)
  // Past the cap the rest stay uninvited; an Owner sees the cap and can raise it or invite by hand.
  for (const email of emails) {
    if (taken++ >= limit) return
    await insertInvitation(ctx, db, secret, now, { orgId, email, role: DEFAULT_ROLE, invitedBy: null, trusted: true, automatic: true })
  }
}

/** A domain just became verified or switched to automatic invitation: invite the verified people already there. */
export async function inviteVerifiedPeopleOf(ctx: Ctx, db: Db, secret: Buffer, domain: typeof trustedDomains.$inferSelect): Promise<void> {
  if (!domain.verifiedAt || domain.enrollment !== 'automatic_invitation') return
  const people = await db
    .select({ email: users.email })
    .from(users)
    .where(and(isNotNull(users.emailVerifiedAt), eq(emailDomain(users.email), domain.domain), notMemberNorInvited(db, domain.orgId, ctx.clock.now())))
  await autoInvite(ctx, db, secret, domain.orgId, people.map((p) => p.email))
}

/** A person just verified their address: every organization inviting that domain automatically invites them. */
export async function inviteNewlyVerified(ctx: Ctx, db: Db, secret: Buffer, userId: string): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, userId))
  if (!user?.emailVerifiedAt) return
  const domain = user.email.slice(user.email.lastIndexOf('@') + 1)
  const orgRows = await db
    .select({ orgId: trustedDomains.orgId })
    .from(trustedDomains)
    .where(and(eq(trustedDomains.domain, domain), isNotNull(trustedDomains.verifiedAt), eq(trustedDomains.enrollment, 'automatic_invitation')))
    // One order of organization locks for every transaction, so two of them never deadlock.
    .orderBy(asc(trustedDomains.orgId))
  for (const { orgId } of orgRows) {
    const [eligible] = await db
      .select({ email: users.email })
      .from(users)
      .where(and(eq(users.id, userId), inVerifiedDomainOf(orgId), notMemberNorInvited(db, orgId, ctx.clock.now())))
    if (eligible) await autoInvite(ctx, db, secret, orgId, [eligible.email])
  }
}
