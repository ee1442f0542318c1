/**
 * API keys: bearer credentials of one organization that act with exactly their role.
 * A key is never a member (no seat, never an Owner for the last-Owner rule); services see it
 * as an actor id starting with `key_` (see `isKeyId`), and `roleIn` reads its role.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm'
import {
  API_KEY_MAX_DAYS,
  API_KEY_PATTERN,
  type ApiKey,
  type ApiKeyIdentity,
  type CreateApiKeyRequest,
  type CreatedApiKey,
  type User,
} from '../../shared/api'
import { AppError } from '../../shared/errors'
import { ROLE_LABELS, ROLES, type Role } from '../../shared/roles'
import { apiKeys, orgs, users } from '../db/schema'
import { withTx } from '../db/tx'
import { assertCan, roleIn, type KnownAccess } from './access'
import { record } from './activity'
import { toUser } from './auth'
import type { Ctx } from './context'
import { newId, sha256 } from './crypto'
import { lockOrg } from './org-lock'

const DAY_MS = 86_400_000
/** last_used_at is written only when older than this: at most one write per key a minute. */
const LAST_USED_RESOLUTION_MS = 60_000

export const isKeyId = (actorId: string | null | undefined): boolean => !!actorId && actorId.startsWith('key_')
/** The person behind an actor id, for columns that name a person (invited_by, added_by…): null for a key. */
export const personId = (actorId: string | null): string | null => (isKeyId(actorId) ? null : actorId)

type KeyRow = typeof apiKeys.$inferSelect

function toApiKey(k: KeyRow, by: User | null): ApiKey {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    createdBy: by,
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  }
}

/** A rank per role: a key never acts above the Owner who made it (today only Owners make keys). */
const rank = (r: Role) => ROLES.length - ROLES.indexOf(r)

export async function listApiKeys(ctx: Ctx, actorId: string, orgId: string): Promise<ApiKey[]> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'apiKeys.view')
  const rows = await ctx.db
    .select({ k: apiKeys, by: { id: users.id, email: users.email, displayName: users.displayName } })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.orgId, orgId))
    .orderBy(desc(apiKeys.createdAt))
  return rows.map(({ k, by }) => toApiKey(k, by?.id ? toUser(by) : null))
}

export async function createApiKey(ctx: Ctx, actorId: string, orgId: string, req: CreateApiKeyRequest): Promise<CreatedApiKey> {
  const now = ctx.clock.now()
  const expiresAt = new Date(req.expiresAt)
  const days = (expiresAt.getTime() - now.getTime()) / DAY_MS
  if (days < 1 || days > API_KEY_MAX_DAYS + 1) {
    throw new AppError('validation_failed', `Choose an expiry between 1 and ${API_KEY_MAX_DAYS} days from now (body.expiresAt)`)
  }
  return withTx(ctx.db, async (db) => {
    await lockOrg(db, orgId)
    const actorRole = await roleIn(db, orgId, actorId)
    assertCan(actorRole, 'apiKeys.manage')
    if (rank(req.role) > rank(actorRole)) {
      throw new AppError('forbidden', `A key cannot act above your own role (${ROLE_LABELS[actorRole]})`, { role: actorRole })
    }
    const prefix = randomBytes(6).toString('hex')
    const secret = randomBytes(32).toString('base64url')
    const row: KeyRow = {
      id: `key_${newId()}`,
      orgId,
      name: req.name,
      prefix,
      secretHash: sha256(secret),
      role: req.role,
      createdBy: actorId,
      createdAt: now,
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
    }
    await db.insert(apiKeys).values(row)
    await record(db, now, { orgId, actorId, action: 'api_key.created', target: req.name, details: { prefix, role: req.role } })
    const [me] = await db.select().from(users).where(eq(users.id, actorId))
    return { key: toApiKey(row, me ? toUser(me) : null), token: `oak_${prefix}_${secret}` }
  })
}

