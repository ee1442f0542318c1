/**
 * Invitations: one or more emails with one role, a 48-hour expiry, revoke / resend /
 * share-as-link, and acceptance by token (sign in or register). Tokens are stored only
 * as hashes and derived from the invitation (invitation-links.ts), so "copy link" shows the
 * link that was sent and only resend replaces it. Every rule runs under the organization lock.
 *
 * Consent: every invitation stays pending until the person accepts it, whatever domain
 * the address is in. Each one is emailed through the outbox with a token of its own:
 * accepting with the emailed token proves the mailbox (the address becomes verified),
 * accepting with a link the inviter copied does not. `trustedDomain` marks addresses in
 * a *verified* domain; it grants nothing by itself.
 */
import { and, desc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm'
import { aliasedTable } from 'drizzle-orm'
import {
  emailSchema,
  invitationUrl,
  type AcceptInvitationRequest,
  type CreateInvitationsRequest,
  type CreateInvitationsResponse,
  type Invitation,
  type InvitationLink,
  type InvitationPreview,
  type InviteRejection,
} from '../../shared/api'
import { AppError } from '../../shared/errors'
import { INVITATION_TTL_MS, invitableRoles, ROLE_LABELS, type Role } from '../../shared/roles'
import type { Db } from '../db/client'
import { withTx } from '../db/tx'
import { invitations, memberships, orgs, trustedDomains, users } from '../db/schema'
import { invitationEmail, reminderEmail } from './emails'
import { enqueue } from './outbox'
import { markEmailVerified } from './verification'
import { assertCan, roleIn } from './access'
import { record } from './activity'
import { personId } from './api-keys'
import { startSession, toUser, type LoginLimiter } from './auth'
import type { Ctx } from './context'
import { hashPassword, newId, sha256, verifyPassword } from './crypto'
import { deriveLink, emailLinkToken, linkSecret } from './invitation-links'
import { addMembership } from './members'
import { lockOrg } from './org-lock'

type InvitationRow = typeof invitations.$inferSelect

const REMINDER_BEFORE_MS = 24 * 3_600_000

export function statusOf(r: Pick<InvitationRow, 'acceptedAt' | 'revokedAt' | 'declinedAt' | 'expiresAt'>, now: Date): Invitation['status'] {
  if (r.acceptedAt) return 'accepted'
  if (r.revokedAt) return 'revoked'
  if (r.declinedAt) return 'declined'
  return r.expiresAt <= now ? 'expired' : 'pending'
}

export const pendingAt = (now: Date) =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), isNull(invitations.declinedAt), gt(invitations.expiresAt, now))

/**
 * Members plus pending invitations (automatic ones included): what the per-organization cap
 * counts; read it under `lockOrg`. Join requests do not hold a seat — nobody agreed to them yet,
 * and outsiders must not be able to fill an organization by asking — so approving one needs a free seat.
 */
export async function seatsTaken(db: Db, orgId: string, now: Date): Promise<{ taken: number; limit: number }> {
  const [row] = await db
    .select({
      limit: orgs.memberLimit,
      members: orgs.memberCount,
      pending: sql<number>`(select count(*) from invitations i where i.org_id = ${orgId}
        and i.accepted_at is null and i.revoked_at is null and i.declined_at is null and i.expires_at > ${now})`,
    })
    .from(orgs)
    .where(eq(orgs.id, orgId))
  if (!row) throw new AppError('not_found', 'Organization not found')
  return { taken: Number(row.members) + Number(row.pending), limit: row.limit }
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1)

async function loadInvitations(db: Db, where: ReturnType<typeof and>, now: Date): Promise<Invitation[]> {
  const inviter = aliasedTable(users, 'inviter')
  const rows = await db
    .select({ i: invitations, by: { id: inviter.id, email: inviter.email, displayName: inviter.displayName } })
    .from(invitations)
    .leftJoin(inviter, eq(inviter.id, invitations.invitedBy))
    .where(where)
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
  return rows.map(({ i, by }) => ({
    id: i.id,
    email: i.email,
    role: i.role,
    status: statusOf(i, now),
    invitedBy: by?.id ? toUser(by) : null,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
    acceptedAt: i.acceptedAt?.toISOString() ?? null,
    revokedAt: i.revokedAt?.toISOString() ?? null,
    trustedDomain: i.trustedDomain,
    delivery: i.delivery,
    automatic: i.automatic,
  }))
}

