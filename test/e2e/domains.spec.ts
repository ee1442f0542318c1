/**
 * Issue 9 in the app: verify a domain against a real DNS server on 127.0.0.1, choose its
 * enrollment mode, see the invitation's delivery state (real SMTP server on 127.0.0.1),
 * accept from the inbox, and sign up with the emailed code.
 */
import type { Page } from '@playwright/test'
import { createUser } from '../../src/server/index'
import { routes, trustedDomainSchema } from '../../src/shared/api'
import { client } from '../server/client'
import { startDns, type TestDns } from '../support/dns'
import { startTestServer } from '../support/server'
import { startSmtp, type TestSmtp } from '../support/smtp'
import { DEMO_OWNER2, expect, screenshot, test as base } from './fixtures'

const test = base.extend<{ dns: TestDns; smtp: TestSmtp }>({
  // eslint-disable-next-line no-empty-pattern
  dns: async ({}, use) => {
    const dns = await startDns()
    await use(dns)
    await dns.close()
  },
  // eslint-disable-next-line no-empty-pattern
  smtp: async ({}, use) => {
    const smtp = await startSmtp()
    await use(smtp)
    await smtp.stop()
  },
  server: async ({ dns, smtp }, use) => {
    const server = await startTestServer({ seed: true, dnsServer: dns.server, mail: { smtpUrl: smtp.url } })
    await use(server)
    await server.close()
  },
})

const openOrg = (app: Page, name: string) =>
  app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: new RegExp(`^${name}`) }).click()
const nav = (app: Page, page: string) => app.getByRole('button', { name: page, exact: true }).click()

async function shots(app: Page, name: string) {
  await screenshot(app, `${name}-1280`)
  await app.setViewportSize({ width: 900, height: 600 })
  await screenshot(app, `${name}-900`)
  await app.setViewportSize({ width: 1280, height: 800 })
}

test('an Owner verifies a domain through its TXT record and chooses automatic invitation', async ({ app, dns, server }) => {
  await nav(app, 'Trusted domains')
  await expect(app.getByRole('article', { name: 'acme.test' })).toContainText('Verified')
  await app.getByLabel('Domain', { exact: true }).fill('newco.test')
  await app.getByRole('button', { name: 'Add domain' }).click()
  const card = app.getByRole('article', { name: 'newco.test' })
  await expect(card).toContainText('Pending')
  await expect(card).toContainText('_org-admin-challenge.newco.test')

  // Not published yet: the resolver's answer is shown.
  await card.getByRole('button', { name: 'Verify now' }).click()
  await expect(card.getByRole('alert')).toContainText('it has no TXT record')
  await shots(app, 'domain-pending')

  const api = client(server)
  const dana = (await api.login('admin@demo.test')).accessToken
  const acme = await api.orgId(dana, 'Acme Corp')
  const listed = (await api.call('GET', routes.domains(acme), { token: dana })).body.items.map((d: unknown) => trustedDomainSchema.parse(d))
  const record = listed.find((d: { domain: string }) => d.domain === 'newco.test')!.record
  dns.txt.set(record.name, [record.value])
  await card.getByRole('button', { name: 'Verify now' }).click()
  await expect(card).toContainText('Verified')
  await expect(card).toContainText('through DNS')

  // A verified person in the domain gets an automatic, emailed invitation, not a membership.
  await createUser(server, { email: 'pat@newco.test', displayName: 'Pat Newco', password: 'pat-password' })
  await card.getByLabel('Enrollment').selectOption('automatic_invitation')
  await expect(card).toContainText('They still accept it.')
  await shots(app, 'domain-verified')
  await nav(app, 'Invitations')
  const row = app.getByRole('row', { name: 'pat@newco.test' })
  await expect(row).toContainText('email queued')
  await expect(row).toContainText('trusted domain')
  await server.mailTick()
  // main serves a list fetched less than 2 s ago from its cache without asking again, so the
  // page may need another reload before it shows what the sender did.
  await expect(async () => {
    await app.reload()
    await expect(app.getByRole('row', { name: 'pat@newco.test' })).toContainText('email sent', { timeout: 2_500 })
  }).toPass({ timeout: 20_000 })
  await shots(app, 'invitations-delivery')
})

test.describe('inbox', () => {
  test.use({ signedInAs: DEMO_OWNER2 })

  test('a person accepts an invitation from the inbox, without a link', async ({ app, server }) => {
    const api = client(server)
    const dana = (await api.login('admin@demo.test')).accessToken
    const sandbox = await api.orgId(dana, "Dana's Sandbox")
    await api.call('POST', routes.invitations(sandbox), { token: dana, body: { emails: [DEMO_OWNER2.email], role: 'billing_admin' } })

    await expect(app.getByRole('navigation', { name: 'Organizations' })).not.toContainText("Dana's Sandbox")
    await nav(app, 'Inbox')
    const item = app.getByRole('listitem', { name: "Invitation to Dana's Sandbox" })
    await expect(item).toContainText('invites you as Billing Admin')
    await expect(item).toContainText('from Dana Admin')
    await shots(app, 'inbox')
    await item.getByRole('button', { name: 'Accept' }).click()
    await expect(item).toHaveCount(0)
    await expect(app.getByRole('navigation', { name: 'Organizations' })).toContainText("Dana's Sandbox")
  })
})

test.describe('sign-up', () => {
  test.use({ signedInAs: null })

  test('a new person signs up and verifies the address with the code emailed over SMTP', async ({ app, server, smtp }) => {
    await app.getByRole('button', { name: 'New here? Create an account' }).click()
    const form = app.getByRole('form', { name: 'Add account' })
    await form.getByLabel('Server URL').fill(server.url)
    await form.getByLabel('Your name').fill('Quinn New')
    await form.getByLabel('Email').fill('quinn@fresh.test')
    await form.getByLabel('Password', { exact: true }).fill('quinn-password')
    await form.getByRole('button', { name: 'Create account' }).click()

    const verify = app.getByRole('form', { name: 'Verify quinn@fresh.test' })
    await expect(verify).toBeVisible()
    await verify.getByLabel('Verification code').fill('000000')
    await verify.getByRole('button', { name: 'Verify' }).click()
    await expect(verify.getByRole('alert')).toContainText('code is not right')

    await server.mailTick()
    const mail = smtp.messages.find((m) => m.subject?.includes('verification code'))!
    const code = /\b(\d{6})\b/.exec(mail.subject!)![1]!
    await verify.getByLabel('Verification code').fill(code)
    await shots(app, 'verify-email')
    await verify.getByRole('button', { name: 'Verify' }).click()
    await expect(app.getByRole('article', { name: 'Inbox of quinn@fresh.test' })).toContainText('Nothing waiting for you.')
  })
})
