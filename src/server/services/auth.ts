/**
 * Sign-in and tokens. Access tokens are short-lived and opaque; refresh tokens rotate
 * on every use within a family, and presenting an already-rotated one revokes the
 * whole family (a stolen token and its rightful owner cannot both keep a session).
 */
import { and, eq, gt, isNull } from 'drizzle-orm'
import type { TokenPair, User } from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Db } from '../db/client'
import { withTx } from '../db/tx'
import { accessTokens, memberships, orgs, refreshTokens, tokenFamilies, users } from '../db/schema'
import type { KnownAccess } from './access'
import type { Ctx } from './context'
import { newId, newToken, sha256, verifyPassword } from './crypto'

export const toUser = (u: { id: string; email: string; displayName: string }): User => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
})

/** Sliding-window counters per account and per IP; in memory, like any single-node limiter. */
export class LoginLimiter {
  private readonly hits = new Map<string, number[]>()
  constructor(private readonly ctx: Pick<Ctx, 'clock' | 'config'>) {}

  check(email: string, ip: string): void {
    const { maxFailuresPerAccount, maxAttemptsPerIp } = this.ctx.config.rateLimit
    const account = this.recent(`acct:${email}`)
    const byIp = this.recent(`ip:${ip}`)
    const full = account.length >= maxFailuresPerAccount ? account : byIp.length >= maxAttemptsPerIp ? byIp : null
    if (full) {
      const retryAfterMs = full[0]! + this.ctx.config.rateLimit.windowMs - this.ctx.clock.now().getTime()
      const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
      throw new AppError('rate_limited', `Too many sign-in attempts. Try again in ${retryAfterSeconds} s.`, {
        retryAfterSeconds,
        scope: full === account ? 'account' : 'ip',
      })
    }
  }

  attempt(email: string, ip: string, ok: boolean): void {
    this.push(`ip:${ip}`)
    if (ok) this.hits.delete(`acct:${email}`)
    else this.push(`acct:${email}`)
  }

  private recent(key: string): number[] {
    const since = this.ctx.clock.now().getTime() - this.ctx.config.rateLimit.windowMs
    const list = (this.hits.get(key) ?? []).filter((t) => t > since)
    this.hits.set(key, list)
    return list
  }

  private push(key: string): void {
    this.recent(key).push(this.ctx.clock.now().getTime())
  }
}

async function issue(ctx: Ctx, db: Db, user: User, familyId: string): Promise<TokenPair> {
  const now = ctx.clock.now().getTime()
  const accessToken = newToken()
  const refreshToken = newToken()
  const accessTokenExpiresAt = new Date(now + ctx.config.accessTokenTtlMs)
  await db.insert(accessTokens).values({ tokenHash: sha256(accessToken), familyId, userId: user.id, expiresAt: accessTokenExpiresAt })
  await db
    .insert(refreshTokens)
    .values({ tokenHash: sha256(refreshToken), familyId, expiresAt: new Date(now + ctx.config.refreshTokenTtlMs) })
  return { accessToken, refreshToken, accessTokenExpiresAt: accessTokenExpiresAt.toISOString(), user }
}

/** Starts a new token family for a user whose identity is already proven. */
export async function startSession(ctx: Ctx, db: Db, user: User): Promise<TokenPair> {
  const familyId = newId()
  await db.insert(tokenFamilies).values({ id: familyId, userId: user.id, createdAt: ctx.clock.now() })
  return issue(ctx, db, user, familyId)
}

export async function login(ctx: Ctx, limiter: LoginLimiter, email: string, password: string, ip: string) {
  limiter.check(email, ip)
  const [row] = await ctx.db.select().from(users).where(eq(users.email, email))
  const ok = row ? await verifyPassword(password, row.passwordHash) : false
  limiter.attempt(email, ip, ok)
  if (!row || !ok) throw new AppError('invalid_credentials', 'Email or password is incorrect')
  return startSession(ctx, ctx.db, toUser(row))
}

