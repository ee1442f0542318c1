/**
 * Verified email addresses and self sign-up. An address counts as verified only once its
 * owner proved the mailbox: the 6-digit code or the link from a verification email, or
 * accepting an invitation through the link that was emailed to it.
 */
import { randomInt } from 'node:crypto'
import { and, desc, eq, gt, isNull } from 'drizzle-orm'
import { VERIFY_EMAIL_PAGE, type Me, type RegisterRequest, type TokenPair } from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Db } from '../db/client'
import { withTx } from '../db/tx'
import { emailVerifications, users } from '../db/schema'
import { startSession, toUser } from './auth'
import type { Ctx } from './context'
import { hashPassword, newId, newToken, sha256 } from './crypto'
import { verificationEmail } from './emails'
import { inviteNewlyVerified } from './enrollment'
import { linkSecret } from './invitation-links'
import { enqueue } from './outbox'
import { hit, LIMITS } from './rate-limit'

const CODE_TTL_MS = 60 * 60_000
const MAX_CODE_ATTEMPTS = 5

export async function me(ctx: Ctx, userId: string): Promise<Me> {
  const [u] = await ctx.db.select().from(users).where(eq(users.id, userId))
  if (!u) throw new AppError('unauthorized', 'Sign in again')
  return { ...toUser(u), emailVerified: !!u.emailVerifiedAt }
}

/** Sets the address verified once, then lets enrollment modes act on it. */
/** `secret`: the invitation link secret (linkSecret), read before the transaction began. */
export async function markEmailVerified(ctx: Ctx, db: Db, secret: Buffer, userId: string): Promise<void> {
  const changed = await db
    .update(users)
    .set({ emailVerifiedAt: ctx.clock.now() })
    .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)))
    .returning({ id: users.id })
  if (changed.length) await inviteNewlyVerified(ctx, db, secret, userId)
}

async function queueVerification(ctx: Ctx, db: Db, user: { id: string; email: string }): Promise<void> {
  const now = ctx.clock.now()
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  const token = newToken()
  await db.insert(emailVerifications).values({
    id: newId(), userId: user.id, email: user.email, codeHash: sha256(`${user.id}:${code}`), linkTokenHash: sha256(token),
    createdAt: now, expiresAt: new Date(now.getTime() + CODE_TTL_MS),
  })
  const url = `${ctx.config.publicUrl.replace(/\/+$/, '')}${VERIFY_EMAIL_PAGE}?token=${token}`
  await enqueue(db, now, 'verification', verificationEmail(user.email, code, url))
}

export async function register(ctx: Ctx, req: RegisterRequest, ip: string): Promise<TokenPair> {
  await hit(ctx, `register:${ip}`, LIMITS.registration)
  return withTx(ctx.db, async (db) => {
    const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, req.email))
    if (taken) throw new AppError('conflict', `An account with ${req.email} already exists: sign in instead`)
    const [user] = await db
      .insert(users)
      .values({ id: newId(), email: req.email, displayName: req.displayName, passwordHash: await hashPassword(req.password), createdAt: ctx.clock.now() })
      .onConflictDoNothing()
      .returning()
    if (!user) throw new AppError('conflict', `An account with ${req.email} already exists: sign in instead`)
    await queueVerification(ctx, db, user)
    return startSession(ctx, db, toUser(user))
  })
}

export async function resendVerification(ctx: Ctx, userId: string): Promise<void> {
  const u = await me(ctx, userId)
  if (u.emailVerified) return
  await hit(ctx, `verify-email:${userId}`, LIMITS.verificationEmail)
  await withTx(ctx.db, (db) => queueVerification(ctx, db, u))
}

/** The newest live code counts; every wrong try is counted against it and against the person. */
export async function confirmCode(ctx: Ctx, userId: string, code: string): Promise<Me> {
  await hit(ctx, `verify-code:${userId}`, LIMITS.verificationCode)
  const now = ctx.clock.now()
  const [latest] = await ctx.db
    .select()
    .from(emailVerifications)
    .where(and(eq(emailVerifications.userId, userId), isNull(emailVerifications.usedAt), gt(emailVerifications.expiresAt, now)))
    .orderBy(desc(emailVerifications.createdAt))
    .limit(1)
  if (!latest || latest.attempts >= MAX_CODE_ATTEMPTS) {
    throw new AppError('verification_failed', 'This code has expired or was tried too often. Ask for a new one.')
  }
  if (latest.codeHash !== sha256(`${userId}:${code}`)) {
    await ctx.db.update(emailVerifications).set({ attempts: latest.attempts + 1 }).where(eq(emailVerifications.id, latest.id))
    throw new AppError('verification_failed', 'That code is not right. Check the latest email and try again.')
  }
  await use(ctx, latest)
  return me(ctx, userId)
}

export async function confirmLink(ctx: Ctx, token: string): Promise<string> {
  const [row] = await ctx.db.select().from(emailVerifications).where(eq(emailVerifications.linkTokenHash, sha256(token)))
  if (!row || row.usedAt || row.expiresAt <= ctx.clock.now()) {
    throw new AppError('verification_failed', 'This verification link has expired or was already used. Ask for a new one in the app.')
  }
  await use(ctx, row)
  return row.email
}

async function use(ctx: Ctx, row: typeof emailVerifications.$inferSelect): Promise<void> {
  const secret = await linkSecret(ctx.db)
  await withTx(ctx.db, async (db) => {
    const used = await db
      .update(emailVerifications)
      .set({ usedAt: ctx.clock.now() })
      .where(and(eq(emailVerifications.id, row.id), isNull(emailVerifications.usedAt)))
      .returning({ id: emailVerifications.id })
    // The address must still be the one the code was sent to.
    const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, row.userId))
    if (used.length && user?.email === row.email) await markEmailVerified(ctx, db, secret, row.userId)
  })
}
