/** Organizations as a member sees them: my role plus the counts the app shows. */
import { and, eq, isNull, sql } from 'drizzle-orm'
import type { OrgDetail, OrgSummary, UpdateOrgRequest } from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Db } from '../db/client'
import { apiKeys, memberships, orgs } from '../db/schema'
import { assertCan, roleIn } from './access'
import { record } from './activity'
import { isKeyId } from './api-keys'
import type { Ctx } from './context'
import { removeMember } from './members'

/** Counts of each organization, with the role of a member (`memberships`) or of an API key (`apiKeys`). */
function summaryQuery(db: Db, now: Date, by: 'member' | 'key' = 'member') {
  const active = sql`m2.org_id = ${orgs.id} and m2.removed_at is null`
  return db
    .select({
      id: orgs.id,
      name: orgs.name,
      slug: orgs.slug,
      memberLimit: orgs.memberLimit,
      createdAt: orgs.createdAt,
      myRole: by === 'key' ? apiKeys.role : memberships.role,
      memberCount: sql<number>`(select count(*) from memberships m2 where ${active})`,
      ownerCount: sql<number>`(select count(*) from memberships m2 where ${active} and m2.role = 'owner')`,
      pendingInvitationCount: sql<number>`(select count(*) from invitations i where i.org_id = ${orgs.id}
        and i.accepted_at is null and i.revoked_at is null and i.expires_at > ${now})`,
      workspaceCount: sql<number>`(select count(*) from workspaces w where w.org_id = ${orgs.id})`,
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
    ? summaryQuery(ctx.db, now, 'key').where(and(eq(apiKeys.id, userId), isNull(apiKeys.revokedAt), inOrg))
    : summaryQuery(ctx.db, now).where(and(eq(memberships.userId, userId), isNull(memberships.removedAt), inOrg))
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

export async function updateOrg(ctx: Ctx, userId: string, orgId: string, patch: UpdateOrgRequest): Promise<OrgDetail> {
  assertCan(await roleIn(ctx.db, orgId, userId), 'org.settings.update')
  if (patch.name !== undefined) {
    const now = ctx.clock.now()
    await ctx.db.update(orgs).set({ name: patch.name }).where(eq(orgs.id, orgId))
    await record(ctx.db, now, { orgId, actorId: userId, action: 'org.updated', details: { name: patch.name } })
  }
  return getOrg(ctx, userId, orgId)
}

export const leaveOrg = (ctx: Ctx, userId: string, orgId: string) => removeMember(ctx, userId, orgId, userId)
