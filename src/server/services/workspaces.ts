/** Workspaces of an organization with each member's workspace role. */
import { asc, eq, inArray } from 'drizzle-orm'
import type { Workspace } from '../../shared/api'
import { users, workspaceMembers, workspaces } from '../db/schema'
import { assertCan, roleIn } from './access'
import type { Ctx } from './context'

export async function listWorkspaces(ctx: Ctx, actorId: string, orgId: string): Promise<Workspace[]> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'workspaces.view')
  const list = await ctx.db.select().from(workspaces).where(eq(workspaces.orgId, orgId)).orderBy(asc(workspaces.name))
  const members = list.length
    ? await ctx.db
        .select({ workspaceId: workspaceMembers.workspaceId, role: workspaceMembers.role, id: users.id, email: users.email, displayName: users.displayName })
        .from(workspaceMembers)
        .innerJoin(users, eq(users.id, workspaceMembers.userId))
        .where(inArray(workspaceMembers.workspaceId, list.map((w) => w.id)))
        .orderBy(asc(users.displayName))
    : []
  return list.map((w) => ({
    id: w.id,
    name: w.name,
    slug: w.slug,
    createdAt: w.createdAt.toISOString(),
    members: members
      .filter((m) => m.workspaceId === w.id)
      .map(({ id, email, displayName, role }) => ({ id, email, displayName, role })),
  }))
}
