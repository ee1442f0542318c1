/**
 * Issue 9 in the app: verify a domain against a real DNS server on 127.0.0.1, choose its
 * enrollment mode, see the invitation's delivery state, and accept from the inbox.
 */
import type { Page } from '@playwright/test'
import { createUser } from '../../src/server/index'
import { routes, trustedDomainSchema } from '../../src/shared/api'
import { client } from '../server/client'
import { startDns, type TestDns } from '../support/dns'
import { startTestServer } from '../support/server'
import { DEMO_OWNER2, expect, screenshot, test as base } from './fixtures'

const test = base.extend<{ dns: TestDns }>({
  // eslint-disable-next-line no-empty-pattern
  dns: async ({}, use) => {
    const dns = await startDns()
    await use(dns)
    await dns.close()
  },
  server: async ({ dns }, use) => {
    const server = await startTestServer({ seed: true, dnsServer: dns.server })
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
  await server.mailTick() // no mail transport in this server: it stays queued, never lost
  await expect(row).toContainText('trusted domain')
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
