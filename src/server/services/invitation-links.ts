/**
 * Invitation links are derived, not random: token = HMAC(link secret, invitation id, link version).
 * Every server process reads the same secret from the database, so "copy link" recomputes the link
 * that was sent instead of replacing it; resend bumps the version, which is what replaces a link.
 * Only sha256(token) is stored, so a database dump still holds no usable link.
 */
import { eq } from 'drizzle-orm'
import { invitationUrl, type InvitationLink } from '../../shared/api'
import type { Db } from '../db/client'
import { serverSecrets } from '../db/schema'
import type { Ctx } from './context'
import { hmacToken, newToken, sha256 } from './crypto'

const SECRET_NAME = 'invitation_links'
const secrets = new WeakMap<Db, Promise<Buffer>>()

/**
 * The link secret, created by whichever process asks first. Call it outside a transaction: the
 * embedded store runs one statement stream, so a read on the root handle inside one would wait for it.
 */
export function linkSecret(db: Db): Promise<Buffer> {
  let secret = secrets.get(db)
  if (!secret) {
    secret = (async () => {
      await db.insert(serverSecrets).values({ name: SECRET_NAME, value: newToken() }).onConflictDoNothing()
      const [row] = await db.select().from(serverSecrets).where(eq(serverSecrets.name, SECRET_NAME))
      return Buffer.from(row!.value, 'base64url')
    })()
    secret.catch(() => secrets.delete(db))
    secrets.set(db, secret)
  }
  return secret
}

export const linkToken = (secret: Buffer, invitationId: string, linkVersion: number): string =>
  hmacToken(secret, `invitation:${invitationId}:${linkVersion}`)

/**
 * The emailed link, derived the same way under another label: the first email and its reminder
 * carry one link (a reminder never kills the link already in the inbox); resend bumps the version
 * and so replaces both. It differs from the shared link because only it proves the mailbox.
 */
export const emailLinkToken = (secret: Buffer, invitationId: string, linkVersion: number): string =>
  hmacToken(secret, `invitation-email:${invitationId}:${linkVersion}`)

export function deriveLink(
  ctx: Ctx,
  secret: Buffer,
  inv: { id: string; linkVersion: number; expiresAt: Date },
): { link: InvitationLink; tokenHash: string } {
  const token = linkToken(secret, inv.id, inv.linkVersion)
  return {
    tokenHash: sha256(token),
    link: { invitationId: inv.id, token, url: invitationUrl(ctx.config.publicUrl, token), expiresAt: inv.expiresAt.toISOString() },
  }
}
