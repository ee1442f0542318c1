/** Trusted domains, workspaces, activity and billing pages, each as the roles see them. */
import type { Page } from '@playwright/test'
import { expect, screenshot, test } from './fixtures'

const openOrg = (app: Page, name: string) =>
  app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: new RegExp(`^${name}`) }).click()
const nav = (app: Page, page: string) => app.getByRole('button', { name: page, exact: true }).click()

test('trusted domains: an Owner adds and removes one, and the activity log tells', async ({ app }) => {
  await nav(app, 'Trusted domains')
  await expect(app.getByRole('article', { name: 'acme.test' })).toBeVisible()
  await app.getByLabel('Domain', { exact: true }).fill('not a domain')
  await expect(app.getByText('Enter a domain such as example.com')).toBeVisible()
  await app.getByLabel('Domain', { exact: true }).fill('Partners.Example')
  await app.getByRole('button', { name: 'Add domain' }).click()
  await expect(app.getByRole('article', { name: 'partners.example' })).toBeVisible()
  await screenshot(app, 'domains')

  await app.getByRole('button', { name: 'Remove partners.example' }).click()
  await app.getByRole('dialog', { name: 'Remove partners.example?' }).getByRole('button', { name: 'Remove' }).click()
  await expect(app.getByRole('article', { name: 'partners.example' })).toHaveCount(0)

  await nav(app, 'Activity')
  const log = app.getByRole('table', { name: 'Audit log' })
  await expect(log.getByRole('row').nth(1)).toContainText('Dana Admin removed the trusted domain partners.example')
  await expect(log.getByRole('row').nth(2)).toContainText('Dana Admin added the trusted domain partners.example')
  await screenshot(app, 'activity')
})

test('a Member sees domains but cannot change them, and has no activity or billing', async ({ app }) => {
  await openOrg(app, 'Initech')
  await nav(app, 'Trusted domains')
  await expect(app.getByRole('button', { name: 'Add domain' })).toBeDisabled()
  await expect(app.getByText('Only an Owner can change trusted domains.')).toBeVisible()
  await expect(app.getByRole('button', { name: 'Billing', exact: true })).toBeDisabled()
  await expect(app.getByRole('button', { name: 'Billing', exact: true })).toHaveAttribute('title', 'Only an Owner or a Billing Admin can see billing')
  await expect(app.getByRole('button', { name: 'Activity', exact: true })).toBeDisabled()
})

test('billing for a Billing Admin; workspaces with their members', async ({ app }) => {
  await openOrg(app, 'Umbrella')
  await nav(app, 'Billing')
  await expect(app.getByRole('meter', { name: 'Seats used' })).toHaveAttribute('aria-valuenow', '22')
  const invoices = app.getByRole('table', { name: 'Invoices' })
  await expect(invoices.getByRole('row')).toHaveCount(7)
  await expect(invoices).toContainText('open')
  await screenshot(app, 'billing')

  await openOrg(app, 'Acme Corp')
  await nav(app, 'Workspaces')
  const research = app.getByRole('article', { name: 'Workspace Research' })
  await expect(research.getByRole('table', { name: 'Members of Research' })).toContainText('Dana Admin')
  await app.getByLabel('Search workspace members').fill('zzz-nobody')
  await expect(research).toContainText('No members match.')
  await app.getByLabel('Search workspace members').fill('')
  await screenshot(app, 'workspaces')
})
