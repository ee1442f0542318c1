/**
 * Workspaces over HTTP: names, the recycle bin with the clock (restore, purge, 30-day expiry and
 * the sweep), workspace roles, workspace_count as a members sync sees it, member detail, and
 * last_active_at that never moves the members version.
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memberships, workspaces } from '../../src/server/db/schema'
import { addMember, createOrg, createUser } from '../../src/server/index'
import { LAST_ACTIVE_EVERY_MS } from '../../src/server/services/members'
import { purgeExpiredWorkspaces } from '../../src/server/services/workspaces'
import {
  activityPageSchema,
  memberDetailSchema,
  memberPageSchema,
  recycleBinSchema,
  routes,
  workspaceListSchema,
  workspaceSchema,
} from '../../src/shared/api'
import type { Role } from '../../src/shared/roles'
import { startTestServer, type TestServer } from '../support/server'
import { client } from './client'

const DAY = 86_400_000
let server: TestServer
let api: ReturnType<typeof client>
beforeAll(async () => {
  server = await startTestServer()
  api = client(server)
})
afterAll(() => server.close())

let seq = 0
/** An organization whose first person is its Owner, then one person per listed role; everyone signed in. */
async function org(...roles: Role[]) {
  const n = seq++
  const people = await Promise.all(
    ['owner' as Role, ...roles].map((_, i) => createUser(server, { email: `w${i}.o${n}@ws.test`, displayName: `Person ${i}`, password: 'ws-password' })),
  )
  const o = await createOrg(server, { name: `Ws org ${n}`, ownerUserId: people[0]!.id })
  for (const [i, role] of roles.entries()) await addMember(server, { orgId: o.id, userId: people[i + 1]!.id, role })
  let tokens: string[] = []
  /** Again after moving the clock past the access tokens' 15 minutes. */
  const signIn = async () => void (tokens = await Promise.all(people.map(async (p) => (await api.login(p.email, 'ws-password')).accessToken)))
  await signIn()
  const as = (i: number) => (method: string, path: string, body?: unknown) => api.call(method, path, { token: tokens[i], body })
  return { orgId: o.id, people, owner: as(0), as, signIn }
}

const listed = async (call: ReturnType<Awaited<ReturnType<typeof org>>['as']>, orgId: string) =>
  workspaceListSchema.parse((await call('GET', routes.workspaces(orgId))).body).items
async function bin(call: ReturnType<Awaited<ReturnType<typeof org>>['as']>, orgId: string) {
  const r = await call('GET', routes.recycleBin(orgId))
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return recycleBinSchema.parse(r.body).items
}
async function workspaceCount(orgId: string, userId: string): Promise<number> {
  const [row] = await server.db
    .select({ n: memberships.workspaceCount })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
  return row!.n
}

describe('workspace names', () => {
  it('are unique among live workspaces ignoring case, with a derived slug; renaming keeps the rule', async () => {
    const { orgId, owner } = await org()
    const created = await owner('POST', routes.workspaces(orgId), { name: '  Data Science  ' })
    expect(created.status).toBe(201)
    const ws = workspaceSchema.parse(created.body)
    expect(ws).toMatchObject({ name: 'Data Science', slug: 'data-science', myRole: null, memberCount: 0, members: [] })
    const again = await owner('POST', routes.workspaces(orgId), { name: 'data science' })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('workspace_name_taken')
    expect(again.body.error.message).toContain('“Data Science” already exists')
    const other = workspaceSchema.parse((await owner('POST', routes.workspaces(orgId), { name: 'Other' })).body)
    const clash = await owner('PATCH', routes.workspace(orgId, other.id), { name: 'DATA SCIENCE' })
    expect([clash.status, clash.body.error.code]).toEqual([409, 'workspace_name_taken'])
    // Renaming to itself in another case is allowed; the slug follows the name.
    const renamed = await owner('PATCH', routes.workspace(orgId, ws.id), { name: 'Data-Science Lab' })
    expect(renamed.body).toMatchObject({ name: 'Data-Science Lab', slug: 'data-science-lab' })
    const blank = await owner('POST', routes.workspaces(orgId), { name: '   ' })
    expect([blank.status, blank.body.error.code]).toEqual([400, 'validation_failed'])
    const missing = await owner('PATCH', routes.workspace(orgId, 'no-such-ws'), { name: 'x' })
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found'])
  })
})

