/** Who may do what in an organization: membership lookup plus the shared privilege table. */
import { and, eq, isNull } from 'drizzle-orm'
import { AppError } from '../../shared/errors'
import { can, type Privilege, type Role } from '../../shared/roles'
import type { Db } from '../db/client'
import { memberships } from '../db/schema'

const NOT_FOUND = 'Organization not found'

/** Unknown organization and "not a member" answer the same, so membership cannot be probed. */
export async function roleIn(db: Db, orgId: string, userId: string): Promise<Role> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
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