export async function listInvitations(ctx: Ctx, actorId: string, orgId: string): Promise<Invitation[]> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'members.invite')
  return loadInvitations(ctx.db, and(eq(invitations.orgId, orgId)), ctx.clock.now())
}

export async function createInvitations(
  ctx: Ctx,
  actorId: string,
  orgId: string,
  req: CreateInvitationsRequest,
): Promise<CreateInvitationsResponse> {
  const secret = await linkSecret(ctx.db)
  return withTx(ctx.db, async (db) => {
    // Seats are counted after concurrent invitations and joins of this organization commit.
    await lockOrg(db, orgId)
    const actorRole = await roleIn(db, orgId, actorId)
    assertCan(actorRole, 'members.invite')
    if (!invitableRoles(actorRole).includes(req.role)) {
      throw new AppError('forbidden', `As ${ROLE_LABELS[actorRole]} you can only invite people as Member.`, {
        allowedRoles: invitableRoles(actorRole),
      })
    }
    const now = ctx.clock.now()
    const result: CreateInvitationsResponse = { invited: [], rejected: [] }
    const reject = (email: string, reason: InviteRejection, message: string) => result.rejected.push({ email, reason, message })

    const valid: string[] = []
    for (const raw of req.emails) {
      const parsed = emailSchema.safeParse(raw)
      if (!parsed.success) reject(raw, 'invalid_email', `"${raw}" is not a valid email address`)
      else if (valid.includes(parsed.data)) reject(parsed.data, 'duplicate', `${parsed.data} is listed more than once`)
      else valid.push(parsed.data)
    }
    const [members, pending, domains] = valid.length
      ? await Promise.all([
          db.select({ email: memberships.email }).from(memberships)
            .where(and(eq(memberships.orgId, orgId), isNull(memberships.removedAt), inArray(memberships.email, valid))),
          db.select({ email: invitations.email }).from(invitations)
            .where(and(eq(invitations.orgId, orgId), inArray(invitations.email, valid), pendingAt(now))),
          verifiedDomains(db, orgId),
        ])
      : [[], [], new Set<string>()]
    const memberSet = new Set(members.map((m) => m.email))
    const pendingSet = new Set(pending.map((p) => p.email))
    let { taken, limit } = await seatsTaken(db, orgId, now)

    for (const email of valid) {
      if (memberSet.has(email)) reject(email, 'already_member', `${email} is already a member`)
      else if (pendingSet.has(email)) reject(email, 'already_invited', `${email} already has a pending invitation`)
      else if (taken >= limit) {
        reject(email, 'cap_reached', `${email} was not invited: the organization has reached its limit of ${limit} users (members and pending invitations)`)
      } else {
        taken++
        const made = await insertInvitation(ctx, db, secret, now, { orgId, email, role: req.role, invitedBy: actorId, trusted: domains.has(domainOf(email)) })
        result.invited.push(made)
      }
    }
    return result
  })
}

export async function verifiedDomains(db: Db, orgId: string): Promise<Set<string>> {
  const rows = await db
    .select({ domain: trustedDomains.domain })
    .from(trustedDomains)
    .where(and(eq(trustedDomains.orgId, orgId), isNotNull(trustedDomains.verifiedAt)))
  return new Set(rows.map((d) => d.domain))
}

