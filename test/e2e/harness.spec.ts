/**
 * The browser side of the loopback harness: the page gets the same `window.orgAdmin` as the
 * Electron preload, calls reach the real router, events reach the page, and the URL's
 * one-time code neither stays in the address bar nor opens the app a second time.
 */
import { DEMO_OWNER2, expect, test, type AppGlobal } from './fixtures'

// Functions given to evaluate() run in the page: they name its globals themselves.
type Page = AppGlobal & { seen: string[] }

test('window.orgAdmin talks to the real router and hears its events', async ({ app, harness, server }) => {
  expect(new URL(app.url()).hash).toBe('')
  const groups = await app.evaluate(() => Object.keys((globalThis as unknown as Page).orgAdmin).sort())
  expect(groups).toEqual(['accounts', 'activity', 'apiKeys', 'billing', 'domains', 'inbox', 'invitations', 'joinRequests', 'members', 'on', 'orgs', 'recycleBin', 'users', 'workspaces'])

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

  // A reload keeps the page's session token (sessionStorage); the URL's code is spent.
  await app.reload()
  await expect
    .poll(() => app.evaluate(async () => {
      const r = await (globalThis as unknown as Page).orgAdmin.accounts.list({})
      return r.ok ? r.data.length : -1
    }))
    .toBe(2)
})

test('a call on an open connection is sent within the call, as Electron IPC sends it', async ({ app }) => {
  // In the page (source text: test files have no DOM types).
  const sentWithinCall = await app.evaluate(`(async () => {
    await window.orgAdmin.accounts.list({})
    const send = WebSocket.prototype.send
    let sent = 0
    WebSocket.prototype.send = function (data) { sent++; return send.call(this, data) }
    const answer = window.orgAdmin.accounts.list({})
    const within = sent
    WebSocket.prototype.send = send
    return (await answer).ok && within
  })()`)
  expect(sentWithinCall).toBe(1)
})

test('a used link or a bare address says what to do instead of loading forever', async ({ app, harness, context }) => {
  await expect(app.getByRole('navigation', { name: 'Organizations' })).toBeVisible()
  const message = /link works only once.*npm start/

  const replay = await context.newPage()
  await replay.goto(harness.url)
  await expect(replay.getByRole('alert')).toHaveText(message)
  await expect(replay.getByRole('alert')).toHaveAttribute('data-code', 'forbidden_sender')

  const bare = await context.newPage()
  await bare.goto(harness.origin)
  await expect(bare.getByRole('alert')).toHaveText(message)

  // A fresh link still opens the app.
  const fresh = await context.newPage()
  await fresh.goto(harness.newUrl())
  await expect(fresh.getByRole('navigation', { name: 'Organizations' })).toBeVisible()
})
