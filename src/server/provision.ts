/**
 * Creating users, organizations and memberships directly, for the demo seed, the
 * benchmark generator and test fixtures (the HTTP API creates organizations in services/orgs.ts);
 * people arrive through sign-up (unverified until they prove the address) or invitations.
 */
import { eq, sql } from 'drizzle-orm'
import { slugFromName } from '../shared/api'
import { DEFAULT_MEMBER_LIMIT, type Role } from '../shared/roles'
import type { Clock } from './clock'
import type { Db } from './db/client'
import { greatest, settleBulkLoad } from './db/sql'
import { withTx } from './db/tx'
import { memberships, orgs, users } from './db/schema'
import { hashPassword, newId } from './services/crypto'
import { addMembership } from './services/members'

export interface Handle {
  db: Db
  clock: Clock
}

export async function createUser(
  h: Handle,
  u: { email: string; displayName: string; password?: string; passwordHash?: string; emailVerified?: boolean },
): Promise<{ id: string; email: string; displayName: string }> {
  const passwordHash = u.passwordHash ?? (await hashPassword(u.password ?? newId()))
  const now = h.clock.now()
  // Provisioned by the operator, so the address counts as verified unless said otherwise.
  const emailVerifiedAt = u.emailVerified === false ? null : now
  const [row] = await h.db
    .insert(users)
    .values({ id: newId(), email: u.email.toLowerCase(), displayName: u.displayName, passwordHash, createdAt: now, emailVerifiedAt })
    .returning()
  return { id: row!.id, email: row!.email, displayName: row!.displayName }
}

export async function createOrg(
  h: Handle,
  o: { name: string; ownerUserId: string; memberLimit?: number },
): Promise<{ id: string; name: string }> {
  const id = newId()
  const now = h.clock.now()
  await h.db.insert(orgs).values({
    id,
    name: o.name,
    slug: `${slugFromName(o.name)}-${id.slice(0, 8)}`,
    memberLimit: o.memberLimit ?? DEFAULT_MEMBER_LIMIT,
    createdAt: now,
  })
  const [owner] = await h.db.select().from(users).where(eq(users.id, o.ownerUserId))
  if (!owner) throw new Error(`createOrg: no user ${o.ownerUserId}`)
  await addMembership(h.db, now, { orgId: id, userId: owner.id, email: owner.email, displayName: owner.displayName, role: 'owner' })
  return { id, name: o.name }
}

export async function addMember(h: Handle, m: { orgId: string; userId: string; role: Role }): Promise<void> {
  const [user] = await h.db.select().from(users).where(eq(users.id, m.userId))
  if (!user) throw new Error(`addMember: no user ${m.userId}`)
  await addMembership(h.db, h.clock.now(), { ...m, email: user.email, displayName: user.displayName })
}

/**
 * Adds `count` generated members in batches (for benchmarks), raising the organization's
 * explicit member limit so the 100-user cap does not apply to it. Their addresses carry `tag`
 * (by default six random hex digits), so batches added to one organization do not collide.
 */
export async function bulkMembers(
  h: Handle,
  b: { orgId: string; count: number; domain?: string; tag?: string; onProgress?: (done: number) => void },
): Promise<void> {
  const passwordHash = await hashPassword(newId())
  const now = h.clock.now()
  const domain = b.domain ?? 'bulk.test'
  const tag = b.tag ?? newId().slice(0, 6)
  const BATCH = 1000
  for (let start = 0; start < b.count; start += BATCH) {
    const n = Math.min(BATCH, b.count - start)
    const batch = Array.from({ length: n }, (_, k) => {
      const i = start + k
      return {
        id: newId(),
        email: `user${String(i).padStart(6, '0')}.${tag}@${domain}`,
        displayName: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`,
        passwordHash,
        createdAt: now,
      }
    })
    // One transaction per batch: one commit instead of two, and never half a batch.
    await withTx(h.db, async (db) => {
      await db.insert(users).values(batch)
      await db.insert(memberships).values(
        batch.map((u, k) => ({
          orgId: b.orgId,
          userId: u.id,
          email: u.email,
          displayName: u.displayName,
          role: ((start + k) % 50 === 0 ? 'billing_admin' : 'member') as Role,
          joinedAt: now,
          updatedAt: now,
        })),
      )
    })
    b.onProgress?.(start + n)
  }
  await h.db
    .update(orgs)
    .set({
      memberLimit: greatest(orgs.memberLimit, sql`${orgs.memberCount} + 100`),
      membersVersion: sql`${orgs.membersVersion} + 1`,
    })
    .where(eq(orgs.id, b.orgId))
  await settleBulkLoad(h.db)
}

export const FIRST = ['Ada', 'Ben', 'Chloe', 'Dmitri', 'Elena', 'Farah', 'Gus', 'Hana', 'Ivan', 'Jun', 'Kofi', 'Lea', 'Mateo', 'Nina', 'Oscar', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tara', 'Uma', 'Victor', 'Wen', 'Yusuf', 'Zoe']
export const LAST = ['Abbott', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Kim', 'Lopez', 'Moreau', 'Novak', 'Okafor', 'Patel', 'Rossi', 'Schmidt', 'Tanaka', 'Usman', 'Varga', 'Weber', 'Yilmaz', 'Zhang']