/** Queues the email with the link of this link version; the invitation shows the email's delivery state. */
async function emailInvitation(ctx: Ctx, db: Db, secret: Buffer, now: Date, row: InvitationRow, kind: 'new' | 'resend' | 'reminder') {
  const token = emailLinkToken(secret, row.id, row.linkVersion)
  await db.update(invitations).set({ emailTokenHash: sha256(token) }).where(eq(invitations.id, row.id))
  const [info] = await db
    .select({ orgName: orgs.name, inviterName: users.displayName })
    .from(orgs)
    .leftJoin(users, eq(users.id, row.invitedBy ?? ''))
    .where(eq(orgs.id, row.orgId))
  const mail = { to: row.email, orgName: info!.orgName, role: row.role, inviterName: info!.inviterName, url: invitationUrl(ctx.config.publicUrl, token), expiresAt: row.expiresAt }
  const message = kind === 'reminder' ? reminderEmail(mail) : invitationEmail(mail, kind === 'resend')
  await enqueue(db, now, kind === 'reminder' ? 'reminder' : 'invitation', message, row.id)
}

/** A pending invitation, its shareable link (returned to the inviter) and its email (queued in the same transaction). */
export async function insertInvitation(
  ctx: Ctx,
  db: Db,
  secret: Buffer,
  now: Date,
  v: { orgId: string; email: string; role: Role; invitedBy: string | null; trusted: boolean; automatic?: boolean },
): Promise<{ invitation: Invitation; link: InvitationLink }> {
  const id = newId()
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS)
  const { link, tokenHash } = deriveLink(ctx, secret, { id, linkVersion: 0, expiresAt })
  const [row] = await db
    .insert(invitations)
    .values({ id, orgId: v.orgId, email: v.email, role: v.role, tokenHash, invitedBy: personId(v.invitedBy), trustedDomain: v.trusted, automatic: v.automatic ?? false, createdAt: now, expiresAt })
    .returning()
  await emailInvitation(ctx, db, secret, now, row!, 'new')
  await record(db, now, { orgId: v.orgId, actorId: v.invitedBy, action: 'invitation.created', target: v.email, details: { role: v.role, ...(v.automatic ? { automatic: true } : {}) } })
  const [invitation] = await loadInvitations(db, and(eq(invitations.id, id)), now)
  return { invitation: invitation!, link }
}

/** Reminder emails for pending invitations entering their last 24 hours; each invitation gets one. */
export async function queueReminders(ctx: Ctx): Promise<number> {
  const secret = await linkSecret(ctx.db)
  const now = ctx.clock.now()
  const due = await ctx.db
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(pendingAt(now), isNull(invitations.reminderQueuedAt), lte(invitations.expiresAt, new Date(now.getTime() + REMINDER_BEFORE_MS))))
  let queued = 0
  for (const { id } of due) {
    await withTx(ctx.db, async (db) => {
      // Claimed by the update, so two senders never remind twice.
      const [row] = await db
        .update(invitations)
        .set({ reminderQueuedAt: now })
        .where(and(eq(invitations.id, id), isNull(invitations.reminderQueuedAt)))
        .returning()
      if (!row) return
      await emailInvitation(ctx, db, secret, now, row, 'reminder')
      queued++
    })
  }
  return queued
}

/** Revoke, resend and link: Owners for any invitation, others only for the ones they sent. */
async function manageable(db: Db, actorId: string, orgId: string, invitationId: string): Promise<InvitationRow> {
  const role = await roleIn(db, orgId, actorId)
  const [row] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.id, invitationId), eq(invitations.orgId, orgId)))
  if (!row) throw new AppError('not_found', 'Invitation not found')
  if (row.invitedBy !== actorId) assertCan(role, 'invitations.manageAll')
  else assertCan(role, 'invitations.manageOwn')
  return row
}

export async function revokeInvitation(ctx: Ctx, actorId: string, orgId: string, invitationId: string): Promise<void> {
  const row = await manageable(ctx.db, actorId, orgId, invitationId)
  const now = ctx.clock.now()
  // Conditional, so a revoke racing an acceptance either wins or reports what happened.
  const revoked = await ctx.db
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.id, invitationId), pendingAt(now)))
    .returning({ id: invitations.id })
  if (revoked.length === 0) {
    const [current] = await ctx.db.select().from(invitations).where(eq(invitations.id, invitationId))
    const status = statusOf(current ?? row, now)
    throw new AppError('invitation_not_pending', `This invitation is ${status}; only pending invitations can be revoked`)
  }
  await record(ctx.db, now, { orgId, actorId, action: 'invitation.revoked', target: row.email })
}

