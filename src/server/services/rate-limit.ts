/**
 * Limits stored in the database (table `rate_limits`, one fixed-window counter per key), so every
 * server process counts the same hits and a restart resets nothing. Counting is one atomic upsert
 * per hit, before anything is evaluated: of N parallel callers at most the budget get through.
 * Sign-in attempts (LoginLimiter in auth.ts) and the limits below share the table; their keys
 * have distinct prefixes.
 */
import { sql } from 'drizzle-orm'
import { AppError } from '../../shared/errors'
import { rateLimits } from '../db/schema'
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
  orgCreation: { max: 10, windowMs: 60 * 60_000, what: 'new organizations' },
} satisfies Record<string, Limit>

/** Counts one hit in the key's fixed window (a new window once the old one has passed). */
export async function countHit(ctx: Pick<Ctx, 'db' | 'clock'>, key: string, windowMs: number): Promise<{ hits: number; windowStart: Date }> {
  const now = ctx.clock.now()
  const stale = sql`${rateLimits.windowStart} <= ${sql.param(new Date(now.getTime() - windowMs), rateLimits.windowStart)}`
  const [row] = await ctx.db
    .insert(rateLimits)
    .values({ key, hits: 1, windowStart: now })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        hits: sql`case when ${stale} then 1 else ${rateLimits.hits} + 1 end`,
        windowStart: sql`case when ${stale} then excluded.window_start else ${rateLimits.windowStart} end`,
      },
    })
    .returning({ hits: rateLimits.hits, windowStart: rateLimits.windowStart })
  return row!
}

/** Seconds until the window that began at `windowStart` is over (at least 1). */
export function retryAfterSeconds(ctx: Pick<Ctx, 'clock'>, windowStart: Date, windowMs: number): number {
  return Math.max(1, Math.ceil((windowStart.getTime() + windowMs - ctx.clock.now().getTime()) / 1000))
}

/** Counts a hit on `key` and answers 429 once the limit's budget for the window is spent. */
export async function hit(ctx: Pick<Ctx, 'db' | 'clock'>, key: string, limit: Limit): Promise<void> {
  const { hits, windowStart } = await countHit(ctx, key, limit.windowMs)
  if (hits > limit.max) {
    throw new AppError('rate_limited', `Too many ${limit.what}. Try again later.`, {
      retryAfterSeconds: retryAfterSeconds(ctx, windowStart, limit.windowMs),
    })
  }
}
