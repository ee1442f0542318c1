/**
 * Rules under requests fired at the same instant: on the embedded store, and on PostgreSQL
 * with two server processes sharing one database (requests alternate between them). Each
 * test asserts the invariant afterwards, read straight from the database.
 */
import { and, count, eq, isNull } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invitations, memberships, tokenFamilies, trustedDomains, users, workspaces } from '../../src/server/db/schema'
import { addMember, bulkMembers, createOrg, createUser } from '../../src/server/index'
import { hashPassword } from '../../src/server/services/crypto'
import { createInvitationsResponseSchema, parseInvitationUrl, routes } from '../../src/shared/api'
import { startCluster, type Cluster } from '../support/cluster'
import { client, containing } from './client'

const PASSWORD = 'race-password'
let cluster: Cluster
let passwordHash: string
let seq = 0
/** A client per server process; `on(i)` picks one so parallel requests land on both. */
let apis: ReturnType<typeof client>[]
const on = (i: number) => apis[i % apis.length]!

beforeAll(async () => {
  cluster = await startCluster()
  apis = cluster.urls.map((url) => client({ url }))
  passwordHash = await hashPassword(PASSWORD)
})
afterAll(() => cluster?.close())

const person = (tag: string) => {
  const n = seq++
  return createUser(cluster.server, { email: `${tag}${n}@race.test`, displayName: `${tag} ${n}`, passwordHash })
}
const db = () => cluster.server.db

async function owners(orgId: string): Promise<number> {
  const [row] = await db()
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner'), isNull(memberships.removedAt)))
  return row!.n
}

/** Members plus pending invitations, as the cap counts them (every invitation here is fresh). */
async function seatsTaken(orgId: string): Promise<number> {
  const [m] = await db().select({ n: count() }).from(memberships).where(and(eq(memberships.orgId, orgId), isNull(memberships.removedAt)))
  const [i] = await db()
    .select({ n: count() })
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
  return m!.n + i!.n
}

describe('the last Owner, two Owners acting at once', () => {
  type Act = (orgId: string, me: { id: string; token: string }, other: { id: string }) => [string, string, { role: string }?]
  const demote: Act = (orgId, _me, other) => ['PATCH', routes.member(orgId, other.id), { role: 'member' }]
  const remove: Act = (orgId, _me, other) => ['DELETE', routes.member(orgId, other.id)]
  const leave: Act = (orgId) => ['POST', routes.leave(orgId)]
  const acts = { demote, remove, leave }
  const pairs = Object.keys(acts).flatMap((a) => Object.keys(acts).map((b) => [a, b] as [keyof typeof acts, keyof typeof acts]))

  it('20 rounds of demote / remove / leave against each other never leave an organization without an Owner', async () => {
    const [a, b] = await Promise.all([person('owner-a'), person('owner-b')])
    const [ta, tb] = await Promise.all([on(0).login(a.email, PASSWORD), on(1).login(b.email, PASSWORD)])
    const me = [{ id: a.id, token: ta.accessToken }, { id: b.id, token: tb.accessToken }]
    for (let round = 0; round < 20; round++) {
      const [actA, actB] = pairs[round % pairs.length]!
      const org = await createOrg(cluster.server, { name: `Race ${round}`, ownerUserId: a.id })
      await addMember(cluster.server, { orgId: org.id, userId: b.id, role: 'owner' })
      const replies = await Promise.all(
        ([[acts[actA], 0], [acts[actB], 1]] as const).map(([act, i]) => {
          const [method, path, body] = act(org.id, me[i]!, me[1 - i]!)
          return on(i).call(method, path, { token: me[i]!.token, body })
        }),
      )
      const label = `round ${round}: ${actA} vs ${actB} → ${replies.map((r) => `${r.status} ${r.body?.error?.code ?? ''}`).join(', ')}`
      // One of the two always goes through (a demoted Owner may still leave as a Member), never both Owners.
      expect(await owners(org.id), label).toBe(1)
      expect(replies.some((r) => r.status === 200), label).toBe(true)
      for (const r of replies.filter((x) => x.status !== 200)) {
        // Refused by the guard, or because the other's change already took the actor's role or membership.
        expect(['last_owner', 'forbidden', 'not_found'], label).toContain(r.body.error.code)
      }
    }
  })
})

