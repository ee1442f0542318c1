/**
 * Member search through each store's trigram index (and its short-term fallback), totals
 * across pages, and the stored workspace count that triggers keep right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { workspaceMembers, workspaces } from '../../src/server/db/schema'
import { withTx } from '../../src/server/db/tx'
import { addMember, createOrg, createUser } from '../../src/server/index'
import { memberPageSchema, routes } from '../../src/shared/api'
import type { TestServer } from '../support/server'
import { client, seeded } from './client'

let server: TestServer
let api: ReturnType<typeof client>
let token: string
let orgId: string
const NAMES = ['Ada Lovelace', 'Adam Smith', 'Grace Hopper', 'Alan Turing', 'Barbara Liskov', 'Edsger Dijkstra', 'Percent 100% Sure']

beforeAll(async () => {
  ;({ server, api } = await seeded())
  const owner = await createUser(server, { email: 'owner@search.test', displayName: 'Search Owner', password: 'search-password' })
  orgId = (await createOrg(server, { name: 'Search Org', ownerUserId: owner.id })).id
  for (const [i, name] of NAMES.entries()) {
    const u = await createUser(server, { email: `${name.split(' ')[0]!.toLowerCase()}${i}@search.test`, displayName: name, password: 'x-password' })
    await addMember(server, { orgId, userId: u.id, role: 'member' })
  }
  token = (await api.login('owner@search.test', 'search-password')).accessToken
})
afterAll(() => server.close())

const search = async (q: string, extra = '') =>
  memberPageSchema.parse((await api.call('GET', `${routes.members(orgId)}?q=${encodeURIComponent(q)}${extra}`, { token })).body)
const names = (p: { items: { displayName: string }[] }) => p.items.map((m) => m.displayName).sort()

describe('searching members', () => {
  it('finds a substring of a name or email in any case, long terms and short ones alike', async () => {
    expect(names(await search('LOVELACE'))).toEqual(['Ada Lovelace'])
    expect(names(await search('ace Hop'))).toEqual(['Grace Hopper'])
    expect(names(await search('edsger5@'))).toEqual(['Edsger Dijkstra'])
    expect(names(await search('ad'))).toEqual(['Ada Lovelace', 'Adam Smith'])
    expect(names(await search('z'))).toEqual([])
  })

  it('takes % and quotes literally', async () => {
    expect(names(await search('100%'))).toEqual(['Percent 100% Sure'])
    expect(names(await search('0% S'))).toEqual(['Percent 100% Sure'])
    expect((await search('"Ada'))).toMatchObject({ total: 0, items: [] })
  })

  it('gives the same total on every page of a search', async () => {
    const first = await search('d', '&limit=2')
    expect(first.total).toBe(3) // Ada, Adam, Edsger
    const second = await search('d', `&limit=2&cursor=${first.nextCursor}`)
    expect(second.total).toBe(3)
    expect(second.items.map((m) => m.email)).not.toEqual(first.items.map((m) => m.email))
    const long = await search('search.test', '&limit=3')
    expect(long.total).toBe(NAMES.length + 1)
    const next = await search('search.test', `&limit=3&cursor=${long.nextCursor}`)
    expect(next.total).toBe(NAMES.length + 1)
  })
})

describe('the workspace count of a member', () => {
  it('follows workspace memberships as they are added, removed and their workspace deleted', async () => {
    const ada = (await search('lovelace')).items[0]!
    const count = async () => (await search('lovelace')).items[0]!.workspaceCount
    expect(ada.workspaceCount).toBe(0)
    const ids = ['ws-search-1', 'ws-search-2']
    await withTx(server.db, async (db) => {
      for (const id of ids) {
        await db.insert(workspaces).values({ id, orgId, name: id, slug: id, createdAt: server.clock.now() })
        await db.insert(workspaceMembers).values({ workspaceId: id, userId: ada.userId, role: 'viewer' })
      }
    })
    expect(await count()).toBe(2)
    await withTx(server.db, (db) => db.delete(workspaceMembers).where(and(eq(workspaceMembers.workspaceId, ids[0]!), eq(workspaceMembers.userId, ada.userId))))
    expect(await count()).toBe(1)
    await withTx(server.db, (db) => db.delete(workspaces).where(eq(workspaces.id, ids[1]!)))
    expect(await count()).toBe(0)
  })
})
