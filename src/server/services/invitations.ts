/**
 * Invitations: one or more emails with one role, a 48-hour expiry, revoke / resend /
 * share-as-link, and acceptance by token (sign in or register). Tokens are stored only
 * as hashes and derived from the invitation (invitation-links.ts), so "copy link" shows the
 * link that was sent and only resend replaces it. Every rule runs under the organization lock.
 *
 * Trusted domains (the seeds: they "affect user discovery when inviting people and how
 * some organization invitations behave"): when the invited address is in one of the
 * organization's trusted domains and an account with that address already exists, the
 * person joins at once with the chosen role — the organization vouches for its domain,
 * so there is no email round-trip. Any other trusted-domain address gets a normal pending
 * invitation marked `trustedDomain`.
 */
import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { aliasedTable } from 'drizzle-orm'
import {
  emailSchema,
  type AcceptInvitationRequest,
  type CreateInvitationsRequest,
  type CreateInvitationsResponse,
  type Invitation,
  type InvitationLink,
  type InvitationPreview,
  type InviteRejection,
} from '../../shared/api'
import { AppError } from '../../shared/errors'
import { INVITATION_TTL_MS, invitableRoles, ROLE_LABELS } from '../../shared/roles'
import type { Db } from '../db/client'
import { withTx } from '../db/tx'
import { invitations, memberships, orgs, trustedDomains, users } from '../db/schema'
import { assertCan, roleIn } from './access'
import { record } from './activity'
import { startSession, toUser, type LoginLimiter } from './auth'
import type { Ctx } from './context'
import { hashPassword, newId, sha256, verifyPassword } from './crypto'
import { deriveLink, linkSecret } from './invitation-links'
import { addMembership, getMember } from './members'
import { lockOrg } from './org-lock'

type InvitationRow = typeof invitations.$inferSelect

export function statusOf(r: Pick<InvitationRow, 'acceptedAt' | 'revokedAt' | 'expiresAt'>, now: Date): Invitation['status'] {
  if (r.acceptedAt) return 'accepted'
  if (r.revokedAt) return 'revoked'
  return r.expiresAt <= now ? 'expired' : 'pending'
}

const pendingAt = (now: Date) =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now))

/** Members plus pending invitations: what the per-organization cap counts; read it under `lockOrg`. */
async function seatsTaken(db: Db, orgId: string, now: Date): Promise<{ taken: number; limit: number }> {
  const [row] = await db
    .select({
      limit: orgs.memberLimit,
      members: sql<number>`(select count(*) from memberships m where m.org_id = ${orgId} and m.removed_at is null)`,
      pending: sql<number>`(select count(*) from invitations i where i.org_id = ${orgId}
        and i.accepted_at is null and i.revoked_at is null and i.expires_at > ${now})`,
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
    const result: CreateInvitationsResponse = { invited: [], added: [], rejected: [] }
    const reject = (email: string, reason: InviteRejection, message: string) => result.rejected.push({ email, reason, message })

    const valid: string[] = []
    for (const raw of req.emails) {
      const parsed = emailSchema.safeParse(raw)
      if (!parsed.success) reject(raw, 'invalid_email', `"${raw}" is not a valid email address`)
      else if (valid.includes(parsed.data)) reject(parsed.data, 'duplicate', `${parsed.data} is listed more than once`)
      else valid.push(parsed.data)
    }
    const [members, pending, domains, existing] = valid.length
      ? await Promise.all([
          db.select({ email: memberships.email }).from(memberships)
            .where(and(eq(memberships.orgId, orgId), isNull(memberships.removedAt), inArray(memberships.email, valid))),
          db.select({ email: invitations.email }).from(invitations)
            .where(and(eq(invitations.orgId, orgId), inArray(invitations.email, valid), pendingAt(now))),
          db.select({ domain: trustedDomains.domain }).from(trustedDomains).where(eq(trustedDomains.orgId, orgId)),
          db.select().from(users).where(inArray(users.email, valid)),
        ])
      : [[], [], [], []]
    const memberSet = new Set(members.map((m) => m.email))
    const pendingSet = new Set(pending.map((p) => p.email))
    const trusted = new Set(domains.map((d) => d.domain))
    const userByEmail = new Map(existing.map((u) => [u.email, u]))
    let { taken, limit } = await seatsTaken(db, orgId, now)

    for (const email of valid) {
      if (memberSet.has(email)) reject(email, 'already_member', `${email} is already a member`)
      else if (pendingSet.has(email)) reject(email, 'already_invited', `${email} already has a pending invitation`)
      else if (taken >= limit) {
        reject(email, 'cap_reached', `The organization has reached its limit of ${limit} users (members and pending invitations)`)
      } else {
        taken++
        const isTrusted = trusted.has(domainOf(email))
        const user = userByEmail.get(email)
        if (isTrusted && user) {
          await addMembership(db, now, { orgId, userId: user.id, email, displayName: user.displayName, role: req.role })
          await record(db, now, { orgId, actorId, action: 'member.joined', target: email, details: { role: req.role, via: 'trusted_domain' } })
          result.added.push(await getMember(db, orgId, user.id))
          continue
        }
        const id = newId()
        const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS)
        const { link, tokenHash } = deriveLink(ctx, secret, { id, linkVersion: 0, expiresAt })
        await db.insert(invitations).values({
          id, orgId, email, role: req.role, tokenHash, invitedBy: actorId, trustedDomain: isTrusted, createdAt: now, expiresAt,
        })
        await record(db, now, { orgId, actorId, action: 'invitation.created', target: email, details: { role: req.role } })
        const [invitation] = await loadInvitations(db, and(eq(invitations.id, id)), now)
        result.invited.push({ invitation: invitation!, link })
      }
    }
    return result
  })
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
    if (status === 'accepted' || status === 'revoked') {
      throw new AppError('invitation_not_pending', `This invitation is ${status} and cannot be resent`)
    }
    if (status === 'expired') {
      const { taken, limit } = await seatsTaken(db, orgId, now)
      if (taken >= limit) throw new AppError('cap_reached', `The organization has reached its limit of ${limit} users`)
    }
    const next = { id: row.id, linkVersion: row.linkVersion + 1, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) }
    const { link, tokenHash } = deriveLink(ctx, secret, next)
    await db.update(invitations).set({ tokenHash, linkVersion: next.linkVersion, expiresAt: next.expiresAt }).where(eq(invitations.id, row.id))
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

