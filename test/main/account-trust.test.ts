/**
 * Accounts people can tell apart and trust: plain http only for this machine unless
 * confirmed, a name of their own, one state for every view, and "Offline" that clears by
 * itself once the server answers again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AccountSummary } from '../../src/shared/ipc'
import { json, startHostileServer, tokenPair, type HostileServer } from '../support/hostile'
import { eventsOf, makeCore, type TestCore } from './helpers'

let hostile: HostileServer
let core: TestCore
beforeEach(async () => {
  hostile = await startHostileServer()
  core = await makeCore({ timeoutMs: 800, reconnectBaseMs: 50 })
})
afterEach(async () => {
  core.accounts.dispose()
  await hostile.close()
  await core.dispose()
})

const creds = { email: 'admin@hostile.test', password: 'secret-password' }

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'resolved',
    (err: { code?: string }) => err.code ?? String(err),
  )
}

async function until(check: () => boolean | Promise<boolean>, ms = 3_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('plain http', () => {
  it('is refused for a server on another machine unless the person confirmed, before anything is sent', async () => {
    const sent: string[] = []
    const guarded = await makeCore({
      // Never leaves this machine: records the attempt and fails like an unreachable host.
      fetch: async (input) => {
        sent.push(new Request(input).url)
        throw new TypeError('fetch failed')
      },
    })
    try {
      const add = (extra: object) => guarded.call('accounts.add', { baseUrl: 'http://orgs.example.test', ...creds, ...extra })
      expect(await codeOf(add({}))).toBe('insecure_http')
      expect(await codeOf(guarded.call('invitations.preview', { url: 'http://orgs.example.test/invite#abcdefghijklmnopqrst' }))).toBe(
        'insecure_http',
      )
      expect(sent).toEqual([])
      // Confirmed: the call goes out (and fails here only because nothing listens there).
      expect(await codeOf(add({ allowInsecureHttp: true }))).toBe('offline')
      expect(sent).toEqual(['http://orgs.example.test/v1/auth/login'])
    } finally {
      await guarded.dispose()
    }
  })

  it('is fine on loopback, and every listed account carries its server address', async () => {
    const account = await core.call<AccountSummary>('accounts.add', { baseUrl: hostile.url, ...creds })
    expect(account).toMatchObject({ baseUrl: hostile.url, name: null, state: 'signed_in' })
  })
})

describe('account names', () => {
  it('are stored with the account, survive a restart, and clear when emptied', async () => {
    const { id } = await core.call<AccountSummary>('accounts.add', { baseUrl: hostile.url, ...creds })
    expect(await core.call('accounts.rename', { accountId: id, name: '  Staging  ' })).toMatchObject({ name: 'Staging' })
    expect(eventsOf(core, 'accounts.changed').length).toBeGreaterThanOrEqual(2)
    const again = await makeCore({ dataDir: core.dataDir, key: core.key })
    expect((await again.call<AccountSummary[]>('accounts.list', {}))[0]).toMatchObject({ id, name: 'Staging' })
    expect(await core.call('accounts.rename', { accountId: id, name: '' })).toMatchObject({ name: null })
    expect(await codeOf(core.call('accounts.rename', { accountId: id, name: 'x'.repeat(61) }))).toBe('validation_failed')
  })
})

describe('connectivity', () => {
  it('turns offline when the server goes away and back by itself, with backoff, when it returns', async () => {
    const { id } = await core.call<AccountSummary>('accounts.add', { baseUrl: hostile.url, ...creds })
    hostile.on('GET', '/v1/orgs', (_req, res) => json(res, 200, { items: [] }))
    await hostile.down()
    expect(await codeOf(core.call('orgs.list', { accountId: id }))).toBe('offline')
    expect((await core.call<AccountSummary[]>('accounts.list', {}))[0]).toMatchObject({ online: false, state: 'offline' })

    // A few probes fail while it is down, further and further apart.
    await new Promise((r) => setTimeout(r, 400))
    await hostile.up()
    await until(() => eventsOf(core, 'connectivity').some((e) => (e as { online: boolean }).online))
    expect(eventsOf(core, 'connectivity')).toEqual([
      { accountId: id, online: false },
      { accountId: id, online: true },
    ])
    expect((await core.call<AccountSummary[]>('accounts.list', {}))[0]).toMatchObject({ online: true, state: 'signed_in' })
    // 50, 100, 200 ms … : a handful of probes in ~half a second, not one per tick.
    expect(hostile.requests.filter((r) => r.path === '/v1/me').length).toBeLessThanOrEqual(2)
  })

  it('is back online as soon as the person signs in again', async () => {
    const { id } = await core.call<AccountSummary>('accounts.add', { baseUrl: hostile.url, ...creds })
    core.accounts.setOnline(id, false)
    core.accounts.dispose() // no probe: only the sign-in may clear it
    hostile.on('POST', '/v1/auth/login', (_req, res) => json(res, 200, tokenPair(2)))
    expect(await core.call('accounts.signIn', { accountId: id, password: creds.password })).toMatchObject({ state: 'signed_in' })
    expect(eventsOf(core, 'connectivity').at(-1)).toEqual({ accountId: id, online: true })
  })
})

describe('activity', () => {
  it('is kept like members: the log is read once from the server, then paged and reviewed offline from the cache', async () => {
    const { id } = await core.call<AccountSummary>('accounts.add', { baseUrl: hostile.url, ...creds })
    const event = { id: '1', at: '2026-01-01T00:00:00.000Z', action: 'member.removed', actor: null, actorKey: null, target: 'x@hostile.test', targetUserId: null, details: {} }
    hostile.on('GET', '/v1/orgs/o1/activity', (req, res) =>
      json(res, 200, req.url?.includes('cursor=p2') ? { items: [{ ...event, id: '2' }], nextCursor: null } : { items: [event], nextCursor: 'p2' }),
    )
    const ref = { accountId: id, orgId: 'o1', limit: 1 }
    expect(await core.call('activity.list', ref)).toMatchObject({ data: { items: [{ id: '1' }], matched: 2, nextCursor: '1', complete: true }, source: 'network', offline: false })

    await hostile.down()
    core.accounts.setOnline(id, false)
    expect(await core.call('activity.list', ref)).toMatchObject({ data: { items: [{ id: '1' }] }, source: 'cache', offline: true })
    expect(await core.call('activity.list', { ...ref, cursor: '1' })).toMatchObject({ data: { items: [{ id: '2' }], nextCursor: null }, source: 'cache', offline: true })
  })
})
