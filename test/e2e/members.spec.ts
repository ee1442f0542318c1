/**
 * The shell and the Members page against a real seeded server: switching organizations,
 * search / filter / sort, role changes and removals as an Owner, refusals as a Member or
 * for the only Owner, and offline use from the cache.
 */
import type { Locator, Page } from '@playwright/test'
import { readFile } from 'node:fs/promises'
import { bulkMembers, createOrg, createUser } from '../../src/server/index'
import { DEMO_OWNER2, expect, screenshot, test } from './fixtures'

const orgSwitcher = (app: Page) => app.getByRole('navigation', { name: 'Organizations' })
const currentOrg = (app: Page) => app.getByTestId('current-org')
const memberTable = (app: Page) => app.getByRole('table', { name: /^Members of / })
const memberRow = (app: Page, name: string) => memberTable(app).getByRole('row', { name: new RegExp(`^${name},`) })
const memberCount = (app: Page) => app.getByText(/^\d[\d,]* of \d[\d,]* members$/)

async function openOrg(app: Page, name: string) {
  await orgSwitcher(app).getByRole('button', { name: new RegExp(`^${name}`) }).click()
  await expect(currentOrg(app)).toHaveText(name)
  await expect(memberTable(app)).toBeVisible()
}

/** Display names of the rendered body rows, top to bottom. */
async function renderedNames(table: Locator): Promise<string[]> {
  const labels = await table.getByRole('row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')))
  return labels.filter((l): l is string => l !== null).map((l) => l.split(',')[0]!)
}

test('switches organizations from the sidebar and with Ctrl+K', async ({ app }) => {
  // The first organization is selected on its own.
  await expect(currentOrg(app)).toHaveText('Acme Corp')
  await expect(orgSwitcher(app).getByRole('button', { name: /^Acme Corp/ })).toHaveAttribute('aria-current', 'true')

  await openOrg(app, 'Initech')
  await expect(app.getByRole('banner')).toContainText('Member')
  // A Member cannot see activity or billing: the nav says why.
  const pages = app.getByRole('navigation', { name: 'Pages' })
  await expect(pages.getByRole('button', { name: 'Activity' })).toBeDisabled()
  await expect(pages.getByRole('button', { name: 'Activity' })).toHaveAttribute('title', 'Only an Owner can view activity')
  await expect(pages.getByRole('button', { name: 'Billing' })).toBeDisabled()
  await expect(pages.getByRole('button', { name: 'Members' })).toHaveAttribute('aria-current', 'page')

  await app.keyboard.press('Control+k')
  const search = app.getByRole('combobox', { name: 'Search organizations' })
  await expect(search).toBeFocused()
  // Empty query: most recent first (Initech, then Acme Corp).
  const options = app.getByRole('listbox', { name: 'Organizations' }).getByRole('option')
  await expect(options.first()).toContainText('Initech')
  await expect(options.nth(1)).toContainText('Acme Corp')
  await search.fill('globx') // fuzzy: a letter missing
  await expect(options.first()).toContainText('Globex')
  await app.keyboard.press('Enter')
  await expect(app.getByRole('dialog')).toHaveCount(0)
  await expect(currentOrg(app)).toHaveText('Globex')
  // The sidebar keeps its order (recent order is the palette's): positions never move.
  await expect(orgSwitcher(app).getByRole('button')).toHaveText([/^Acme Corp/, /^Dana's Sandbox/, /^Globex/, /^Initech/, /^Umbrella/])

  await app.keyboard.press('Control+k')
  await search.fill('umbrella')
  await app.keyboard.press('Escape')
  await expect(app.getByRole('dialog')).toHaveCount(0)
  await expect(currentOrg(app)).toHaveText('Globex')
})

test('searches, filters and sorts members', async ({ app }) => {
  await openOrg(app, 'Acme Corp')
  const table = memberTable(app)
  await expect(memberCount(app)).toHaveText('92 of 92 members')
  await expect(table).toHaveAttribute('aria-rowcount', '93')

  await app.getByLabel('Search members').fill('ADA.CHEN')
  await expect(memberCount(app)).toHaveText('1 of 92 members')
  await expect(memberRow(app, 'Ada Chen')).toBeVisible()
  await expect(memberRow(app, 'Ada Abbott')).toHaveCount(0)
  await app.getByLabel('Search members').fill('')

  await app.getByLabel('Filter by role').selectOption({ label: 'Owner' })
  await expect(memberCount(app)).not.toHaveText('92 of 92 members')
  const owners = await table.getByRole('row').filter({ has: app.getByRole('cell') }).all()
  expect(owners.length).toBeGreaterThan(1)
  for (const row of owners) await expect(row.getByRole('cell').nth(3)).toHaveText('Owner')
  await expect(memberRow(app, 'Dana Admin')).toBeVisible()
  await app.getByLabel('Filter by role').selectOption({ label: 'All roles' })

  const nameHeader = table.getByRole('columnheader', { name: 'Name' })
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending')
  const ascending = await renderedNames(table)
  expect(ascending).toEqual([...ascending].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())))
  await nameHeader.getByRole('button').click()
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending')
  await expect.poll(async () => (await renderedNames(table))[0]).not.toBe(ascending[0])
  const descending = await renderedNames(table)
  expect(descending).toEqual([...descending].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase())))

  await table.getByRole('columnheader', { name: 'Workspaces' }).getByRole('button').click()
  await expect(table.getByRole('columnheader', { name: 'Workspaces' })).toHaveAttribute('aria-sort', 'ascending')
  await expect(nameHeader).toHaveAttribute('aria-sort', 'none')

  await screenshot(app, 'members')
  await app.setViewportSize({ width: 900, height: 600 })
  await screenshot(app, 'members-900')
})

