/**
 * Trusted domains that cannot be abused (issue 9): a domain counts only once its TXT record is
 * found by a real DNS server on loopback (or an operator approved it); public providers are
 * refused; nobody joins without accepting; unverified addresses are never "in the domain".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrg, createUser } from '../../src/server/index'
import { approveDomainAsOperator } from '../../src/server/services/domains'
import { createInvitationsResponseSchema, inboxSchema, parseInvitationUrl, routes, trustedDomainSchema } from '../../src/shared/api'
import { startDns, type TestDns } from '../support/dns'
import { startTestServer, type TestServer } from '../support/server'
import { client } from './client'

let dns: TestDns
let server: TestServer
let api: ReturnType<typeof client>
beforeAll(async () => {
  dns = await startDns()
  server = await startTestServer({ seed: true, dnsServer: dns.server })
  api = client(server)
})
afterAll(async () => {
  await server.close()
  await dns.close()
})

let seq = 0
/** A fresh organization with its own Owner, so tests do not share domains or seats. */
async function ownOrg(memberLimit?: number) {
  const n = seq++
  const owner = await createUser(server, { email: `owner${n}@owners.test`, displayName: `Owner ${n}`, password: 'owner-password' })
  const org = await createOrg(server, { name: `Domains ${n}`, ownerUserId: owner.id, memberLimit })
  return { orgId: org.id, token: (await api.login(owner.email, 'owner-password')).accessToken }
}
async function person(email: string, verified = true) {
  const u = await createUser(server, { email, displayName: email.split('@')[0]!, password: 'person-password', emailVerified: verified })
  return { ...u, token: async () => (await api.login(email, 'person-password')).accessToken }
}
const addDomain = (token: string, orgId: string, domain: string) => api.call('POST', routes.domains(orgId), { token, body: { domain } })
const verify = (token: string, orgId: string, domain: string) => api.call('POST', routes.verifyDomain(orgId, domain), { token })
async function verified(token: string, orgId: string, domain: string) {
  const added = trustedDomainSchema.parse((await addDomain(token, orgId, domain)).body)
  dns.txt.set(added.record.name, [added.record.value])
  expect((await verify(token, orgId, domain)).status).toBe(200)
}
const discover = async (token: string, orgId: string, q = '') => (await api.call('GET', `${routes.discoverable(orgId)}?q=${q}`, { token })).body.items as { email: string }[]
const memberEmails = async (token: string, orgId: string) =>
  ((await api.call('GET', `${routes.members(orgId)}?limit=1000`, { token })).body.items as { email: string }[]).map((m) => m.email)
const inbox = async (token: string) => inboxSchema.parse((await api.call('GET', routes.inbox(), { token })).body)

