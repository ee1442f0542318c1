/**
 * Workspaces of an organization: create, rename, delete into the recycle bin (restore or purge
 * there; purged by a sweep after RECYCLE_BIN_DAYS), and workspace members with a workspace role.
 * Every change runs under the organization lock, so name checks and membership checks see what
 * concurrent requests committed. Adding or removing someone, and binning or restoring a workspace,
 * changes their memberships.workspace_count (triggers, migration 0006): those members are stamped
 * and the members version bumped so an incremental members sync picks the new counts up.
 */
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm'
import type { BinnedWorkspace, Workspace } from '../../shared/api'
import { AppError } from '../../shared/errors'
import { RECYCLE_BIN_DAYS, canInWorkspace, type Role, type WorkspacePrivilege, type WorkspaceRole } from '../../shared/roles'
import type { Db } from '../db/client'
import { memberships, users, workspaceMembers, workspaces } from '../db/schema'
import { withTx } from '../db/tx'
import { personId } from './api-keys'
import { newId } from './crypto'
import { assertCan, roleIn } from './access'
import { record } from './activity'
import type { Ctx } from './context'
import { bumpVersion, getMember } from './members'
import { lockOrg } from './org-lock'

const DAY_MS = 86_400_000
const BIN_MS = RECYCLE_BIN_DAYS * DAY_MS
const NOT_FOUND = 'Workspace not found'

type WsRow = { id: string; name: string; slug: string; createdAt: Date }

async function membersOf(db: Db, wsIds: string[]) {
  if (!wsIds.length) return []
  return db
    .select({ workspaceId: workspaceMembers.workspaceId, role: workspaceMembers.role, id: users.id, email: users.email, displayName: users.displayName })
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(inArray(workspaceMembers.workspaceId, wsIds))
    .orderBy(asc(users.displayName))
}

/** Workspaces as `actorId` (organization role `role`) sees them: members only where their role shows them. */
async function view(db: Db, role: Role, actorId: string, list: WsRow[]): Promise<Workspace[]> {
  const members = await membersOf(db, list.map((w) => w.id))
  return list.map((w) => {
    const mine = members.filter((m) => m.workspaceId === w.id)
    const myRole = mine.find((m) => m.id === actorId)?.role ?? null
    return {
      id: w.id,
      name: w.name,
      slug: w.slug,
      createdAt: w.createdAt.toISOString(),
      myRole,
      memberCount: mine.length,
      members: canInWorkspace(role, myRole, 'workspace.members.view')
        ? mine.map(({ id, email, displayName, role: r }) => ({ id, email, displayName, role: r }))
        : null,
    }
  })
}

const liveIn = (orgId: string) => and(eq(workspaces.orgId, orgId), isNull(workspaces.deletedAt))

export async function listWorkspaces(ctx: Ctx, actorId: string, orgId: string): Promise<Workspace[]> {
  const role = await roleIn(ctx.db, orgId, actorId)
  assertCan(role, 'workspaces.view')
  const list = await ctx.db.select().from(workspaces).where(liveIn(orgId)).orderBy(asc(workspaces.name))
  return view(ctx.db, role, actorId, list)
}

async function liveWorkspace(db: Db, orgId: string, wsId: string) {
  const [row] = await db.select().from(workspaces).where(and(liveIn(orgId), eq(workspaces.id, wsId)))
  if (!row) throw new AppError('not_found', NOT_FOUND)
  return row
}

async function workspaceRoleOf(db: Db, wsId: string, userId: string): Promise<WorkspaceRole | null> {
  const [row] = await db
    .select({ role: workspaceMembers.role })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, wsId), eq(workspaceMembers.userId, userId)))
  return row?.role ?? null
}

async function assertCanInWorkspace(db: Db, role: Role, actorId: string, wsId: string, privilege: WorkspacePrivilege): Promise<void> {
  const wsRole = await workspaceRoleOf(db, wsId, actorId)
  if (!canInWorkspace(role, wsRole, privilege)) {
    throw new AppError('forbidden', `Your role does not allow this (${privilege})`, { privilege, role, workspaceRole: wsRole })
  }
}

