/**
 * Email over SMTP (issue 9): invitation, resend, reminder and verification messages reach a
 * real SMTP server (smtp-server) on 127.0.0.1 with text and HTML parts and working links;
 * an outage delays delivery but loses nothing; the emailed link proves the mailbox.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { outbox } from '../../src/server/db/schema'
import { createOrg, createUser } from '../../src/server/index'
import { createInvitationsResponseSchema, parseInvitationUrl, routes } from '../../src/shared/api'
import { startTestServer, type TestServer } from '../support/server'
import { startSmtp, type TestSmtp } from '../support/smtp'
import { client } from './client'

const HOUR = 3_600_000
let smtp: TestSmtp
let server: TestServer
let api: ReturnType<typeof client>
beforeAll(async () => {
  smtp = await startSmtp()
  server = await startTestServer({ mail: { smtpUrl: smtp.url, from: 'Org Admin <orgs@mail.test>' } })
  api = client(server)
})
afterAll(async () => {
  await server.close()
  await smtp.stop()
})

let seq = 0
async function ownOrg() {
  const n = seq++
  const owner = await createUser(server, { email: `owner${n}@mail-owners.test`, displayName: `Owner ${n}`, password: 'owner-password' })
  const org = await createOrg(server, { name: `Mail ${n}`, ownerUserId: owner.id })
  const signIn = async () => (await api.login(owner.email, 'owner-password')).accessToken
  return { orgId: org.id, token: await signIn(), signIn }
}
const invite = async (token: string, orgId: string, email: string) =>
  createInvitationsResponseSchema.parse((await api.call('POST', routes.invitations(orgId), { token, body: { emails: [email], role: 'member' } })).body).invited[0]!
const delivery = async (token: string, orgId: string, id: string) =>
  ((await api.call('GET', routes.invitations(orgId), { token })).body.items as { id: string; delivery: string }[]).find((i) => i.id === id)!.delivery
const mailTo = (to: string) => smtp.messages.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]!.address === to)
const linkIn = (text: string) => /https?:\/\/\S+/.exec(text)![0]

describe('invitation email', () => {
  it('arrives with text and HTML parts and a link that accepts the invitation and proves the address', async () => {
    const { orgId, token } = await ownOrg()
    const { invitation, link } = await invite(token, orgId, 'jo@guest.test')
    expect(invitation.delivery).toBe('queued')
    expect(await server.mailTick()).toEqual({ sent: 1, failed: 0 })
    expect(await delivery(token, orgId, invitation.id)).toBe('sent')

    const [mail] = mailTo('jo@guest.test')
    expect(mail!.from!.text).toContain('orgs@mail.test')
    expect(mail!.subject).toContain('You are invited to join Mail')
    expect(mail!.text).toContain('as Member')
    const url = linkIn(mail!.text!)
    expect(mail!.html).toContain(`href="${url}"`)
    // The emailed link is not the link the inviter can copy.
    expect(url).not.toBe(link.url)
    const emailed = parseInvitationUrl(url)!
    expect(emailed.baseUrl).toBe(server.url)
    expect((await api.call('GET', routes.invitationByToken(emailed.token))).body).toMatchObject({ email: 'jo@guest.test', status: 'pending' })
    const accepted = await api.call('POST', routes.acceptInvitation(emailed.token), { body: { password: 'jo-password', displayName: 'Jo' } })
    expect(accepted.status).toBe(200)
    expect((await api.call('GET', routes.me(), { token: accepted.body.tokens.accessToken })).body.emailVerified).toBe(true)
    // Delivered bodies are blanked: the one-time link does not stay in the database.
    const rows = await server.db.select().from(outbox).where(eq(outbox.invitationId, invitation.id))
    expect(rows.map((r) => [r.textBody, r.htmlBody])).toEqual([['', '']])
  })

  it('registering through the copied link leaves the address unverified', async () => {
    const { orgId, token } = await ownOrg()
    const { link } = await invite(token, orgId, 'kim@guest.test')
    const accepted = await api.call('POST', routes.acceptInvitation(parseInvitationUrl(link.url)!.token), { body: { password: 'kim-password', displayName: 'Kim' } })
    expect(accepted.status).toBe(200)
    expect((await api.call('GET', routes.me(), { token: accepted.body.tokens.accessToken })).body.emailVerified).toBe(false)
  })

  it('a mail server outage delays the invitation but never loses it', async () => {
    const { orgId, token, signIn } = await ownOrg()
    await server.mailTick() // earlier tests' mail goes out first
    await smtp.stop()
    const { invitation } = await invite(token, orgId, 'lou@guest.test')
    expect(await server.mailTick()).toEqual({ sent: 0, failed: 1 })
    expect(await delivery(token, orgId, invitation.id)).toBe('failed')
    const [row] = await server.db.select().from(outbox).where(eq(outbox.invitationId, invitation.id))
    expect(row).toMatchObject({ attempts: 1, sentAt: null })
    expect(row!.lastError).toBeTruthy()

    await smtp.start()
    // Not due yet: the retry waits its delay.
    expect(await server.mailTick()).toEqual({ sent: 0, failed: 0 })
    server.clock.advance(31_000)
    expect(await server.mailTick()).toEqual({ sent: 1, failed: 0 })
    expect(await delivery(await signIn(), orgId, invitation.id)).toBe('sent')
    const [mail] = mailTo('lou@guest.test')
    const emailed = parseInvitationUrl(linkIn(mail!.text!))!
    expect((await api.call('GET', routes.invitationByToken(emailed.token))).body.status).toBe('pending')
  })

  it('resend emails a new link; a reminder goes out once, 24 hours before expiry', async () => {
    const { orgId, token, signIn } = await ownOrg()
    const { invitation } = await invite(token, orgId, 'max@guest.test')
    await server.mailTick()
    const first = parseInvitationUrl(linkIn(mailTo('max@guest.test')[0]!.text!))!.token
    expect((await api.call('POST', routes.resend(orgId, invitation.id), { token })).status).toBe(200)
    await server.mailTick()
    const resent = mailTo('max@guest.test')[1]!
    expect(resent.subject).toMatch(/^Reminder: You are invited/)
    const second = parseInvitationUrl(linkIn(resent.text!))!.token
    expect((await api.call('GET', routes.invitationByToken(first))).body.error.code).toBe('not_found')
    expect((await api.call('GET', routes.invitationByToken(second))).body.status).toBe('pending')

    server.clock.advance(23 * HOUR)
    await server.mailTick()
    expect(mailTo('max@guest.test')).toHaveLength(2)
    server.clock.advance(1 * HOUR + 60_000)
    await server.mailTick()
    await server.mailTick()
    const reminders = mailTo('max@guest.test').filter((m) => m.subject!.includes('expires in 24 hours'))
    expect(reminders).toHaveLength(1)
    const reminded = parseInvitationUrl(linkIn(reminders[0]!.text!))!.token
    const accepted = await api.call('POST', routes.acceptInvitation(reminded), { body: { password: 'max-password', displayName: 'Max' } })
    expect(accepted.status).toBe(200)
    expect((await api.call('GET', routes.invitations(orgId), { token: await signIn() })).body.items[0].status).toBe('accepted')
  })

  it("the reminder carries the first email's link, so the link already in the inbox keeps working", async () => {
    const { orgId, token } = await ownOrg()
    await invite(token, orgId, 'ria@guest.test')
    await server.mailTick()
    const first = linkIn(mailTo('ria@guest.test')[0]!.text!)
    server.clock.advance(24 * HOUR + 60_000)
    await server.mailTick()
    await server.mailTick()
    const [reminder] = mailTo('ria@guest.test').filter((m) => m.subject!.includes('expires in 24 hours'))
    expect(linkIn(reminder!.text!)).toBe(first)
    const accepted = await api.call('POST', routes.acceptInvitation(parseInvitationUrl(first)!.token), { body: { password: 'ria-password', displayName: 'Ria' } })
    expect(accepted.status).toBe(200)
    // Accepting through the emailed link still proves the mailbox.
    expect((await api.call('GET', routes.me(), { token: accepted.body.tokens.accessToken })).body.emailVerified).toBe(true)
  })
})

describe('self sign-up with email verification', () => {
  const register = (email: string) =>
    api.call('POST', routes.register(), { body: { email, displayName: 'New Person', password: 'new-password' } })

  it('starts unverified and is verified by the emailed code, never by a wrong one', async () => {
    const r = await register('nia@self.test')
    expect(r.status).toBe(201)
    const token = r.body.accessToken
    expect((await api.call('GET', routes.me(), { token })).body.emailVerified).toBe(false)
    expect((await register('nia@self.test')).body.error.code).toBe('conflict')
    await server.mailTick()
    const [mail] = mailTo('nia@self.test')
    const code = /\b(\d{6})\b/.exec(mail!.subject!)![1]!
    expect(mail!.text).toContain(code)
    const wrong = await api.call('POST', routes.confirmEmail(), { token, body: { code: code === '000000' ? '111111' : '000000' } })
    expect(wrong.status).toBe(422)
    expect(wrong.body.error.code).toBe('verification_failed')
    const right = await api.call('POST', routes.confirmEmail(), { token, body: { code } })
    expect(right.body).toMatchObject({ email: 'nia@self.test', emailVerified: true })
  })

  it('is verified by the emailed link: the page asks, and only its button verifies', async () => {
    const r = await register('oz@self.test')
    const token = r.body.accessToken
    await server.mailTick()
    const url = linkIn(mailTo('oz@self.test')[0]!.text!)
    expect(url.startsWith(`${server.url}/verify-email?token=`)).toBe(true)
    const page = await fetch(url)
    expect(await page.text()).toContain('Verify my address')
    expect((await api.call('GET', routes.me(), { token })).body.emailVerified).toBe(false)
    const confirmed = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '' })
    expect(confirmed.status).toBe(200)
    expect(await confirmed.text()).toContain('is verified')
    expect((await api.call('GET', routes.me(), { token })).body.emailVerified).toBe(true)
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '' })).status).toBe(422)
  })

  it('limits how often codes are tried and sent', async () => {
    const token = (await register('pia@self.test')).body.accessToken
    const codes = []
    for (let i = 0; i < 11; i++) codes.push((await api.call('POST', routes.confirmEmail(), { token, body: { code: '999999' } })).body.error.code)
    expect(codes.at(-1)).toBe('rate_limited')
    const sends = []
    for (let i = 0; i < 6; i++) sends.push((await api.call('POST', routes.emailVerification(), { token })).status)
    expect(sends).toEqual([200, 200, 200, 200, 200, 429])
  })
})
