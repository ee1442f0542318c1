/**
 * Issue 11 (organization lifecycle) and issue 9 (requests to join) in the app: create an
 * organization, edit its settings, delete it with its name typed; the only Owner hands off and
 * leaves; a person asks to join from their inbox and an Owner approves.
 */
import type { Page } from '@playwright/test'
import { routes } from '../../src/shared/api'
import { createUser } from '../../src/server/index'
import { client } from '../server/client'
import { DEMO_ADMIN, expect, screenshot, test } from './fixtures'

const nav = (app: Page, page: string) => app.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: page, exact: true }).click()
const sidebarOrg = (app: Page, name: string) => app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: new RegExp(`^${name}`) })
async function shots(app: Page, name: string) {
  await screenshot(app, `${name}-1280`)
  await app.setViewportSize({ width: 900, height: 600 })
  await screenshot(app, `${name}-900`)
  await app.setViewportSize({ width: 1280, height: 800 })
}

test('create an organization, edit its settings, delete it with its name typed', async ({ app }) => {
  await nav(app, 'Organizations')
  await app.getByRole('button', { name: 'New organization…' }).click()
  const create = app.getByRole('dialog', { name: 'New organization' })
  await create.getByLabel('Name').fill('Blue Lake')
  await expect(create.getByLabel('Slug (optional)')).toHaveAttribute('placeholder', 'blue-lake')
  await shots(app, 'org-new')
  await create.getByRole('button', { name: 'Create organization' }).click()
  await expect(create).toHaveCount(0)
  // The new organization is selected, on its settings, with me as Owner.
  await expect(app.getByTestId('current-org')).toHaveText('Blue Lake')
  await expect(app.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
  await expect(app.getByText('1 of 100 seats used')).toBeVisible()

  const general = app.getByRole('form', { name: 'General' })
  await general.getByLabel('Name').fill('Blue Lagoon')
  await general.getByLabel('Slug').fill('Bad Slug')
  await expect(general.getByText('Use 1–48 lowercase letters')).toBeVisible()
  await expect(general.getByRole('button', { name: 'Save changes' })).toBeDisabled()
  await general.getByLabel('Slug').fill('blue-lagoon')
  await general.getByRole('button', { name: 'Save changes' }).click()
  await expect(general.getByRole('status')).toContainText('Settings saved.')
  await expect(sidebarOrg(app, 'Blue Lagoon')).toBeVisible()
  await shots(app, 'org-settings')

  await app.getByRole('button', { name: 'Delete organization…' }).click()
  const del = app.getByRole('dialog', { name: 'Delete Blue Lagoon?' })
  const confirm = del.getByRole('button', { name: 'Delete organization' })
  await expect(confirm).toBeDisabled()
  await del.getByLabel('Type Blue Lagoon to confirm').fill('blue lagoon')
  await expect(confirm).toBeDisabled()
  await del.getByLabel('Type Blue Lagoon to confirm').fill('Blue Lagoon')
  await shots(app, 'org-delete')
  await confirm.click()
  await expect(del).toHaveCount(0)
  await expect(app.getByRole('heading', { name: 'Organizations', level: 1 })).toBeVisible()
  await expect(sidebarOrg(app, 'Blue Lagoon')).toHaveCount(0)
  await expect(app.getByTestId('current-org')).not.toHaveText('Blue Lagoon')
})

test('a Member reads the settings but cannot change or delete them', async ({ app }) => {
  await sidebarOrg(app, 'Initech').click()
  await nav(app, 'Settings')
  const general = app.getByRole('region', { name: 'General' })
  await expect(general).toContainText('Only an Owner can change the organization settings.')
  await expect(app.getByRole('textbox')).toHaveCount(0)
  await expect(app.getByRole('button', { name: 'Delete organization…' })).toHaveCount(0)
  await shots(app, 'org-settings-member')
})

test('the only Owner hands Globex to a member, then leaves', async ({ app }) => {
  await nav(app, 'Organizations')
  const globex = app.getByRole('row', { name: 'Globex' })
  await expect(globex).toContainText('You are the only Owner of Globex')
  await globex.getByRole('button', { name: 'Hand off and leave Globex' }).click()
  const dialog = app.getByRole('dialog', { name: 'Hand off Globex and leave' })
  await expect(dialog.getByRole('button', { name: 'Choose the new Owner' })).toBeDisabled()
  await dialog.getByLabel('New Owner', { exact: true }).selectOption({ index: 1 })
  const go = dialog.getByRole('button', { name: /^Make .* an Owner, then leave$/ })
  await expect(go).toBeEnabled()
  await shots(app, 'org-handoff')
  await go.click()
  await expect(dialog).toHaveCount(0)
  await expect(app.getByRole('row', { name: 'Globex' })).toHaveCount(0)
  await expect(sidebarOrg(app, 'Globex')).toHaveCount(0)
})

test('a person asks to join from their inbox; the Owner approves and they are a member', async ({ app, server, harness }) => {
  const api = client(server)
  const dana = (await api.login(DEMO_ADMIN.email)).accessToken
  const acme = await api.orgId(dana, 'Acme Corp')
  // acme.test is verified in the seed; suggest Acme to people with a verified address there.
  expect((await api.call('PATCH', routes.domain(acme, 'acme.test'), { token: dana, body: { enrollment: 'automatic_suggestion' } })).status).toBe(200)
  await createUser(server, { email: 'rae@acme.test', displayName: 'Rae Asker', password: 'rae-password' })
  const added = await harness.call('accounts.add', { baseUrl: server.url, email: 'rae@acme.test', password: 'rae-password' })
  expect(added.ok).toBe(true)

  await app.reload()
  await nav(app, 'Inbox')
  const inbox = app.getByRole('article', { name: 'Inbox of rae@acme.test' })
  const suggestion = inbox.getByRole('listitem', { name: 'Suggestion: Acme Corp' })
  await suggestion.getByRole('button', { name: 'Ask to join' }).click()
  await expect(suggestion).toContainText('Request sent')

  await sidebarOrg(app, 'Acme Corp').first().click()
  await nav(app, 'Invitations')
  const requests = app.getByRole('region', { name: /Requests to join/ })
  await expect(requests.getByRole('row', { name: 'rae@acme.test' })).toBeVisible()
  await shots(app, 'join-requests')
  await requests.getByRole('button', { name: 'Decline rae@acme.test' }).click()
  const decline = app.getByRole('dialog', { name: "Decline Rae Asker's request?" })
  await expect(decline.getByRole('button', { name: 'Cancel' })).toBeVisible()
  await decline.getByRole('button', { name: 'Cancel' }).click()
  await requests.getByRole('button', { name: 'Approve rae@acme.test' }).click()
  await expect(requests.getByRole('row', { name: 'rae@acme.test' })).toHaveCount(0)
  await nav(app, 'Members')
  await app.getByLabel('Search members').fill('rae@acme.test')
  await expect(app.getByRole('table', { name: 'Members of Acme Corp' })).toContainText('Rae Asker')
})

test('an organization deleted elsewhere: the app leaves it for another one', async ({ app, server }) => {
  await expect(app.getByTestId('current-org')).toHaveText('Acme Corp')
  const api = client(server)
  const owner2 = (await api.login('owner2@demo.test')).accessToken
  const acme = await api.orgId(owner2, 'Acme Corp')
  expect((await api.call('DELETE', routes.org(acme), { token: owner2, body: { confirmName: 'Acme Corp' } })).status).toBe(200)
  // The next look at Acme answers 404: main drops it, and the shell selects another organization.
  await nav(app, 'Invitations')
  await expect(app.getByTestId('current-org')).not.toHaveText('Acme Corp', { timeout: 15_000 })
  await expect(sidebarOrg(app, 'Acme Corp')).toHaveCount(0)
})
