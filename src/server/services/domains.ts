/**
 * Trusted email domains. An added domain is pending until the organization proves it
 * controls it — a TXT record `_org-admin-challenge.<domain>` holding the organization's
 * challenge, checked through ctx.dns — or a server operator approves it (CLI). Only
 * verified domains have any effect, and public mailbox providers are refused outright.
 * Discovery lists people whose *verified* address is in a verified domain.
 */
import { createRequire } from 'node:module'
import { and, asc, eq, isNotNull, isNull, notExists, or, sql } from 'drizzle-orm'
import type { EnrollmentMode, TrustedDomain } from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Db } from '../db/client'
import { withTx } from '../db/tx'
import { memberships, orgs, trustedDomains, users } from '../db/schema'
import { containsText, emailDomain } from '../db/sql'
import { assertCan, roleIn } from './access'
import { record } from './activity'
import { personId } from './api-keys'
import { toUser } from './auth'
import type { Ctx } from './context'
import { newToken } from './crypto'
import { DnsLookupError } from './dns'
import { inviteVerifiedPeopleOf } from './enrollment'
import { linkSecret } from './invitation-links'
import { hit, LIMITS } from './rate-limit'

// Loaded with require: JSON imports need an import attribute in Node's ESM, which bundlers and tsx treat differently.
const PUBLIC = new Set<string>(createRequire(import.meta.url)('email-providers/all.json') as string[])
export const CHALLENGE_LABEL = '_org-admin-challenge'

/** gmail.com and any name under it (mail.gmail.com): anyone can get an address there. */
export function isPublicMailboxDomain(domain: string): boolean {
  const labels = domain.split('.')
  return labels.some((_, i) => i < labels.length - 1 && PUBLIC.has(labels.slice(i).join('.')))
}

function refusePublic(domain: string): void {
  if (isPublicMailboxDomain(domain)) {
    throw new AppError('public_domain', `${domain} is a public email provider: anyone can get an address there, so it cannot be trusted`, { domain })
  }
}

/** The organization's challenge, made once; a concurrent first call keeps whichever was written first. */
async function challengeOf(db: Db, orgId: string): Promise<string> {
  await db
    .update(orgs)
    .set({ domainChallenge: `org-admin-verification=${newToken()}` })
    .where(and(eq(orgs.id, orgId), isNull(orgs.domainChallenge)))
  const [org] = await db.select({ challenge: orgs.domainChallenge }).from(orgs).where(eq(orgs.id, orgId))
  if (!org?.challenge) throw new AppError('not_found', 'Organization not found')
  return org.challenge
}

type DomainRow = typeof trustedDomains.$inferSelect

async function load(db: Db, orgId: string, domain?: string): Promise<TrustedDomain[]> {
  const rows = await db
    .select({ d: trustedDomains, by: { id: users.id, email: users.email, displayName: users.displayName } })
    .from(trustedDomains)
    .leftJoin(users, eq(users.id, trustedDomains.addedBy))
    .where(and(eq(trustedDomains.orgId, orgId), domain ? eq(trustedDomains.domain, domain) : undefined))
    .orderBy(asc(trustedDomains.domain))
  const value = rows.length ? await challengeOf(db, orgId) : ''
  return rows.map(({ d, by }) => ({
    domain: d.domain,
    status: d.verifiedAt ? 'verified' : 'pending',
    createdAt: d.createdAt.toISOString(),
    addedBy: by?.id ? toUser(by) : null,
    verifiedAt: d.verifiedAt?.toISOString() ?? null,
    verifiedBy: d.verifiedBy ?? null,
    record: { type: 'TXT', name: `${CHALLENGE_LABEL}.${d.domain}`, value },
    enrollment: d.enrollment,
  }))
}

async function one(db: Db, orgId: string, domain: string): Promise<TrustedDomain> {
  const [d] = await load(db, orgId, domain)
  if (!d) throw new AppError('not_found', `${domain} is not a trusted domain of this organization`)
  return d
}

export async function listDomains(ctx: Ctx, actorId: string, orgId: string): Promise<TrustedDomain[]> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'domains.view')
  return load(ctx.db, orgId)
}

export async function addDomain(ctx: Ctx, actorId: string, orgId: string, domain: string): Promise<TrustedDomain> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'domains.manage')
  refusePublic(domain)
  const now = ctx.clock.now()
  const inserted = await ctx.db
    .insert(trustedDomains)
    .values({ orgId, domain, addedBy: personId(actorId), createdAt: now })
    .onConflictDoNothing()
    .returning()
  if (inserted.length === 0) throw new AppError('conflict', `${domain} is already a trusted domain`)
  await record(ctx.db, now, { orgId, actorId, action: 'domain.added', target: domain })
  return one(ctx.db, orgId, domain)
}

