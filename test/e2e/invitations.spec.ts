/** Invitations end to end: invite several (one refused with the reason), limits by role, revoke, resend, accept a link. */
import type { Page } from '@playwright/test'
import { expect, screenshot, test } from './fixtures'

const openOrg = (app: Page, name: string) =>
  app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: new RegExp(`^${name}`) }).click()
const nav = (app: Page, page: string) => app.getByRole('button', { name: page, exact: true }).click()

// The renderer counts "time left" with the machine's clock: give the test server the same time.
test.beforeEach(({ server }) => server.clock.set(new Date()))

test('invite several emails: one is refused with the reason, the others are invited', async ({ app }) => {
  await expect(app.getByTestId('current-org')).toHaveText('Acme Corp')
  await nav(app, 'Invitations')
  const form = app.getByRole('form', { name: 'Invite people' })
  await form.getByLabel('Email addresses').fill('ana.new@example.com, admin@demo.test\nnot-an-email; ben.new@example.com')
  const addresses = form.getByRole('list', { name: 'Addresses to invite' })
  await expect(addresses.getByRole('listitem').filter({ hasText: 'admin@demo.test' })).toContainText('Already a member')
  await expect(addresses.getByRole('listitem').filter({ hasText: 'not-an-email' })).toContainText('Not a valid email address')
  await screenshot(app, 'invite-form')

  // Flagged addresses are not sent: Send counts the ready ones and a note says so.
  await expect(form.getByRole('button', { name: 'Send 2 invitations' })).toHaveAccessibleDescription(/Only the 2 addresses marked “Ready to invite” are sent/)
  await form.getByRole('button', { name: 'Send 2 invitations' }).click()
  await expect(form.getByRole('status').filter({ hasText: 'Invited 2' })).toBeVisible()
  // Only what was not sent stays in the box, so nothing typed is lost.
  await expect(form.getByLabel('Email addresses')).toHaveValue('admin@demo.test\nnot-an-email')

  const pending = app.getByRole('table', { name: 'pending invitations' })
  await expect(pending.getByRole('row', { name: 'ana.new@example.com' })).toContainText(/4[78] h left/)
  await expect(pending.getByRole('row', { name: 'ben.new@example.com' })).toBeVisible()
  await screenshot(app, 'invitations')
})

test('Members can invite only as Member; trusted-domain people are suggested', async ({ app }) => {
  await openOrg(app, 'Initech')
  await nav(app, 'Invitations')
  const form = app.getByRole('form', { name: 'Invite people' })
  const role = form.getByLabel('Role')
  await expect(role).toBeDisabled()
  await expect(role.locator('option')).toHaveText(['Member'])
  await expect(form).toContainText('As Member you can invite people as Member only.')

  await openOrg(app, 'Acme Corp')
  await nav(app, 'Invitations')
  await expect(form.getByLabel('Role').locator('option')).toHaveText(['Owner', 'Billing Admin', 'Member'])
  await form.getByLabel('Email addresses').fill('nora')
  const suggestion = form.getByRole('listbox', { name: 'Suggestions' }).getByRole('option', { name: /Nora Lindqvist/ })
  await suggestion.click()
  await expect(form.getByLabel('Email addresses')).toHaveValue('nora.lindqvist@acme.test, ')
})

test('revoke, resend, then accept a copied link as the invitee', async ({ app }) => {
  await nav(app, 'Invitations')
  const form = app.getByRole('form', { name: 'Invite people' })
  await form.getByLabel('Email addresses').fill('gone@example.com, joiner@example.com')
  await form.getByRole('button', { name: 'Send 2 invitations' }).click()
  await expect(form.getByRole('status').filter({ hasText: 'Invited 2' })).toBeVisible()

  // Revoke one: it moves to the Revoked tab.
  await app.getByRole('button', { name: 'Revoke invitation for gone@example.com' }).click()
  const confirm = app.getByRole('dialog', { name: 'Revoke the invitation for gone@example.com?' })
  await confirm.getByRole('button', { name: 'Revoke' }).click()
  await expect(confirm).toHaveCount(0)
  await expect(app.getByRole('row', { name: 'gone@example.com' })).toHaveCount(0)
  await app.getByRole('tab', { name: /Revoked/ }).click()
  await expect(app.getByRole('table', { name: 'revoked invitations' }).getByRole('row', { name: 'gone@example.com' })).toBeVisible()
  await app.getByRole('tab', { name: /Pending/ }).click()

  // Copying again shows the same link (the one sent keeps working); Resend replaces it and says so.
  const copyLink = app.getByRole('table', { name: 'pending invitations' }).getByRole('button', { name: 'Copy link for joiner@example.com' })
  await copyLink.click()
  const first = await app.getByLabel('Invitation link for joiner@example.com').inputValue()
  await copyLink.click()
  await expect(app.getByLabel('Invitation link for joiner@example.com')).toHaveValue(first)
  await expect(app.getByRole('button', { name: 'Resend to joiner@example.com' })).toHaveText('Resend (replace link)')
  await app.getByRole('button', { name: 'Resend to joiner@example.com' }).click()
  await expect(app.getByLabel('Invitation link for joiner@example.com')).not.toHaveValue(first)
  await expect(app.getByText('This new link replaces the one sent before, which no longer works.')).toBeVisible()
  const link = await app.getByLabel('Invitation link for joiner@example.com').inputValue()
  expect(link).toMatch(/\/invite#/)

  // The invitee opens the link in the app, registers, and lands in the organization.
  await nav(app, 'Accounts')
  await app.getByRole('button', { name: 'I have an invitation link' }).click()
  const dialog = app.getByRole('dialog', { name: 'Accept an invitation' })
  await dialog.getByLabel('Invitation link').fill(first)
  await expect(dialog.getByRole('alert')).toContainText('not valid')
  await dialog.getByLabel('Invitation link').fill(link)
  await expect(dialog.getByLabel('Invitation details')).toContainText('Acme Corp invites joiner@example.com as Member')
  await screenshot(app, 'accept-invitation')
  await dialog.getByLabel('Your name').fill('Jo Iner')
  await dialog.getByLabel(/Choose a password/).fill('joiner-password')
  await dialog.getByRole('button', { name: 'Create account and join' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(app.getByTestId('current-org')).toHaveText('Acme Corp')
  await nav(app, 'Accounts')
  await expect(app.getByRole('listitem', { name: 'joiner@example.com' })).toContainText('Signed in')
})
