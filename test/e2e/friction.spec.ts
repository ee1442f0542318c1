/**
 * The daily-friction fixes of issue 10 that live in the renderer: safe focus in confirm
 * dialogs, address pastes, seats, "You", narrow windows, the palette, and keyboard paths.
 */
import type { Locator, Page } from '@playwright/test'
import { expect, screenshot, test } from './fixtures'

const nav = (app: Page, page: string) => app.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: page, exact: true }).click()
const openOrg = (app: Page, name: string) =>
  app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: new RegExp(`^${name}`) }).click()
const form = (app: Page) => app.getByRole('form', { name: 'Invite people' })
const chips = (app: Page) => form(app).getByRole('list', { name: 'Addresses to invite' }).getByRole('listitem')

/** The element lies wholly inside the window (not cut off, no scrolling needed). */
async function expectInViewport(app: Page, el: Locator) {
  const box = await el.boundingBox()
  const size = app.viewportSize()!
  expect(box, 'element is rendered').not.toBeNull()
  expect(box!.x).toBeGreaterThanOrEqual(0)
  expect(box!.y).toBeGreaterThanOrEqual(0)
  expect(box!.x + box!.width).toBeLessThanOrEqual(size.width)
  expect(box!.y + box!.height).toBeLessThanOrEqual(size.height)
}

