/**
 * Organizations as a member sees them (my role plus the counts the app shows), and their
 * lifecycle: anyone signed in creates one and is its Owner; an Owner renames or deletes it.
 * A deleted organization keeps its rows but is marked (`deleted_at`): the sign-in check,
 * `roleIn` and `lockOrg` treat it as unknown, so every org-scoped request answers 404.
 */
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm'
import { slugFromName, type CreateOrgRequest, type OrgDetail, type OrgSummary, type UpdateOrgRequest } from '../../shared/api'
import { AppError } from '../../shared/errors'
import { DEFAULT_MEMBER_LIMIT } from '../../shared/roles'
import type { Db } from '../db/client'
import { withTx } from '../db/tx'
import { apiKeys, invitations, joinRequests, memberships, orgs, outbox, trustedDomains, users } from '../db/schema'
import { assertCan, roleIn } from './access'
import { record } from './activity'
import { isKeyId } from './api-keys'
import type { Ctx } from './context'
import { newId } from './crypto'
import { pendingAt } from './invitations'
import { addMembership, removeMember } from './members'
import { lockOrg } from './org-lock'
import { hit, LIMITS } from './rate-limit'

/** Counts of each organization, with the role of a member (`memberships`) or of an API key (`apiKeys`). */
function summaryQuery(db: Db, now: Date, by: 'member' | 'key' = 'member') {
  return db
    .select({
      id: orgs.id,
      name: orgs.name,
      slug: orgs.slug,
      memberLimit: orgs.memberLimit,
      createdAt: orgs.createdAt,
      myRole: by === 'key' ? apiKeys.role : memberships.role,
      memberCount: orgs.memberCount,
      ownerCount: orgs.ownerCount,
      pendingInvitationCount: sql<number>`(select count(*) from invitations i where i.org_id = ${orgs.id}
        and i.accepted_at is null and i.revoked_at is null and i.expires_at > ${now})`,
      workspaceCount: sql<number>`(select count(*) from workspaces w where w.org_id = ${orgs.id} and w.deleted_at is null)`,
    })
    .from(by === 'key' ? apiKeys : memberships)
    .innerJoin(orgs, eq(orgs.id, by === 'key' ? apiKeys.orgId : memberships.orgId))
}

type SummaryRow = Awaited<ReturnType<typeof summaryQuery>>[number]

const toDetail = (r: SummaryRow): OrgDetail => ({
  id: r.id,
  name: r.name,
  slug: r.slug,
  myRole: r.myRole,
  memberCount: Number(r.memberCount),
  ownerCount: Number(r.ownerCount),
  pendingInvitationCount: Number(r.pendingInvitationCount),
  workspaceCount: Number(r.workspaceCount),
  memberLimit: r.memberLimit,
  createdAt: r.createdAt.toISOString(),
})

/** A member's organizations, or the one organization of an API key (which authentication found live). */
function mine(ctx: Ctx, userId: string, orgId?: string) {
  const now = ctx.clock.now()
  const inOrg = orgId === undefined ? undefined : eq(orgs.id, orgId)
  return isKeyId(userId)
    ? summaryQuery(ctx.db, now, 'key').where(and(eq(apiKeys.id, userId), isNull(apiKeys.revokedAt), isNull(orgs.deletedAt), inOrg))
    : summaryQuery(ctx.db, now).where(and(eq(memberships.userId, userId), isNull(memberships.removedAt), isNull(orgs.deletedAt), inOrg))
}

export async function listMyOrgs(ctx: Ctx, userId: string): Promise<OrgSummary[]> {
  const rows = await mine(ctx, userId).orderBy(orgs.name)
  return rows.map((r) => {
    const { createdAt: _createdAt, ...summary } = toDetail(r)
    return summary
  })
}

export async function getOrg(ctx: Ctx, userId: string, orgId: string): Promise<OrgDetail> {
  const [row] = await mine(ctx, userId, orgId)
  if (!row) throw new AppError('not_found', 'Organization not found')
  return toDetail(row)
}

const slugTaken = (slug: string) =>
  new AppError('slug_taken', `The short name "${slug}" is taken by another organization; choose another`, { slug })

/**
 * The creator becomes Owner in the same transaction. A slug asked for is kept or refused (409);
 * one derived from the name gets a short suffix when taken. The unique index decides between
 * concurrent creates of one slug: the insert that loses does nothing and answers 409.
 */
