/** Invitations: several emails with one role, rejections, the 100-user cap, 48 h expiry, revoke, resend, link, accept. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invitations } from '../../src/server/db/schema'
import { addMember, createOrg, createUser } from '../../src/server/index'
import { createInvitationsResponseSchema, parseInvitationUrl, routes } from '../../src/shared/api'
import { startTestServer, type TestServer } from '../support/server'
import { client, seeded } from './client'

const HOUR = 3_600_000
let server: TestServer
let api: ReturnType<typeof client>
let dana: string
let acme: string
beforeAll(async () => void ({ server, api, dana, acme } = await seeded()))
afterAll(() => server.close())

let seq = 0
async function ownOrg(memberLimit?: number) {
  const n = seq++
  const owner = await createUser(server, { email: `owner${n}@inv.test`, displayName: `Owner ${n}`, password: 'owner-password' })
  const org = await createOrg(server, { name: `Invites ${n}`, ownerUserId: owner.id, memberLimit })
  // Tests move the clock by hours: sign in again (access tokens last 15 minutes).
  const signIn = async () => (await api.login(owner.email, 'owner-password')).accessToken
  return { orgId: org.id, token: await signIn(), signIn }
}
const invite = async (token: string, orgId: string, emails: string[], role = 'member') =>
  api.call('POST', routes.invitations(orgId), { token, body: { emails, role } })
const tokenOf = (url: string) => parseInvitationUrl(url)!.token
const list = async (token: string, orgId: string) => (await api.call('GET', routes.invitations(orgId), { token })).body.items as { email: string; status: string; id: string; expiresAt: string }[]

describe('creating invitations', () => {
  it('invites several emails with one role and explains every refusal', async () => {
    const r = await invite(dana, acme, ['New.One@Example.com', 'new.two@example.com', 'not-an-email', 'new.two@example.com', 'owner2@demo.test'], 'billing_admin')
    expect(r.status).toBe(201)
    const body = createInvitationsResponseSchema.parse(r.body)
    expect(body.invited.map((i) => [i.invitation.email, i.invitation.role, i.invitation.status])).toEqual([
      ['new.one@example.com', 'billing_admin', 'pending'],
      ['new.two@example.com', 'billing_admin', 'pending'],
    ])
    expect(body.rejected.map((x) => [x.email, x.reason])).toEqual([
      ['not-an-email', 'invalid_email'],
      ['new.two@example.com', 'duplicate'],
      ['owner2@demo.test', 'already_member'],
    ])
    const again = createInvitationsResponseSchema.parse((await invite(dana, acme, ['new.one@example.com'])).body)
    expect(again.rejected.map((x) => x.reason)).toEqual(['already_invited'])
  })

  it('lets Members and Billing Admins invite Members only', async () => {
    for (const org of ['Initech', 'Umbrella']) {
      const orgId = await api.orgId(dana, org)
      for (const role of ['owner', 'billing_admin']) {
        const r = await invite(dana, orgId, [`x.${role}@${org.toLowerCase()}.example`], role)
        expect(r.status).toBe(403)
        expect(r.body.error.message).toContain('only invite people as Member')
      }
      expect((await invite(dana, orgId, [`x@${org.toLowerCase()}.example`])).status).toBe(201)
    }
  })

  it('counts members and pending invitations toward the cap, per organization', async () => {
    const { orgId, token } = await ownOrg(4) // the owner takes one seat
    const first = createInvitationsResponseSchema.parse((await invite(token, orgId, ['a@cap.test', 'b@cap.test'])).body)
    expect(first.invited).toHaveLength(2)
    const second = createInvitationsResponseSchema.parse((await invite(token, orgId, ['c@cap.test', 'd@cap.test', 'e@cap.test'])).body)
    expect(second.invited.map((i) => i.invitation.email)).toEqual(['c@cap.test'])
    expect(second.rejected.map((x) => [x.email, x.reason])).toEqual([['d@cap.test', 'cap_reached'], ['e@cap.test', 'cap_reached']])
    expect(second.rejected[0]!.message).toMatch(/^d@cap\.test was not invited/)
    // A revoked invitation frees its seat.
    await api.call('DELETE', routes.invitation(orgId, first.invited[0]!.invitation.id), { token })
    expect(createInvitationsResponseSchema.parse((await invite(token, orgId, ['d@cap.test'])).body).invited).toHaveLength(1)
  })

  it('applies the default cap of 100 users', async () => {
    // Acme Corp has 92 members; earlier tests may have added pending invitations.
    const emails = Array.from({ length: 100 }, (_, i) => `bulk${i}@cap100.test`)
    const r = createInvitationsResponseSchema.parse((await invite(dana, acme, emails)).body)
    const org = (await api.call('GET', routes.org(acme), { token: dana })).body
    expect(org.memberCount + org.pendingInvitationCount).toBe(100)
    expect(r.rejected.every((x) => x.reason === 'cap_reached')).toBe(true)
    expect(r.invited.length + r.rejected.length).toBe(100)
  })

  it('does not count expired invitations against the cap', async () => {
    const { orgId, token, signIn } = await ownOrg(3)
    expect(createInvitationsResponseSchema.parse((await invite(token, orgId, ['x1@exp.cap', 'x2@exp.cap'])).body).invited).toHaveLength(2)
    expect(createInvitationsResponseSchema.parse((await invite(token, orgId, ['x3@exp.cap'])).body).rejected[0]!.reason).toBe('cap_reached')
    server.clock.advance(48 * HOUR)
    const later = createInvitationsResponseSchema.parse((await invite(await signIn(), orgId, ['x3@exp.cap', 'x4@exp.cap'])).body)
    expect(later.invited.map((i) => i.invitation.email)).toEqual(['x3@exp.cap', 'x4@exp.cap'])
  })

  it('resends an expired invitation only when a seat is free', async () => {
    const { orgId, token, signIn } = await ownOrg(2)
    const old = createInvitationsResponseSchema.parse((await invite(token, orgId, ['old@resend.cap'])).body).invited[0]!
    server.clock.advance(48 * HOUR)
    const fresh = await signIn()
    expect(createInvitationsResponseSchema.parse((await invite(fresh, orgId, ['new@resend.cap'])).body).invited).toHaveLength(1)
    const refused = await api.call('POST', routes.resend(orgId, old.invitation.id), { token: fresh })
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('cap_reached')
    expect((await list(fresh, orgId)).find((i) => i.email === 'old@resend.cap')!.status).toBe('expired')
    // A pending invitation holds its seat already, so resending it needs none.
    const pending = (await list(fresh, orgId)).find((i) => i.email === 'new@resend.cap')!
    expect((await api.call('POST', routes.resend(orgId, pending.id), { token: fresh })).status).toBe(200)
    // Once that seat is free again, the expired one is resent: pending, with a fresh 48 hours.
    expect((await api.call('DELETE', routes.invitation(orgId, pending.id), { token: fresh })).status).toBe(200)
    const resent = await api.call('POST', routes.resend(orgId, old.invitation.id), { token: fresh })
    expect(resent.status, JSON.stringify(resent.body)).toBe(200)
    expect((await list(fresh, orgId)).find((i) => i.email === 'old@resend.cap')!.status).toBe('pending')
  })
})

describe('the life of an invitation', () => {
  it('expires after 48 hours', async () => {
    const { orgId, token, signIn } = await ownOrg()
    const link = createInvitationsResponseSchema.parse((await invite(token, orgId, ['late@exp.test'])).body).invited[0]!.link
    server.clock.advance(48 * HOUR - 60_000)
    expect((await list(await signIn(), orgId))[0]!.status).toBe('pending')
    server.clock.advance(60_000)
    expect((await list(await signIn(), orgId))[0]!.status).toBe('expired')
    const accept = await api.call('POST', routes.acceptInvitation(tokenOf(link.url)), { body: { password: 'late-password', displayName: 'Late' } })
    expect(accept.status).toBe(409)
    expect(accept.body.error.code).toBe('invitation_not_pending')
  })

  it('resend replaces the link and gives 48 fresh hours; copying the link shows the one that was sent', async () => {
    const { orgId, token: first, signIn } = await ownOrg()
    const created = createInvitationsResponseSchema.parse((await invite(first, orgId, ['re@send.test'])).body).invited[0]!
    server.clock.advance(10 * HOUR)
    const token = await signIn()
    const resent = await api.call('POST', routes.resend(orgId, created.invitation.id), { token })
    expect(new Date(resent.body.expiresAt).getTime() - new Date(created.link.expiresAt).getTime()).toBe(10 * HOUR)
    expect((await api.call('GET', routes.invitationByToken(tokenOf(created.link.url)))).status).toBe(404)
    expect((await api.call('GET', routes.invitationByToken(tokenOf(resent.body.url)))).body.status).toBe('pending')

    // Copying (twice, as two admins might) never kills the link already sent.
    for (let i = 0; i < 2; i++) {
      const shared = await api.call('POST', routes.link(orgId, created.invitation.id), { token })
      expect(shared.body).toMatchObject({ url: resent.body.url, expiresAt: resent.body.expiresAt })
    }
    expect((await api.call('GET', routes.invitationByToken(tokenOf(resent.body.url)))).body).toMatchObject({ email: 're@send.test', status: 'pending' })
  })

  it('a revoked invitation cannot be accepted', async () => {
    const { orgId, token } = await ownOrg()
    const created = createInvitationsResponseSchema.parse((await invite(token, orgId, ['rev@oke.test'])).body).invited[0]!
    expect((await api.call('DELETE', routes.invitation(orgId, created.invitation.id), { token })).status).toBe(200)
    expect((await list(token, orgId))[0]!.status).toBe('revoked')
    const accept = await api.call('POST', routes.acceptInvitation(tokenOf(created.link.url)), { body: { password: 'password1', displayName: 'R' } })
    expect(accept.status).toBe(409)
    // Nor revoked again, resent or shared: each answers why, in the error shape.
    for (const [method, path] of [
      ['DELETE', routes.invitation(orgId, created.invitation.id)],
      ['POST', routes.resend(orgId, created.invitation.id)],
      ['POST', routes.link(orgId, created.invitation.id)],
    ] as const) {
      const r = await api.call(method, path, { token })
      expect({ path, status: r.status, code: r.body.error.code }).toEqual({ path, status: 409, code: 'invitation_not_pending' })
    }
  })

  it('accepting registers a new user once; an existing user signs in with their password', async () => {
    const { orgId, token } = await ownOrg()
    const res = createInvitationsResponseSchema.parse((await invite(token, orgId, ['joiner@acc.test', 'owner2@demo.test'])).body)
    const [joiner, omar] = res.invited.map((i) => tokenOf(i.link.url))
    const accepted = await api.call('POST', routes.acceptInvitation(joiner!), { body: { password: 'joiner-password', displayName: 'Jo Iner' } })
    expect(accepted.status).toBe(200)
    expect(accepted.body.orgId).toBe(orgId)
    // Refused by the single-use rule itself, not by the "already a member" guard.
    const again = await api.call('POST', routes.acceptInvitation(joiner!), { body: { password: 'joiner-password', displayName: 'Jo Iner' } })
    expect(again.status).toBe(409)
    expect(again.body.error).toMatchObject({ code: 'invitation_not_pending', details: { status: 'accepted' } })
    const session = await api.login('joiner@acc.test', 'joiner-password')
    const orgs = (await api.call('GET', routes.orgs(), { token: session.accessToken })).body.items
    expect(orgs.map((o: { id: string; myRole: string }) => [o.id, o.myRole])).toEqual([[orgId, 'member']])

    expect((await api.call('POST', routes.acceptInvitation(omar!), { body: { password: 'wrong-password' } })).status).toBe(401)
    expect((await api.call('POST', routes.acceptInvitation(omar!), { body: { password: 'demo-password' } })).status).toBe(200)
  })

  it('does not let an invitation change the role of someone who is already a member', async () => {
    const { orgId, token } = await ownOrg()
    const link = createInvitationsResponseSchema.parse((await invite(token, orgId, ['twice@acc.test'], 'owner')).body).invited[0]!.link
    // Meanwhile the same person joined as Member by other means.
    const user = await createUser(server, { email: 'twice@acc.test', displayName: 'Twice', password: 'twice-password' })
    await addMember(server, { orgId, userId: user.id, role: 'member' })
    const r = await api.call('POST', routes.acceptInvitation(tokenOf(link.url)), { body: { password: 'twice-password' } })
    expect(r.status).toBe(409)
    expect(r.body.error.code).toBe('conflict')
    const owners = await api.call('GET', `${routes.members(orgId)}?role=owner`, { token })
    expect(owners.body.items.map((m: { email: string }) => m.email)).not.toContain('twice@acc.test')
  })

  it('stores only a hash of each token', async () => {
    const { orgId, token } = await ownOrg()
    const link = createInvitationsResponseSchema.parse((await invite(token, orgId, ['hash@ed.test'])).body).invited[0]!.link
    const rows = await server.db.select().from(invitations)
    expect(JSON.stringify(rows)).not.toContain(link.token)
    expect(rows.some((r) => r.email === 'hash@ed.test')).toBe(true)
  })

  it('a Member may manage only the invitations they sent', async () => {
    const dana = (await api.login('admin@demo.test')).accessToken
    const initech = await api.orgId(dana, 'Initech')
    const omar = (await api.login('owner2@demo.test')).accessToken
    const byOmar = createInvitationsResponseSchema.parse((await invite(omar, initech, ['omars@guest.test'])).body).invited[0]!
    const byDana = createInvitationsResponseSchema.parse((await invite(dana, initech, ['danas@guest.test'])).body).invited[0]!
    expect((await api.call('POST', routes.resend(initech, byOmar.invitation.id), { token: dana })).status).toBe(403)
    expect((await api.call('DELETE', routes.invitation(initech, byOmar.invitation.id), { token: dana })).status).toBe(403)
    expect((await api.call('POST', routes.resend(initech, byDana.invitation.id), { token: dana })).status).toBe(200)
    expect((await api.call('DELETE', routes.invitation(initech, byDana.invitation.id), { token: omar })).status).toBe(200)
  })
})

describe('accepting with an existing account checks its password like sign-in does', () => {
  it('limits wrong passwords per account, shared with sign-in', async () => {
    const s = await startTestServer({ rateLimit: { maxFailuresPerAccount: 3 } })
    try {
      const a = client(s)
      const owner = await createUser(s, { email: 'o@limit.test', displayName: 'O', password: 'owner-password' })
      await createUser(s, { email: 'victim@limit.test', displayName: 'V', password: 'victim-password' })
      const org = await createOrg(s, { name: 'Limit', ownerUserId: owner.id })
      const token = (await a.login('o@limit.test', 'owner-password')).accessToken
      const r = await a.call('POST', routes.invitations(org.id), { token, body: { emails: ['victim@limit.test'], role: 'member' } })
      const link = tokenOf(createInvitationsResponseSchema.parse(r.body).invited[0]!.link.url)
      const guess = (password: string) => a.call('POST', routes.acceptInvitation(link), { body: { password } })
      for (let i = 0; i < 3; i++) expect((await guess(`wrong-guess-${i}`)).body.error.code).toBe('invalid_credentials')
      const limited = await guess('victim-password')
      expect(limited.status).toBe(429)
      expect(limited.body.error).toMatchObject({ code: 'rate_limited', details: { scope: 'account' } })
      // The same budget covers sign-in.
      const login = await a.call('POST', routes.login(), { body: { email: 'victim@limit.test', password: 'victim-password' } })
      expect(login.body.error.code).toBe('rate_limited')
    } finally {
      await s.close()
    }
  })
})
