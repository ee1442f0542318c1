/**
 * Accounts people can tell apart and trust: each shows its server (scheme and host) and a
 * name of their own wherever accounts are listed; the sidebar and Accounts show main's one
 * state; "Offline" ends by itself and says so; adding an account proposes the server in use,
 * warns before plain http to another machine, and lands on the new account's organization.
 */
import type { Page } from '@playwright/test'
import { DEMO_ADMIN, DEMO_OWNER2, expect, screenshot, test } from './fixtures'

const sidebar = (app: Page) => app.getByRole('navigation', { name: 'Organizations' })
const nav = (app: Page, page: string) => app.getByRole('button', { name: page, exact: true }).click()

test.describe('accounts', () => {
  test('show their server and their own names in the sidebar, Ctrl+K and Accounts', async ({ app, server, harness }) => {
    const host = server.url // http://127.0.0.1:<port>: scheme and host
    expect((await harness.call('accounts.add', { baseUrl: server.url, ...DEMO_OWNER2 })).ok).toBe(true)
    await expect(sidebar(app).getByRole('group', { name: `admin@demo.test · ${host}` })).toBeVisible()
    await expect(sidebar(app).getByRole('group', { name: `owner2@demo.test · ${host}` })).toContainText(host)

    await nav(app, 'Accounts')
    const item = app.getByRole('listitem', { name: 'owner2@demo.test' })
    await expect(item).toContainText(host)
    await expect(item).toContainText('Signed in')
    await item.getByRole('button', { name: 'Rename' }).click()
    const dialog = app.getByRole('dialog', { name: 'Name owner2@demo.test' })
    await dialog.getByLabel('Account name').fill('Second owner')
    await dialog.getByRole('button', { name: 'Save name' }).click()
    await expect(dialog).toHaveCount(0)
    await expect(item.getByRole('strong')).toHaveText('Second owner')
    await expect(sidebar(app).getByRole('group', { name: `Second owner · ${host}` })).toBeVisible()

    await app.keyboard.press('Control+k')
    const palette = app.getByRole('dialog')
    await palette.getByRole('combobox').fill('Second owner')
    await expect(palette.getByRole('option').first()).toContainText(`Second owner · ${host}`)
    await app.keyboard.press('Escape')

    // The name is the account's, in main: another window (a reload) sees it too.
    const listed = await app.evaluate(async () => {
      const r = await (globalThis as unknown as { orgAdmin: { accounts: { list(q: object): Promise<{ ok: boolean; data?: { name: string | null }[] }> } } }).orgAdmin.accounts.list({})
      return r.data?.map((a) => a.name)
    })
    expect(listed).toEqual([null, 'Second owner'])
    await screenshot(app, 'accounts-named')
    await app.setViewportSize({ width: 900, height: 600 })
    await screenshot(app, 'accounts-named-900')
  })

  test('sidebar and Accounts agree on the state, and "Offline" ends by itself with a notice', async ({ app, harness, accounts }) => {
    const [admin] = accounts
    await nav(app, 'Accounts')
    const item = app.getByRole('listitem', { name: 'admin@demo.test' })
    const group = sidebar(app).getByRole('group', { name: /^admin@demo\.test/ })

    harness.core.accounts.setOnline(admin!.id, false)
    await expect(item).toContainText('Offline')
    await expect(item).not.toContainText('Signed in')
    await expect(group).toContainText('Offline')
    await screenshot(app, 'accounts-offline')

    // What main's reconnect probe does when the server answers again.
    harness.core.accounts.setOnline(admin!.id, true)
    await expect(app.getByRole('status').filter({ hasText: 'Back online' })).toContainText('admin@demo.test')
    await expect(item).toContainText('Signed in')
    await expect(group).not.toContainText('Offline')
  })
})

test.describe('adding an account', () => {
  test.use({ signedInAs: null })

  test('proposes the server in use and lands on its first organization', async ({ page, harness, server }) => {
    harness.core.accounts.serverInUse = server.url
    await page.goto(harness.url)
    const form = page.getByRole('form', { name: 'Add account' })
    await expect(form.getByLabel('Server URL')).toHaveValue(server.url)
    await form.getByLabel('Email').fill(DEMO_ADMIN.email)
    await form.getByLabel('Password').fill(DEMO_ADMIN.password)
    await form.getByRole('button', { name: 'Add account' }).click()
    await expect(page.getByTestId('current-org')).toHaveText('Acme Corp')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Members/)
  })

  test('asks before sending a password over plain http to another machine', async ({ app }) => {
    const form = app.getByRole('form', { name: 'Add account' })
    await form.getByLabel('Server URL').fill('http://orgs.example.test')
    await form.getByLabel('Email').fill(DEMO_ADMIN.email)
    await form.getByLabel('Password').fill(DEMO_ADMIN.password)
    await form.getByRole('button', { name: 'Add account' }).click()
    const warning = app.getByRole('dialog', { name: 'Send your password unencrypted?' })
    await expect(warning).toContainText('http://orgs.example.test uses plain http:// on another machine')
    await screenshot(app, 'insecure-http-warning')
    // Cancel here: continuing would send traffic off this machine, which tests never do.
    await warning.getByRole('button', { name: 'Cancel' }).click()
    await expect(warning).toHaveCount(0)
    await expect(app.getByRole('heading', { name: 'Welcome to Org Admin' })).toBeVisible()

    // An invitation link to such a server is not even looked at until the warning is ticked.
    await app.getByRole('button', { name: 'I have an invitation link' }).click()
    const accept = app.getByRole('dialog', { name: 'Accept an invitation' })
    await accept.getByLabel('Invitation link').fill('http://orgs.example.test/invite#abcdefghijklmnopqrstuvwx')
    await expect(accept.getByRole('checkbox', { name: /not encrypted/ })).not.toBeChecked()
    await expect(accept.getByLabel('Invitation details')).toHaveCount(0)
    await expect(accept.getByRole('alert')).toHaveCount(0)
  })
})
