/** Organizations and Accounts pages: leaving (a hand-off for the only Owner), and account actions. */
import type { Harness } from '../../src/main/harness/host'
import type { OrgSummary } from '../../src/shared/api'
import type { Cached } from '../../src/shared/ipc'
import { expect, screenshot, test } from './fixtures'

async function orgId(harness: Harness, accountId: string, name: string) {
  const r = await harness.call('orgs.list', { accountId })
  if (!r.ok) throw new Error(r.error.message)
  const org = (r.data as Cached<OrgSummary[]>).data.find((o) => o.name === name)
  if (!org) throw new Error(`no organization ${name}`)
  return org.id
}

test('the only Owner is offered a hand-off; a Member leaves Initech', async ({ app }) => {
  await expect(app.getByTestId('current-org')).toHaveText('Acme Corp')
  await app.getByRole('button', { name: 'Organizations' }).click()
  await expect(app.getByRole('heading', { name: 'Organizations', level: 1 })).toBeVisible()

  const globex = app.getByRole('row', { name: 'Globex' })
  await expect(globex).toContainText('You are the only Owner of Globex: hand it to another member to leave.')
  await expect(globex.getByRole('button', { name: 'Hand off and leave Globex' })).toBeEnabled()
  // Acme Corp has two Owners: leaving is allowed.
  await expect(app.getByRole('button', { name: 'Leave Acme Corp' })).toBeEnabled()
  await screenshot(app, 'organizations')

  await app.getByRole('button', { name: 'Leave Initech' }).click()
  const dialog = app.getByRole('dialog', { name: 'Leave Initech?' })
  await expect(dialog).toContainText('admin@demo.test')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(app.getByRole('row', { name: 'Initech' })).toBeVisible()

  await app.getByRole('button', { name: 'Leave Initech' }).click()
  await dialog.getByRole('button', { name: 'Leave Initech' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(app.getByRole('row', { name: 'Initech' })).toHaveCount(0)
  await expect(app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: /^Initech/ })).toHaveCount(0)
})

test('leaving the selected organization selects another one', async ({ app }) => {
  await app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: /^Umbrella/ }).click()
  await expect(app.getByTestId('current-org')).toHaveText('Umbrella')
  await app.getByRole('button', { name: 'Organizations' }).click()
  await app.getByRole('button', { name: 'Leave Umbrella' }).click()
  await app.getByRole('dialog', { name: 'Leave Umbrella?' }).getByRole('button', { name: 'Leave Umbrella' }).click()
  await expect(app.getByRole('row', { name: 'Umbrella' })).toHaveCount(0)
  await expect(app.getByTestId('current-org')).not.toHaveText('Umbrella')
})

test('accounts: sign out, sign in again, forget, welcome screen', async ({ app, server }) => {
  await app.getByRole('button', { name: 'Accounts' }).click()
  const account = app.getByRole('listitem', { name: 'admin@demo.test' })
  await expect(account).toContainText('Signed in')
  await expect(account).toContainText(server.url)
  await screenshot(app, 'accounts')

  await account.getByRole('button', { name: 'Sign out' }).click()
  await expect(account).toContainText('Signed out')
  await account.getByRole('button', { name: 'Sign in' }).click()
  const signIn = app.getByRole('dialog', { name: 'Sign in as admin@demo.test' })
  await signIn.getByLabel('Password').fill('wrong-password')
  await signIn.getByRole('button', { name: 'Sign in' }).click()
  await expect(signIn.getByRole('alert')).toBeVisible()
  await signIn.getByLabel('Password').fill('demo-password')
  await signIn.getByRole('button', { name: 'Sign in' }).click()
  await expect(signIn).toHaveCount(0)
  await expect(account).toContainText('Signed in')

  await account.getByRole('button', { name: 'Forget' }).click()
  await app.getByRole('dialog', { name: 'Forget admin@demo.test?' }).getByRole('button', { name: 'Forget account' }).click()
  // No account left: the welcome screen, and signing in from it brings the organizations back.
  await expect(app.getByRole('heading', { name: 'Welcome to Org Admin' })).toBeVisible()
  await expect(app.getByRole('button', { name: 'I have an invitation link' })).toBeVisible()
  await screenshot(app, 'welcome')
  await app.getByLabel('Server URL').fill(server.url)
  await app.getByLabel('Email').fill('admin@demo.test')
  await app.getByLabel('Password').fill('demo-password')
  await app.getByRole('button', { name: 'Add account' }).click()
  await expect(app.getByTestId('current-org')).toHaveText('Acme Corp')
})

test('an expired session asks for the password over the current view', async ({ app, server, harness, accounts }) => {
  await app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: /^Globex/ }).click()
  await expect(app.getByTestId('current-org')).toHaveText('Globex')
  // Past the refresh token's lifetime: main's refresh is refused and it reports the session
  // expired. Background work may get there first, so the sync is asked for outside the page.
  server.clock.advance(31 * 86_400_000)
  const accountId = accounts[0]!.id
  const scope = { accountId, orgId: await orgId(harness, accountId, 'Globex') }
  const dialog = app.getByRole('dialog', { name: 'Session expired' })
  // A pull already under way (started before the clock moved) may answer the first call.
  await expect
    .poll(async () => {
      await harness.call('members.sync', scope)
      return dialog.count()
    })
    .toBe(1)
  await expect(dialog).toContainText('admin@demo.test')
  await dialog.getByLabel('Password').fill('demo-password')
  await dialog.getByRole('button', { name: 'Sign in' }).click()
  await expect(dialog).toHaveCount(0)
  // Same organization and page as before.
  await expect(app.getByTestId('current-org')).toHaveText('Globex')
  await expect(app.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible()
  await app.getByRole('button', { name: 'Refresh' }).click()
  await expect(app.getByRole('button', { name: 'Refresh' })).toBeEnabled()
  await expect(app.getByRole('dialog')).toHaveCount(0)
})
