/**
 * Serializes the rule checks of one organization. The first write of a transaction is a no-op
 * update of the organization's row: on PostgreSQL it takes the row lock, so a second transaction
 * on the same organization waits and then reads what the first committed (READ COMMITTED takes a
 * fresh snapshot per statement); an embedded store with a single writer is serialized already.
 */
import { and, eq, isNull, sql } from 'drizzle-orm'
import { AppError } from '../../shared/errors'
import type { Db } from '../db/client'
import { orgs } from '../db/schema'

/** Locks the organization for the rest of the transaction and returns its seat limit; a deleted one is not found. */
export async function lockOrg(db: Db, orgId: string): Promise<{ memberLimit: number }> {
  const [row] = await db
    .update(orgs)
    .set({ memberLimit: sql`${orgs.memberLimit}` })
    .where(and(eq(orgs.id, orgId), isNull(orgs.deletedAt)))
    .returning({ memberLimit: orgs.memberLimit })
  if (!row) throw new AppError('not_found', 'Organization not found')
  return row
}
