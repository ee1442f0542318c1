/** The billing summary: plan, seats, daily usage and invoices (Owner and Billing Admin). */
import { asc, desc, eq } from 'drizzle-orm'
import type { BillingSummary } from '../../shared/api'
import { seatsOf } from '../../shared/seats'
import { invoices, orgs, usage } from '../db/schema'
import { assertCan, roleIn } from './access'
import type { Ctx } from './context'
import { getOrg } from './orgs'

export async function billingSummary(ctx: Ctx, actorId: string, orgId: string): Promise<BillingSummary> {
  assertCan(await roleIn(ctx.db, orgId, actorId), 'billing.view')
  const [org, [plan], days, bills] = await Promise.all([
    getOrg(ctx, actorId, orgId),
    ctx.db.select({ plan: orgs.plan, currency: orgs.currency }).from(orgs).where(eq(orgs.id, orgId)),
    ctx.db.select().from(usage).where(eq(usage.orgId, orgId)).orderBy(asc(usage.day)),
    ctx.db.select().from(invoices).where(eq(invoices.orgId, orgId)).orderBy(desc(invoices.periodStart)),
  ])
  return {
    plan: plan!.plan,
    currency: plan!.currency,
    seats: { used: seatsOf(org).used, limit: org.memberLimit },
    usage: days.map((d) => ({ date: d.day, amountCents: d.amountCents })),
    invoices: bills.map((b) => ({ id: b.id, periodStart: b.periodStart, periodEnd: b.periodEnd, amountCents: b.amountCents, status: b.status })),
  }
}
