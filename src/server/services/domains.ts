/** Trusted email domains and the user discovery they enable when inviting. */
import { and, asc, eq, isNull, notExists, or, sql } from 'drizzle-orm'
import type { TrustedDomain, User } from '../../shared/api'
import { AppError } from '../../shared/errors'
import { memberships, trustedDomains, users } from '../db/schema'
import { containsText, emailDomain } from '../db/sql'
import { assertCan, roleIn } from './access'
import { record } from './activity'
import { toUser } from './auth'
import type { Ctx } from './context'

export async function listDomains(ctx: Ctx, actorId: string, orgId: string): Promise<TrustedDomain[]> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'domains.view')
  const rows = await ctx.db
    .select({ d: trustedDomains, by: { id: users.id, email: users.email, displayName: users.displayName } })
    .from(trustedDomains)
    .leftJoin(users, eq(users.id, trustedDomains.addedBy))
    .where(eq(trustedDomains.orgId, orgId))
    .orderBy(asc(trustedDomains.domain))
  return rows.map(({ d, by }) => ({ domain: d.domain, createdAt: d.createdAt.toISOString(), addedBy: by?.id ? toUser(by) : null }))
}

export async function addDomain(ctx: Ctx, actorId: string, orgId: string, domain: string): Promise<void> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'domains.manage')
  const now = ctx.clock.now()
  const inserted = await ctx.db
    .insert(trustedDomains)
    .values({ orgId, domain, addedBy: actorId, createdAt: now })
    .onConflictDoNothing()
    .returning()
  if (inserted.length === 0) throw new AppError('conflict', `${domain} is already a trusted domain`)
  await record(ctx.db, now, { orgId, actorId, action: 'domain.added', target: domain })
}

export async function removeDomain(ctx: Ctx, actorId: string, orgId: string, domain: string): Promise<void> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'domains.manage')
  const deleted = await ctx.db
    .delete(trustedDomains)
    .where(and(eq(trustedDomains.orgId, orgId), eq(trustedDomains.domain, domain)))
    .returning()
  if (deleted.length === 0) throw new AppError('not_found', `${domain} is not a trusted domain of this organization`)
  await record(ctx.db, ctx.clock.now(), { orgId, actorId, action: 'domain.removed', target: domain })
}

/** People with an account in one of the organization's trusted domains who are not members yet. */
export async function discoverUsers(ctx: Ctx, actorId: string, orgId: string, q: string): Promise<User[]> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'members.invite')
  const rows = await ctx.db
    .select()
    .from(users)
    .where(
      and(
        sql`${emailDomain(users.email)} in (select domain from trusted_domains where org_id = ${orgId})`,
        or(containsText(users.email, q), containsText(users.displayName, q)),
        notExists(
          ctx.db
            .select({ one: sql`1` })
            .from(memberships)
            .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, users.id), isNull(memberships.removedAt))),
        ),
      ),
    )
    .orderBy(asc(users.email))
    .limit(20)
  return rows.map(toUser)
}