async function byToken(db: Db, token: string) {
  const [row] = await db
    .select({ i: invitations, orgName: orgs.name })
    .from(invitations)
    .innerJoin(orgs, eq(orgs.id, invitations.orgId))
    .where(eq(invitations.tokenHash, sha256(token)))
  if (!row) throw new AppError('not_found', NOT_A_LINK)
  return row
}

export async function previewInvitation(ctx: Ctx, token: string): Promise<InvitationPreview> {
  const { i, orgName } = await byToken(ctx.db, token)
  const [user] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, i.email))
  return { orgName, email: i.email, role: i.role, status: statusOf(i, ctx.clock.now()), expiresAt: i.expiresAt.toISOString(), userExists: !!user }
}

const notPending = (status: Invitation['status']) => new AppError('invitation_not_pending', `This invitation is ${status}`, { status })

/**
 * Sign in (existing account, rate-limited like login) or register, then join. The password work
 * happens before the transaction; inside it, flipping the invitation to accepted is conditional,
 * so of any number of concurrent requests exactly one joins and the others get a 409.
 */
export async function acceptInvitation(ctx: Ctx, limiter: LoginLimiter, token: string, req: AcceptInvitationRequest, ip: string) {
  const { i } = await byToken(ctx.db, token)
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
  return withTx(ctx.db, async (db) => {
    const now = ctx.clock.now()
    await lockOrg(db, i.orgId)
    const claimed = await db
      .update(invitations)
      .set({ acceptedAt: now })
      .where(and(eq(invitations.id, i.id), eq(invitations.tokenHash, i.tokenHash), pendingAt(now)))
      .returning({ id: invitations.id })
    if (claimed.length === 0) {
      const [current] = await db.select().from(invitations).where(eq(invitations.id, i.id))
      if (!current || current.tokenHash !== i.tokenHash) throw new AppError('not_found', NOT_A_LINK) // resent meanwhile
      throw notPending(statusOf(current, now))
    }
    const [user] = existing
      ? [existing]
      : await db
          .insert(users)
          .values({ id: newId(), email: i.email, displayName: req.displayName!, passwordHash: passwordHash!, createdAt: now })
          .onConflictDoNothing()
          .returning()
    if (!user) throw new AppError('conflict', `An account for ${i.email} was just created; open the link again and sign in with its password`)
    const [already] = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, i.orgId), eq(memberships.userId, user.id), isNull(memberships.removedAt)))
    // Accepting must never silently change the role someone already has (the throw also undoes the claim).
    if (already) throw new AppError('conflict', `${i.email} is already a member of this organization`)
    // The pending invitation already holds its seat, so the cap cannot be exceeded here.
    await addMembership(db, now, { orgId: i.orgId, userId: user.id, email: i.email, displayName: user.displayName, role: i.role })
    await record(db, now, { orgId: i.orgId, actorId: user.id, action: 'invitation.accepted', target: i.email, details: { role: i.role } })
    return { orgId: i.orgId, tokens: await startSession(ctx, db, toUser(user)) }
  })
}