describe('adding and verifying a domain', () => {
  it('refuses public mailbox providers with a clear 4xx, from owners and operators alike', async () => {
    const { orgId, token } = await ownOrg()
    for (const domain of ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me', 'mail.gmail.com']) {
      const r = await addDomain(token, orgId, domain)
      expect(r.status).toBe(422)
      expect(r.body.error.code).toBe('public_domain')
      expect(r.body.error.message).toContain('public email provider')
    }
    await expect(approveDomainAsOperator(server.ctx, orgId, 'gmail.com')).rejects.toMatchObject({ code: 'public_domain' })
    expect((await api.call('GET', routes.domains(orgId), { token })).body.items).toEqual([])
  })

  it('adds a domain as pending and shows the TXT record to create', async () => {
    const { orgId, token } = await ownOrg()
    const r = await addDomain(token, orgId, 'Widgets.TEST')
    expect(r.status).toBe(201)
    const d = trustedDomainSchema.parse(r.body)
    expect(d).toMatchObject({ domain: 'widgets.test', status: 'pending', verifiedAt: null, enrollment: 'manual' })
    expect(d.record.name).toBe('_org-admin-challenge.widgets.test')
    expect(d.record.value).toMatch(/^org-admin-verification=[A-Za-z0-9_-]{20,}$/)
    expect((await addDomain(token, orgId, 'widgets.test')).body.error.code).toBe('conflict')
  })

  it('verifies only when the right TXT record is published, and says what the resolver answered', async () => {
    const { orgId, token } = await ownOrg()
    const other = await ownOrg()
    const d = trustedDomainSchema.parse((await addDomain(token, orgId, 'proof.test')).body)
    const theirs = trustedDomainSchema.parse((await addDomain(other.token, other.orgId, 'proof.test')).body)

    const none = await verify(token, orgId, 'proof.test')
    expect(none.status).toBe(422)
    expect(none.body.error.code).toBe('verification_failed')
    expect(none.body.error.message).toContain('no TXT record')
    expect(dns.questions).toContain('_org-admin-challenge.proof.test')

    // Another organization's value (or any other text) does not prove this one.
    dns.txt.set(d.record.name, [theirs.record.value, 'v=spf1 -all'])
    const wrong = await verify(token, orgId, 'proof.test')
    expect(wrong.body.error.code).toBe('verification_failed')
    expect(wrong.body.error.details.found).toEqual([theirs.record.value, 'v=spf1 -all'])
    expect((await api.call('GET', routes.domains(orgId), { token })).body.items[0].status).toBe('pending')

    dns.txt.set(d.record.name, [theirs.record.value, d.record.value])
    const ok = await verify(token, orgId, 'proof.test')
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ status: 'verified', verifiedBy: 'dns' })
    expect((await verify(other.token, other.orgId, 'proof.test')).status).toBe(200) // both values are published
  })

  it('lets only Owners verify and change enrollment', async () => {
    const { orgId, token } = await ownOrg()
    await verified(token, orgId, 'owners-only.test')
    const member = await person('plain@owners-only.test')
    await api.call('POST', routes.invitations(orgId), { token, body: { emails: [member.email], role: 'member' } })
    const memberToken = await member.token()
    const inv = (await inbox(memberToken)).invitations[0]!
    expect((await api.call('POST', routes.acceptMine(inv.id), { token: memberToken })).status).toBe(200)
    const r = await api.call('PATCH', routes.domain(orgId, 'owners-only.test'), { token: memberToken, body: { enrollment: 'automatic_invitation' } })
    expect(r.status).toBe(403)
    expect(r.body.error.code).toBe('forbidden')
    expect((await verify(memberToken, orgId, 'owners-only.test')).body.error.code).toBe('forbidden')
  })

  it('lets a server operator approve a domain without DNS; the seed approved acme.test', async () => {
    const { orgId, token } = await ownOrg()
    await approveDomainAsOperator(server.ctx, orgId, 'operator.test')
    expect((await api.call('GET', routes.domains(orgId), { token })).body.items[0]).toMatchObject({ domain: 'operator.test', status: 'verified', verifiedBy: 'operator' })
    const dana = (await api.login('admin@demo.test')).accessToken
    const acme = await api.orgId(dana, 'Acme Corp')
    expect((await api.call('GET', routes.domains(acme), { token: dana })).body.items[0]).toMatchObject({ domain: 'acme.test', status: 'verified' })
  })
})

describe('unverified domains have no effect', () => {
  it('another organization’s domain, added but unproven, discovers nobody and adds nobody', async () => {
    // The attack: an Owner adds umbrella.test to her own sandbox.
    const dana = (await api.login('admin@demo.test')).accessToken
    const sandbox = await api.orgId(dana, "Dana's Sandbox")
    expect((await addDomain(dana, sandbox, 'umbrella.test')).status).toBe(201)
    expect(await discover(dana, sandbox)).toEqual([])
    const target = 'zoe.smith@umbrella.test'
    await person(target)
    const r = createInvitationsResponseSchema.parse((await api.call('POST', routes.invitations(sandbox), { token: dana, body: { emails: [target], role: 'owner' } })).body)
    expect(r.invited[0]!.invitation).toMatchObject({ status: 'pending', trustedDomain: false })
    expect(await memberEmails(dana, sandbox)).not.toContain(target)
    const enroll = await api.call('PATCH', routes.domain(sandbox, 'umbrella.test'), { token: dana, body: { enrollment: 'automatic_invitation' } })
    expect(enroll.status).toBe(409)
    expect(enroll.body.error.code).toBe('domain_unverified')
  })
})