describe('the seat cap under concurrent invitations', () => {
  async function orgWithFreeSeats(free: number) {
    const owner = await person('cap-owner')
    const org = await createOrg(cluster.server, { name: `Cap ${seq++}`, ownerUserId: owner.id, memberLimit: 1 + free })
    const token = (await on(0).login(owner.email, PASSWORD)).accessToken
    return { orgId: org.id, token, limit: 1 + free }
  }
  const invite = (i: number, token: string, orgId: string, emails: string[]) =>
    on(i).call('POST', routes.invitations(orgId), { token, body: { emails, role: 'member' } })

  // Since issue 9 nobody joins without accepting: addresses with an account in a verified domain get a pending invitation too.
  it('12 single-address invitations (half of them to existing accounts in a verified domain) fill 3 free seats, no more', async () => {
    const { orgId, token, limit } = await orgWithFreeSeats(3)
    const now = cluster.server.clock.now()
    await db().insert(trustedDomains).values({ orgId, domain: `t${seq}.race.test`, createdAt: now, verifiedAt: now, verifiedBy: 'operator' })
    const emails: string[] = []
    for (let i = 0; i < 12; i++) {
      const email = i % 2 ? `known${i}@t${seq}.race.test` : `new${i}.${seq}@race.test`
      if (i % 2) await createUser(cluster.server, { email, displayName: `Known ${i}`, passwordHash })
      emails.push(email)
    }
    const replies = await Promise.all(emails.map((e, i) => invite(i, token, orgId, [e])))
    const bodies = replies.map((r) => createInvitationsResponseSchema.parse(r.body))
    expect(bodies.reduce((n, b) => n + b.invited.length, 0)).toBe(3)
    expect(bodies.flatMap((b) => b.rejected.map((x) => x.reason))).toEqual(Array(9).fill('cap_reached'))
    expect(await seatsTaken(orgId)).toBe(limit)
  })

  it('4 multi-address invitations of 4 addresses each fill 3 free seats, no more', async () => {
    const { orgId, token, limit } = await orgWithFreeSeats(3)
    const replies = await Promise.all(
      [0, 1, 2, 3].map((k) => invite(k, token, orgId, [0, 1, 2, 3].map((j) => `multi${k}.${j}.${seq}@race.test`))),
    )
    const bodies = replies.map((r) => createInvitationsResponseSchema.parse(r.body))
    expect(bodies.reduce((n, b) => n + b.invited.length, 0)).toBe(3)
    expect(await seatsTaken(orgId)).toBe(limit)
  })
})

describe('one invitation token, used in parallel', () => {
  async function invitationFor(email: string) {
    const owner = await person('inv-owner')
    const org = await createOrg(cluster.server, { name: `Token ${seq++}`, ownerUserId: owner.id })
    const token = (await on(0).login(owner.email, PASSWORD)).accessToken
    const r = createInvitationsResponseSchema.parse((await on(1).call('POST', routes.invitations(org.id), { token, body: { emails: [email], role: 'member' } })).body)
    return { orgId: org.id, link: parseInvitationUrl(r.invited[0]!.link.url)!.token }
  }

  it('5 accepts by an existing account: one membership, one session, four 409s', async () => {
    const invitee = await person('existing')
    const { orgId, link } = await invitationFor(invitee.email)
    const replies = await Promise.all([0, 1, 2, 3, 4].map((i) => on(i).call('POST', routes.acceptInvitation(link), { body: { password: PASSWORD } })))
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1)
    for (const r of replies.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409)
      expect(r.body.error.code).toBe('invitation_not_pending')
    }
    const joined = await db().select().from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, invitee.id)))
    expect(joined).toHaveLength(1)
    expect(await db().select().from(tokenFamilies).where(eq(tokenFamilies.userId, invitee.id))).toHaveLength(1)
  })

  it('5 registrations: one 200 and four clear 409s, one account', async () => {
    const email = `newcomer${seq++}@race.test`
    const { orgId, link } = await invitationFor(email)
    const replies = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => on(i).call('POST', routes.acceptInvitation(link), { body: { password: PASSWORD, displayName: `Racer ${i}` } })),
    )
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409])
    for (const r of replies.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('invitation_not_pending')
    expect(await db().select().from(users).where(eq(users.email, email))).toHaveLength(1)
    const [member] = await db().select().from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.email, email)))
    expect(member).toBeDefined()
  })
})

describe('the sign-in limit under parallel guesses', () => {
  it('30 parallel wrong passwords: at most 10 are evaluated, the rest are refused before any check', async () => {
    const target = await person('guessed')
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => on(i).call('POST', routes.login(), { body: { email: target.email, password: `wrong-${i}` } })),
    )
    const evaluated = replies.filter((r) => r.status === 401)
    expect(evaluated.every((r) => r.body.error.code === 'invalid_credentials')).toBe(true)
    expect(evaluated.length).toBe(10)
    const limited = replies.filter((r) => r.status === 429)
    expect(limited).toHaveLength(20)
    expect(limited.every((r) => r.body.error.code === 'rate_limited' && r.body.error.details.scope === 'account')).toBe(true)
    // The right password is refused too while the window lasts, on either process.
    const right = await on(1).call('POST', routes.login(), { body: { email: target.email, password: PASSWORD } })
    expect(right.body.error.code).toBe('rate_limited')
  })
})

