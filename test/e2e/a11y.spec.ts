/** axe on every page and every dialog, light and dark: any violation fails the suite. */
import type { Page } from '@playwright/test'
import { expectAccessible } from './axe'
import { expect, test } from './fixtures'

// axe walks the whole DOM twice (light, dark) per page and dialog: give these tests room.
test.describe.configure({ timeout: 180_000 })

const nav = (app: Page, page: string) => app.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: page, exact: true }).click()
const openOrg = (app: Page, name: string) =>
  app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: new RegExp(`^${name}`) }).click()

/** Open a dialog with `open`, check it, and close it with Cancel (or Escape). */
async function checkDialog(app: Page, name: string | RegExp, open: () => Promise<void>) {
  await open()
  const dialog = app.getByRole('dialog', { name })
  await expect(dialog).toBeVisible()
  await expectAccessible(app, `dialog ${String(name)}`, '[role=dialog]')
  await app.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
}

test('members and its dialogs', async ({ app }) => {
  await expect(app.getByRole('table', { name: 'Members of Acme Corp' })).toBeVisible()
  await expectAccessible(app, 'Members')
  await checkDialog(app, /^Change role of /, () => app.getByRole('button', { name: /^Change role of / }).first().click())
  await checkDialog(app, /^Remove .* from Acme Corp\?$/, () => app.getByRole('button', { name: /^Remove / }).first().click())
  await checkDialog(app, 'Switch organization', () => app.keyboard.press('Control+k'))
  await app.getByRole('button', { name: /^Details of / }).first().click()
  await expect(app.getByRole('dialog').getByRole('heading', { name: 'Workspaces' })).toBeVisible()
  await expectAccessible(app, 'member detail panel', '.member-panel')
})

test('invitations and the revoke dialog', async ({ app }) => {
  await openOrg(app, 'Globex')
  await nav(app, 'Invitations')
  await expect(app.getByRole('table', { name: 'pending invitations' })).toBeVisible()
  await app.getByLabel('Email addresses').fill('Ana Smith <ana@x.test>, admin@demo.test, nope')
  await expectAccessible(app, 'Invitations')
  await checkDialog(app, /^Revoke the invitation for /, () => app.getByRole('button', { name: /^Revoke invitation for / }).first().click())
})

test('domains, workspaces, activity, billing, organizations, accounts and their dialogs', async ({ app }) => {
  await nav(app, 'Trusted domains')
  await expect(app.getByRole('article', { name: 'acme.test' })).toBeVisible()
  await expectAccessible(app, 'Trusted domains')
  await checkDialog(app, 'Remove acme.test?', () => app.getByRole('button', { name: 'Remove acme.test' }).click())

  await nav(app, 'Workspaces')
  await expect(app.getByRole('article', { name: 'Workspace Research' })).toBeVisible()
  await expectAccessible(app, 'Workspaces')
  await checkDialog(app, 'New workspace', () => app.getByRole('button', { name: 'New workspace' }).click())
  await checkDialog(app, 'Rename Research', () => app.getByRole('button', { name: 'Rename Research' }).click())
  await checkDialog(app, 'Delete Research?', () => app.getByRole('button', { name: 'Delete Research' }).click())
  await checkDialog(app, 'Add a member to Research', () => app.getByRole('button', { name: 'Add member to Research' }).click())
  await app.getByRole('tab', { name: 'Recycle bin' }).click()
  await expect(app.getByRole('table', { name: 'Deleted workspaces' })).toBeVisible()
  await expectAccessible(app, 'Recycle bin')
  await checkDialog(app, 'Purge Sandbox 2025 for good?', () => app.getByRole('button', { name: 'Purge Sandbox 2025' }).click())

  await nav(app, 'Activity')
  await expect(app.getByRole('table', { name: 'Audit log' }).getByRole('row').nth(1)).toBeVisible()
  await expectAccessible(app, 'Audit log')

  await nav(app, 'API keys')
  await expect(app.getByRole('heading', { name: 'API keys' })).toBeVisible()
  await expectAccessible(app, 'API keys')
  await checkDialog(app, 'Create API key', () => app.getByRole('button', { name: 'Create API key' }).click())

  await nav(app, 'Billing')
  await expect(app.getByRole('table', { name: 'Invoices' })).toBeVisible()
  await expectAccessible(app, 'Billing')

  await nav(app, 'Settings')
  await expect(app.getByRole('form', { name: 'General' })).toBeVisible()
  await expectAccessible(app, 'Settings')
  await checkDialog(app, 'Delete Acme Corp?', () => app.getByRole('button', { name: 'Delete organization…' }).click())

  await nav(app, 'Invitations')
  await expect(app.getByRole('region', { name: /Requests to join/ })).toBeVisible()
  await expectAccessible(app, 'Invitations with requests to join')

  await nav(app, 'Organizations')
  await expect(app.getByRole('row', { name: 'Initech' })).toBeVisible()
  await expectAccessible(app, 'Organizations')
  await checkDialog(app, 'Leave Initech?', () => app.getByRole('button', { name: 'Leave Initech' }).click())
  await checkDialog(app, 'Hand off Globex and leave', () => app.getByRole('button', { name: 'Hand off and leave Globex' }).click())
  await checkDialog(app, 'New organization', () => app.getByRole('button', { name: 'New organization…' }).click())

  await nav(app, 'Accounts')
  await expect(app.getByRole('listitem', { name: 'admin@demo.test' })).toBeVisible()
  await expectAccessible(app, 'Accounts')
  await checkDialog(app, /^Forget /, () => app.getByRole('button', { name: 'Forget' }).click())
  await checkDialog(app, 'Accept an invitation', () => app.getByRole('button', { name: 'I have an invitation link' }).click())
})

test.describe('at 900×600', () => {
  test.use({ viewport: { width: 900, height: 600 } })
  test('a page that scrolls (Globex activity) and the folded sidebar', async ({ app }) => {
    await app.getByRole('button', { name: 'Menu' }).click()
    await expectAccessible(app, 'open sidebar')
    await openOrg(app, 'Globex')
    await app.getByRole('button', { name: 'Menu' }).click()
    await nav(app, 'Activity')
    await expect(app.getByRole('table', { name: 'Audit log' }).getByRole('row').nth(1)).toBeVisible()
    await expectAccessible(app, 'Globex activity')
  })
})

test.describe('before any account', () => {
  test.use({ signedInAs: null })
  test('the welcome screen', async ({ app }) => {
    await expect(app.getByRole('heading', { name: 'Welcome to Org Admin' })).toBeVisible()
    await expectAccessible(app, 'Welcome')
  })
})