test('typed without pause, the search shows the last text typed, with its count', async ({ app }) => {
  await openOrg(app, 'Acme Corp')
  await expect(memberCount(app)).toHaveText('92 of 92 members')
  // Each key asks main; the table follows an answer only while it is for the text last typed.
  const search = app.getByLabel('Search members')
  await search.pressSequentially('ada.chen')
  await expect(memberCount(app)).toHaveText('1 of 92 members')
  await expect(memberRow(app, 'Ada Chen')).toBeVisible()
  await expect(search).toHaveValue('ada.chen')
  for (let i = 0; i < 'chen'.length; i++) await search.press('Backspace')
  await expect(memberCount(app)).toHaveText('4 of 92 members')
  await expect(search).toHaveValue('ada.')
})

test('scrolled to the end, rows follow the scroll, and a search shows its matches with their count', async ({ app }) => {
  await openOrg(app, 'Acme Corp')
  await expect(memberCount(app)).toHaveText('92 of 92 members')
  const table = memberTable(app)
  await app.locator('.vtable-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight))
  await expect(table.locator('[aria-rowindex="93"][aria-label]')).toBeVisible()
  await expect(table.locator('[aria-rowindex="2"]')).toHaveCount(0)
  // The same update that says "1 of 92" shows the match, though the scroll position is still far below it.
  // In the page (source text: test files have no DOM types): type, and look for the row when the count changes.
  const rowWithCount = await app.evaluate(`new Promise((resolve) => {
    const input = document.querySelector('.search-field input')
    const count = document.querySelector('.member-count')
    new MutationObserver((_, obs) => {
      if (count.textContent !== '1 of 92 members') return
      obs.disconnect()
      resolve(document.querySelector('[role="row"][aria-rowindex="2"][aria-label^="Ada Chen,"]') !== null)
    }).observe(count, { childList: true, characterData: true, subtree: true })
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, 'ada.chen')
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })`)
  expect(rowWithCount).toBe(true)
  await expect(memberRow(app, 'Ada Chen')).toBeVisible()
})

test('an Owner changes a role and removes a member', async ({ app, server }) => {
  await openOrg(app, 'Acme Corp')
  // The test server's clock stands still; let time pass so incremental sync sees the changes as new.
  server.clock.advance(60_000)
  await app.getByLabel('Search members').fill('ada.chen')
  await app.getByRole('button', { name: 'Change role of Ada Chen' }).click()
  const dialog = app.getByRole('dialog', { name: 'Change role of Ada Chen' })
  await expect(dialog.getByRole('radio', { name: 'Member' })).toBeChecked()
  // Each role lists what it may do.
  await expect(dialog).toContainText('Manage payments & billing')
  await dialog.getByRole('radio', { name: 'Billing Admin' }).check()
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(memberRow(app, 'Ada Chen').getByRole('cell').nth(3)).toHaveText('Billing Admin')
  // Main re-syncs after the change and reports what differs from the sync before.
  const changes = app.getByRole('group').filter({ hasText: 'Changes since last sync' })
  await changes.getByText('Changes since last sync').click()
  await expect(changes).toContainText('Ada Chen')
  await expect(changes).toContainText('role changed from Member to Billing Admin')
  // The server has it too: a fresh sync keeps the new role.
  await app.getByRole('button', { name: 'Refresh' }).click()
  await expect(app.getByRole('button', { name: 'Refresh' })).toBeEnabled()
  await expect(memberRow(app, 'Ada Chen').getByRole('cell').nth(3)).toHaveText('Billing Admin')

  server.clock.advance(60_000)
  await app.getByLabel('Search members').fill('ada.abbott')
  await app.getByRole('button', { name: 'Remove Ada Abbott' }).click()
  const confirm = app.getByRole('dialog', { name: 'Remove Ada Abbott from Acme Corp?' })
  await confirm.getByRole('button', { name: 'Remove' }).click()
  await expect(confirm).toHaveCount(0)
  await expect(memberCount(app)).toHaveText('0 of 91 members')
  await app.getByRole('button', { name: 'Refresh' }).click()
  await expect(app.getByRole('button', { name: 'Refresh' })).toBeEnabled()
  await expect(memberCount(app)).toHaveText('0 of 91 members')
})

test('exports the filtered members as CSV and removes a selection in bulk', async ({ app, server }) => {
  await openOrg(app, 'Acme Corp')
  server.clock.advance(60_000)
  await app.getByLabel('Search members').fill('ada ')
  await expect(memberCount(app)).toHaveText('4 of 92 members')

  const download = app.waitForEvent('download')
  await app.getByRole('button', { name: 'Export CSV' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/members\.csv$/)
  const lines = (await readFile((await file.path())!, 'utf8')).trim().split(/\r\n/)
  expect(lines[0]).toBe('"Name","Email","Role","Joined","Workspaces"')
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['"Ada Abbott"', '"Ada Chen"', '"Ada Evans"', '"Ada Garcia"'])

  await app.getByRole('checkbox', { name: 'Select Ada Evans' }).check()
  await app.getByRole('checkbox', { name: 'Select Ada Garcia' }).check()
  const bulk = app.getByRole('region', { name: 'Selected members' })
  await expect(bulk).toContainText('2 selected')
  await bulk.getByRole('button', { name: 'Remove…' }).click()
  const confirm = app.getByRole('dialog', { name: 'Remove 2 members from Acme Corp?' })
  await expect(confirm).toContainText('Ada Evans')
  await confirm.getByRole('button', { name: 'Remove' }).click()
  await expect(confirm).toHaveCount(0)
  await expect(memberCount(app)).toHaveText('2 of 90 members')
  await expect(bulk).toHaveCount(0)
})

test('the switcher groups organizations by account, and roles follow the account', async ({ app, harness, server }) => {
  // Added while the app is open: it hears accounts.changed.
  const added = await harness.call('accounts.add', { baseUrl: server.url, ...DEMO_OWNER2 })
  expect(added.ok).toBe(true)
  const switcher = orgSwitcher(app)
  await expect(switcher.getByRole('group', { name: 'admin@demo.test' }).getByRole('button')).toHaveCount(5)
  const omar = switcher.getByRole('group', { name: 'owner2@demo.test' })
  await expect(omar.getByRole('button', { name: /^Initech/ })).toContainText('Owner')

  // Initech as Dana (Member): read-only. As Omar (Owner): editable.
  await switcher.getByRole('group', { name: 'admin@demo.test' }).getByRole('button', { name: /^Initech/ }).click()
  await expect(app.getByRole('banner')).toContainText('admin@demo.test')
  await expect(memberTable(app).getByRole('button', { name: /^Change role of / }).first()).toBeDisabled()
  await omar.getByRole('button', { name: /^Initech/ }).click()
  await expect(app.getByRole('banner')).toContainText('owner2@demo.test')
  await expect(memberTable(app).getByRole('button', { name: /^Change role of / }).first()).toBeEnabled()
})

test('the only Owner cannot be demoted, and a Member cannot change roles', async ({ app }) => {
  await openOrg(app, 'Globex')
  await app.getByLabel('Search members').fill('admin@demo.test')
  await app.getByRole('button', { name: 'Change role of Dana Admin' }).click()
  const dialog = app.getByRole('dialog', { name: 'Change role of Dana Admin' })
  await expect(dialog).toContainText('Dana Admin is the only Owner of Globex. Make someone else an Owner first.')
  await expect(dialog.getByRole('radio', { name: 'Member' })).toBeDisabled()
  await expect(dialog.getByRole('radio', { name: 'Billing Admin' })).toBeDisabled()
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled()
  await screenshot(app, 'role-editor')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  // Focus goes back to the control that opened the dialog.
  await expect(app.getByRole('button', { name: 'Change role of Dana Admin' })).toBeFocused()

  await openOrg(app, 'Initech')
  const first = memberTable(app).getByRole('row').nth(1)
  const name = (await first.getAttribute('aria-label'))!.split(',')[0]!
  const change = app.getByRole('button', { name: `Change role of ${name}` })
  await expect(change).toBeDisabled()
  await expect(change).toHaveAttribute('title', 'Only an Owner can change roles')
  const remove = app.getByRole('button', { name: `Remove ${name}` })
  await expect(remove).toBeDisabled()
  await expect(remove).toHaveAttribute('title', 'Only an Owner can remove members')
  await expect(first.getByRole('checkbox')).toBeDisabled()
})

test('offline: the cached members stay searchable and actions are disabled', async ({ app, server }) => {
  await openOrg(app, 'Acme Corp')
  await expect(memberCount(app)).toHaveText('92 of 92 members')
  await server.close()
  // The fixture closes the server again on teardown; it is already gone.
  server.close = async () => {}

  await app.reload()
  await expect(memberTable(app)).toBeVisible()
  await app.getByRole('button', { name: 'Refresh' }).click()
  await expect(app.getByRole('status').filter({ hasText: 'Offline — showing data last synced' })).toBeVisible()

  await app.getByLabel('Search members').fill('ada.chen')
  await expect(memberCount(app)).toHaveText('1 of 92 members')
  const change = app.getByRole('button', { name: 'Change role of Ada Chen' })
  await expect(change).toBeDisabled()
  await expect(change).toHaveAttribute('title', "You're offline")
  await expect(app.getByRole('button', { name: 'Remove Ada Chen' })).toBeDisabled()
  await screenshot(app, 'members-offline')
  await expect(orgSwitcher(app).getByRole('group', { name: 'admin@demo.test' })).toContainText('Offline')

  await app.getByRole('button', { name: 'Organizations' }).click()
  await expect(app.getByRole('button', { name: 'Leave Initech' })).toBeDisabled()
})

test.describe('at scale', () => {
  test.use({ signedInAs: null })

  test('100 000 members stay searchable, and only the visible rows are rendered', async ({ app, harness, server }) => {
    test.setTimeout(300_000)
    const owner = await createUser(server, { email: 'scale@demo.test', displayName: 'Scale Owner', password: 'scale-password' })
    const org = await createOrg(server, { name: 'Hundred Thousand', ownerUserId: owner.id })
    await bulkMembers(server, { orgId: org.id, count: 100_000 })
    const added = await harness.call('accounts.add', { baseUrl: server.url, email: 'scale@demo.test', password: 'scale-password' })
    expect(added.ok).toBe(true)

    await expect(currentOrg(app)).toHaveText('Hundred Thousand')
    await expect(memberCount(app)).toHaveText('100,001 of 100,001 members', { timeout: 240_000 })
    const table = memberTable(app)
    await expect(table).toHaveAttribute('aria-rowcount', '100002')
    const rendered = await table.getByRole('row').count()
    expect(rendered).toBeLessThan(100)

    await app.getByLabel('Search members').fill('user099999.')
    await expect(memberCount(app)).toHaveText('1 of 100,001 members')
    await expect(table.getByRole('row', { name: /, user099999\./ })).toBeVisible()

    await app.getByLabel('Search members').fill('')
    await app.getByLabel('Filter by role').selectOption({ label: 'Billing Admin' })
    await expect(memberCount(app)).toHaveText('2,000 of 100,001 members')

    // Scrolling to the end renders the last row.
    await app.getByLabel('Filter by role').selectOption({ label: 'All roles' })
    await app.locator('.vtable-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await expect(table.locator('[aria-rowindex="100002"]')).toBeVisible()
  })
})