describe('consent: nobody becomes a member without accepting', () => {
  it('inviting an existing account in a verified domain, even as Owner, leaves it pending until that person accepts', async () => {
    const { orgId, token } = await ownOrg()
    await verified(token, orgId, 'consent.test')
    const ann = await person('ann@consent.test')
    expect((await discover(token, orgId)).map((u) => u.email)).toEqual(['ann@consent.test'])
    const r = createInvitationsResponseSchema.parse((await api.call('POST', routes.invitations(orgId), { token, body: { emails: [ann.email], role: 'owner' } })).body)
    expect(r.invited[0]!.invitation).toMatchObject({ email: ann.email, status: 'pending', trustedDomain: true })
    expect(await memberEmails(token, orgId)).not.toContain(ann.email)

    const annToken = await ann.token()
    const box = await inbox(annToken)
    expect(box.invitations.map((i) => [i.orgId, i.role])).toEqual([[orgId, 'owner']])
    expect((await api.call('POST', routes.acceptMine(box.invitations[0]!.id), { token: annToken })).body).toEqual({ orgId })
    expect(await memberEmails(token, orgId)).toContain(ann.email)
    expect((await api.call('POST', routes.acceptMine(box.invitations[0]!.id), { token: annToken })).body.error.code).toBe('invitation_not_pending')
  })

  it('declining from the inbox frees the seat and joins nobody', async () => {
    const { orgId, token } = await ownOrg(2)
    const bo = await person('bo@decline.test')
    await api.call('POST', routes.invitations(orgId), { token, body: { emails: [bo.email], role: 'member' } })
    const boToken = await bo.token()
    const [inv] = (await inbox(boToken)).invitations
    expect((await api.call('POST', routes.declineMine(inv!.id), { token: boToken })).status).toBe(200)
    expect((await api.call('GET', routes.invitations(orgId), { token })).body.items[0].status).toBe('declined')
    expect(await memberEmails(token, orgId)).not.toContain(bo.email)
    // The seat is free again: the cap of 2 (owner + one) admits a new invitation.
    const again = await api.call('POST', routes.invitations(orgId), { token, body: { emails: ['next@decline.test'], role: 'member' } })
    expect(again.body.invited).toHaveLength(1)
  })

  it('automatic invitation: verified people in the domain get a pending Member invitation, never a membership', async () => {
    const { orgId, token } = await ownOrg()
    const cy = await person('cy@auto.test')
    const unproven = await person('dee@auto.test', false)
    await verified(token, orgId, 'auto.test')
    const r = await api.call('PATCH', routes.domain(orgId, 'auto.test'), { token, body: { enrollment: 'automatic_invitation' } })
    expect(r.body.enrollment).toBe('automatic_invitation')
    const invs = (await api.call('GET', routes.invitations(orgId), { token })).body.items
    expect(invs.map((i: { email: string; role: string; automatic: boolean; status: string }) => [i.email, i.role, i.automatic, i.status])).toEqual([
      ['cy@auto.test', 'member', true, 'pending'],
    ])
    expect(await memberEmails(token, orgId)).not.toContain(cy.email)
    expect((await inbox(await cy.token())).invitations.map((i) => i.automatic)).toEqual([true])

    // An unverified address gets nothing until it proves the mailbox.
    const deeToken = await unproven.token()
    expect(await inbox(deeToken)).toEqual({ emailVerified: false, invitations: [], suggestions: [] })
    expect((await api.call('GET', routes.invitations(orgId), { token })).body.items).toHaveLength(1)
  })

  it('automatic suggestion: the person asks, an Owner approves within the cap', async () => {
    const { orgId, token } = await ownOrg(2)
    await verified(token, orgId, 'suggest.test')
    await api.call('PATCH', routes.domain(orgId, 'suggest.test'), { token, body: { enrollment: 'automatic_suggestion' } })
    const ed = await person('ed@suggest.test')
    const fay = await person('fay@suggest.test')
    const edToken = await ed.token()
    expect((await inbox(edToken)).suggestions).toEqual([{ orgId, orgName: expect.any(String), domain: 'suggest.test', requested: false }])
    expect(await memberEmails(token, orgId)).not.toContain(ed.email)
    expect((await api.call('POST', routes.requestToJoin(orgId), { token: edToken })).status).toBe(201)
    expect((await api.call('POST', routes.requestToJoin(orgId), { token: edToken })).body.error.code).toBe('conflict')
    expect((await inbox(edToken)).suggestions[0]!.requested).toBe(true)
    const fayToken = await fay.token()
    await api.call('POST', routes.requestToJoin(orgId), { token: fayToken })

    const requests = (await api.call('GET', routes.joinRequests(orgId), { token })).body.items
    expect(requests.map((q: { user: { email: string } }) => q.user.email)).toEqual([ed.email, fay.email])
    expect((await api.call('POST', routes.approveJoinRequest(orgId, requests[0].id), { token })).status).toBe(200)
    expect(await memberEmails(token, orgId)).toContain(ed.email)
    // Owner + Ed fill the cap of 2: Fay's request cannot be approved, and stays pending.
    const full = await api.call('POST', routes.approveJoinRequest(orgId, requests[1].id), { token })
    expect(full.body.error.code).toBe('cap_reached')
    expect((await api.call('GET', routes.joinRequests(orgId), { token })).body.items).toHaveLength(1)
    expect((await api.call('POST', routes.declineJoinRequest(orgId, requests[1].id), { token })).status).toBe(200)
    expect(await memberEmails(token, orgId)).not.toContain(fay.email)
  })
})