describe('the recycle bin', () => {
  it('keeps a deleted workspace 30 days with its members, restores it, and purges it', async () => {
    const { orgId, people, owner, signIn } = await org('member')
    const ws = workspaceSchema.parse((await owner('POST', routes.workspaces(orgId), { name: 'Research' })).body)
    await owner('PUT', routes.workspaceMember(orgId, ws.id, people[1]!.id), { role: 'viewer' })
    expect((await owner('GET', routes.org(orgId))).body.workspaceCount).toBe(1)
    expect((await owner('DELETE', routes.workspace(orgId, ws.id))).status).toBe(200)
    expect(await listed(owner, orgId)).toEqual([])
    expect((await owner('GET', routes.org(orgId))).body.workspaceCount).toBe(0)
    let items = await bin(owner, orgId)
    expect(items).toMatchObject([{ id: ws.id, name: 'Research', daysLeft: 30, memberCount: 1, deletedBy: { id: people[0]!.id } }])
    expect(Date.parse(items[0]!.purgeAt) - Date.parse(items[0]!.deletedAt)).toBe(30 * DAY)
    // A binned workspace is not editable.
    const edit = await owner('PATCH', routes.workspace(orgId, ws.id), { name: 'Renamed' })
    expect([edit.status, edit.body.error.code]).toEqual([404, 'not_found'])

    server.clock.advance(10 * DAY)
    await signIn()
    expect((await bin(owner, orgId))[0]!.daysLeft).toBe(20)
    // Its name is free meanwhile; restoring into a taken name says so.
    const twin = workspaceSchema.parse((await owner('POST', routes.workspaces(orgId), { name: 'research' })).body)
    const blocked = await owner('POST', routes.restoreWorkspace(orgId, ws.id))
    expect([blocked.status, blocked.body.error.code]).toEqual([409, 'workspace_name_taken'])
    expect(blocked.body.error.message).toContain('cannot be restored')
    await owner('DELETE', routes.workspace(orgId, twin.id))
    const restored = await owner('POST', routes.restoreWorkspace(orgId, ws.id))
    expect(restored.status).toBe(200)
    expect(workspaceSchema.parse(restored.body).members).toMatchObject([{ id: people[1]!.id, role: 'viewer' }])
    expect((await bin(owner, orgId)).map((w) => w.id)).toEqual([twin.id])

    expect((await owner('DELETE', routes.binnedWorkspace(orgId, twin.id))).status).toBe(200)
    expect(await bin(owner, orgId)).toEqual([])
    const gone = await owner('POST', routes.restoreWorkspace(orgId, twin.id))
    expect([gone.status, gone.body.error.code]).toEqual([404, 'not_found'])
    // A live workspace cannot be purged or "restored" through the bin.
    expect((await owner('DELETE', routes.binnedWorkspace(orgId, ws.id))).status).toBe(404)

    const actions = activityPageSchema.parse((await owner('GET', routes.activity(orgId))).body).items.map((e) => e.action)
    expect(actions.slice(0, 6)).toEqual(['workspace.purged', 'workspace.restored', 'workspace.deleted', 'workspace.created', 'workspace.deleted', 'workspace.member_added'])
  })

  it('hides a workspace after 30 days and the sweep deletes it for good', async () => {
    const { orgId, owner, signIn } = await org()
    const ws = workspaceSchema.parse((await owner('POST', routes.workspaces(orgId), { name: 'Old' })).body)
    await owner('DELETE', routes.workspace(orgId, ws.id))
    server.clock.advance(30 * DAY - 60_000)
    await signIn()
    expect((await bin(owner, orgId)).map((w) => [w.id, w.daysLeft])).toEqual([[ws.id, 1]])
    server.clock.advance(60_000)
    expect(await bin(owner, orgId)).toEqual([])
    const late = await owner('POST', routes.restoreWorkspace(orgId, ws.id))
    expect([late.status, late.body.error.code]).toEqual([404, 'not_found'])
    expect(await server.db.select().from(workspaces).where(eq(workspaces.id, ws.id))).toHaveLength(1)
    expect(await purgeExpiredWorkspaces(server.ctx)).toBeGreaterThanOrEqual(1)
    expect(await server.db.select().from(workspaces).where(eq(workspaces.id, ws.id))).toHaveLength(0)
    const [event] = activityPageSchema.parse((await owner('GET', routes.activity(orgId))).body).items
    expect(event).toMatchObject({ action: 'workspace.purged', actor: null, target: 'Old', details: { expired: true } })
  })
})