describe('workspaces, two Owners at once', () => {
  it('one name created twice at the same instant: one 201, one 409; a restore racing a create of its name likewise', async () => {
    const [a, b] = await Promise.all([person('ws-a'), person('ws-b')])
    const org = await createOrg(cluster.server, { name: `Ws race ${seq++}`, ownerUserId: a.id })
    await addMember(cluster.server, { orgId: org.id, userId: b.id, role: 'owner' })
    const tokens = [(await on(0).login(a.email, PASSWORD)).accessToken, (await on(1).login(b.email, PASSWORD)).accessToken]
    const both = (path: (i: number) => [string, string, unknown?]) =>
      Promise.all([0, 1].map((i) => { const [m, p, body] = path(i); return on(i).call(m, p, { token: tokens[i], body }) }))
    for (let round = 0; round < 5; round++) {
      const name = `Shared ${round}`
      const created = await both((i) => ['POST', routes.workspaces(org.id), { name: i ? name.toUpperCase() : name }])
      expect(created.map((r) => r.status).sort(), JSON.stringify(created.map((r) => r.body))).toEqual([201, 409])
      expect(created.find((r) => r.status === 409)!.body.error.code).toBe('workspace_name_taken')
      const live = await db().select().from(workspaces).where(and(eq(workspaces.orgId, org.id), isNull(workspaces.deletedAt)))
      expect(live.filter((w) => w.name.toLowerCase() === name.toLowerCase())).toHaveLength(1)
      // Bin it, then restore it while the other Owner creates its name again: exactly one wins.
      const id = created.find((r) => r.status === 201)!.body.id
      await on(0).call('DELETE', routes.workspace(org.id, id), { token: tokens[0] })
      const raced = await both((i) => (i ? ['POST', routes.workspaces(org.id), { name }] : ['POST', routes.restoreWorkspace(org.id, id)]))
      const outcome = raced.map((r) => (r.status === 409 ? r.body.error.code : r.status))
      expect(outcome.filter((o) => o === 'workspace_name_taken'), JSON.stringify(outcome)).toHaveLength(1)
      expect(outcome.filter((o) => o === 200 || o === 201), JSON.stringify(outcome)).toHaveLength(1)
    }
  })
})

describe('the member and Owner counts the organization list shows, and a short search\'s total', () => {
  async function counted(orgId: string) {
    const [m] = await db().select({ n: count() }).from(memberships).where(and(eq(memberships.orgId, orgId), isNull(memberships.removedAt)))
    return { memberCount: m!.n, ownerCount: await owners(orgId) }
  }

  it('stay exact while removals, role changes, leaving, re-adding and a bulk import land at once', async () => {
    const owner = await person('count-owner')
    const org = await createOrg(cluster.server, { name: `Counts ${seq++}`, ownerUserId: owner.id })
    const people = await Promise.all(Array.from({ length: 24 }, () => person('counted')))
    for (const p of people) await addMember(cluster.server, { orgId: org.id, userId: p.id, role: 'member' })
    const token = (await on(0).login(owner.email, PASSWORD)).accessToken
    const leavers = await Promise.all(people.slice(16, 20).map((p, i) => on(i).login(p.email, PASSWORD)))
    await Promise.all(people.slice(20).map((p) => on(0).call('DELETE', routes.member(org.id, p.id), { token })))

    const replies = await Promise.all([
      ...people.slice(0, 8).map((p, i) => on(i).call('DELETE', routes.member(org.id, p.id), { token })),
      ...people.slice(8, 16).map((p, i) => on(i).call('PATCH', routes.member(org.id, p.id), { token, body: { role: i % 2 ? 'owner' : 'billing_admin' } })),
      ...leavers.map((t, i) => on(i).call('POST', routes.leave(org.id), { token: t.accessToken })),
    ])
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200))
    await Promise.all([
      ...people.slice(20).map((p, i) => addMember(cluster.server, { orgId: org.id, userId: p.id, role: i % 2 ? 'owner' : 'member' })),
      bulkMembers(cluster.server, { orgId: org.id, count: 1500 }),
    ])

    const expected = await counted(org.id)
    // The Owner, 8 with changed roles (4 now Owners), 4 re-added (2 Owners), the import.
    expect(expected).toEqual({ memberCount: 1 + 8 + 4 + 1500, ownerCount: 1 + 4 + 2 })
    for (const api of apis) {
      const detail = await api.call('GET', routes.org(org.id), { token })
      expect(detail.body).toMatchObject(expected)
      const list = await api.call('GET', routes.orgs(), { token })
      expect(list.body.items.find((o: { id: string }) => o.id === org.id)).toMatchObject(expected)
    }

    // So do the kept counts that answer a one- or two-character search's total (migrations 0013 / 0014).
    const members = await db()
      .select({ email: memberships.email, displayName: memberships.displayName })
      .from(memberships)
      .where(and(eq(memberships.orgId, org.id), isNull(memberships.removedAt)))
    for (const [i, term] of ['c', 'Co', 'ed', 'r', '0', '9', '@', 'nt', 'zq'].entries()) {
      const page = await on(i).call('GET', `${routes.members(org.id)}?limit=1&q=${term}`, { token })
      expect(page.body.total, term).toBe(containing(members, term).length)
    }
  })
})