export async function revokeApiKey(ctx: Ctx, actorId: string, orgId: string, keyId: string): Promise<void> {
  await withTx(ctx.db, async (db) => {
    // The same lock every rule check takes: a request of this key either finished or sees it revoked.
    await lockOrg(db, orgId)
    assertCan(await roleIn(db, orgId, actorId), 'apiKeys.manage')
    const [k] = await db.select().from(apiKeys).where(and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId)))
    if (!k) throw new AppError('not_found', 'API key not found')
    if (k.revokedAt) throw new AppError('conflict', `The key ${k.name} is already revoked`)
    const now = ctx.clock.now()
    await db.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, keyId))
    await record(db, now, { orgId, actorId, action: 'api_key.revoked', target: k.name, details: { prefix: k.prefix } })
  })
}

/** The role a key has in `orgId`, read afresh (inside transactions): a revoked key has none. */
export async function keyRoleIn(db: Ctx['db'], orgId: string, keyId: string): Promise<Role | null> {
  const [k] = await db
    .select({ role: apiKeys.role })
    .from(apiKeys)
    .innerJoin(orgs, and(eq(orgs.id, apiKeys.orgId), isNull(orgs.deletedAt)))
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
  return k?.role ?? null
}

const INVALID = 'This API key is not valid'

/**
 * The sign-in check for `oak_` tokens: one read by the public prefix, a constant-time hash
 * comparison, and a write only when last_used_at is a minute old. The key is "the user" of
 * the request (its id and name); `access.role` is null outside its own organization.
 */
export async function authenticateKey(ctx: Ctx, token: string, orgId: string | null): Promise<{ user: User; access: KnownAccess | null }> {
  const m = API_KEY_PATTERN.exec(token)
  if (!m) throw new AppError('unauthorized', INVALID)
  const [row] = await ctx.db
    .select({ k: apiKeys, version: orgs.membersVersion, orgDeletedAt: orgs.deletedAt })
    .from(apiKeys)
    .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(eq(apiKeys.prefix, m[1]!))
  const presented = Buffer.from(sha256(m[2]!), 'hex')
  if (!row || !timingSafeEqual(presented, Buffer.from(row.k.secretHash, 'hex'))) throw new AppError('unauthorized', INVALID)
  const { k } = row
  const now = ctx.clock.now()
  if (k.revokedAt) throw new AppError('api_key_revoked', `The API key ${k.name} was revoked`)
  // Its organization was deleted: the key ended with it.
  if (row.orgDeletedAt) throw new AppError('api_key_revoked', `The API key ${k.name} ended with its organization`)
  if (k.expiresAt <= now) throw new AppError('api_key_expired', `The API key ${k.name} expired on ${k.expiresAt.toISOString().slice(0, 10)}`)
  if (!k.lastUsedAt || now.getTime() - k.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS)
    await ctx.db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, k.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))))
  }
  const user: User = { id: k.id, email: '', displayName: k.name }
  if (orgId === null) return { user, access: null }
  const mine = orgId === k.orgId
  return { user, access: { db: ctx.db, userId: k.id, orgId, role: mine ? k.role : null, membersVersion: mine ? row.version : 0 } }
}

/** GET /v1/api-key: what the presented key is. Recorded, as the app calls it once when it adds the key as an account. */
export async function describeKey(ctx: Ctx, keyId: string): Promise<ApiKeyIdentity> {
  const [row] = await ctx.db
    .select({ k: apiKeys, orgName: orgs.name })
    .from(apiKeys)
    .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(eq(apiKeys.id, keyId))
  if (!row) throw new AppError('unauthorized', INVALID)
  const { k } = row
  await record(ctx.db, ctx.clock.now(), { orgId: k.orgId, actorId: k.id, action: 'api_key.signed_in', target: k.name, details: { prefix: k.prefix } })
  return { id: k.id, name: k.name, prefix: k.prefix, role: k.role, orgId: k.orgId, orgName: row.orgName, expiresAt: k.expiresAt.toISOString() }
}

/** The organization a key belongs to (GET /v1/orgs lists only it). */
export async function keyOrg(ctx: Ctx, keyId: string): Promise<{ orgId: string; role: Role } | null> {
  const [k] = await ctx.db.select({ orgId: apiKeys.orgId, role: apiKeys.role }).from(apiKeys).where(eq(apiKeys.id, keyId))
  return k ?? null
}