/** Live names are unique per organization, ignoring case; call under `lockOrg`. */
async function assertNameFree(db: Db, orgId: string, name: string, what: string, exceptId?: string): Promise<void> {
  const [taken] = await db
    .select({ id: workspaces.id, name: workspaces.name })
    .from(workspaces)
    .where(and(liveIn(orgId), sql`lower(${workspaces.name}) = lower(${name})`))
  if (taken && taken.id !== exceptId) {
    throw new AppError('workspace_name_taken', `A workspace named “${taken.name}” already exists, so this one cannot ${what}. Choose another name.`, {
      name: taken.name,
    })
  }
}

/** A URL-safe slug from the name, unique among the organization's live workspaces. */
async function slugFor(db: Db, orgId: string, name: string, exceptId?: string): Promise<string> {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'workspace'
  const rows = await db.select({ id: workspaces.id, slug: workspaces.slug }).from(workspaces).where(liveIn(orgId))
  const taken = new Set(rows.filter((r) => r.id !== exceptId).map((r) => r.slug))
  let slug = base
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`
  return slug
}

/** The members whose workspace_count just changed show up in the next `since` sync. */
async function touchMembers(db: Db, orgId: string, now: Date, userIds: string[]): Promise<void> {
  if (!userIds.length) return
  await db
    .update(memberships)
    .set({ updatedAt: now })
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.userId, userIds), isNull(memberships.removedAt)))
  await bumpVersion(db, orgId)
}

async function memberIds(db: Db, wsId: string): Promise<string[]> {
  const rows = await db.select({ userId: workspaceMembers.userId }).from(workspaceMembers).where(eq(workspaceMembers.workspaceId, wsId))
  return rows.map((r) => r.userId)
}

/** Opens a transaction under the organization lock with the actor's organization role. */
function mutate<T>(ctx: Ctx, actorId: string, orgId: string, fn: (db: Db, role: Role, now: Date) => Promise<T>): Promise<T> {
  return withTx(ctx.db, async (db) => {
    await lockOrg(db, orgId)
    const role = await roleIn(db, orgId, actorId)
    return fn(db, role, ctx.clock.now())
  })
}

async function viewOne(db: Db, role: Role, actorId: string, orgId: string, wsId: string): Promise<Workspace> {
  return (await view(db, role, actorId, [await liveWorkspace(db, orgId, wsId)]))[0]!
}

export function createWorkspace(ctx: Ctx, actorId: string, orgId: string, name: string): Promise<Workspace> {
  return mutate(ctx, actorId, orgId, async (db, role, now) => {
    assertCan(role, 'workspaces.manage')
    await assertNameFree(db, orgId, name, 'be created')
    const id = newId()
    await db.insert(workspaces).values({ id, orgId, name, slug: await slugFor(db, orgId, name), createdAt: now })
    await record(db, now, { orgId, actorId, action: 'workspace.created', target: name, details: { workspaceId: id } })
    return viewOne(db, role, actorId, orgId, id)
  })
}

export function renameWorkspace(ctx: Ctx, actorId: string, orgId: string, wsId: string, name: string): Promise<Workspace> {
  return mutate(ctx, actorId, orgId, async (db, role, now) => {
    assertCan(role, 'workspaces.view')
    const ws = await liveWorkspace(db, orgId, wsId)
    await assertCanInWorkspace(db, role, actorId, wsId, 'workspace.rename')
    if (ws.name !== name) {
      await assertNameFree(db, orgId, name, 'be renamed', wsId)
      await db.update(workspaces).set({ name, slug: await slugFor(db, orgId, name, wsId) }).where(eq(workspaces.id, wsId))
      await record(db, now, { orgId, actorId, action: 'workspace.renamed', target: name, details: { workspaceId: wsId, from: ws.name } })
    }
    return viewOne(db, role, actorId, orgId, wsId)
  })
}

export function deleteWorkspace(ctx: Ctx, actorId: string, orgId: string, wsId: string): Promise<void> {
  return mutate(ctx, actorId, orgId, async (db, role, now) => {
    assertCan(role, 'workspaces.manage')
    const ws = await liveWorkspace(db, orgId, wsId)
    await db.update(workspaces).set({ deletedAt: now, deletedBy: personId(actorId) }).where(eq(workspaces.id, wsId))
    await touchMembers(db, orgId, now, await memberIds(db, wsId))
    await record(db, now, { orgId, actorId, action: 'workspace.deleted', target: ws.name, details: { workspaceId: wsId } })
  })
}

/** In the bin and not yet expired: an expired workspace is never shown, even before the sweep purges it. */
const binnedIn = (orgId: string, now: Date) =>
  and(eq(workspaces.orgId, orgId), isNotNull(workspaces.deletedAt), gt(workspaces.deletedAt, new Date(now.getTime() - BIN_MS)))

async function binnedWorkspace(db: Db, orgId: string, wsId: string, now: Date) {
  const [row] = await db.select().from(workspaces).where(and(binnedIn(orgId, now), eq(workspaces.id, wsId)))
  if (!row) throw new AppError('not_found', 'That workspace is not in the recycle bin')
  return row
}

export async function listRecycleBin(ctx: Ctx, actorId: string, orgId: string): Promise<BinnedWorkspace[]> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'recycleBin.use')
  const now = ctx.clock.now()
  const rows = await ctx.db
    .select({ w: workspaces, by: { id: users.id, email: users.email, displayName: users.displayName } })
    .from(workspaces)
    .leftJoin(users, eq(users.id, workspaces.deletedBy))
    .where(binnedIn(orgId, now))
    .orderBy(asc(workspaces.deletedAt))
  const counts = await membersOf(ctx.db, rows.map((r) => r.w.id))
  return rows.map(({ w, by }) => {
    const purgeAt = w.deletedAt!.getTime() + BIN_MS
    return {
      id: w.id,
      name: w.name,
      slug: w.slug,
      deletedAt: w.deletedAt!.toISOString(),
      deletedBy: by?.id ? by : null,
      purgeAt: new Date(purgeAt).toISOString(),
      daysLeft: Math.max(0, Math.ceil((purgeAt - now.getTime()) / DAY_MS)),
      memberCount: counts.filter((m) => m.workspaceId === w.id).length,
    }
  })
}

/** Back with its members and their roles; a live workspace holding the name makes it a 409 (rename that one first). */
export function restoreWorkspace(ctx: Ctx, actorId: string, orgId: string, wsId: string): Promise<Workspace> {
  return mutate(ctx, actorId, orgId, async (db, role, now) => {
    assertCan(role, 'recycleBin.use')
    const ws = await binnedWorkspace(db, orgId, wsId, now)
    await assertNameFree(db, orgId, ws.name, 'be restored')
    await db.update(workspaces).set({ deletedAt: null, deletedBy: null, slug: await slugFor(db, orgId, ws.name) }).where(eq(workspaces.id, wsId))
    await touchMembers(db, orgId, now, await memberIds(db, wsId))
    await record(db, now, { orgId, actorId, action: 'workspace.restored', target: ws.name, details: { workspaceId: wsId } })
    return viewOne(db, role, actorId, orgId, wsId)
  })
}

export function purgeWorkspace(ctx: Ctx, actorId: string, orgId: string, wsId: string): Promise<void> {
  return mutate(ctx, actorId, orgId, async (db, role, now) => {
    assertCan(role, 'recycleBin.use')
    const ws = await binnedWorkspace(db, orgId, wsId, now)
    // Counts already left out this binned workspace: deleting it changes no member row.
    await db.delete(workspaces).where(eq(workspaces.id, wsId))
    await record(db, now, { orgId, actorId, action: 'workspace.purged', target: ws.name, details: { workspaceId: wsId } })
  })
}

/** The sweep: workspaces in the bin for RECYCLE_BIN_DAYS are deleted for good. Returns how many. */
export async function purgeExpiredWorkspaces(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now()
  return withTx(ctx.db, async (db) => {
    const gone = await db
      .delete(workspaces)
      .where(and(isNotNull(workspaces.deletedAt), lte(workspaces.deletedAt, new Date(now.getTime() - BIN_MS))))
      .returning({ id: workspaces.id, orgId: workspaces.orgId, name: workspaces.name })
    for (const w of gone) {
      await record(db, now, { orgId: w.orgId, actorId: null, action: 'workspace.purged', target: w.name, details: { workspaceId: w.id, expired: true } })
    }
    return gone.length
  })
}

/** Adds an active organization member to the workspace, or changes their role there. */
export function setWorkspaceMember(ctx: Ctx, actorId: string, orgId: string, wsId: string, userId: string, wsRole: WorkspaceRole): Promise<Workspace> {
  return mutate(ctx, actorId, orgId, async (db, role, now) => {
    assertCan(role, 'workspaces.view')
    const ws = await liveWorkspace(db, orgId, wsId)
    await assertCanInWorkspace(db, role, actorId, wsId, 'workspace.members.manage')
    const member = await getMember(db, orgId, userId)
    const current = await workspaceRoleOf(db, wsId, userId)
    if (current === wsRole) return viewOne(db, role, actorId, orgId, wsId)
    const details = { workspaceId: wsId, workspace: ws.name, role: wsRole }
    if (current) {
      await db.update(workspaceMembers).set({ role: wsRole }).where(and(eq(workspaceMembers.workspaceId, wsId), eq(workspaceMembers.userId, userId)))
      await record(db, now, { orgId, actorId, action: 'workspace.member_role_changed', target: member.email, details: { ...details, from: current } })
    } else {
      await db.insert(workspaceMembers).values({ workspaceId: wsId, userId, role: wsRole })
      await touchMembers(db, orgId, now, [userId])
      await record(db, now, { orgId, actorId, action: 'workspace.member_added', target: member.email, details })
    }
    return viewOne(db, role, actorId, orgId, wsId)
  })
}

export function removeWorkspaceMember(ctx: Ctx, actorId: string, orgId: string, wsId: string, userId: string): Promise<Workspace> {
  return mutate(ctx, actorId, orgId, async (db, role, now) => {
    assertCan(role, 'workspaces.view')
    const ws = await liveWorkspace(db, orgId, wsId)
    await assertCanInWorkspace(db, role, actorId, wsId, 'workspace.members.manage')
    const gone = await db
      .delete(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, wsId), eq(workspaceMembers.userId, userId)))
      .returning({ role: workspaceMembers.role })
    if (!gone.length) throw new AppError('not_found', 'That person is not in this workspace')
    await touchMembers(db, orgId, now, [userId])
    const [who] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId))
    await record(db, now, { orgId, actorId, action: 'workspace.member_removed', target: who?.email ?? null, details: { workspaceId: wsId, workspace: ws.name } })
    return viewOne(db, role, actorId, orgId, wsId)
  })
}

/** The live workspaces `userId` is in, limited to those whose members the viewer may see. */
export async function workspacesOf(db: Db, orgId: string, viewerRole: Role, viewerId: string, userId: string) {
  const rows = await db
    .select({ id: workspaces.id, name: workspaces.name, role: workspaceMembers.role })
    .from(workspaceMembers)
    .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
    .where(and(liveIn(orgId), eq(workspaceMembers.userId, userId)))
    .orderBy(asc(workspaces.name))
  if (!rows.length) return rows
  const mine = new Map(
    (
      await db
        .select({ id: workspaceMembers.workspaceId, role: workspaceMembers.role })
        .from(workspaceMembers)
        .where(and(eq(workspaceMembers.userId, viewerId), inArray(workspaceMembers.workspaceId, rows.map((r) => r.id))))
    ).map((r) => [r.id, r.role] as const),
  )
  return rows.filter((r) => canInWorkspace(viewerRole, mine.get(r.id) ?? null, 'workspace.members.view'))
}
