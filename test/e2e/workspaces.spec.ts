/**
 * Workspaces in the app: create, rename, add a member with a workspace role, change and remove
 * them, delete into the recycle bin, restore and purge; and the member detail panel.
 */
import type { Page } from '@playwright/test'
import { expect, screenshot, test } from './fixtures'

const nav = (app: Page, page: string) => app.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: page, exact: true }).click()

async function shots(app: Page, name: string) {
  await screenshot(app, `${name}-1280`)
  await app.setViewportSize({ width: 900, height: 600 })
  await screenshot(app, `${name}-900`)
  await app.setViewportSize({ width: 1280, height: 800 })
}

test('an Owner creates, renames, staffs, deletes, restores and purges a workspace', async ({ app }) => {
  await nav(app, 'Workspaces')
  await expect(app.getByRole('article', { name: 'Workspace Research' })).toContainText('Your role: Admin')

  await app.getByRole('button', { name: 'New workspace' }).click()
  let dialog = app.getByRole('dialog', { name: 'New workspace' })
  await dialog.getByLabel('Name').fill('research')
  await dialog.getByRole('button', { name: 'Create' }).click()
  await expect(dialog.getByRole('alert')).toContainText('“Research” already exists')
  await dialog.getByLabel('Name').fill('Platform')
  await dialog.getByRole('button', { name: 'Create' }).click()
  await expect(dialog).toHaveCount(0)
  const card = () => app.getByRole('article', { name: /^Workspace Platform/ })
  await expect(card()).toContainText('You are not in it')

  await app.getByRole('button', { name: 'Rename Platform' }).click()
  dialog = app.getByRole('dialog', { name: 'Rename Platform' })
  await dialog.getByLabel('Name').fill('Platform team')
  await dialog.getByRole('button', { name: 'Rename' }).click()
  await expect(app.getByRole('article', { name: 'Workspace Platform team' })).toBeVisible()

  // Add a member: search the organization, pick, choose a role with its privileges listed.
  await app.getByRole('button', { name: 'Add member to Platform team' }).click()
  dialog = app.getByRole('dialog', { name: 'Add a member to Platform team' })
  await dialog.getByLabel('Find a member of the organization').fill('owner2')
  await dialog.getByRole('radio', { name: /Omar/ }).check()
  await expect(dialog.getByRole('radiogroup', { name: 'Workspace role' })).toContainText('Add and remove workspace members and change their roles')
  await dialog.getByRole('radio', { name: 'Admin' }).check()
  await screenshot(app, 'workspace-role-editor-1280')
  await dialog.getByRole('button', { name: 'Add' }).click()
  await expect(dialog).toHaveCount(0)
  const members = app.getByRole('table', { name: 'Members of Platform team' })
  await expect(members.getByRole('row')).toHaveCount(1)
  await expect(members).toContainText('Admin')

  await app.getByRole('button', { name: /^Change the role of .* in Platform team$/ }).click()
  dialog = app.getByRole('dialog', { name: /^Role of .* in Platform team$/ })
  await dialog.getByRole('radio', { name: 'Viewer' }).check()
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(members).toContainText('Viewer')
  await shots(app, 'workspaces')
  await app.getByRole('button', { name: /^Remove .* from Platform team$/ }).click()
  await expect(app.getByRole('article', { name: 'Workspace Platform team' })).toContainText('Nobody works here yet')

  // Delete: Cancel comes first and keeps it.
  await app.getByRole('button', { name: 'Delete Platform team' }).click()
  dialog = app.getByRole('dialog', { name: 'Delete Platform team?' })
  await expect(dialog.getByRole('button').first()).toHaveText('Cancel')
  await dialog.getByRole('button', { name: 'Delete' }).click()
  await expect(app.getByRole('article', { name: 'Workspace Platform team' })).toHaveCount(0)

  await app.getByRole('tab', { name: 'Recycle bin' }).click()
  const bin = app.getByRole('table', { name: 'Deleted workspaces' })
  await expect(bin.getByRole('row', { name: /Platform team/ })).toContainText('30 days')
  await expect(bin.getByRole('row', { name: /Sandbox 2025/ })).toContainText('25 days')
  await shots(app, 'recycle-bin')
  await app.getByRole('button', { name: 'Restore Platform team' }).click()
  await expect(bin.getByRole('row', { name: /Platform team/ })).toHaveCount(0)
  await app.getByRole('button', { name: 'Purge Sandbox 2025' }).click()
  dialog = app.getByRole('dialog', { name: 'Purge Sandbox 2025 for good?' })
  await screenshot(app, 'purge-dialog-1280')
  await dialog.getByRole('button', { name: 'Purge' }).click()
  await expect(app.getByText('The recycle bin is empty')).toBeVisible()
  await app.getByRole('tab', { name: 'Workspaces' }).click()
  await expect(app.getByRole('article', { name: 'Workspace Platform team' })).toBeVisible()
})

test('a Member sees their role and why they cannot change workspaces', async ({ app }) => {
  await app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: /^Initech/ }).click()
  await nav(app, 'Workspaces')
  await expect(app.getByRole('button', { name: 'New workspace' })).toBeDisabled()
  await expect(app.getByRole('button', { name: 'New workspace' })).toHaveAttribute('title', 'Only an Owner can create workspaces')
  await app.getByRole('tab', { name: 'Recycle bin' }).click()
  await expect(app.getByText('Only Owners can use the recycle bin')).toBeVisible()
})

test('the member detail panel shows role, workspaces and activity, and adds to a workspace', async ({ app }) => {
  await app.getByLabel('Search members').fill('owner2')
  await app.getByRole('button', { name: /^Details of Omar/ }).click()
  const panel = app.getByRole('dialog', { name: /^Omar/ })
  await expect(panel).toContainText('Owner')
  await expect(panel).toContainText('Last active here')
  await expect(panel.getByRole('heading', { name: 'Workspaces' })).toBeVisible()
  await expect(panel.getByRole('list', { name: /^Recent activity of Omar/ }).getByRole('listitem').first()).toBeVisible()
  await panel.getByRole('button', { name: 'Add to a workspace' }).click()
  const dialog = app.getByRole('dialog', { name: /^Add Omar .* to a workspace$/ })
  await dialog.getByRole('combobox').selectOption({ label: 'Research' })
  await dialog.getByRole('radio', { name: 'Member' }).check()
  await dialog.getByRole('button', { name: 'Add' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(panel.getByRole('listitem').filter({ hasText: 'Research' })).toContainText('Member')
  await shots(app, 'member-detail')
  await panel.getByRole('button', { name: 'Close member details' }).click()
  await expect(panel).toHaveCount(0)
  await expect(app.getByRole('button', { name: /^Details of Omar/ })).toBeFocused()
})
