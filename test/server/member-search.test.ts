/**
 * Member search through each store's trigram index or by walking the list (and its short-term
 * fallback), totals across pages (a short term's from the counts the database keeps), and the
 * stored workspace count that triggers keep right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { Params } from '../../src/server/db/raw'
import { memberTextIndexed } from '../../src/server/db/sql'
import { workspaceMembers, workspaces } from '../../src/server/db/schema'
import { withTx } from '../../src/server/db/tx'
import { boundStore } from '../../src/server/db/schema'
import { addMember, bulkMembers, createOrg, createUser } from '../../src/server/index'
import { searchReading } from '../../src/server/services/member-list'
import { memberPageSchema, routes, type MemberPage } from '../../src/shared/api'
import type { TestServer } from '../support/server'
import { statementsRun } from '../support/statements'
import { client, containing, seeded } from './client'

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

describe('the total of a one- or two-character term', () => {
  it('comes from the counts the database keeps, without testing every member', async () => {
    const all = memberPageSchema.parse((await api.call('GET', `${routes.members(orgId)}?limit=1000`, { token })).body).items
    const ran = await statementsRun(async () => {
      expect((await search('ov')).total).toBe(2) // Lovelace, Liskov
      expect((await search('L')).total).toBe(containing(all, 'L').length)
    })
    expect(ran.filter((text) => text.includes('member_grams'))).toHaveLength(2)
    expect(ran.filter((text) => /count\(\*\) from memberships/i.test(text))).toEqual([])
  })

  it('counts within a role filter: Members as all matches less the other roles\'', async () => {
    let all = memberPageSchema.parse((await api.call('GET', `${routes.members(orgId)}?limit=1000`, { token })).body).items
    const alan = all.find((m) => m.displayName === 'Alan Turing')!
    expect((await api.call('PATCH', routes.member(orgId, alan.userId), { token, body: { role: 'billing_admin' } })).status).toBe(200)
    all = memberPageSchema.parse((await api.call('GET', `${routes.members(orgId)}?limit=1000`, { token })).body).items
    for (const role of ['owner', 'billing_admin', 'member'] as const) {
      for (const term of ['a', 'Al', 'n', 'ov', 'q']) {
        const ran = await statementsRun(async () => {
          const page = await search(term, `&role=${role}`)
          expect(page.total, `${role} ${term}`).toBe(containing(all.filter((m) => m.role === role), term).length)
        })
        expect(ran.some((text) => text.includes('member_grams')), `${role} ${term}`).toBe(role === 'member')
      }
    }
  })
})

describe('search terms with special characters', () => {
  const PEOPLE = ['Under_Score', 'Under Score', 'Back\\Slash', 'Zoë Ångström', "O'Brien", 'Percent 50% Off', 'Plain Name']
  let oddOrg: string
  let oddToken: string
  let all: { email: string; displayName: string }[]

  beforeAll(async () => {
    const owner = await createUser(server, { email: 'odd-owner@search.test', displayName: 'Odd Owner', password: 'odd-password' })
    oddOrg = (await createOrg(server, { name: 'Odd Org', ownerUserId: owner.id })).id
    for (const [i, name] of PEOPLE.entries()) {
      const u = await createUser(server, { email: `odd${i}@search.test`, displayName: name, password: 'x-password' })
      await addMember(server, { orgId: oddOrg, userId: u.id, role: 'member' })
    }
    oddToken = (await api.login('odd-owner@search.test', 'odd-password')).accessToken
    all = memberPageSchema.parse((await api.call('GET', `${routes.members(oddOrg)}?limit=1000`, { token: oddToken })).body).items
  })

  it('answers exactly what a plain substring filter would, through the index and without it', async () => {
    // ASCII case-folding only: SQLite's LIKE (terms under 3 characters) folds no other letters.
    const terms = ['_', 'r_S', 'er_', '%', '0%', '50% O', '\\', 'k\\S', "'", "O'B", 'ë', 'Zoë', 'ngstr', 'Å', 'under', 'SCORE', 'odd3@', '"', 'a"b']
    for (const term of terms) {
      const got = memberPageSchema.parse(
        (await api.call('GET', `${routes.members(oddOrg)}?limit=1000&q=${encodeURIComponent(term)}`, { token: oddToken })).body,
      )
      const want = containing(all, term)
      expect(got.items.map((m) => m.email).sort(), term).toEqual(want.map((m) => m.email).sort())
      expect(got.total, term).toBe(want.length)
    }
  })

  it('refuses a NUL or another control character in the term with a 400', async () => {
    for (const bad of ['a\u0000b', '\u0000', 'ab\u0007c']) {
      const res = await api.call('GET', `${routes.members(oddOrg)}?q=${encodeURIComponent(bad)}`, { token: oddToken })
      expect(res.status).toBe(400)
      expect((res.body as { error: { code: string } }).error.code).toBe('validation_failed')
    }
  })
})

describe('a search read by walking the list or through the index, whichever reads less', () => {
  // 200 generated members (provision.ts), in email order: first names cycle member by member
  // (FIRST[i % 25]), last names every 25 (LAST[⌊i / 25⌋]). So "Ben" is 8 members spread out,
  // "Abbott" the first 25, "Hughes" the last 25, and the domain all 200 (the addresses' tag is
  // fixed: a random hex one could hold "be").
  const LIMIT = 2
  let bigOrg: string
  let bigToken: string
  let everyone: MemberPage['items']
  const list = async (query: string) =>
    memberPageSchema.parse((await api.call('GET', `${routes.members(bigOrg)}?limit=${LIMIT}&${query}`, { token: bigToken })).body)
  /** Every page of a search, checking each page's total. */
  const walk = async (term: string) => {
    const seen: string[] = []
    const totals = new Set<number>()
    let cursor: string | null = null
    do {
      const page = await list(`q=${encodeURIComponent(term)}${cursor ? `&cursor=${cursor}` : ''}`)
      seen.push(...page.items.map((m) => m.email))
      totals.add(page.total)
      cursor = page.nextCursor
    } while (cursor && seen.length <= everyone.length) // a cursor that repeats a page ends the walk
    return { seen, totals: [...totals] }
  }

  beforeAll(async () => {
    const owner = await createUser(server, { email: 'big-owner@search.test', displayName: 'Big Owner', password: 'big-password' })
    bigOrg = (await createOrg(server, { name: 'Big Search Org', ownerUserId: owner.id })).id
    await bulkMembers(server, { orgId: bigOrg, count: 200, domain: 'walkers.test', tag: 'walk' })
    bigToken = (await api.login('big-owner@search.test', 'big-password')).accessToken
    everyone = memberPageSchema.parse((await api.call('GET', `${routes.members(bigOrg)}?limit=1000`, { token: bigToken })).body).items
  })

  it('answers every page as a plain substring filter would, in email order, with one total', async () => {
    const cases = [
      // Nearly everyone: walked, the last page (short of a full one) by the walk that read the rest.
      ['walkers.test', 'walk'],
      // Bunched at the start: walked; after them the walk finds none and the index answers.
      ['Abbott', 'walk'],
      // Bunched at the end, beyond the walk's budget: the index answers from the first page.
      ['hughes', 'walk'],
      ['Ben', 'index'],
      ['Be', 'test'],
    ] as const
    for (const [term, by] of cases) {
      const want = containing(everyone, term).map((m) => m.email)
      expect(searchReading(term, want.length, everyone.length, LIMIT).by, term).toBe(by)
      expect(await walk(term), term).toEqual({ seen: want, totals: [want.length] })
    }
  })

  it('answers the end of the list from the walk that read it all, not again through the index', async () => {
    // The last two members, after a cursor: fewer rows left than the walk's budget, so it read them all.
    const [before, ...last] = everyone.slice(-3)
    const cursor = Buffer.from(JSON.stringify([before!.email, before!.userId])).toString('base64url')
    const term = 'walkers.test'
    expect(searchReading(term, 200, everyone.length, LIMIT).by).toBe('walk')
    let page: MemberPage | undefined
    const ran = await statementsRun(async () => void (page = await list(`q=${term}&cursor=${cursor}`)))
    expect(page!.items.map((m) => m.email)).toEqual(last.map((m) => m.email))
    expect(page!.nextCursor).toBeNull()
    // The page's reads (a search's first count may go through the index, once per members version).
    const pageReads = ran.filter((text) => text.includes('member_json'))
    const indexed = memberTextIndexed(new Params(), term)
    expect(pageReads).not.toHaveLength(0)
    expect(pageReads.filter((text) => text.includes(indexed.slice(0, indexed.search(/\?|\$\d/))))).toEqual([])
  })

  it('finds a member who joins after a search found nobody, and loses one who leaves', async () => {
    expect(await list('q=Quixote')).toMatchObject({ total: 0, items: [] })
    const don = await createUser(server, { email: 'don@lamancha.test', displayName: 'Don Quixote', password: 'x-password' })
    await addMember(server, { orgId: bigOrg, userId: don.id, role: 'member' })
    expect((await list('q=Quixote')).items.map((m) => m.email)).toEqual(['don@lamancha.test'])
    expect((await api.call('DELETE', routes.member(bigOrg, don.id), { token: bigToken })).status).toBe(200)
    expect(await list('q=Quixote')).toMatchObject({ total: 0, items: [] })
  })

  it('walks for a term with letters beyond ASCII only where the row test folds them as the index does', () => {
    // SQLite's LIKE folds ASCII letters only, its FTS5 index others too; PostgreSQL lower-cases both sides alike.
    expect(searchReading('Zoë', 200, 201, LIMIT).by).toBe(boundStore() === 'sqlite' ? 'index' : 'walk')
    expect(searchReading('Zoe', 200, 201, LIMIT).by).toBe('walk')
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