/** Looks the TXT record up through ctx.dns; on failure the error carries what the resolver answered. */
export async function verifyDomain(ctx: Ctx, actorId: string, orgId: string, domain: string): Promise<TrustedDomain> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'domains.manage')
  const current = await one(ctx.db, orgId, domain)
  if (current.status === 'verified') return current
  const { name, value } = current.record
  let found: string[]
  try {
    found = await ctx.dns.txt(name)
  } catch (err) {
    if (!(err instanceof DnsLookupError)) throw err
    throw new AppError('verification_failed', `The DNS lookup failed: ${err.answer}`, { record: current.record, answer: err.answer, found: [] })
  }
  if (!found.includes(value)) {
    const answer = found.length ? `it has ${found.map((f) => `"${f}"`).join(', ')}` : 'it has no TXT record'
    throw new AppError('verification_failed', `${name} does not hold this organization's value yet: ${answer}`, { record: current.record, answer, found })
  }
  await markVerified(ctx, orgId, domain, 'dns', actorId)
  return one(ctx.db, orgId, domain)
}

async function markVerified(ctx: Ctx, orgId: string, domain: string, by: 'dns' | 'operator', actorId: string | null): Promise<void> {
  const secret = await linkSecret(ctx.db)
  await withTx(ctx.db, async (db) => {
    const now = ctx.clock.now()
    const changed = await db
      .update(trustedDomains)
      .set({ verifiedAt: now, verifiedBy: by })
      .where(and(eq(trustedDomains.orgId, orgId), eq(trustedDomains.domain, domain), isNull(trustedDomains.verifiedAt)))
      .returning()
    if (changed.length === 0) return
    await record(db, now, { orgId, actorId, action: 'domain.verified', target: domain, details: { by } })
    await inviteVerifiedPeopleOf(ctx, db, secret, changed[0]!)
  })
}

/** Server operators vouch for a domain without DNS (the CLI); the public-provider rule still holds. */
export async function approveDomainAsOperator(ctx: Ctx, orgId: string, domain: string): Promise<void> {
  refusePublic(domain)
  await ctx.db.insert(trustedDomains).values({ orgId, domain, addedBy: null, createdAt: ctx.clock.now() }).onConflictDoNothing()
  await markVerified(ctx, orgId, domain, 'operator', null)
}

export async function setEnrollment(ctx: Ctx, actorId: string, orgId: string, domain: string, mode: EnrollmentMode): Promise<TrustedDomain> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'domains.manage')
  const secret = await linkSecret(ctx.db)
  await withTx(ctx.db, async (db) => {
    const [row] = await db.select().from(trustedDomains).where(and(eq(trustedDomains.orgId, orgId), eq(trustedDomains.domain, domain)))
    if (!row) throw new AppError('not_found', `${domain} is not a trusted domain of this organization`)
    if (!row.verifiedAt) throw new AppError('domain_unverified', `Verify ${domain} first: an unverified domain has no effect`, { domain })
    if (row.enrollment === mode) return
    const now = ctx.clock.now()
    const [updated] = await db
      .update(trustedDomains)
      .set({ enrollment: mode })
      .where(and(eq(trustedDomains.orgId, orgId), eq(trustedDomains.domain, domain)))
      .returning()
    await record(db, now, { orgId, actorId, action: 'domain.enrollment_changed', target: domain, details: { from: row.enrollment, to: mode } })
    await inviteVerifiedPeopleOf(ctx, db, secret, updated as DomainRow)
  })
  return one(ctx.db, orgId, domain)
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

/** The user's address is in a verified domain of the organization (exactly: sub.acme.test is not acme.test). */
export const inVerifiedDomainOf = (orgId: string) =>
  sql`${emailDomain(users.email)} in (select domain from trusted_domains where org_id = ${orgId} and verified_at is not null)`

/** Non-members with a verified address in a verified domain: name and email only, rate-limited per person. */
export async function discoverUsers(ctx: Ctx, actorId: string, orgId: string, q: string): Promise<{ email: string; displayName: string }[]> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'members.invite')
  await hit(ctx, `discover:${actorId}`, LIMITS.discovery)
  return ctx.db
    .select({ email: users.email, displayName: users.displayName })
    .from(users)
    .where(
      and(
        isNotNull(users.emailVerifiedAt),
        inVerifiedDomainOf(orgId),
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
}
