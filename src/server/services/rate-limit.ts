/**
 * Limits stored in the database (one row per counted action), so every server process
 * counts the same hits. Insert-then-count: two racing callers may both be refused at
 * the edge, never both let through past it.
 */
import { and, count, eq, gt, lte } from 'drizzle-orm'
import { AppError } from '../../shared/errors'
import { rateHits } from '../db/schema'
import type { Ctx } from './context'

export interface Limit {
  max: number
  windowMs: number
  what: string
}

export const LIMITS = {
  discovery: { max: 60, windowMs: 60_000, what: 'searches for people to invite' },
  verificationEmail: { max: 5, windowMs: 60 * 60_000, what: 'verification emails' },
  verificationCode: { max: 10, windowMs: 15 * 60_000, what: 'verification code attempts' },
  registration: { max: 20, windowMs: 60 * 60_000, what: 'sign-ups from this address' },
} satisfies Record<string, Limit>

export async function hit(ctx: Pick<Ctx, 'db' | 'clock'>, key: string, limit: Limit): Promise<void> {
  const now = ctx.clock.now()
  const since = new Date(now.getTime() - limit.windowMs)
  await ctx.db.delete(rateHits).where(and(eq(rateHits.key, key), lte(rateHits.at, since)))
  await ctx.db.insert(rateHits).values({ key, at: now })
  const [row] = await ctx.db.select({ n: count() }).from(rateHits).where(and(eq(rateHits.key, key), gt(rateHits.at, since)))
  if (Number(row?.n ?? 0) > limit.max) {
    const retryAfterSeconds = Math.ceil(limit.windowMs / 1000)
    throw new AppError('rate_limited', `Too many ${limit.what}. Try again later.`, { retryAfterSeconds })
  }
}