describe('workspace_count', () => {
  it('leaves out binned workspaces and reaches a members since-sync on delete, restore and purge', async () => {
    const { orgId, people, owner } = await org('member')
    const them = people[1]!.id
    const [a, b] = await Promise.all(['A', 'B'].map(async (name) => workspaceSchema.parse((await owner('POST', routes.workspaces(orgId), { name })).body)))
    await owner('PUT', routes.workspaceMember(orgId, a!.id, them), { role: 'member' })
    await owner('PUT', routes.workspaceMember(orgId, b!.id, them), { role: 'admin' })
    expect(await workspaceCount(orgId, them)).toBe(2)
    // Each step: the count in the database, and what a sync from the previous step's server time reports.
    let since = memberPageSchema.parse((await owner('GET', routes.members(orgId))).body).serverTime
    const step = async (what: () => Promise<unknown>, expected: number) => {
      server.clock.advance(1000)
      await what()
      expect(await workspaceCount(orgId, them)).toBe(expected)
      const page = memberPageSchema.parse((await owner('GET', `${routes.members(orgId)}?since=${encodeURIComponent(since)}`)).body)
      expect(page.items.find((m) => m.userId === them)?.workspaceCount).toBe(expected)
      since = page.serverTime
    }
    await step(() => owner('DELETE', routes.workspace(orgId, a!.id)), 1)
    await step(() => owner('POST', routes.restoreWorkspace(orgId, a!.id)), 2)
    await step(() => owner('DELETE', routes.workspaceMember(orgId, b!.id, them)), 1)
    await step(() => owner('DELETE', routes.workspace(orgId, a!.id)), 0)
    // Purging what the bin already left out changes nobody's count.
    server.clock.advance(1000)
    await owner('DELETE', routes.binnedWorkspace(orgId, a!.id))
    expect(await workspaceCount(orgId, them)).toBe(0)
  })
})

describe('workspace members and roles', () => {
  it('needs an active organization member; removing someone from the organization drops them from its workspaces', async () => {
    const { orgId, people, owner } = await org('member', 'member')
    const ws = workspaceSchema.parse((await owner('POST', routes.workspaces(orgId), { name: 'Team' })).body)
    const outsider = await createUser(server, { email: `out${seq}@ws.test`, displayName: 'Outsider', password: 'ws-password' })
    const r = await owner('PUT', routes.workspaceMember(orgId, ws.id, outsider.id), { role: 'member' })
    expect([r.status, r.body.error.code]).toEqual([404, 'not_found'])
    await owner('DELETE', routes.member(orgId, people[2]!.id))
    const removed = await owner('PUT', routes.workspaceMember(orgId, ws.id, people[2]!.id), { role: 'member' })
    expect([removed.status, removed.body.error.code]).toEqual([404, 'not_found'])
    const bad = await owner('PUT', routes.workspaceMember(orgId, ws.id, people[1]!.id), { role: 'editor' })
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed'])
    await owner('PUT', routes.workspaceMember(orgId, ws.id, people[1]!.id), { role: 'member' })
    await owner('DELETE', routes.member(orgId, people[1]!.id))
    expect((await listed(owner, orgId))[0]!.members).toEqual([])
    const notIn = await owner('DELETE', routes.workspaceMember(orgId, ws.id, people[1]!.id))
    expect([notIn.status, notIn.body.error.code]).toEqual([404, 'not_found'])
  })

  it('lets a workspace Admin rename and manage members there, and nothing more; Members see members, Viewers only their role', async () => {
    const { orgId, people, owner, as } = await org('member', 'member', 'member', 'member')
    const [admin, member, viewer, stranger] = [1, 2, 3, 4]
    const ws = workspaceSchema.parse((await owner('POST', routes.workspaces(orgId), { name: 'Shared' })).body)
    const other = workspaceSchema.parse((await owner('POST', routes.workspaces(orgId), { name: 'Elsewhere' })).body)
    for (const [i, role] of [[admin, 'admin'], [member, 'member'], [viewer, 'viewer']] as const) {
      expect((await owner('PUT', routes.workspaceMember(orgId, ws.id, people[i]!.id), { role })).status).toBe(200)
    }
    // The workspace Admin: rename, add, change a role, remove — in this workspace only.
    expect((await as(admin)('PATCH', routes.workspace(orgId, ws.id), { name: 'Shared space' })).body.name).toBe('Shared space')
    expect((await as(admin)('PUT', routes.workspaceMember(orgId, ws.id, people[stranger]!.id), { role: 'viewer' })).status).toBe(200)
    const promoted = await as(admin)('PUT', routes.workspaceMember(orgId, ws.id, people[stranger]!.id), { role: 'member' })
    expect(promoted.body.members.find((m: { id: string }) => m.id === people[stranger]!.id).role).toBe('member')
    expect((await as(admin)('DELETE', routes.workspaceMember(orgId, ws.id, people[stranger]!.id))).status).toBe(200)
    for (const [method, path, body] of [
      ['PATCH', routes.workspace(orgId, other.id), { name: 'Nope' }],
      ['DELETE', routes.workspace(orgId, ws.id)],
      ['POST', routes.workspaces(orgId), { name: 'Mine' }],
      ['PUT', routes.workspaceMember(orgId, other.id, people[admin]!.id), { role: 'admin' }],
    ] as const) {
      const r = await as(admin)(method, path, body)
      expect([method, path, r.status, r.body.error.code]).toEqual([method, path, 403, 'forbidden'])
    }
    // Workspace Members and Viewers change nothing.
    for (const i of [member, viewer]) {
      const r = await as(i)('PATCH', routes.workspace(orgId, ws.id), { name: 'Nope' })
      expect([r.status, r.body.error.code, r.body.error.details.privilege]).toEqual([403, 'forbidden', 'workspace.rename'])
      const add = await as(i)('PUT', routes.workspaceMember(orgId, ws.id, people[stranger]!.id), { role: 'viewer' })
      expect([add.status, add.body.error.details.privilege]).toEqual([403, 'workspace.members.manage'])
    }
    // What each sees: their role everywhere; members only where their role shows them.
    const seen = async (i: number) => (await listed(as(i), orgId)).find((w) => w.id === ws.id)!
    expect(await seen(member)).toMatchObject({ myRole: 'member', memberCount: 3 })
    expect((await seen(member)).members).toHaveLength(3)
    expect(await seen(viewer)).toMatchObject({ myRole: 'viewer', memberCount: 3, members: null })
    expect(await seen(stranger)).toMatchObject({ myRole: null, members: null })
    expect((await listed(owner, orgId)).find((w) => w.id === ws.id)).toMatchObject({ myRole: null, memberCount: 3 })
    // Member detail shows the workspaces the viewer may see the person in.
    const detail = async (i: number) => memberDetailSchema.parse((await as(i)('GET', routes.member(orgId, people[viewer]!.id))).body)
    expect((await detail(0)).workspaces).toEqual([{ id: ws.id, name: 'Shared space', role: 'viewer' }])
    expect((await detail(member)).workspaces).toHaveLength(1)
    expect((await detail(stranger)).workspaces).toEqual([])
  })
})