/** Replaces the link (the old one stops working) and gives a fresh 48 hours; expired invitations need a free seat. */
export async function resendInvitation(ctx: Ctx, actorId: string, orgId: string, invitationId: string): Promise<InvitationLink> {
  const secret = await linkSecret(ctx.db)
  return withTx(ctx.db, async (db) => {
    await lockOrg(db, orgId)
    const row = await manageable(db, actorId, orgId, invitationId)
    const now = ctx.clock.now()
    const status = statusOf(row, now)
    if (status === 'accepted' || status === 'revoked' || status === 'declined') {
      throw new AppError('invitation_not_pending', `This invitation is ${status} and cannot be resent`)
    }
    if (status === 'expired') {
      const { taken, limit } = await seatsTaken(db, orgId, now)
      if (taken >= limit) throw new AppError('cap_reached', `${row.email} cannot be invited again: the organization has reached its limit of ${limit} users`)
    }
    const next = { id: row.id, linkVersion: row.linkVersion + 1, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) }
    const { link, tokenHash } = deriveLink(ctx, secret, next)
    const [updated] = await db
      .update(invitations)
      .set({ tokenHash, linkVersion: next.linkVersion, expiresAt: next.expiresAt, reminderQueuedAt: null })
      .where(eq(invitations.id, row.id))
      .returning()
    await emailInvitation(ctx, db, secret, now, updated!, 'resend')
    await record(db, now, { orgId, actorId, action: 'invitation.resent', target: row.email })
    return link
  })
}

/** The link of a pending invitation, as it was sent: copying it again never replaces it. */
export async function invitationLink(ctx: Ctx, actorId: string, orgId: string, invitationId: string): Promise<InvitationLink> {
  const secret = await linkSecret(ctx.db)
  const row = await manageable(ctx.db, actorId, orgId, invitationId)
  const now = ctx.clock.now()
  if (statusOf(row, now) !== 'pending') {
    throw new AppError('invitation_not_pending', `This invitation is ${statusOf(row, now)}; resend it to get a new link`)
  }
  const { link, tokenHash } = deriveLink(ctx, secret, row)
  // A random token from before links were derived cannot be shown again; only resend may replace it.
  if (tokenHash !== row.tokenHash) throw new AppError('conflict', 'This link can no longer be shown. Resend the invitation to get a new one.')
  await record(ctx.db, now, { orgId, actorId, action: 'invitation.link_created', target: row.email })
  return link
}

const NOT_A_LINK = 'This invitation link is not valid (it may have been replaced by a newer one)'

/** The shared link or the emailed one; only the emailed one proves the mailbox. */
async function byToken(db: Db, token: string) {
  const hash = sha256(token)
  const [row] = await db
    .select({ i: invitations, orgName: orgs.name })
    .from(invitations)
    .innerJoin(orgs, and(eq(orgs.id, invitations.orgId), isNull(orgs.deletedAt)))
    .where(or(eq(invitations.tokenHash, hash), eq(invitations.emailTokenHash, hash)))
  if (!row) throw new AppError('not_found', NOT_A_LINK)
  return { ...row, viaEmail: row.i.emailTokenHash === hash }
}

export async function previewInvitation(ctx: Ctx, token: string): Promise<InvitationPreview> {
  const { i, orgName } = await byToken(ctx.db, token)
  const [user] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, i.email))
  return { orgName, email: i.email, role: i.role, status: statusOf(i, ctx.clock.now()), expiresAt: i.expiresAt.toISOString(), userExists: !!user }
}

const notPending = (status: Invitation['status']) => new AppError('invitation_not_pending', `This invitation is ${status}`, { status })

/** Which link an acceptance came through: it must still be the current one when the invitation is claimed. */
type LinkUsed = { column: 'tokenHash' | 'emailTokenHash'; hash: string }

