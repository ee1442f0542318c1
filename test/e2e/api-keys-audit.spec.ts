/** API keys (create, copy once, revoke, sign in with one) and the audit log (filters, export), in Chromium. */
import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { expectAccessible } from './axe'
import { expect, screenshot, test } from './fixtures'

const nav = (app: Page, page: string) => app.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: page, exact: true }).click()

test('an Owner creates a key, sees it once, adds it as an account, and revokes it', async ({ app, server, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await nav(app, 'API keys')
  await app.getByRole('button', { name: 'Create API key' }).click()
  const create = app.getByRole('dialog', { name: 'Create API key' })
  await create.getByLabel('Name').fill('CI deploys')
  await expect(create.getByLabel('Acts as').locator('option')).toHaveText(['Owner', 'Billing Admin', 'Member'])
  await create.getByLabel('Acts as').selectOption('member')
  await create.getByLabel('Expires').selectOption('custom')
  await expect(create.getByLabel('Expiry date')).toBeVisible()
  await create.getByLabel('Expires').selectOption('30')
  await screenshot(app, 'api-keys-create')
  await create.getByRole('button', { name: 'Create key' }).click()

  const shown = app.getByRole('dialog', { name: 'API key CI deploys created' })
  await expect(shown.getByText("you won't see it again")).toBeVisible()
  const token = await shown.getByLabel('Secret key').inputValue()
  expect(token).toMatch(/^oak_[0-9a-f]{12}_/)
  await expectAccessible(app, 'dialog API key created', '[role=dialog]')
  await shown.getByRole('button', { name: 'Copy the API key' }).click()
  await expect(shown.getByRole('button', { name: 'Copy the API key' })).toHaveText('Copied')
  expect(await app.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(token)
  await screenshot(app, 'api-keys-secret-once')
  await shown.getByRole('button', { name: 'Done' }).click()

  const row = app.getByRole('table', { name: 'API keys' }).getByRole('row', { name: /CI deploys/ })
  await expect(row).toContainText('Member')
  await expect(row).toContainText('Never')
  await expect(app.getByText(token)).toHaveCount(0)
  await screenshot(app, 'api-keys')

  // Sign in with the key: the account says what it is.
  await nav(app, 'Accounts')
  await app.getByRole('button', { name: 'Use an API key' }).click()
  await app.getByLabel('Server URL').fill(server.url)
  await app.getByLabel('API key').fill(token)
  await app.getByRole('button', { name: 'Add account' }).click()
  await nav(app, 'Accounts')
  await expect(app.getByText('API key · CI deploys · Member').first()).toBeVisible()
  await screenshot(app, 'api-keys-account')

  await app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: /^Acme Corp/ }).first().click()
  await nav(app, 'API keys')
  await app.getByRole('button', { name: 'Revoke CI deploys' }).click()
  const confirm = app.getByRole('dialog', { name: 'Revoke CI deploys?' })
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await expectAccessible(app, 'dialog revoke key', '[role=dialog]')
  await confirm.getByRole('button', { name: 'Revoke key' }).click()
  await expect(row).toContainText('Revoked')

  // The key's own account is refused from now on, and says why instead of asking for a password.
  await app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: /^Acme Corp/ }).nth(1).click()
  const refused = app.getByRole('dialog', { name: 'API key no longer accepted' })
  await expect(refused).toContainText('API key · CI deploys · Member')
  await expectAccessible(app, 'dialog API key refused', '[role=dialog]')
  await screenshot(app, 'api-keys-refused')
})

test('the audit log filters by action, person, days and text, and exports the filter', async ({ app, server }) => {
  await nav(app, 'Trusted domains')
  await app.getByRole('textbox', { name: 'Domain' }).fill('audit.example')
  await app.getByRole('button', { name: 'Add domain' }).click()
  await expect(app.getByRole('article', { name: 'audit.example' })).toBeVisible()

  await nav(app, 'Activity')
  const log = app.getByRole('table', { name: 'Audit log' })
  await expect(log.getByRole('row').nth(1)).toContainText('Dana Admin added the trusted domain audit.example')
  await app.getByLabel('Search').fill('audit.example')
  await expect(app.getByRole('status').filter({ hasText: 'match' })).toHaveText(/^1 event matches/)
  await app.getByLabel('Search').fill('')
  await app.getByLabel('Actions').selectOption(['domain.added', 'invitation.created'])
  await expect(log.getByRole('row').nth(1)).toContainText('Domain added')
  for (const text of await log.locator('tbody tr td:nth-child(3)').allInnerTexts()) expect(text).toMatch(/^(Domain added|Invitation sent)/)
  await app.getByLabel('Actions').selectOption([])

  const today = server.clock.now().toISOString().slice(0, 10) // the server's clock stamps events
  await app.getByLabel('From', { exact: true }).fill('2001-01-02')
  await app.getByLabel('To', { exact: true }).fill('2001-01-01')
  await expect(app.getByText('The start date is after the end date.')).toBeVisible()
  await app.getByLabel('To', { exact: true }).fill(today)
  await app.getByLabel('From', { exact: true }).fill(today)
  await expect(log.getByRole('row').nth(1)).toContainText('audit.example')

  await app.getByLabel('Person (by or about)').fill('Dana')
  await app.getByLabel('Person (by or about)').fill('Dana Admin <admin@demo.test>')
  await expect(app.getByRole('status').filter({ hasText: 'match' })).toBeVisible()
  await screenshot(app, 'audit-log')

  const download = app.waitForEvent('download')
  await app.getByRole('button', { name: 'Export CSV' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^acme-corp.*-audit-log\.csv$/)
  const csv = await readFile((await file.path())!, 'utf8')
  expect(csv.split('\r\n')[0]).toBe('"Time (UTC)","Actor","Actor email","Action","Target","Description","Details"')
  expect(csv).toContain('"domain.added","audit.example"')
})

test.describe('at 900×600', () => {
  test.use({ viewport: { width: 900, height: 600 } })
  test('the audit log and API keys fit a small window', async ({ app }) => {
    await app.getByRole('button', { name: 'Menu' }).click()
    await nav(app, 'Activity')
    await expect(app.getByRole('table', { name: 'Audit log' })).toBeVisible()
    await screenshot(app, 'audit-log-900')
    await app.getByRole('button', { name: 'Menu' }).click()
    await nav(app, 'API keys')
    await expect(app.getByRole('heading', { name: 'API keys' })).toBeVisible()
    await screenshot(app, 'api-keys-900')
  })
})
