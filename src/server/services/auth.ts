/**
 * Sign-in and tokens. Access tokens are short-lived and opaque; refresh tokens rotate
 * on every use within a family, and presenting an already-rotated one revokes the
 * whole family (a stolen token and its rightful owner cannot both keep a session).
 *
 * One exception keeps a crash from ending a session: a client that dies after we rotated
 * but before it saved the new pair comes back with the token just replaced. Within
 * REFRESH_GRACE_MS, and while that token's successor was never used, it gets the
 * successor's rotation instead of a revocation — once.
 */
import { and, eq, gt, gte, isNull, ne } from 'drizzle-orm'
import { isApiKeyToken, type TokenPair, type User } from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Role } from '../../shared/roles'
import type { Db } from '../db/client'
import { Params, rawRows } from '../db/raw'
import { epochMsText } from '../db/sql'
import { withTx } from '../db/tx'
import { accessTokens, rateLimits, refreshTokens, tokenFamilies, users } from '../db/schema'
import type { KnownAccess } from './access'
import { authenticateKey } from './api-keys'
import type { Ctx } from './context'
import { hashPassword, newId, newToken, sha256, verifyPassword } from './crypto'
import { touchLastActive } from './members'
import { countHit, retryAfterSeconds } from './rate-limit'

export const toUser = (u: { id: string; email: string; displayName: string }): User => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
})

/**
 * Attempt counters per account and per IP in the database, so every server process shares one
 * budget and a restart resets nothing. `check` counts the attempt before anything is evaluated
 * (one atomic upsert per key), so of N parallel attempts at most the budget get evaluated;
 * `attempt` clears the account's count when its password was right.
 */
export class LoginLimiter {
  constructor(private readonly ctx: Pick<Ctx, 'db' | 'clock' | 'config'>) {}

  async check(email: string, ip: string): Promise<void> {
    const { maxFailuresPerAccount, maxAttemptsPerIp, windowMs } = this.ctx.config.rateLimit
    const [account, byIp] = await Promise.all([countHit(this.ctx, `acct:${email}`, windowMs), countHit(this.ctx, `ip:${ip}`, windowMs)])
    const full = account.hits > maxFailuresPerAccount ? account : byIp.hits > maxAttemptsPerIp ? byIp : null
    if (full) {
      const retryAfter = retryAfterSeconds(this.ctx, full.windowStart, windowMs)
      throw new AppError('rate_limited', `Too many sign-in attempts. Try again in ${retryAfter} s.`, {
        retryAfterSeconds: retryAfter,
        scope: full === account ? 'account' : 'ip',
      })
    }
  }

  async attempt(email: string, _ip: string, ok: boolean): Promise<void> {
    if (ok) await this.ctx.db.delete(rateLimits).where(eq(rateLimits.key, `acct:${email}`))
  }
}

export const REFRESH_GRACE_MS = 30_000

type RefreshRow = { rt: typeof refreshTokens.$inferSelect; family: typeof tokenFamilies.$inferSelect }

/** Rotate `tokenHash` unless someone rotated it before (or concurrently): false means it was already used. */
async function rotate(db: Db, tokenHash: string, now: Date): Promise<boolean> {
  const rotated = await db
    .update(refreshTokens)
    .set({ rotatedAt: now })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.rotatedAt)))
    .returning({ tokenHash: refreshTokens.tokenHash })
  return rotated.length > 0
}

/**
 * The grace case: `row` was rotated within the window and nothing in its family was rotated
 * since, so the family's one live token is its never-used successor. Rotates that instead.
 */
