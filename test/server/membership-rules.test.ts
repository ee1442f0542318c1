/** Member listing (pages, search, filter, incremental sync, ETag), role changes, and the last-Owner guards. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memberPageSchema, routes } from '../../src/shared/api'
import { eq } from 'drizzle-orm'
import { memberships, workspaceMembers, workspaces } from '../../src/server/db/schema'
import { toMember } from '../../src/server/services/members'
import { addMember, createOrg, createUser } from '../../src/server/index'
import type { TestServer } from '../support/server'
import { client, seeded } from './client'

let server: TestServer
let api: ReturnType<typeof client>
let dana: string
let acme: string
beforeAll(async () => void ({ server, api, dana, acme } = await seeded()))
afterAll(() => server.close())

let seq = 0
async function freshOrg(owners: number, members = 2) {
  const n = seq++
  const people = []
  for (let i = 0; i < owners + members; i++) {
    people.push(await createUser(server, { email: `p${i}.o${n}@rules.test`, displayName: `Person ${i}`, password: 'rules-password' }))
  }
  const org = await createOrg(server, { name: `Rules ${n}`, ownerUserId: people[0]!.id })
  for (let i = 1; i < people.length; i++) await addMember(server, { orgId: org.id, userId: people[i]!.id, role: i < owners ? 'owner' : 'member' })
  const token = (await api.login(people[0]!.email, 'rules-password')).accessToken
  return { orgId: org.id, people, token }
}

describe('listing members', () => {
  it('walks every page once, in email order, with the total', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const r = await api.call('GET', `${routes.members(acme)}?limit=10${cursor ? `&cursor=${cursor}` : ''}`, { token: dana })
      const page = memberPageSchema.parse(r.body)
      expect(page.total).toBe(92)
      seen.push(...page.items.map((m) => m.email))
      cursor = page.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(10)
    expect(seen).toHaveLength(92)
    expect(new Set(seen).size).toBe(92)
    expect([...seen].sort()).toEqual(seen)
  })

  it('refuses pages over 1 000 and bad cursors', async () => {
    const r = await api.call('GET', `${routes.members(acme)}?limit=1001`, { token: dana })
    expect(r.status).toBe(400)
    expect(r.body.error.code).toBe('validation_failed')
    expect((await api.call('GET', `${routes.members(acme)}?cursor=garbage`, { token: dana })).status).toBe(400)
    // Well-formed cursors whose parts are wrong: not a pair of strings, or (with since) not a date.
    const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    for (const query of [`cursor=${cursor(['a'])}`, `cursor=${cursor([1, 2])}`, `since=2026-01-01T00:00:00.000Z&cursor=${cursor(['not a date', 'x'])}`]) {
      const bad = await api.call('GET', `${routes.members(acme)}?${query}`, { token: dana })
      expect({ query, status: bad.status, code: bad.body.error?.code }).toEqual({ query, status: 400, code: 'validation_failed' })
    }
    expect((await api.call('GET', `${routes.members(acme)}?limit=1000`, { token: dana })).status).toBe(200)
  })

  it('searches names and emails and filters by role', async () => {
    const byName = await api.call('GET', `${routes.members(acme)}?q=dana`, { token: dana })
    expect(byName.body.items.map((m: { email: string }) => m.email)).toEqual(['admin@demo.test'])
    const owners = await api.call('GET', `${routes.members(acme)}?role=owner`, { token: dana })
    expect(owners.body.items.map((m: { email: string }) => m.email).sort()).toEqual(['admin@demo.test', 'owner2@demo.test'])
    const billing = await api.call('GET', `${routes.members(acme)}?role=billing_admin`, { token: dana })
    expect(billing.body.total).toBe(3)
    const none = await api.call('GET', `${routes.members(acme)}?q=${encodeURIComponent('%_')}`, { token: dana })
    expect(none.body.total).toBe(0)
  })

  it('answers 304 to an unchanged list and a new tag after a change', async () => {
    const { orgId, token, people } = await freshOrg(1)
    const first = await api.call('GET', routes.members(orgId), { token })
    const etag = first.headers.get('etag')!
    expect(etag).toBeTruthy()
    const same = await api.call('GET', routes.members(orgId), { token, headers: { 'if-none-match': etag } })
    expect(same.status).toBe(304)
    await api.call('PATCH', routes.member(orgId, people[1]!.id), { token, body: { role: 'billing_admin' } })
    const changed = await api.call('GET', routes.members(orgId), { token, headers: { 'if-none-match': etag } })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(etag)
  })

  it('lists only what changed since a sync, removals included', async () => {
    const { orgId, token, people } = await freshOrg(1, 3)
    // `since` is at-or-after (nothing stamped in the same millisecond is lost), so let setup age first.
    server.clock.advance(1000)
    const before = memberPageSchema.parse((await api.call('GET', routes.members(orgId), { token })).body)
    server.clock.advance(1000)
    await api.call('PATCH', routes.member(orgId, people[1]!.id), { token, body: { role: 'billing_admin' } })
    await api.call('DELETE', routes.member(orgId, people[2]!.id), { token })
    const delta = memberPageSchema.parse((await api.call('GET', `${routes.members(orgId)}?since=${encodeURIComponent(before.serverTime)}`, { token })).body)
    expect(delta.items.map((m) => [m.userId, m.role])).toEqual([[people[1]!.id, 'billing_admin']])
    expect(delta.removed.map((r) => r.userId)).toEqual([people[2]!.id])
  })

  it('walks a sync of changes page by page, in change order, each change once', async () => {
    const { orgId, token, people } = await freshOrg(1, 4)
    server.clock.advance(1000)
    const before = memberPageSchema.parse((await api.call('GET', routes.members(orgId), { token })).body)
    // Changed in the order 3, 1, 4, a millisecond apart, so the walk follows (updatedAt, userId).
    for (const i of [3, 1, 4]) {
      server.clock.advance(1)
      await api.call('PATCH', routes.member(orgId, people[i]!.id), { token, body: { role: 'billing_admin' } })
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query = `since=${encodeURIComponent(before.serverTime)}&limit=1${cursor ? `&cursor=${cursor}` : ''}`
      const page = memberPageSchema.parse((await api.call('GET', `${routes.members(orgId)}?${query}`, { token })).body)
      seen.push(...page.items.map((m) => m.userId))
      cursor = page.nextCursor
    } while (cursor && seen.length < 10)
    expect(seen).toEqual([3, 1, 4].map((i) => people[i]!.id))
    // A cursor from before `since` (the server writes none) starts the walk at `since`.
    const early = Buffer.from(JSON.stringify([new Date(0).toISOString(), ''])).toString('base64url')
    const fromEarly = memberPageSchema.parse((await api.call('GET', `${routes.members(orgId)}?since=${encodeURIComponent(before.serverTime)}&cursor=${early}`, { token })).body)
    expect(fromEarly.items.map((m) => m.userId)).toEqual(seen)
  })
})

const sortByEmail = <T extends { email: string; userId: string }>(rows: T[]) =>
  [...rows].sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : a.userId < b.userId ? -1 : 1))

describe('a page of members as JSON', () => {
  // The database writes each item's JSON text (member_json, by triggers); the bytes must be what
  // JSON.stringify writes for the same page, whatever the names hold and whenever they joined.
  it('is, to the byte, what JSON.stringify writes: escapes, any script, every millisecond, page after page', async () => {
    const { orgId, token } = await freshOrg(1, 0)
    const now = server.clock.now()
    const joined = ['1999-12-31T23:59:59.999Z', '2000-01-01T00:00:00.000Z', '2024-02-29T12:34:56.007Z', '2026-07-04T01:02:03.450Z', '2038-01-19T03:14:08.001Z']
    const names = ['Quote " back\\slash', 'Zoë Ω 漢字 🎉', 'Tab\tnew\nline\u0001\u001f\u007f', 'Sep \u2028\u2029 </script>', "Plain O'Brien"]
    for (const [i, name] of names.entries()) {
      server.clock.set(joined[i]!)
      const u = await createUser(server, { email: `json${i}.é@rules.test`, displayName: name, password: 'rules-password' })
      await addMember(server, { orgId, userId: u.id, role: i % 2 ? 'billing_admin' : 'member' })
    }
    server.clock.set(new Date(now.getTime() + 1000))
    const expected = await server.db.select().from(memberships).where(eq(memberships.orgId, orgId))
    const byEmail = sortByEmail(expected)
    const text = async (query: string) => {
      const res = await fetch(`${server.url}${routes.members(orgId)}?${query}`, { headers: { authorization: `Bearer ${token}` } })
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
      return res.text()
    }
    // The whole list in one page, then a page at a time through the cursors.
    const whole = await text('limit=1000')
    const page = memberPageSchema.parse(JSON.parse(whole))
    expect(whole).toBe(JSON.stringify({ ...page, items: byEmail.map(toMember) }))
    expect(page.items.map((m) => m.joinedAt).sort()).toEqual([...joined, now.toISOString()].sort())
    const walked: string[] = []
    let cursor: string | null = null
    do {
      const body = await text(`limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      const p = memberPageSchema.parse(JSON.parse(body))
      expect(body).toBe(JSON.stringify(p))
      walked.push(...p.items.map((m) => JSON.stringify(m)))
      cursor = p.nextCursor
    } while (cursor)
    expect(walked).toEqual(byEmail.map((m) => JSON.stringify(toMember(m))))
    // Still so after a role change, a removal and a return (the stores keep the text beside the row).
    const [changed, removed] = [byEmail[1]!, byEmail[2]!]
    server.clock.set(new Date(now.getTime() + 1089))
    expect((await api.call('PATCH', routes.member(orgId, changed.userId), { token, body: { role: 'owner' } })).status).toBe(200)
    expect((await api.call('DELETE', routes.member(orgId, removed.userId), { token })).status).toBe(200)
    const afterRemoval = (await server.db.select().from(memberships).where(eq(memberships.orgId, orgId))).filter((m) => !m.removedAt)
    expect(JSON.parse(await text('limit=1000')).items).toEqual(sortByEmail(afterRemoval).map(toMember))
    const returned = new Date(now.getTime() + 1501)
    server.clock.set(returned)
    await addMember(server, { orgId, userId: removed.userId, role: 'member' })
    const final = await text('limit=1000')
    const rows = await server.db.select().from(memberships).where(eq(memberships.orgId, orgId))
    expect(final).toBe(JSON.stringify({ ...memberPageSchema.parse(JSON.parse(final)), items: sortByEmail(rows).map(toMember) }))
    expect(JSON.parse(final).items.find((m: { userId: string }) => m.userId === removed.userId).joinedAt).toBe(returned.toISOString())
    server.clock.set(new Date(now.getTime() + 2000))
  })
})

describe('removing a member', () => {
  it("also removes their workspace memberships in that organization, and only there", async () => {
    const { orgId, token, people } = await freshOrg(1, 1)
    const leaver = people[1]!
    const other = await createOrg(server, { name: `Elsewhere ${seq++}`, ownerUserId: leaver.id })
    const now = server.clock.now()
    const spaces = [
      { id: `ws-in-${orgId}`, orgId, name: 'Inside', slug: 'inside', createdAt: now },
      { id: `ws-out-${orgId}`, orgId: other.id, name: 'Outside', slug: 'outside', createdAt: now },
    ]
    await server.db.insert(workspaces).values(spaces)
    await server.db.insert(workspaceMembers).values(spaces.map((w) => ({ workspaceId: w.id, userId: leaver.id, role: 'member' as const })))
    expect((await api.call('DELETE', routes.member(orgId, leaver.id), { token })).status).toBe(200)
    const left = await server.db.select().from(workspaceMembers).where(eq(workspaceMembers.userId, leaver.id))
    expect(left.map((w) => w.workspaceId)).toEqual([`ws-out-${orgId}`])
  })
})

describe('the last Owner', () => {
  it('can be neither demoted, removed, nor leave', async () => {
    const { orgId, token, people } = await freshOrg(1)
    const owner = people[0]!.id
    for (const r of [
      await api.call('PATCH', routes.member(orgId, owner), { token, body: { role: 'member' } }),
      await api.call('DELETE', routes.member(orgId, owner), { token }),
      await api.call('POST', routes.leave(orgId), { token }),
    ]) {
      expect(r.status).toBe(409)
      expect(r.body.error.code).toBe('last_owner')
      expect(r.body.error.message).toContain('only Owner')
    }
    expect((await api.call('GET', routes.org(orgId), { token })).body.ownerCount).toBe(1)
  })

  it('with two Owners, one may be demoted or leave; then the other is protected', async () => {
    const { orgId, token, people } = await freshOrg(2)
    const second = (await api.login(people[1]!.email, 'rules-password')).accessToken
    expect((await api.call('POST', routes.leave(orgId), { token: second })).status).toBe(200)
    expect((await api.call('GET', routes.org(orgId), { token: second })).status).toBe(404)
    expect((await api.call('POST', routes.leave(orgId), { token })).status).toBe(409)
  })

  it('only an Owner changes roles, and a change shows in the list', async () => {
    const { orgId, token, people } = await freshOrg(1, 2)
    const member = (await api.login(people[1]!.email, 'rules-password')).accessToken
    expect((await api.call('PATCH', routes.member(orgId, people[2]!.id), { token: member, body: { role: 'owner' } })).status).toBe(403)
    const ok = await api.call('PATCH', routes.member(orgId, people[2]!.id), { token, body: { role: 'owner' } })
    expect(ok.body.role).toBe('owner')
    expect((await api.call('GET', routes.org(orgId), { token })).body.ownerCount).toBe(2)
    expect((await api.call('PATCH', routes.member(orgId, people[2]!.id), { token, body: { role: 'admin' } })).status).toBe(400)
    // Someone who is not a member has no role here to change, and is not made one.
    const outsider = (await freshOrg(1, 0)).people[0]!
    const none = await api.call('PATCH', routes.member(orgId, outsider.id), { token, body: { role: 'member' } })
    expect([none.status, none.body.error.code]).toEqual([404, 'not_found'])
    expect((await api.call('GET', routes.org(orgId), { token })).body.memberCount).toBe(3)
  })
})