export async function refresh(ctx: Ctx, token: string): Promise<TokenPair> {
  const now = ctx.clock.now()
  const outcome = await withTx(ctx.db, async (db) => {
    const [row] = await db
      .select({ rt: refreshTokens, family: tokenFamilies, user: users })
      .from(refreshTokens)
      .innerJoin(tokenFamilies, eq(tokenFamilies.id, refreshTokens.familyId))
      .innerJoin(users, eq(users.id, tokenFamilies.userId))
      .where(eq(refreshTokens.tokenHash, sha256(token)))
    if (!row || row.family.revokedAt || row.rt.expiresAt <= now) return { reusedFamily: null, pair: null }
    // Rotate only if nobody rotated it before (or concurrently): otherwise it is a reuse.
    const rotated = await db
      .update(refreshTokens)
      .set({ rotatedAt: now })
      .where(and(eq(refreshTokens.tokenHash, row.rt.tokenHash), isNull(refreshTokens.rotatedAt)))
      .returning({ tokenHash: refreshTokens.tokenHash })
    if (rotated.length === 0) return { reusedFamily: row.family.id, pair: null }
    return { reusedFamily: null, pair: await issue(ctx, db, toUser(row.user), row.family.id) }
  })
  if (outcome.pair) return outcome.pair
  if (outcome.reusedFamily) {
    // Outside the transaction above, so the revocation stands although the call fails.
    await revokeFamily(ctx.db, outcome.reusedFamily, now)
    throw new AppError('token_reused', 'This sign-in was used twice, so it has been ended everywhere. Sign in again.')
  }
  throw new AppError('unauthorized', 'Your session has ended. Sign in again.')
}

async function revokeFamily(db: Db, familyId: string, now: Date): Promise<void> {
  await db.update(tokenFamilies).set({ revokedAt: now }).where(eq(tokenFamilies.id, familyId))
  await db.delete(accessTokens).where(eq(accessTokens.familyId, familyId))
}

/** Ends the session of the presented access token (and everything rotated from it). */
export async function logout(ctx: Ctx, accessToken: string): Promise<void> {
  const [row] = await ctx.db.select().from(accessTokens).where(eq(accessTokens.tokenHash, sha256(accessToken)))
  if (row) await revokeFamily(ctx.db, row.familyId, ctx.clock.now())
}

const SIGN_IN_AGAIN = 'Sign in again: the access token is missing, expired or revoked'

/**
 * `authenticate` plus the caller's role in `orgId` and its members version, in one
 * statement: most calls name an organization, and a list request should cost one more.
 */
export async function authenticateIn(ctx: Ctx, accessToken: string, orgId: string): Promise<{ user: User; access: KnownAccess }> {
  const [row] = await ctx.db
    .select({ user: { id: users.id, email: users.email, displayName: users.displayName }, role: memberships.role, version: orgs.membersVersion })
    .from(accessTokens)
    .innerJoin(users, eq(users.id, accessTokens.userId))
    .leftJoin(memberships, and(eq(memberships.orgId, orgId), eq(memberships.userId, accessTokens.userId), isNull(memberships.removedAt)))
    .leftJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(and(eq(accessTokens.tokenHash, sha256(accessToken)), gt(accessTokens.expiresAt, ctx.clock.now())))
  if (!row) throw new AppError('unauthorized', SIGN_IN_AGAIN)
  const user = toUser(row.user)
  return { user, access: { db: ctx.db, userId: user.id, orgId, role: row.role, membersVersion: row.version ?? 0 } }
}

export async function authenticate(ctx: Ctx, accessToken: string): Promise<User> {
  const [row] = await ctx.db
    .select({ user: users })
    .from(accessTokens)
    .innerJoin(users, eq(users.id, accessTokens.userId))
    .where(and(eq(accessTokens.tokenHash, sha256(accessToken)), gt(accessTokens.expiresAt, ctx.clock.now())))
  if (!row) throw new AppError('unauthorized', SIGN_IN_AGAIN)
  return toUser(row.user)
}