test('confirm dialogs start on Cancel: Enter, Enter removes nobody', async ({ app }) => {
  await app.getByRole('button', { name: 'Remove Ada Abbott' }).click()
  const remove = app.getByRole('dialog', { name: 'Remove Ada Abbott from Acme Corp?' })
  await expect(remove.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await app.keyboard.press('Enter')
  await expect(remove).toHaveCount(0)
  await app.keyboard.press('Enter') // back on the row's Remove button: opens the dialog again, still on Cancel
  await expect(remove.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await app.keyboard.press('Enter')
  await expect(app.getByRole('row', { name: /^Ada Abbott,/ })).toBeVisible()

  await nav(app, 'Trusted domains')
  await app.getByRole('button', { name: 'Remove acme.test' }).click()
  await expect(app.getByRole('dialog', { name: 'Remove acme.test?' }).getByRole('button', { name: 'Cancel' })).toBeFocused()
  await app.keyboard.press('Escape')

  await nav(app, 'Organizations')
  await app.getByRole('button', { name: 'Leave Initech' }).click()
  await expect(app.getByRole('dialog', { name: 'Leave Initech?' }).getByRole('button', { name: 'Cancel' })).toBeFocused()
  await app.keyboard.press('Escape')

  await nav(app, 'Accounts')
  await app.getByRole('button', { name: 'Forget' }).click()
  await expect(app.getByRole('dialog', { name: /^Forget / }).getByRole('button', { name: 'Cancel' })).toBeFocused()
  await app.keyboard.press('Escape')

  await openOrg(app, 'Globex')
  await nav(app, 'Invitations')
  await app.getByRole('button', { name: /^Revoke invitation for / }).first().click()
  await expect(app.getByRole('dialog', { name: /^Revoke the invitation for / }).getByRole('button', { name: 'Cancel' })).toBeFocused()
})

test('pasted "Name <email>" lists become clean chips; flagged ones are not sent; seats agree everywhere', async ({ app }) => {
  await nav(app, 'Invitations')
  const box = form(app).getByLabel('Email addresses')
  await box.fill('Ana Smith <ana@x.test>, "Ben Jones" <ben@x.test>; "Jones, Cy" <cy@x.test>\nadmin@demo.test')
  await expect(chips(app)).toHaveCount(4)
  await expect(chips(app).nth(0)).toHaveText(/^Ana Smith ana@x\.test\s*Ready to invite$/)
  await expect(chips(app).nth(1)).toHaveText(/^Ben Jones ben@x\.test\s*Ready to invite$/)
  await expect(chips(app).nth(2)).toHaveText(/^Jones, Cy cy@x\.test\s*Ready to invite$/)
  await expect(chips(app).nth(3)).toContainText('Already a member')
  await screenshot(app, 'invite-chips')
  // Acme Corp: 92 members, 8 seats free. Ten more: two over the limit, and none of the flagged is sent.
  await box.fill(Array.from({ length: 10 }, (_, i) => `seat${i}@x.test`).join(', ') + ', admin@demo.test')
  await expect(chips(app).filter({ hasText: 'Over the user limit' })).toHaveCount(2)
  const send = form(app).getByRole('button', { name: 'Send 8 invitations' })
  await expect(send).toHaveAccessibleDescription('Only the 8 addresses marked “Ready to invite” are sent; the 3 marked otherwise stay here.')
  await box.fill('admin@demo.test')
  await expect(form(app).getByRole('button', { name: 'Send invitation' })).toBeDisabled()
  await expect(form(app)).toContainText('Nothing to send: fix or remove the addresses marked above.')

  await box.fill('Ana Smith <ana@x.test>')
  await form(app).getByRole('button', { name: 'Send invitation' }).click()
  await expect(form(app).getByRole('status').filter({ hasText: 'Invited 1' })).toBeVisible()
  // One seat count, one text: Invitations, Billing and Organizations.
  const seats = '93 of 100 seats used (92 members, 1 pending invitation)'
  await expect(form(app)).toContainText(seats)
  await nav(app, 'Billing')
  await expect(app.getByRole('meter', { name: 'Seats used' })).toHaveAttribute('aria-valuenow', '93')
  await expect(app.getByLabel('Seats', { exact: true })).toContainText(seats)
  await screenshot(app, 'billing-seats')
  await nav(app, 'Organizations')
  await expect(app.getByRole('row', { name: 'Acme Corp' }).getByRole('cell').nth(2)).toHaveText('93 / 100')
  await expect(app.getByRole('row', { name: 'Acme Corp' }).getByRole('cell').nth(2)).toHaveAttribute('title', seats)
})

test('typing: a half-typed address waits; one link panel; tabs and suggestions by keyboard', async ({ app }) => {
  await nav(app, 'Invitations')
  const box = form(app).getByLabel('Email addresses')
  await box.pressSequentially('ana@')
  await expect(chips(app)).toHaveCount(0)
  await expect(form(app)).not.toContainText('Not a valid email address')
  await box.press('Tab') // leaving the field settles it
  await expect(chips(app).first()).toContainText('Not a valid email address')
  await box.fill('')
  await box.pressSequentially('ana@x.test, bo')
  await expect(chips(app)).toHaveCount(1)
  await box.press(',')
  await expect(chips(app).nth(1)).toContainText('Not a valid email address')

  // Suggestions: arrows move through the list, Enter picks, focus never leaves the text.
  await box.fill('')
  await box.pressSequentially('nora')
  const option = form(app).getByRole('listbox', { name: 'Suggestions' }).getByRole('option').first()
  await expect(option).toContainText('Nora Lindqvist')
  await box.press('ArrowDown')
  await expect(option).toHaveAttribute('aria-selected', 'true')
  await expect(box).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id'))!)
  await box.press('Enter')
  await expect(box).toHaveValue('nora.lindqvist@acme.test, ')
  await expect(box).toBeFocused()

  await openOrg(app, 'Globex')
  await nav(app, 'Invitations')
  // Invitation links: a newer one replaces the panel, and the panel can be dismissed.
  const copies = app.getByRole('table', { name: 'pending invitations' }).getByRole('button', { name: /^Copy link for / })
  await copies.nth(0).click()
  await copies.nth(1).click()
  await expect(app.getByRole('textbox', { name: /^Invitation link for / })).toHaveCount(1)
  await screenshot(app, 'link-panel')
  await app.getByRole('button', { name: 'Dismiss link' }).click()
  await expect(app.getByRole('textbox', { name: /^Invitation link for / })).toHaveCount(0)

  // Tabs: one tab stop, arrows move and select.
  const pending = app.getByRole('tab', { name: /^Pending/ })
  await pending.focus()
  await app.keyboard.press('ArrowRight')
  await expect(app.getByRole('tab', { name: /^Accepted/ })).toBeFocused()
  await expect(app.getByRole('tab', { name: /^Accepted/ })).toHaveAttribute('aria-selected', 'true')
  await app.keyboard.press('ArrowRight')
  await expect(app.getByRole('tab', { name: /^Declined/ })).toHaveAttribute('aria-selected', 'true')
  await app.keyboard.press('End')
  await expect(app.getByRole('tab', { name: /^Revoked/ })).toBeFocused()
  await app.keyboard.press('ArrowRight')
  await expect(pending).toBeFocused()
  await expect(app.getByRole('tab', { name: /^Revoked/ })).toHaveAttribute('tabindex', '-1')
})

test('"You" in the members table, warnings before demoting or removing yourself; skip link; role dialog on the current role', async ({ app }) => {
  // The skip link is the first stop and lands on the page.
  await expect(app.getByTestId('current-org')).toHaveText('Acme Corp')
  await app.keyboard.press('Tab')
  await expect(app.getByRole('link', { name: 'Skip to content' })).toBeFocused()
  await app.keyboard.press('Enter')
  await expect(app.getByRole('main')).toBeFocused()

  const me = app.getByRole('row', { name: /^Dana Admin,/ })
  await app.getByLabel('Search members').fill('admin@')
  await expect(me.getByText('You', { exact: true })).toBeVisible()
  await expect(app.getByRole('row', { name: /^Ada Abbott,/ })).toHaveCount(0)

  await me.getByRole('button', { name: 'Change role of Dana Admin' }).click()
  const role = app.getByRole('dialog', { name: 'Change role of Dana Admin' })
  await expect(role.getByRole('radio', { name: 'Owner' })).toBeFocused()
  await expect(role.getByRole('alert')).toHaveCount(0)
  await role.getByRole('radio', { name: 'Member' }).check()
  await expect(role.getByRole('alert')).toHaveText(/^You are changing your own role to Member\. You will lose what Owners may do in Acme Corp/)
  await screenshot(app, 'role-self-warning')
  await role.getByRole('button', { name: 'Cancel' }).click()

  await me.getByRole('button', { name: 'Remove Dana Admin' }).click()
  const remove = app.getByRole('dialog', { name: 'Remove yourself from Acme Corp?' })
  await expect(remove).toContainText('You (admin@demo.test) will lose access to Acme Corp at once')
  await screenshot(app, 'remove-self')
  await remove.getByRole('button', { name: 'Cancel' }).click()

  // Someone else's role dialog starts on their role.
  await app.getByLabel('Search members').fill('')
  await app.getByRole('button', { name: 'Change role of Ada Abbott' }).click()
  await expect(app.getByRole('dialog', { name: 'Change role of Ada Abbott' }).getByRole('radio', { name: 'Member' })).toBeFocused()
  await app.keyboard.press('Escape')

})

test('Ctrl+K ranks like a palette and lands on the page; stable sidebar', async ({ app }) => {
  const search = app.getByRole('combobox', { name: 'Search organizations' })
  const options = app.getByRole('listbox', { name: 'Organizations' }).getByRole('option')
  await expect(app.getByTestId('current-org')).toHaveText('Acme Corp')
  await app.keyboard.press('Control+k')
  await search.fill('glbx')
  await expect(options.first()).toContainText('Globex')
  await search.fill('inc')
  await expect(options).toHaveCount(1)
  await expect(options.first()).toContainText('Initech')
  await screenshot(app, 'palette')
  await app.keyboard.press('Enter')
  await expect(app.getByTestId('current-org')).toHaveText('Initech')
  await expect(app.getByRole('main')).toBeFocused()
  await expect(app.getByRole('navigation', { name: 'Organizations' }).getByRole('button').first()).toContainText('Acme Corp')
})

test.describe('at 900×600', () => {
  test.use({ viewport: { width: 900, height: 600 } })

  test('the sidebar folds, row actions, Revoke and Save stay in view', async ({ app }) => {
    const sidebar = app.getByRole('complementary')
    const menu = app.getByRole('button', { name: 'Menu' })
    await expect(sidebar).toBeHidden()
    await menu.click()
    await expect(sidebar).toBeVisible()
    await screenshot(app, 'narrow-menu')
    await app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: /^Acme Corp/ }).click()
    await expect(sidebar).toBeHidden()

    const remove = app.getByRole('button', { name: 'Remove Ada Abbott' })
    await expectInViewport(app, remove)
    await expectInViewport(app, app.getByRole('button', { name: 'Change role of Ada Abbott' }))
    await screenshot(app, 'narrow-members')
    await app.getByRole('button', { name: 'Change role of Ada Abbott' }).click()
    await expectInViewport(app, app.getByRole('dialog').getByRole('button', { name: 'Save' }))
    await screenshot(app, 'narrow-role-dialog')
    await app.keyboard.press('Escape')

    await menu.click()
    await app.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: /^Globex/ }).click()
    await menu.click()
    await nav(app, 'Invitations')
    const revoke = app.getByRole('button', { name: /^Revoke invitation for / }).first()
    await revoke.scrollIntoViewIfNeeded()
    await expectInViewport(app, revoke)
    await screenshot(app, 'narrow-invitations')
    await menu.click()
    await nav(app, 'Organizations')
    await screenshot(app, 'narrow-organizations')
  })
})

test('at 1280 px badges stay on one line and numbers line up with their headers', async ({ app }) => {
  const badge = app.getByRole('navigation', { name: 'Organizations' }).getByText('Billing Admin')
  expect((await badge.boundingBox())!.height).toBeLessThanOrEqual(22)

  // Where the text itself ends (not its box): header labels and numbers share one right edge.
  const textRight = (el: Locator) =>
    el.evaluate((node) => {
      const range = node.ownerDocument.createRange()
      range.selectNodeContents(node)
      return range.getBoundingClientRect().right
    })
  const header = app.getByRole('columnheader', { name: 'Workspaces' })
  const cell = app.getByRole('row', { name: /^Ada Abbott,/ }).getByRole('cell').nth(5)
  expect(Math.abs((await textRight(header)) - (await textRight(cell)))).toBeLessThanOrEqual(1)

  await nav(app, 'Organizations')
  const th = app.getByRole('columnheader', { name: 'Seats used' })
  const td = app.getByRole('row', { name: 'Acme Corp' }).getByRole('cell').nth(2)
  expect(Math.abs((await textRight(th)) - (await textRight(td)))).toBeLessThanOrEqual(1)
  await screenshot(app, 'organizations')
})
