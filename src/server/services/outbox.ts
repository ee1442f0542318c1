/**
 * The email outbox. Services write a row in the transaction that makes the change; the
 * sender claims due rows, delivers them through ctx.mailer and marks them. A failed
 * attempt is retried with a growing delay, so a mail server that is down delays mail
 * but loses none. Each invitation mirrors the state of its latest email.
 */
import { and, asc, desc, eq, isNull, lte, or } from 'drizzle-orm'
import type { Db } from '../db/client'
import { invitations, outbox } from '../db/schema'
import type { Ctx } from './context'
import { newId } from './crypto'
import type { MailMessage } from './mailer'

const CLAIM_MS = 60_000
const MAX_DELAY_MS = 30 * 60_000
const BATCH = 20

/** 30 s, 1 min, 2 min … capped at 30 min; never given up on. */
export const retryDelayMs = (attempts: number) => Math.min(MAX_DELAY_MS, 30_000 * 2 ** Math.max(0, attempts - 1))

export async function enqueue(
  db: Db,
  now: Date,
  kind: (typeof outbox.$inferInsert)['kind'],
  message: MailMessage,
  invitationId: string | null = null,
): Promise<void> {
  await db.insert(outbox).values({
    id: newId(), kind, toEmail: message.to, subject: message.subject, textBody: message.text, htmlBody: message.html,
    invitationId, createdAt: now, nextAttemptAt: now,
  })
  if (invitationId) await db.update(invitations).set({ delivery: 'queued' }).where(eq(invitations.id, invitationId))
}

/** Delivers what is due now; returns how many were sent and how many failed this round. */
export async function deliverDue(ctx: Ctx): Promise<{ sent: number; failed: number }> {
  const result = { sent: 0, failed: 0 }
  if (!ctx.mailer) return result
  const now = ctx.clock.now()
  const due = await ctx.db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(isNull(outbox.sentAt), lte(outbox.nextAttemptAt, now), or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now))))
    .orderBy(asc(outbox.createdAt))
    .limit(BATCH)
  for (const { id } of due) {
    // Claim first: another process (or an overlapping round) that got here first keeps it.
    const [row] = await ctx.db
      .update(outbox)
      .set({ lockedUntil: new Date(now.getTime() + CLAIM_MS) })
      .where(and(eq(outbox.id, id), isNull(outbox.sentAt), or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now))))
      .returning()
    if (!row) continue
    try {
      await ctx.mailer.send({ to: row.toEmail, subject: row.subject, text: row.textBody, html: row.htmlBody })
      await ctx.db
        .update(outbox)
        .set({ sentAt: ctx.clock.now(), lockedUntil: null, attempts: row.attempts + 1, lastError: null, textBody: '', htmlBody: '' })
        .where(eq(outbox.id, id))
      await markInvitation(ctx.db, row.invitationId)
      result.sent++
    } catch (err) {
      const attempts = row.attempts + 1
      await ctx.db
        .update(outbox)
        .set({ attempts, lockedUntil: null, nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)), lastError: String((err as Error).message ?? err).slice(0, 500) })
        .where(eq(outbox.id, id))
      await markInvitation(ctx.db, row.invitationId)
      result.failed++
    }
  }
  return result
}

/** The invitation shows the state of its newest email, so an old failed one cannot mask a later delivery. */
async function markInvitation(db: Db, invitationId: string | null): Promise<void> {
  if (!invitationId) return
  const [latest] = await db
    .select({ sentAt: outbox.sentAt, attempts: outbox.attempts })
    .from(outbox)
    .where(eq(outbox.invitationId, invitationId))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(1)
  const delivery = latest?.sentAt ? 'sent' : latest && latest.attempts > 0 ? 'failed' : 'queued'
  await db.update(invitations).set({ delivery }).where(eq(invitations.id, invitationId))
}