async function rotateUnusedSuccessor(db: Db, row: RefreshRow, now: Date): Promise<boolean> {
  const replacedAt = row.rt.rotatedAt
  if (!replacedAt || now.getTime() - replacedAt.getTime() > REFRESH_GRACE_MS) return false
  const family = eq(refreshTokens.familyId, row.family.id)
  const rotatedSince = await db
    .select({ tokenHash: refreshTokens.tokenHash })
    .from(refreshTokens)
    .where(and(family, ne(refreshTokens.tokenHash, row.rt.tokenHash), gte(refreshTokens.rotatedAt, replacedAt)))
  if (rotatedSince.length > 0) return false
  const live = await db
    .select({ tokenHash: refreshTokens.tokenHash })
    .from(refreshTokens)
    .where(and(family, isNull(refreshTokens.rotatedAt), gt(refreshTokens.expiresAt, now)))
  return live.length === 1 && rotate(db, live[0]!.tokenHash, now)
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

/** Verified against when the account does not exist, so an unknown email costs what a wrong password costs. */
let dummyHash: Promise<string> | null = null

export async function login(ctx: Ctx, limiter: LoginLimiter, email: string, password: string, ip: string) {
  await limiter.check(email, ip)
  const [row] = await ctx.db.select().from(users).where(eq(users.email, email))
  const verified = await verifyPassword(password, row?.passwordHash ?? (await (dummyHash ??= hashPassword(newToken()))))
  const ok = !!row && verified
  await limiter.attempt(email, ip, ok)
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
    // Lock the family first: a sign-out (which revokes it) either commits before and this refresh
    // finds it revoked, or waits and then revokes the tokens this refresh issues.
    const live = await db
      .update(tokenFamilies)
      .set({ revokedAt: null })
      .where(and(eq(tokenFamilies.id, row.family.id), isNull(tokenFamilies.revokedAt)))
      .returning({ id: tokenFamilies.id })
    if (live.length === 0) return { reusedFamily: null, pair: null }
    // Under that lock the grace check below (a read, then a rotation) cannot race another refresh.
    const fresh = (await rotate(db, row.rt.tokenHash, now)) || (await rotateUnusedSuccessor(db, row, now))
    if (!fresh) return { reusedFamily: row.family.id, pair: null }
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
 * The sign-in check runs on every request, so it is one prepared raw statement (db/raw.ts):
 * the live access token (an access token issued by a refresh that raced a revocation must not
 * outlive its family) and its user, plus, when the URL names an organization, the caller's
 * role there and that organization's members version — a list request then costs one more.
 */
async function signedIn(ctx: Ctx, accessToken: string, orgId: string | null) {
  const p = new Params()
  // A deleted organization joins no row, so its members get the 404 a stranger gets.
  const orgJoins = orgId
    ? `left join memberships m on m.org_id = ${p.add(orgId)} and m.user_id = t.user_id and m.removed_at is null
       left join orgs o on o.id = m.org_id and o.deleted_at is null`
    : ''
  const [row] = await rawRows<[id: string, email: string, displayName: string, role: Role | null, version: number | null, lastActiveMs: number | null]>(
    ctx.db,
    `select u.id, u.email, u.display_name, ${orgId ? `m.role, o.members_version, ${epochMsText('m.last_active_at')}` : 'null, null, null'}
     from access_tokens t join users u on u.id = t.user_id join token_families f on f.id = t.family_id ${orgJoins}
     where t.token_hash = ${p.add(sha256(accessToken))} and t.expires_at > ${p.add(ctx.clock.now())} and f.revoked_at is null`,
    p.values,
  )
  if (!row) throw new AppError('unauthorized', SIGN_IN_AGAIN)
  const version = row[4]
  return {
    user: { id: row[0], email: row[1], displayName: row[2] },
    role: version === null ? null : row[3],
    version: version ?? 0,
    lastActiveAt: row[5] === null ? null : new Date(Number(row[5])),
  }
}

/** Runs the sign-in check's statements once, for no token (see warmMemberList). */
export async function warmSignInCheck(ctx: Ctx, noOrgId: string): Promise<void> {
  for (const orgId of [noOrgId, null]) {
    await signedIn(ctx, '', orgId).then(
      () => {},
      (err: unknown) => {
        if (!(err instanceof AppError && err.code === 'unauthorized')) throw err
      },
    )
  }
}

export async function authenticateIn(ctx: Ctx, accessToken: string, orgId: string): Promise<{ user: User; access: KnownAccess }> {
  if (isApiKeyToken(accessToken)) return (await authenticateKey(ctx, accessToken, orgId)) as { user: User; access: KnownAccess }
  const { user, role, version, lastActiveAt } = await signedIn(ctx, accessToken, orgId)
  if (role) await touchLastActive(ctx, orgId, user.id, lastActiveAt)
  return { user, access: { db: ctx.db, userId: user.id, orgId, role, membersVersion: version } }
}

export async function authenticate(ctx: Ctx, accessToken: string): Promise<User> {
  if (isApiKeyToken(accessToken)) return (await authenticateKey(ctx, accessToken, null)).user
  return (await signedIn(ctx, accessToken, null)).user
}