export async function createOrg(ctx: Ctx, userId: string, req: CreateOrgRequest): Promise<OrgDetail> {
  await hit(ctx, `org-create:${userId}`, LIMITS.orgCreation)
  const id = newId()
  const orgId = await withTx(ctx.db, async (db) => {
    const now = ctx.clock.now()
    const [user] = await db.select().from(users).where(eq(users.id, userId))
    if (!user) throw new AppError('unauthorized', 'Sign in again')
    const base = req.slug ?? slugFromName(req.name)
    for (const slug of req.slug ? [base] : [base, `${base}-${id.slice(0, 6)}`]) {
      const [row] = await db
        .insert(orgs)
        .values({ id, name: req.name, slug, memberLimit: DEFAULT_MEMBER_LIMIT, createdAt: now })
        .onConflictDoNothing({ target: orgs.slug })
        .returning({ id: orgs.id })
      if (!row) continue
      await addMembership(db, now, { orgId: id, userId, email: user.email, displayName: user.displayName, role: 'owner' })
      await record(db, now, { orgId: id, actorId: userId, action: 'org.created', target: req.name, details: { name: req.name, slug } })
      return id
    }
    throw slugTaken(base)
  })
  return getOrg(ctx, userId, orgId)
}

export async function updateOrg(ctx: Ctx, userId: string, orgId: string, patch: UpdateOrgRequest): Promise<OrgDetail> {
  await withTx(ctx.db, async (db) => {
    await lockOrg(db, orgId)
    assertCan(await roleIn(db, orgId, userId), 'org.settings.update')
    const [before] = await db.select({ name: orgs.name, slug: orgs.slug }).from(orgs).where(eq(orgs.id, orgId))
    const changed = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== before![k as keyof typeof before]))
    if (Object.keys(changed).length === 0) return
    if (patch.slug !== undefined && 'slug' in changed) {
      // Two organizations claiming one slug at once: the unique index refuses the second (409 conflict).
      const [other] = await db.select({ id: orgs.id }).from(orgs).where(and(eq(orgs.slug, patch.slug), ne(orgs.id, orgId)))
      if (other) throw slugTaken(patch.slug)
    }
    await db.update(orgs).set(changed).where(eq(orgs.id, orgId))
    const was = Object.fromEntries(Object.keys(changed).map((k) => [k, before![k as keyof typeof before]]))
    await record(db, ctx.clock.now(), { orgId, actorId: userId, action: 'org.updated', target: before!.name, details: { before: was, after: changed } })
  })
  return getOrg(ctx, userId, orgId)
}

/**
 * Owner only, with the name typed as confirmation. Under the organization lock: mark it deleted
 * (its slug is freed), revoke pending invitations and drop their unsent emails, close pending
 * requests to join and forget its domains, so nothing can still lead into it. An invite or an
 * acceptance racing this either committed before (and is revoked here) or waits for the lock
 * and then finds no organization.
 */
export async function deleteOrg(ctx: Ctx, userId: string, orgId: string, confirmName: string): Promise<void> {
  await withTx(ctx.db, async (db) => {
    await lockOrg(db, orgId)
    assertCan(await roleIn(db, orgId, userId), 'org.delete')
    const [org] = await db.select({ name: orgs.name, slug: orgs.slug }).from(orgs).where(eq(orgs.id, orgId))
    if (confirmName.trim() !== org!.name) {
      throw new AppError('confirmation_mismatch', `Type the organization's name, ${org!.name}, exactly to delete it`)
    }
    const now = ctx.clock.now()
    await db.update(orgs).set({ deletedAt: now, slug: `deleted-${orgId}` }).where(eq(orgs.id, orgId))
    const ofOrg = db.select({ id: invitations.id }).from(invitations).where(eq(invitations.orgId, orgId))
    await db.delete(outbox).where(and(isNull(outbox.sentAt), inArray(outbox.invitationId, ofOrg)))
    await db.update(invitations).set({ revokedAt: now }).where(and(eq(invitations.orgId, orgId), pendingAt(now)))
    await db
      .update(joinRequests)
      .set({ decidedAt: now, decision: 'declined', decidedBy: userId })
      .where(and(eq(joinRequests.orgId, orgId), isNull(joinRequests.decidedAt)))
    await db.delete(trustedDomains).where(eq(trustedDomains.orgId, orgId))
    await record(db, now, { orgId, actorId: userId, action: 'org.deleted', target: org!.name, details: { name: org!.name, slug: org!.slug } })
  })
}

export const leaveOrg = (ctx: Ctx, userId: string, orgId: string) => removeMember(ctx, userId, orgId, userId)
