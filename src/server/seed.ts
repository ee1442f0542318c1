/**
 * The demo world the app opens on: a large organization near its cap, one full of
 * invitations in every state, one where the demo admin is only a Member and one where
 * she is Billing Admin. Every demo account's password is DEMO_PASSWORD.
 */
import { sql } from 'drizzle-orm'
import { INVITATION_TTL_MS, type Role } from '../shared/roles'
import { activity, invitations, invoices, memberships, trustedDomains, usage, users, workspaceMembers, workspaces } from './db/schema'
import { addMember, createOrg, createUser, FIRST, LAST, type Handle } from './provision'
import { hashPassword, newId, sha256 } from './services/crypto'
import { linkSecret, linkToken } from './services/invitation-links'

export const DEMO_PASSWORD = 'demo-password'
export const DEMO_ADMIN = { email: 'admin@demo.test', displayName: 'Dana Admin' }
export const DEMO_OWNER2 = { email: 'owner2@demo.test', displayName: 'Omar Owner' }

const DAY = 86_400_000

export async function isEmpty(h: Handle): Promise<boolean> {
  const [row] = await h.db.select({ n: sql<number>`count(*)` }).from(users)
  return Number(row?.n ?? 0) === 0
}

export async function seedDemo(h: Handle): Promise<void> {
  const now = h.clock.now()
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const person = (i: number, domain: string) => {
    const first = FIRST[i % FIRST.length]!
    const last = LAST[Math.floor(i / FIRST.length + i) % LAST.length]!
    const suffix = i >= FIRST.length ? String(Math.floor(i / FIRST.length)) : ''
    return { email: `${first}.${last}${suffix}@${domain}`.toLowerCase(), displayName: `${first} ${last}`, passwordHash }
  }
  const dana = await createUser(h, { ...DEMO_ADMIN, passwordHash })
  const omar = await createUser(h, { ...DEMO_OWNER2, passwordHash })

  async function populate(orgId: string, domain: string, count: number, roleOf: (i: number) => Role) {
    const at = h.clock.now()
    const made = await h.db
      .insert(users)
      .values(Array.from({ length: count }, (_, i) => ({ id: newId(), createdAt: at, emailVerifiedAt: at, ...person(i, domain) })))
      .returning()
    await h.db.insert(memberships).values(
      made.map((u, i) => ({ orgId, userId: u.id, email: u.email, displayName: u.displayName, role: roleOf(i), joinedAt: new Date(at.getTime() - (count - i) * DAY), updatedAt: at })),
    )
    return made
  }
  const event = (orgId: string, actorId: string, action: string, target: string, daysAgo: number, details = {}) =>
    h.db.insert(activity).values({ orgId, actorId, action, target, details, at: new Date(now.getTime() - daysAgo * DAY) })

  // Acme Corp: 92 of 100 seats, two Owners, workspaces, a trusted domain with people to discover.
  const acme = await createOrg(h, { name: 'Acme Corp', ownerUserId: dana.id })
  await addMember(h, { orgId: acme.id, userId: omar.id, role: 'owner' })
  const acmePeople = await populate(acme.id, 'acme.test', 90, (i) => (i % 30 === 7 ? 'billing_admin' : 'member'))
  // Seeded as approved by the server operator, so the demo's trusted domain has effect without DNS.
  const domainAddedAt = new Date(now.getTime() - 40 * DAY)
  await h.db.insert(trustedDomains).values({ orgId: acme.id, domain: 'acme.test', addedBy: dana.id, createdAt: domainAddedAt, verifiedAt: domainAddedAt, verifiedBy: 'operator' })
  for (const [first, last] of [['Nora', 'Lindqvist'], ['Pablo', 'Reyes'], ['Ines', 'Duarte'], ['Theo', 'Marsh']] as const) {
    await createUser(h, { email: `${first}.${last}@acme.test`.toLowerCase(), displayName: `${first} ${last}`, passwordHash })
  }
  const wsRoles = ['admin', 'member', 'viewer'] as const
  for (const [w, name] of ['Research', 'Production', 'Analytics'].entries()) {
    const wsId = newId()
    await h.db.insert(workspaces).values({ id: wsId, orgId: acme.id, name, slug: name.toLowerCase(), createdAt: new Date(now.getTime() - (60 - w) * DAY) })
    const members = [dana, ...acmePeople.filter((_, i) => i % 3 === w)]
    await h.db.insert(workspaceMembers).values(members.map((u, i) => ({ workspaceId: wsId, userId: u.id, role: wsRoles[i === 0 ? 0 : i % 3]! })))
  }
  // One in the recycle bin, deleted five days ago.
  await h.db.insert(workspaces).values({
    id: newId(), orgId: acme.id, name: 'Sandbox 2025', slug: 'sandbox-2025', createdAt: new Date(now.getTime() - 200 * DAY),
    deletedAt: new Date(now.getTime() - 5 * DAY), deletedBy: dana.id,
  })
  await event(acme.id, dana.id, 'domain.added', 'acme.test', 40)
  await event(acme.id, dana.id, 'member.role_changed', acmePeople[7]!.email, 12, { from: 'member', to: 'billing_admin' })
  await event(acme.id, omar.id, 'invitation.created', acmePeople[3]!.email, 9, { role: 'member' })
  await event(acme.id, acmePeople[3]!.id, 'invitation.accepted', acmePeople[3]!.email, 8, { role: 'member' })

  // Globex: Dana is the only Owner; invitations pending, expired, revoked and accepted.
  const globex = await createOrg(h, { name: 'Globex', ownerUserId: dana.id })
  const globexPeople = await populate(globex.id, 'globex.test', 12, (i) => (i === 0 ? 'billing_admin' : 'member'))
  const states: { n: number; ageMs: number; state: 'pending' | 'expired' | 'revoked' | 'accepted' }[] = [
    { n: 9, ageMs: 5 * 3_600_000, state: 'pending' },
    { n: 7, ageMs: 3 * DAY, state: 'expired' },
    { n: 3, ageMs: 1 * DAY, state: 'revoked' },
  ]
  const secret = await linkSecret(h.db)
  let k = 0
  for (const { n, ageMs, state } of states) {
    for (let i = 0; i < n; i++, k++) {
      const created = new Date(now.getTime() - ageMs - k * 600_000)
      const email = `candidate${k + 1}@${k % 3 === 0 ? 'gmail.test' : 'globex-partners.test'}`
      const id = newId()
      await h.db.insert(invitations).values({
        id, orgId: globex.id, email, role: k % 5 === 0 ? 'billing_admin' : 'member', tokenHash: sha256(linkToken(secret, id, 0)),
        invitedBy: k % 4 === 0 ? globexPeople[2]!.id : dana.id, trustedDomain: false, createdAt: created,
        expiresAt: new Date(created.getTime() + INVITATION_TTL_MS),
        revokedAt: state === 'revoked' ? new Date(created.getTime() + 3_600_000) : null,
      })
      await event(globex.id, dana.id, state === 'revoked' ? 'invitation.revoked' : 'invitation.created', email, ageMs / DAY)
    }
  }

  // Initech: Dana is a Member.  Umbrella: Dana is Billing Admin.  Sandbox: Dana alone.
  const initech = await createOrg(h, { name: 'Initech', ownerUserId: omar.id })
  await addMember(h, { orgId: initech.id, userId: dana.id, role: 'member' })
  await populate(initech.id, 'initech.test', 14, () => 'member')
  const umbrella = await createOrg(h, { name: 'Umbrella', ownerUserId: omar.id })
  await addMember(h, { orgId: umbrella.id, userId: dana.id, role: 'billing_admin' })
  await populate(umbrella.id, 'umbrella.test', 20, (i) => (i === 4 ? 'owner' : 'member'))
  const sandbox = await createOrg(h, { name: "Dana's Sandbox", ownerUserId: dana.id })
  await addMember(h, { orgId: sandbox.id, userId: (await createUser(h, { email: 'sam.tester@sandbox.test', displayName: 'Sam Tester', passwordHash })).id, role: 'member' })

  // Billing history for every organization: six monthly invoices and 30 days of usage.
  for (const [n, org] of [acme, globex, initech, umbrella, sandbox].entries()) {
    const monthly = 1200 + n * 850
    for (let m = 1; m <= 6; m++) {
      const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m, 1))
      const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m + 1, 0))
      await h.db.insert(invoices).values({
        id: `inv_${org.id.slice(0, 8)}_${m}`, orgId: org.id, periodStart: start.toISOString().slice(0, 10), periodEnd: end.toISOString().slice(0, 10),
        amountCents: monthly * 100 + m * 731, status: m === 1 ? 'open' : 'paid',
      })
    }
    await h.db.insert(usage).values(
      Array.from({ length: 30 }, (_, d) => ({
        orgId: org.id,
        day: new Date(now.getTime() - (30 - d) * DAY).toISOString().slice(0, 10),
        amountCents: Math.round((monthly / 30) * 100 * (0.7 + ((d * 37 + n * 11) % 60) / 100)),
      })),
    )
  }
}