describe('verified addresses only', () => {
  it('a squatted address registered through a copied link is never treated as in the domain', async () => {
    // A plain account invites cfo@squat.test to her own organization, takes the link and registers it.
    const squatter = await ownOrg()
    const r = createInvitationsResponseSchema.parse(
      (await api.call('POST', routes.invitations(squatter.orgId), { token: squatter.token, body: { emails: ['cfo@squat.test'], role: 'member' } })).body,
    )
    const token = parseInvitationUrl(r.invited[0]!.link.url)!.token
    const accepted = await api.call('POST', routes.acceptInvitation(token), { body: { password: 'squatter-password', displayName: 'Not the CFO' } })
    expect(accepted.status).toBe(200)
    const squatToken = accepted.body.tokens.accessToken
    expect((await api.call('GET', routes.me(), { token: squatToken })).body.emailVerified).toBe(false)

    // The real organization verifies squat.test and invites cfo@ as Owner, with automatic invitation on.
    const real = await ownOrg()
    await verified(real.token, real.orgId, 'squat.test')
    await api.call('PATCH', routes.domain(real.orgId, 'squat.test'), { token: real.token, body: { enrollment: 'automatic_invitation' } })
    expect((await api.call('GET', routes.invitations(real.orgId), { token: real.token })).body.items).toEqual([])
    expect(await discover(real.token, real.orgId)).toEqual([])
    const inv = createInvitationsResponseSchema.parse(
      (await api.call('POST', routes.invitations(real.orgId), { token: real.token, body: { emails: ['cfo@squat.test'], role: 'owner' } })).body,
    ).invited[0]!.invitation
    expect(await memberEmails(real.token, real.orgId)).not.toContain('cfo@squat.test')
    expect(await inbox(squatToken)).toEqual({ emailVerified: false, invitations: [], suggestions: [] })
    const grab = await api.call('POST', routes.acceptMine(inv.id), { token: squatToken })
    expect(grab.status).toBe(403)
    expect(grab.body.error.code).toBe('email_unverified')
    expect(await memberEmails(real.token, real.orgId)).not.toContain('cfo@squat.test')
  })
})

describe('discovery', () => {
  it('lists name and email only, of verified addresses in verified domains, and is rate-limited', async () => {
    const { orgId, token } = await ownOrg()
    await verified(token, orgId, 'disco.test')
    await person('gus@disco.test')
    await person('hal@disco.test', false)
    await person('ivy@sub.disco.test')
    const r = await api.call('GET', `${routes.discoverable(orgId)}?q=`, { token })
    expect(r.body.items).toEqual([{ email: 'gus@disco.test', displayName: 'gus' }])
    let limited
    for (let i = 0; i < 70 && !limited; i++) {
      const x = await api.call('GET', `${routes.discoverable(orgId)}?q=g`, { token })
      if (x.status !== 200) limited = x
    }
    expect(limited?.status).toBe(429)
    expect(limited?.body.error.code).toBe('rate_limited')
    server.clock.advance(61_000)
    expect((await api.call('GET', `${routes.discoverable(orgId)}?q=g`, { token })).status).toBe(200)
  })
})
