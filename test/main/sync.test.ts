/**
 * Cache + sync against a real server: first read waits for the network, later reads answer
 * from the cache and refresh in the background; member sync reports progress, then only
 * pulls what changed; a stopped server leaves the cache readable and flagged offline.
 */
import { existsSync } from 'node:fs'
import { readFile, rename, stat, writeFile } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { routes, type Member, type OrgSummary } from '../../src/shared/api'
import type { AccountSummary, Cached, MemberWindow } from '../../src/shared/ipc'
import { addMember, bulkMembers, createUser } from '../../src/server/index'
import { startTestServer } from '../support/server'
import { countingFetch, DEMO, eventsOf, lateReads, makeCore, OWNER2, rawBytes, type TestCore } from './helpers'

type Server = Awaited<ReturnType<typeof startTestServer>>

let server: Server
let core: TestCore
let http: ReturnType<typeof countingFetch>
let account: AccountSummary
let acme: OrgSummary
let serverClosed = false

beforeEach(async () => {
  server = await startTestServer({ seed: true })
  serverClosed = false
  http = countingFetch()
  core = await makeCore({ fetch: http.fetch })
  account = await core.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...DEMO })
  const orgs = await core.call<Cached<OrgSummary[]>>('orgs.list', { accountId: account.id })
  acme = orgs.data.find((o) => o.name === 'Acme Corp')!
})
afterEach(async () => {
  if (!serverClosed) await server.close()
  await core.dispose()
})

