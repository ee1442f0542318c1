/** Who may do what in an organization: membership lookup plus the shared privilege table. */
import { AsyncLocalStorage } from 'node:async_hooks'
import { and, eq, isNull } from 'drizzle-orm'
import { AppError } from '../../shared/errors'
import { can, type Privilege, type Role } from '../../shared/roles'
import type { Db } from '../db/client'
import { memberships, orgs } from '../db/schema'
import { isKeyId, keyRoleIn } from './api-keys'

const NOT_FOUND = 'Organization not found'

/**
 * What the request's sign-in check already read, in the same statement, for the organization
 * in its URL (see `authenticateIn`). Valid for reads through that same handle only: inside a
 * transaction, services read afresh.
 */
export interface KnownAccess {
  db: Db
  userId: string
  orgId: string
  role: Role | null
  membersVersion: number
}
const known = new AsyncLocalStorage<KnownAccess>()
export const withKnownAccess = <T>(access: KnownAccess, fn: () => T): T => known.run(access, fn)
export function knownAccess(db: Db, orgId: string, userId?: string): KnownAccess | null {
  const k = known.getStore()
  return k && k.db === db && k.orgId === orgId && (userId === undefined || k.userId === userId) ? k : null
}

/** Unknown organization and "not a member" answer the same, so membership cannot be probed. */
export async function roleIn(db: Db, orgId: string, userId: string): Promise<Role> {
  const k = knownAccess(db, orgId, userId)
  if (k) {
    if (!k.role) throw new AppError('not_found', NOT_FOUND)
    return k.role
  }
  // An API key acts with its own role, re-read here so a key revoked mid-flight has none.
  if (isKeyId(userId)) {
    const role = await keyRoleIn(db, orgId, userId)
    if (!role) throw new AppError('not_found', NOT_FOUND)
    return role
  }
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .innerJoin(orgs, and(eq(orgs.id, memberships.orgId), isNull(orgs.deletedAt)))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId), isNull(memberships.removedAt)))
  if (!row) throw new AppError('not_found', NOT_FOUND)
  return row.role
}

export async function requirePrivilege(db: Db, orgId: string, userId: string, privilege: Privilege): Promise<Role> {
  const role = await roleIn(db, orgId, userId)
  assertCan(role, privilege)
  return role
}

export function assertCan(role: Role, privilege: Privilege): void {
  if (!can(role, privilege)) {
    throw new AppError('forbidden', `Your role does not allow this (${privilege})`, { privilege, role })
  }
}
