/**
 * The workspace, recycle-bin, member-detail and per-person activity channels through the router
 * against a real server: replies pass the contract, server rules come back as their codes, the
 * cached lists follow a change, and the member panel still answers from the cache offline.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ActivityPage, BinnedWorkspace, MemberDetail, OrgSummary, Workspace } from '../../src/shared/api'
import type { AccountSummary, Cached, MemberWindow } from '../../src/shared/ipc'
import { startTestServer } from '../support/server'
import { DEMO, makeCore, TRUSTED, type TestCore } from './helpers'

let server: Awaited<ReturnType<typeof startTestServer>>
let core: TestCore
let scope: { accountId: string; orgId: string }

beforeAll(async () => {
  server = await startTestServer({ seed: true })
  core = await makeCore()
  const account = await core.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...DEMO })
  const orgs = (await core.call<Cached<OrgSummary[]>>('orgs.list', { accountId: account.id })).data
  scope = { accountId: account.id, orgId: orgs.find((o) => o.name === 'Acme Corp')!.id }
})
afterAll(async () => {
  await server.close()
  await core.dispose()
})

const names = async () => (await core.call<Cached<{ items: Workspace[] }>>('workspaces.list', scope)).data.items.map((w) => w.name)

describe('workspace channels', () => {
  it('create, rename, add and remove a member, delete, restore and purge; the cached list follows', async () => {
    const ws = await core.call<Workspace>('workspaces.create', { ...scope, name: 'Platform' })
    expect(ws).toMatchObject({ name: 'Platform', slug: 'platform', myRole: null })
    await vi.waitFor(async () => expect(await names()).toContain('Platform'), 5_000)
    const taken = await core.router.handle('workspaces.create', { ...scope, name: 'platform' }, TRUSTED)
    expect(taken).toMatchObject({ ok: false, error: { code: 'workspace_name_taken' } })
    // Names are checked in main before they travel.
    expect(await core.router.handle('workspaces.create', { ...scope, name: '' }, TRUSTED)).toMatchObject({ ok: false, error: { code: 'validation_failed' } })

    const renamed = await core.call<Workspace>('workspaces.rename', { ...scope, workspaceId: ws.id, name: 'Platform team' })
    expect(renamed.slug).toBe('platform-team')
    const someone = (await core.call<Cached<MemberWindow>>('members.list', { ...scope, role: 'member', limit: 1 })).data.members[0]!
    const added = await core.call<Workspace>('workspaces.setMember', { ...scope, workspaceId: ws.id, userId: someone.userId, role: 'admin' })
    expect(added.members).toEqual([expect.objectContaining({ id: someone.userId, role: 'admin' })])
    expect(await core.router.handle('workspaces.setMember', { ...scope, workspaceId: ws.id, userId: someone.userId, role: 'editor' }, TRUSTED)).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    })
    const detail = await core.call<Cached<MemberDetail>>('members.detail', { ...scope, userId: someone.userId })
    expect(detail).toMatchObject({ source: 'network', offline: false })
    expect(detail.data.workspaces).toContainEqual({ id: ws.id, name: 'Platform team', role: 'admin' })
    expect((await core.call<Workspace>('workspaces.removeMember', { ...scope, workspaceId: ws.id, userId: someone.userId })).members).toEqual([])

    expect(await core.call('workspaces.delete', { ...scope, workspaceId: ws.id })).toEqual({ ok: true })
    await vi.waitFor(async () => expect(await names()).not.toContain('Platform team'), 5_000)
    const bin = await core.call<{ items: BinnedWorkspace[] }>('recycleBin.list', scope)
    expect(bin.items.map((w) => [w.name, w.daysLeft])).toContainEqual(['Platform team', 30])
    expect((await core.call<Workspace>('recycleBin.restore', { ...scope, workspaceId: ws.id })).name).toBe('Platform team')
    await core.call('workspaces.delete', { ...scope, workspaceId: ws.id })
    expect(await core.call('recycleBin.purge', { ...scope, workspaceId: ws.id })).toEqual({ ok: true })
    expect((await core.call<{ items: BinnedWorkspace[] }>('recycleBin.list', scope)).items.map((w) => w.id)).not.toContain(ws.id)
  })

  it("lists one person's recent events with subject and limit", async () => {
    const dana = (await core.call<Cached<MemberWindow>>('members.list', { ...scope, q: 'admin@demo' })).data.members[0]!
    const page = await core.call<Cached<ActivityPage>>('activity.list', { ...scope, subject: dana.userId, limit: 3 })
    expect(page.data.items).toHaveLength(3)
    expect(page.data.items.every((e) => e.actor?.id === dana.userId)).toBe(true)
  })

  it('answers the member panel from the cache when the server is gone', async () => {
    const all = (await core.call<Cached<MemberWindow>>('members.sync', scope)).data.members
    const inWorkspaces = all.find((m) => m.workspaceCount > 0 && m.email !== DEMO.email)!
    await core.call('workspaces.list', scope)
    await server.close()
    const offline = await core.call<Cached<MemberDetail>>('members.detail', { ...scope, userId: inWorkspaces.userId })
    expect(offline).toMatchObject({ source: 'cache', offline: true, data: { member: { userId: inWorkspaces.userId, lastActiveAt: null } } })
    expect(offline.data.workspaces.length).toBe(inWorkspaces.workspaceCount)
    expect(await core.router.handle('workspaces.create', { ...scope, name: 'Offline' }, TRUSTED)).toMatchObject({ ok: false, error: { code: 'offline' } })
  })
})
