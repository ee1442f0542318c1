/**
 * Organization membership: one member's detail, role changes and removal, with the rule
 * that an organization never loses its last Owner. The list is member-list.ts.
 */
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm'
import type { Member, MemberDetail } from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Role } from '../../shared/roles'
import type { Db } from '../db/client'
import { withTx } from '../db/tx'
import { memberships, orgs, workspaceMembers, workspaces } from '../db/schema'
import { assertCan, roleIn } from './access'
import { record } from './activity'
import type { Ctx } from './context'
import { lockOrg } from './org-lock'
import { workspacesOf } from './workspaces'

// A function: tables are bound when the store opens (see db/schema.ts).
const memberColumns = () => ({
  userId: memberships.userId,
  email: memberships.email,
  displayName: memberships.displayName,
  role: memberships.role,
  joinedAt: memberships.joinedAt,
  updatedAt: memberships.updatedAt,
  workspaceCount: memberships.workspaceCount,
})

type MemberRow = { userId: string; email: string; displayName: string; role: Role; joinedAt: Date; updatedAt: Date; workspaceCount: number }

export const toMember = (r: MemberRow): Member => ({
  userId: r.userId,
  email: r.email,
  displayName: r.displayName,
  role: r.role,
  joinedAt: r.joinedAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  workspaceCount: r.workspaceCount,
})

async function getMember(db: Db, orgId: string, userId: string): Promise<Member> {
  const [row] = await db
    .select(memberColumns())
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId), isNull(memberships.removedAt)))
  if (!row) throw new AppError('not_found', 'That person is not a member of this organization')
  return toMember(row)
}

export async function bumpVersion(db: Db, orgId: string): Promise<void> {
  await db.update(orgs).set({ membersVersion: sql`${orgs.membersVersion} + 1` }).where(eq(orgs.id, orgId))
}

async function ownerCount(db: Db, orgId: string): Promise<number> {
  const [row] = await db.select({ n: orgs.ownerCount }).from(orgs).where(eq(orgs.id, orgId))
  return row?.n ?? 0
}

/** Throws when `target` is the organization's only Owner and is about to stop being one; call under `lockOrg`. */
export async function guardLastOwner(db: Db, orgId: string, target: Member, what: string): Promise<void> {
  if (target.role === 'owner' && (await ownerCount(db, orgId)) <= 1) {
    throw new AppError(
      'last_owner',
      `${target.displayName} is the only Owner of this organization, so they cannot ${what}. Make another member an Owner first.`,
    )
  }
}

export async function changeRole(ctx: Ctx, actorId: string, orgId: string, userId: string, role: Role): Promise<Member> {
  return withTx(ctx.db, async (db) => {
    // Locked before any check: the actor's role and the Owner count are read after concurrent changes commit.
    await lockOrg(db, orgId)
    assertCan(await roleIn(db, orgId, actorId), 'members.editRole')
    const member = await getMember(db, orgId, userId)
    if (member.role === role) return member
    if (role !== 'owner') await guardLastOwner(db, orgId, member, 'be demoted')
    const now = ctx.clock.now()
    await db
      .update(memberships)
      .set({ role, updatedAt: now })
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    await bumpVersion(db, orgId)
    await record(db, now, { orgId, actorId, action: 'member.role_changed', target: member.email, targetUserId: userId, details: { from: member.role, to: role } })
    return getMember(db, orgId, userId)
  })
}

/** Removal by an Owner, or leaving (actor === user); both keep a tombstone for sync. */
export async function removeMember(ctx: Ctx, actorId: string, orgId: string, userId: string): Promise<void> {
  const leaving = actorId === userId
  await withTx(ctx.db, async (db) => {
    await lockOrg(db, orgId)
    const actorRole = await roleIn(db, orgId, actorId)
    if (!leaving) assertCan(actorRole, 'members.remove')
    const member = await getMember(db, orgId, userId)
    await guardLastOwner(db, orgId, member, leaving ? 'leave' : 'be removed')
    const now = ctx.clock.now()
    await db
      .update(memberships)
      .set({ removedAt: now, updatedAt: now })
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    await db
      .delete(workspaceMembers)
      .where(
        and(
          eq(workspaceMembers.userId, userId),
          sql`${workspaceMembers.workspaceId} in (select ${workspaces.id} from ${workspaces} where ${workspaces.orgId} = ${orgId})`,
        ),
      )
    await bumpVersion(db, orgId)
    await record(db, now, { orgId, actorId, action: leaving ? 'member.left' : 'member.removed', target: member.email, targetUserId: userId })
  })
}

/** Adds (or re-adds after removal) a member; callers check privileges and the cap. */
export async function addMembership(
  db: Db,
  now: Date,
  m: { orgId: string; userId: string; email: string; displayName: string; role: Role },
): Promise<void> {
  await db
    .insert(memberships)
    .values({ ...m, joinedAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [memberships.orgId, memberships.userId],
      set: { role: m.role, joinedAt: now, updatedAt: now, removedAt: null },
    })
  await bumpVersion(db, m.orgId)
}

export { getMember }

/** The side panel's member: the row plus last activity here and the workspaces the viewer may see them in. */
export async function memberDetail(ctx: Ctx, actorId: string, orgId: string, userId: string): Promise<MemberDetail> {
  const role = await roleIn(ctx.db, orgId, actorId)
  assertCan(role, 'members.view')
  const [row] = await ctx.db
    .select({ ...memberColumns(), lastActiveAt: memberships.lastActiveAt })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId), isNull(memberships.removedAt)))
  if (!row) throw new AppError('not_found', 'That person is not a member of this organization')
  return {
    member: { ...toMember(row), lastActiveAt: row.lastActiveAt?.toISOString() ?? null },
    workspaces: await workspacesOf(ctx.db, orgId, role, actorId, userId),
  }
}

/** How often a signed-in request stamps memberships.last_active_at; finer would write on every call. */
export const LAST_ACTIVE_EVERY_MS = 5 * 60_000

/**
 * Called by the sign-in check with the stamp it already read: writes only when that stamp is older
 * than LAST_ACTIVE_EVERY_MS, conditionally (two requests at once write once). Not a membership
 * change: neither updated_at nor the members version move, so no sync sees it.
 */
export async function touchLastActive(ctx: Ctx, orgId: string, userId: string, seen: Date | null): Promise<void> {
  const now = ctx.clock.now()
  const stale = new Date(now.getTime() - LAST_ACTIVE_EVERY_MS)
  if (seen && seen > stale) return
  await ctx.db
    .update(memberships)
    .set({ lastActiveAt: now })
    .where(
      and(
        eq(memberships.orgId, orgId),
        eq(memberships.userId, userId),
        or(isNull(memberships.lastActiveAt), lte(memberships.lastActiveAt, stale)),
      ),
    )
}
