/**
 * Sessions against a real server: login, refresh before expiry and on 401, one refresh for
 * many concurrent calls, refresh-token reuse ending the session, sign-in keeping the
 * account, two backends at once. The server's ManualClock makes tokens expire on demand.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { routes } from '../../src/shared/api'
import type { AccountSummary } from '../../src/shared/ipc'
import { startTestServer } from '../support/server'
import { countingFetch, DEMO, eventsOf, makeCore, OWNER2, rawBytes, snapshotDir, type TestCore } from './helpers'

type Server = Awaited<ReturnType<typeof startTestServer>>
const ACCESS_TTL_MS = 15 * 60_000

const storedTokens = z.object({
  accounts: z.array(z.object({ id: z.string(), tokens: z.object({ accessToken: z.string(), refreshToken: z.string() }).nullable() })),
})

let server: Server
let core: TestCore
let http: ReturnType<typeof countingFetch>
const cleanups: (() => Promise<unknown>)[] = []

beforeEach(async () => {
  server = await startTestServer({ seed: true })
  http = countingFetch()
  core = await makeCore({ fetch: http.fetch })
  cleanups.push(() => server.close(), () => core.dispose())
})
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const addDemo = () => core.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...DEMO })
const tokensOf = async (accountId: string) =>
  (await core.store.read(['accounts.json.enc'], storedTokens))!.accounts.find((a) => a.id === accountId)!.tokens

describe('accounts', () => {
  it('logs in, lists the account and keeps its tokens encrypted on disk', async () => {
    const account = await addDemo()
    expect(account).toMatchObject({ baseUrl: server.url, email: DEMO.email, status: 'signed_in', online: true })
    expect(await core.call('accounts.list', {})).toEqual([account])
    expect(eventsOf(core, 'accounts.changed')).toHaveLength(1)

    const tokens = await tokensOf(account.id)
    const raw = await rawBytes(core.dataDir)
    expect(raw.includes(tokens!.refreshToken)).toBe(false)
    expect(raw.includes(tokens!.accessToken)).toBe(false)
    expect(raw.includes(DEMO.email)).toBe(false)

    // A restart (new core, same data dir and key) still knows the account.
    const again = await makeCore({ dataDir: core.dataDir, key: core.key })
    expect((await again.call<AccountSummary[]>('accounts.list', {})).map((a) => a.id)).toEqual([account.id])
  })

  it('reports wrong credentials with the server code and stores nothing', async () => {
    const r = await core.router.handle('accounts.add', { baseUrl: server.url, email: DEMO.email, password: 'wrong' }, {
      url: 'http://app.test/',
      isMainFrame: true,
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } })
    expect(await core.call('accounts.list', {})).toEqual([])
  })

  it('refreshes a little before the access token expires, without a 401', async () => {
    const clocked = await makeCore({ fetch: http.fetch, now: () => server.clock.now().getTime() })
    cleanups.push(() => clocked.dispose())
    const account = await clocked.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...DEMO })
    const before = await clocked.store.read(['accounts.json.enc'], storedTokens)
    server.clock.advance(ACCESS_TTL_MS - 30_000) // inside the refresh margin, still valid on the server

    await clocked.call('activity.list', { accountId: account.id, orgId: await firstOwnedOrg(clocked, account.id) })
    expect(http.count(routes.refresh())).toBe(1)
    expect(http.requests.filter((r) => r.status === 401)).toHaveLength(0)
    const after = await clocked.store.read(['accounts.json.enc'], storedTokens)
    expect(after!.accounts[0]!.tokens!.refreshToken).not.toBe(before!.accounts[0]!.tokens!.refreshToken)
  })

  it('refreshes on a 401 and retries the call once', async () => {
    const account = await addDemo()
    const orgId = await firstOwnedOrg(core, account.id)
    server.clock.advance(ACCESS_TTL_MS + 1_000) // only the server knows: the client's clock is not tied to it here

    const page = await core.call<{ data: { items: unknown[] } }>('activity.list', { accountId: account.id, orgId })
    expect(Array.isArray(page.data.items)).toBe(true)
    expect(http.count(routes.activity(orgId), 401)).toBe(1)
    expect(http.count(routes.refresh())).toBe(1)
    expect(http.count(routes.activity(orgId), 200)).toBe(1)
  })

  it('shares exactly one refresh among many concurrent calls', async () => {
    const account = await addDemo()
    const orgId = await firstOwnedOrg(core, account.id)
    server.clock.advance(ACCESS_TTL_MS + 1_000)

    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        core.router.handle(i % 2 ? 'activity.list' : 'users.discover', i % 2 ? { accountId: account.id, orgId } : { accountId: account.id, orgId, q: 'a' }, {
          url: 'http://app.test/',
          isMainFrame: true,
        }),
      ),
    )
    expect(results.every((r) => r.ok)).toBe(true)
    expect(http.count(routes.refresh())).toBe(1)
    expect(core.accounts.get(account.id).status).toBe('signed_in')
  })

  it('ends the session when the refresh token was reused, and signing in again keeps the account', async () => {
    const account = await addDemo()
    const orgId = await firstOwnedOrg(core, account.id)
    // Someone else rotates our refresh token first (a stolen copy): ours is now a reused token.
    const stolen = (await tokensOf(account.id))!.refreshToken
    const rotated = await fetch(`${server.url}${routes.refresh()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: stolen }),
    })
    expect(rotated.status).toBe(200)
    server.clock.advance(ACCESS_TTL_MS + 1_000)

    const r = await core.router.handle('activity.list', { accountId: account.id, orgId }, { url: 'http://app.test/', isMainFrame: true })
    expect(r).toMatchObject({ ok: false, error: { code: 'session_expired' } })
    expect(core.accounts.get(account.id).status).toBe('expired')
    expect(eventsOf(core, 'session.expired')).toEqual([{ accountId: account.id }])
    expect(await tokensOf(account.id)).toBeNull()

    const back = await core.call<AccountSummary>('accounts.signIn', { accountId: account.id, password: DEMO.password })
    expect(back).toMatchObject({ id: account.id, status: 'signed_in' })
    expect((await core.call<AccountSummary[]>('accounts.list', {})).map((a) => a.id)).toEqual([account.id])
  })

  it('signs out (tokens dropped, server session revoked) and forgets an account with its cache', async () => {
    const account = await addDemo()
    await core.call('orgs.list', { accountId: account.id })
    const refreshToken = (await tokensOf(account.id))!.refreshToken
    expect(await core.call('accounts.signOut', { accountId: account.id })).toMatchObject({ status: 'signed_out' })
    expect(await tokensOf(account.id)).toBeNull()
    expect(http.count(routes.logout())).toBe(1)
    const reuse = await fetch(`${server.url}${routes.refresh()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    })
    expect(reuse.status).toBe(401)
    // Signed out: calls need a new sign-in, the cached org list still reads.
    const orgs = await core.call<{ source: string }>('orgs.list', { accountId: account.id })
    expect(orgs.source).toBe('cache')

    const cacheDir = join(core.dataDir, 'cache', account.id)
    expect((await snapshotDir(cacheDir)).length).toBeGreaterThan(0)
    expect(await core.call('accounts.forget', { accountId: account.id })).toEqual({ ok: true })
    expect(await core.call('accounts.list', {})).toEqual([])
    // Forgetting deletes what was cached for the account from disk, not only from the list.
    expect(await snapshotDir(cacheDir)).toEqual([])
    const r = await core.router.handle('orgs.list', { accountId: account.id }, { url: 'http://app.test/', isMainFrame: true })
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown_account' } })
  })

  /** A fetch that holds refresh requests at a gate: before they reach the server, or after it answered. */
  function gatedRefresh(when: 'before' | 'after') {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let arrived!: () => void
    const seen = new Promise<void>((r) => (arrived = r))
    const fetchFn: typeof fetch = async (input, init) => {
      const req = new Request(input, init)
      if (!new URL(req.url).pathname.endsWith(routes.refresh())) return fetch(req)
      arrived()
      if (when === 'before') await gate
      const res = await fetch(req)
      if (when === 'after') await gate
      return res
    }
    return { fetch: fetchFn, seen, release }
  }

  for (const when of ['before', 'after'] as const) {
    it(`a refresh answered ${when === 'before' ? 'after the server saw the sign-out' : 'only after sign-out finished'} does not bring the session back`, async () => {
      const gated = gatedRefresh(when)
      const local = await makeCore({ fetch: gated.fetch })
      cleanups.push(() => local.dispose())
      const account = await local.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...DEMO })
      const refreshing = local.accounts.refresh(account.id).then(() => 'ok', (err: { code?: string }) => err.code)
      await gated.seen
      expect(await local.call('accounts.signOut', { accountId: account.id })).toMatchObject({ status: 'signed_out' })
      gated.release()
      await refreshing
      expect((await local.call<AccountSummary[]>('accounts.list', {})).map((a) => a.status)).toEqual(['signed_out'])
      const stored = await local.store.read(['accounts.json.enc'], storedTokens)
      expect(stored!.accounts[0]!.tokens).toBeNull()
      expect(local.received.filter((e) => e.event === 'session.expired')).toEqual([])
    })
  }

  it('holds two accounts on two servers at once', async () => {
    const other = await startTestServer({ seed: true })
    cleanups.push(() => other.close())
    const a = await addDemo()
    const b = await core.call<AccountSummary>('accounts.add', { baseUrl: other.url, ...OWNER2 })
    expect(a.id).not.toBe(b.id)
    expect(new Set([a.baseUrl, b.baseUrl]).size).toBe(2)

    const [orgsA, orgsB] = await Promise.all([
      core.call<{ data: { id: string; name: string; myRole: string }[] }>('orgs.list', { accountId: a.id }),
      core.call<{ data: { id: string; name: string; myRole: string }[] }>('orgs.list', { accountId: b.id }),
    ])
    expect(orgsA.data.find((o) => o.name === 'Globex')?.myRole).toBe('owner')
    expect(orgsB.data.find((o) => o.name === 'Globex')).toBeUndefined()
    expect(orgsB.data.find((o) => o.name === 'Initech')?.myRole).toBe('owner')

    // Expiring one server's tokens leaves the other account alone.
    other.clock.advance(ACCESS_TTL_MS + 1_000)
    await core.call('members.sync', { accountId: b.id, orgId: orgsB.data.find((o) => o.name === 'Initech')!.id })
    expect(core.accounts.get(a.id).status).toBe('signed_in')
    expect(core.accounts.get(b.id).status).toBe('signed_in')
  })
})

async function firstOwnedOrg(c: TestCore, accountId: string): Promise<string> {
  const orgs = await c.call<{ data: { id: string; name: string; myRole: string }[] }>('orgs.list', { accountId })
  return orgs.data.find((o) => o.name === 'Acme Corp')!.id
}