/**
 * Flips a pending invitation to accepted under the organization lock. The update is conditional,
 * so of any number of concurrent acceptances exactly one wins and the others get a 409; with
 * `used`, a link replaced meanwhile (resend replaces both) is a 404.
 */
async function claimInvitation(db: Db, now: Date, i: InvitationRow, used?: LinkUsed): Promise<void> {
  await lockOrg(db, i.orgId)
  const claimed = await db
    .update(invitations)
    .set({ acceptedAt: now })
    .where(and(eq(invitations.id, i.id), pendingAt(now), used && eq(invitations[used.column], used.hash)))
    .returning({ id: invitations.id })
  if (claimed.length > 0) return
  const [current] = await db.select().from(invitations).where(eq(invitations.id, i.id))
  if (!current || (used && current[used.column] !== used.hash)) throw new AppError('not_found', NOT_A_LINK)
  throw notPending(statusOf(current, now))
}

/** After the claim: the person becomes a member with the invitation's role (a throw also undoes the claim). */
async function admit(db: Db, now: Date, i: InvitationRow, user: { id: string; displayName: string }): Promise<void> {
  const [already] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, i.orgId), eq(memberships.userId, user.id), isNull(memberships.removedAt)))
  // Accepting must never silently change the role someone already has.
  if (already) throw new AppError('conflict', `${i.email} is already a member of this organization`)
  // The pending invitation already holds its seat, so the cap cannot be exceeded here.
  await addMembership(db, now, { orgId: i.orgId, userId: user.id, email: i.email, displayName: user.displayName, role: i.role })
  await record(db, now, { orgId: i.orgId, actorId: user.id, action: 'invitation.accepted', target: i.email, targetUserId: user.id, details: { role: i.role } })
}

/**
 * Sign in (existing account, rate-limited like login) or register, then join. The password work
 * happens before the transaction; inside it, claiming the invitation is conditional, so of any
 * number of concurrent requests exactly one joins and the others get a 409. Only the emailed
 * link verifies the address; an account made through a copied link starts unverified.
 */
export async function acceptInvitation(ctx: Ctx, limiter: LoginLimiter, token: string, req: AcceptInvitationRequest, ip: string) {
  const { i, viaEmail } = await byToken(ctx.db, token)
  if (statusOf(i, ctx.clock.now()) !== 'pending') throw notPending(statusOf(i, ctx.clock.now()))
  await limiter.check(i.email, ip)
  const [existing] = await ctx.db.select().from(users).where(eq(users.email, i.email))
  if (existing) {
    const ok = await verifyPassword(req.password, existing.passwordHash)
    await limiter.attempt(i.email, ip, ok)
    if (!ok) throw new AppError('invalid_credentials', `Enter the password of the existing account ${i.email}`)
  } else if (!req.displayName) {
    throw new AppError('validation_failed', 'Enter your name to create your account')
  }
  const passwordHash = existing ? null : await hashPassword(req.password)
  // Verifying the address may invite it automatically elsewhere, which derives links.
  const secret = await linkSecret(ctx.db)
  return withTx(ctx.db, async (db) => {
    const now = ctx.clock.now()
    await claimInvitation(db, now, i, { column: viaEmail ? 'emailTokenHash' : 'tokenHash', hash: sha256(token) })
    const [user] = existing
      ? [existing]
      : await db
          .insert(users)
          .values({ id: newId(), email: i.email, displayName: req.displayName!, passwordHash: passwordHash!, createdAt: now })
          .onConflictDoNothing()
          .returning()
    if (!user) throw new AppError('conflict', `An account for ${i.email} was just created; open the link again and sign in with its password`)
    await admit(db, now, i, user)
    if (viaEmail) await markEmailVerified(ctx, db, secret, user.id)
    return { orgId: i.orgId, tokens: await startSession(ctx, db, toUser(user)) }
  })
}

/** Accepted without a link (the inbox of a verified address): claim under the lock, then join. */
export async function joinThroughInvitation(db: Db, now: Date, i: InvitationRow, user: { id: string; displayName: string }): Promise<void> {
  await claimInvitation(db, now, i)
  await admit(db, now, i, user)
}
