/**
 * The browser side of the loopback harness: the page gets the same `window.orgAdmin` as the
 * Electron preload, calls reach the real router, events reach the page, and the per-run
 * secret does not stay in the address bar.
 */
import { DEMO_OWNER2, expect, test, type AppGlobal } from './fixtures'

// Functions given to evaluate() run in the page: they name its globals themselves.
type Page = AppGlobal & { seen: string[] }

test('window.orgAdmin talks to the real router and hears its events', async ({ app, harness, server }) => {
  expect(new URL(app.url()).hash).toBe('')
  const groups = await app.evaluate(() => Object.keys((globalThis as unknown as Page).orgAdmin).sort())
  expect(groups).toEqual(['accounts', 'activity', 'billing', 'domains', 'inbox', 'invitations', 'members', 'on', 'orgs', 'users', 'workspaces'])

  const listed = await app.evaluate(() => (globalThis as unknown as Page).orgAdmin.accounts.list({}))
  expect(listed).toMatchObject({ ok: true, data: [{ email: 'admin@demo.test', status: 'signed_in' }] })
  const invalid = await app.evaluate(() => (globalThis as unknown as Page).orgAdmin.orgs.list({ accountId: '' }))
  expect(invalid).toMatchObject({ ok: false, error: { code: 'validation_failed' } })

  await app.evaluate(() => {
    const page = globalThis as unknown as Page
    page.seen = []
    page.orgAdmin.on('accounts.changed', () => page.seen.push('accounts.changed'))
  })
  const added = await harness.call('accounts.add', { baseUrl: server.url, ...DEMO_OWNER2 })
  expect(added.ok).toBe(true)
  await expect.poll(() => app.evaluate(() => (globalThis as unknown as Page).seen)).toContain('accounts.changed')

  // A reload keeps the session's secret (sessionStorage), not the URL.
  await app.reload()
  await expect
    .poll(() => app.evaluate(async () => {
      const r = await (globalThis as unknown as Page).orgAdmin.accounts.list({})
      return r.ok ? r.data.length : -1
    }))
    .toBe(2)
})