/** Act on the server as another user, outside the app (plain HTTP). */
async function asUser(creds: { email: string; password: string }) {
  const login = await fetch(`${server.url}${routes.login()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(creds),
  })
  const { accessToken } = (await login.json()) as { accessToken: string }
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    expect(res.status, `${method} ${path}`).toBeLessThan(300)
  }
}

const scope = () => ({ accountId: account.id, orgId: acme.id })

describe('cached reads', () => {
  it('waits for the network the first time, then answers from the cache and refreshes in the background', async () => {
    const first = await core.call<Cached<OrgSummary>>('orgs.get', scope())
    expect(first).toMatchObject({ source: 'network', offline: false, data: { id: acme.id, name: 'Acme Corp' } })
    expect(first.syncedAt).not.toBeNull()

    const owner2 = await asUser(OWNER2)
    await owner2('PATCH', routes.org(acme.id), { name: 'Acme Corporation' })

    const second = await core.call<Cached<OrgSummary>>('orgs.get', scope())
    expect(second).toMatchObject({ source: 'cache', data: { name: 'Acme Corp' } })
    await vi.waitFor(() => expect(eventsOf(core, 'cache.updated')).toContainEqual({ ...scope(), kind: 'org' }))
    const third = await core.call<Cached<OrgSummary>>('orgs.get', scope())
    expect(third).toMatchObject({ source: 'cache', data: { name: 'Acme Corporation' } })
  })

  it('does not announce an update when the background refresh brought nothing new', async () => {
    const first = await core.call<Cached<unknown>>('workspaces.list', scope())
    // Each cached read refreshes in the background; wait until one has been written back.
    await vi.waitFor(async () => {
      const again = await core.call<Cached<unknown>>('workspaces.list', scope())
      expect(again.source).toBe('cache')
      expect(again.syncedAt).not.toBe(first.syncedAt)
    })
    expect(http.count(routes.workspaces(acme.id))).toBeGreaterThan(1)
    expect(eventsOf(core, 'cache.updated')).toEqual([])
  })
})

describe('member sync', () => {
  it('walks all pages with progress, then pulls only changes and reports joined/left/role changes', async () => {
    const first = await core.call<Cached<MemberWindow>>('members.list', scope())
    expect(first.source).toBe('network')
    expect(first.data.members.length).toBe(acme.memberCount)
    expect(first.data.changes).toEqual([])
    expect(first.data.previousSyncedAt).toBeNull()
    const progress = eventsOf(core, 'sync.progress') as { loaded: number; total: number; done: boolean }[]
    expect(progress.at(-1)).toMatchObject({ loaded: acme.memberCount, total: acme.memberCount, done: true })

    const plain = first.data.members.filter((m) => m.role === 'member')
    const promoted = plain[0]!
    const removed = plain[1]!
    const owner2 = await asUser(OWNER2)
    await owner2('PATCH', routes.member(acme.id, promoted.userId), { role: 'billing_admin' })
    await owner2('DELETE', routes.member(acme.id, removed.userId))

    const second = await core.call<Cached<MemberWindow>>('members.sync', scope())
    expect(second.source).toBe('network')
    const membersRequests = http.requests.filter((r) => r.path.startsWith(routes.members(acme.id)))
    expect(membersRequests.at(-1)!.path).toContain('since=')
    const byId = new Map<string, Member>(second.data.members.map((m) => [m.userId, m]))
    expect(byId.get(promoted.userId)?.role).toBe('billing_admin')
    expect(byId.has(removed.userId)).toBe(false)
    expect(second.data.members.length).toBe(acme.memberCount - 1)
    expect(second.data.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'role_changed', userId: promoted.userId, from: 'member', to: 'billing_admin' }),
        expect.objectContaining({ kind: 'left', userId: removed.userId, from: 'member', to: null }),
      ]),
    )
    expect(second.data.changes).toHaveLength(2)
    expect(second.data.previousSyncedAt).toBe(first.syncedAt)
  })

  it('a due background refresh of members waits until reads pause, then pulls once', async () => {
    await core.call('members.list', scope())
    const pulls = () => http.requests.filter((r) => r.path.startsWith(routes.members(acme.id))).length
    const before = pulls()
    // Every read finds a refresh due (no minimum interval). The reads span longer than the
    // quiet period, but each comes before it has passed since the one before.
    const typing = await makeCore({ dataDir: core.dataDir, key: core.key, fetch: http.fetch, backgroundQuietMs: 1_200 })
    for (const q of ['a', 'ad', 'ada', 'ad', '']) {
      expect(await typing.call<Cached<MemberWindow>>('members.list', { ...scope(), q })).toMatchObject({ source: 'cache' })
      await new Promise((r) => setTimeout(r, 400))
    }
    expect(pulls()).toBe(before)
    await vi.waitFor(() => expect(pulls()).toBe(before + 1), { timeout: 10_000 })
    await typing.sync.idle()
    expect(pulls()).toBe(before + 1)
  })

  it('an explicit sync asked for after a change includes it, even while an older pull is running', async () => {
    // 2 500 more members: three pages, so a pull can be caught after its first page.
    await bulkMembers(server, { orgId: acme.id, count: 2500 })
    const older = core.call<Cached<MemberWindow>>('members.sync', scope())
    await vi.waitFor(() => expect((eventsOf(core, 'sync.progress') as { loaded: number; done: boolean }[]).some((p) => p.loaded >= 1000 && !p.done)).toBe(true), { timeout: 20_000 })
    const late = await createUser(server, { email: 'aaa.late@acme.test', displayName: 'Aaa Late', password: 'late-password' })
    await addMember(server, { orgId: acme.id, userId: late.id, role: 'member' })
    const fresh = await core.call<Cached<MemberWindow>>('members.sync', scope())
    expect(fresh.data.members.some((m) => m.email === 'aaa.late@acme.test')).toBe(true)
    // The pull that started first could not have seen it: its first page was read before.
    expect((await older).data.members.some((m) => m.email === 'aaa.late@acme.test')).toBe(false)
  })

  it('closing waits for the pulls changes started, also one queued behind a running pull', async () => {
    // Member reads answer late, so the second removal's sync waits for the first one's.
    const closing = await makeCore({ fetch: lateReads(http.fetch, routes.members(acme.id), 150) })
    const added = await closing.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...DEMO })
    const ref = { accountId: added.id, orgId: acme.id }
    const members = (await closing.call<Cached<MemberWindow>>('members.list', { ...ref, role: 'member' })).data.members
    const reads = () => http.requests.filter((r) => r.method === 'GET' && r.path.startsWith(routes.members(acme.id))).length
    const before = reads()
    for (const m of members.slice(0, 2)) await closing.call('members.remove', { ...ref, userId: m.userId })
    // Closes, then removes the folder: nothing is left to write, so it stays gone.
    await closing.dispose()
    expect(reads()).toBe(before + 2)
    await new Promise((r) => setTimeout(r, 500))
    expect(reads()).toBe(before + 2)
    expect(existsSync(closing.dataDir)).toBe(false)
  })

  it('a sync leaves the member list file untouched (nothing new, or a few changes journaled); a restart reads the latest sync', async () => {
    const first = await core.call<Cached<MemberWindow>>('members.sync', scope())
    const listFile = core.store.path('cache', account.id, 'org', acme.id, 'members.enc')
    const before = await stat(listFile)
    await new Promise((r) => setTimeout(r, 5)) // a later syncedAt
    const idle = await core.call<Cached<MemberWindow>>('members.sync', scope())
    expect(idle.syncedAt).not.toBe(first.syncedAt)
    const promoted = first.data.members.find((m) => m.role === 'member')!
    await (await asUser(OWNER2))('PATCH', routes.member(acme.id, promoted.userId), { role: 'billing_admin' })
    const again = await core.call<Cached<MemberWindow>>('members.sync', scope())
    expect(again.data.changes).toMatchObject([{ kind: 'role_changed', userId: promoted.userId }])
    const after = await stat(listFile)
    expect([after.ino, after.mtimeMs, after.size]).toEqual([before.ino, before.mtimeMs, before.size])

    const reopened = await makeCore({ dataDir: core.dataDir, key: core.key, backgroundMinIntervalMs: 60_000 })
    const all = await reopened.call<Cached<MemberWindow>>('members.list', { ...scope(), limit: 1000 })
    expect(all).toMatchObject({ source: 'cache', syncedAt: again.syncedAt, data: { total: acme.memberCount, matched: acme.memberCount, changeCount: 1 } })
    expect(all.data.members.find((m) => m.userId === promoted.userId)?.role).toBe('billing_admin')
    // A window of a filtered, sorted read is the slice of the same list filtered and sorted here.
    const ada = all.data.members.filter((m) => `${m.displayName}\n${m.email}`.toLowerCase().includes('ada')).map((m) => m.email).sort().reverse()
    const window = await reopened.call<Cached<MemberWindow>>('members.list', { ...scope(), q: 'ADA', sort: 'email', desc: true, offset: 1, limit: 2 })
    expect(window.data).toMatchObject({ matched: ada.length, offset: 1 })
    expect(window.data.members.map((m) => m.email)).toEqual(ada.slice(1, 3))
  })

  it('a first sync whose pages list a member twice keeps the later copy, in memory and in the list file', async () => {
    // The server lists the first member a second time, as another role (they changed during the walk).
    let twice: Member | undefined
    const repeating: typeof fetch = async (input, init) => {
      const res = await fetch(new Request(input, init))
      if (!new URL(res.url).pathname.endsWith('/members')) return res
      const page = (await res.json()) as { items: Member[] }
      twice = { ...page.items[0]!, role: page.items[0]!.role === 'member' ? 'billing_admin' : 'member' }
      return Response.json({ ...page, items: [...page.items, twice] })
    }
    const fresh = await makeCore({ fetch: repeating })
    const added = await fresh.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...DEMO })
    const synced = await fresh.call<Cached<MemberWindow>>('members.sync', { accountId: added.id, orgId: acme.id, limit: 1000 })
    expect(synced.data.total).toBe(acme.memberCount)
    expect(synced.data.members.filter((m) => m.userId === twice!.userId)).toEqual([twice])

    const reopened = await makeCore({ dataDir: fresh.dataDir, key: fresh.key, backgroundMinIntervalMs: 60_000 })
    const read = await reopened.call<Cached<MemberWindow>>('members.list', { accountId: added.id, orgId: acme.id, sort: 'email', limit: 1000 })
    expect(read).toMatchObject({ source: 'cache', data: { total: acme.memberCount } })
    expect(new Set(read.data.members)).toEqual(new Set(synced.data.members))
    await reopened.close()
    await fresh.dispose()
  })

  it('refuses a tampered or torn member cache and refetches it, keeping the account', async () => {
    await core.call('members.sync', scope())
    const listFile = core.store.path('cache', account.id, 'org', acme.id, 'members.enc')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const good = await readFile(listFile)
    const tampered = Buffer.from(good)
    tampered[tampered.length - 100]! ^= 1
    const firstRows = (await core.call<Cached<MemberWindow>>('members.list', scope())).data.members
    for (const damaged of [tampered, good.subarray(0, good.length >> 1)]) {
      await writeFile(listFile, damaged)
      const reopened = await makeCore({ dataDir: core.dataDir, key: core.key })
      // The default view's first rows live in the intact side file; any other read needs the list.
      const head = await reopened.call<Cached<MemberWindow>>('members.list', scope())
      expect(head).toMatchObject({ source: 'cache', data: { total: acme.memberCount, members: firstRows } })
      const read = await reopened.call<Cached<MemberWindow>>('members.list', { ...scope(), sort: 'email' })
      expect(read).toMatchObject({ source: 'network', data: { total: acme.memberCount } })
      expect(reopened.accounts.list().map((a) => a.id)).toEqual([account.id])
    }
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/members\.enc is unreadable/))
    warn.mockRestore()
  })

  it('a restart shows the first rows from the small file; a file from before it kept them reads the whole list', async () => {
    await core.call('members.sync', scope())
    const byName = (await core.call<Cached<MemberWindow>>('members.list', { ...scope(), limit: 1000 })).data.members
    const listFile = core.store.path('cache', account.id, 'org', acme.id, 'members.enc')
    const metaSegments = ['cache', account.id, 'org', acme.id, 'members-meta.enc']
    // Without the list, the first window still answers from the side file, at any limit it covers.
    await rename(listFile, `${listFile}.away`)
    const reopened = await makeCore({ dataDir: core.dataDir, key: core.key, backgroundMinIntervalMs: 60_000 })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const head = await reopened.call<Cached<MemberWindow>>('members.list', { ...scope(), limit: 10 })
    expect(head).toMatchObject({ source: 'cache', data: { offset: 0, matched: acme.memberCount, total: acme.memberCount } })
    expect(head.data.members).toEqual(byName.slice(0, 10))
    warn.mockRestore()
    await rename(`${listFile}.away`, listFile)

    // An older app's side file has no head: the list is read as before.
    const meta = (await core.store.read(metaSegments, z.looseObject({ data: z.looseObject({}) })))!
    delete meta.data.head
    await core.store.write(metaSegments, meta)
    const older = await makeCore({ dataDir: core.dataDir, key: core.key, backgroundMinIntervalMs: 60_000 })
    const all = await older.call<Cached<MemberWindow>>('members.list', { ...scope(), limit: 1000 })
    expect(all).toMatchObject({ source: 'cache', data: { total: acme.memberCount } })
    expect(all.data.members).toEqual(byName)

    // An older app's list (one object per member, format 1) is discarded and fetched again.
    await older.close()
    await core.store.write(['cache', account.id, 'org', acme.id, 'members.enc'], { format: 1, members: byName })
    const warn2 = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const upgraded = await makeCore({ dataDir: core.dataDir, key: core.key, backgroundMinIntervalMs: 60_000 })
    const refetched = await upgraded.call<Cached<MemberWindow>>('members.list', { ...scope(), sort: 'email', limit: 1000 })
    expect(refetched).toMatchObject({ source: 'network', data: { total: acme.memberCount } })
    expect(refetched.data.members).toEqual([...byName].sort((a, b) => (a.email < b.email ? -1 : 1)))
    expect(warn2).toHaveBeenCalledWith(expect.stringMatching(/members\.enc does not match its schema/))
    warn2.mockRestore()
  })

  it('keeps member data and tokens unreadable on disk', async () => {
    const snapshot = await core.call<Cached<MemberWindow>>('members.list', scope())
    await core.call('invitations.list', scope())
    const raw = await rawBytes(core.dataDir)
    for (const m of snapshot.data.members.slice(0, 20)) expect(raw.includes(m.email)).toBe(false)
    expect(raw.includes('Acme Corp')).toBe(false)
    expect(raw.includes('acme.test')).toBe(false)
  })
})

describe('offline', () => {
  it('serves the cache flagged offline after the server stops, and refuses mutations clearly', async () => {
    await core.call('members.list', scope())
    await core.call('invitations.list', scope())
    await server.close()
    serverClosed = true

    const members = await core.call<Cached<MemberWindow>>('members.sync', scope())
    expect(members).toMatchObject({ source: 'cache', offline: true })
    expect(members.data.members.length).toBe(acme.memberCount)
    expect(eventsOf(core, 'connectivity')).toContainEqual({ accountId: account.id, online: false })
    expect(core.accounts.get(account.id).online).toBe(false)

    const invitations = await core.call<Cached<unknown>>('invitations.list', scope())
    expect(invitations).toMatchObject({ source: 'cache', offline: true })
    const orgs = await core.call<Cached<OrgSummary[]>>('orgs.list', { accountId: account.id })
    expect(orgs).toMatchObject({ source: 'cache', offline: true })
    expect(orgs.data.map((o) => o.id)).toContain(acme.id)

    const r = await core.router.handle('orgs.update', { ...scope(), patch: { name: 'x' } }, { url: 'http://app.test/', isMainFrame: true })
    expect(r).toMatchObject({ ok: false, error: { code: 'offline' } })
    expect(r.ok || r.error.message).toMatch(/Cannot reach/)

    // Never cached: no data to fall back on, so the read fails with the same clear code.
    const billing = await core.router.handle('billing.get', scope(), { url: 'http://app.test/', isMainFrame: true })
    expect(billing).toMatchObject({ ok: false, error: { code: 'offline' } })
  })
})