describe('last active in this organization', () => {
  it('is stamped by signed-in requests at most every few minutes and never moves the members version', async () => {
    const { orgId, people, owner, as } = await org('member')
    const them = people[1]!.id
    const detail = async () => memberDetailSchema.parse((await owner('GET', routes.member(orgId, them))).body).member
    const before = await owner('GET', routes.members(orgId))
    const etag = before.headers.get('etag')!
    expect((await detail()).lastActiveAt).toBeNull()
    server.clock.advance(1000)
    const t0 = server.clock.now().toISOString()
    await as(1)('GET', routes.org(orgId))
    expect((await detail()).lastActiveAt).toBe(t0)
    // Within the interval nothing is written; after it, the next request stamps again.
    server.clock.advance(LAST_ACTIVE_EVERY_MS - 1000)
    await as(1)('GET', routes.org(orgId))
    expect((await detail()).lastActiveAt).toBe(t0)
    server.clock.advance(1000)
    const t1 = server.clock.now().toISOString()
    await as(1)('GET', routes.workspaces(orgId))
    expect((await detail()).lastActiveAt).toBe(t1)
    // Not a membership change: the same ETag, and a since-sync lists nobody.
    expect((await owner('GET', routes.members(orgId))).headers.get('etag')).toBe(etag)
    const sync = memberPageSchema.parse((await owner('GET', `${routes.members(orgId)}?since=${encodeURIComponent(t0)}`)).body)
    expect(sync.items.map((m) => m.userId)).not.toContain(them)
  })

  it('filters the activity log to what one person did or had done to them (subject)', async () => {
    const { orgId, people, owner, as } = await org('member')
    await owner('POST', routes.workspaces(orgId), { name: 'By owner' })
    await owner('PATCH', routes.member(orgId, people[1]!.id), { role: 'owner' })
    await as(1)('POST', routes.workspaces(orgId), { name: 'By them' })
    const page = activityPageSchema.parse((await owner('GET', `${routes.activity(orgId)}?subject=${people[1]!.id}&limit=10`)).body)
    const seen = page.items.map((e) => [e.action, e.target])
    expect(seen).toContainEqual(['workspace.created', 'By them'])
    expect(seen.map(([action]) => action)).toContain('member.role_changed')
    expect(seen).not.toContainEqual(['workspace.created', 'By owner'])
  })
})
