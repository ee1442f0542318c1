/** Windowed reads of a cached member list: search, role filter, sort, direction and offset. */
import { describe, expect, it } from 'vitest'
import { applyUpdates } from '../../src/main/services/cache'
import { MemberIndex, memberIndex } from '../../src/main/services/member-index'
import type { Member } from '../../src/shared/api'
import { memberQuerySchema, type MemberQuery } from '../../src/shared/ipc'

const ROLES = ['member', 'member', 'billing_admin', 'owner'] as const
const member = (i: number): Member => ({
  userId: `u${i}`,
  email: `user${String(i).padStart(4, '0')}@big.test`,
  // Names out of allocation order, so sorting has work to do.
  displayName: `${['Zoe', 'Ada', 'Max', 'Bea'][i % 4]} ${String(999 - i).padStart(4, '0')}`,
  role: ROLES[i % 4]!,
  joinedAt: new Date(Date.UTC(2026, 0, 1) + ((i * 7919) % 1000) * 86_400_000).toISOString(),
  updatedAt: '2026-01-01T00:00:00.000Z',
  workspaceCount: i % 5,
})
const members = Array.from({ length: 1000 }, (_, i) => member(i))
const query = (q: Partial<MemberQuery>) => memberQuerySchema.parse(q)
const ids = (ms: Member[]) => ms.map((m) => m.userId)

/** The same answer computed the slow, obvious way. */
function expected(q: MemberQuery): Member[] {
  const needle = q.q.trim().toLowerCase()
  const key = (m: Member) =>
    ({ name: [m.displayName.toLowerCase()], email: [m.email], role: [['owner', 'billing_admin', 'member'].indexOf(m.role), m.displayName.toLowerCase()], joined: [m.joinedAt], workspaces: [m.workspaceCount, m.displayName.toLowerCase()] })[q.sort]
  const cmp = (a: Member, b: Member) => {
    const [x, y] = [key(a), key(b)]
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1
    return 0
  }
  const out = members
    .filter((m) => (!q.role || m.role === q.role) && `${m.displayName}\n${m.email}`.toLowerCase().includes(needle))
    .sort(cmp)
  return q.desc ? out.reverse() : out
}

describe('MemberIndex', () => {
  const index = new MemberIndex(members)

  it.each([
    { sort: 'name' },
    { sort: 'email', desc: true },
    { sort: 'role', q: 'ADA' },
    { sort: 'joined', role: 'owner' },
    { sort: 'workspaces', desc: true, q: '@big', role: 'billing_admin' },
    { q: '  user01 ' },
  ] as Partial<MemberQuery>[])('returns the right window for %o at every offset', (q) => {
    const all = expected(query(q))
    for (const offset of [0, 37, all.length - 5]) {
      const w = index.window(query({ ...q, offset: Math.max(0, offset), limit: 50 }))
      expect(w.matched).toBe(all.length)
      expect(ids(w.members)).toEqual(ids(all.slice(Math.max(0, offset), Math.max(0, offset) + 50)))
    }
  })

  it('answers the same query twice the same way (the cached matches), and a different one differently', () => {
    const a = index.window(query({ q: 'zoe', limit: 1000 }))
    expect(index.window(query({ q: 'zoe', limit: 1000 }))).toEqual(a)
    expect(index.window(query({ q: 'zoe', role: 'owner', limit: 1000 })).matched).toBe(0) // every Zoe is a Member
    expect(a.matched).toBe(250)
  })

  it('typing on narrows the last matches, and answers like a fresh index at every step (back, role, sort, emails)', () => {
    const typing = new MemberIndex(members)
    const steps: Partial<MemberQuery>[] = [
      { q: 'a' }, { q: 'ad' }, { q: 'ada 0' }, { q: 'ada 09' }, { q: 'ada 0' }, { q: 'ada 0', role: 'member' },
      { q: 'ada 09', role: 'member' }, { q: 'ada 09', role: 'member', sort: 'email', desc: true }, { emails: ['user0001@big.test'] }, { q: 'user000' },
      // Few enough hits (100 of 1 000) that the next keystrokes test only those: with a role,
      // then without it again (the members of other roles must come back), sorted otherwise.
      { q: 'user00' }, { q: 'user00', role: 'member' }, { q: 'user001', role: 'member' }, { q: 'user001' }, { q: 'user001', role: 'owner' },
      { q: 'user0015', sort: 'email', desc: true }, { q: 'user00159' },
    ]
    for (const step of steps) {
      const all = step.emails ? members.filter((m) => step.emails!.includes(m.email)) : expected(query(step))
      const w = typing.window(query({ ...step, limit: 1000 }))
      expect([step, w.matched, ids(w.members)]).toEqual([step, all.length, ids(all)])
    }
  })

  it('a search matches within one member (name and email), never across two neighbours', () => {
    const [a, b] = index.window(query({ limit: 2 })).members as [Member, Member] // neighbours in name order
    const hay = (m: Member) => `${m.displayName}\n${m.email}`.toLowerCase()
    expect(ids(index.window(query({ q: hay(a), limit: 10 })).members)).toEqual([a.userId])
    expect(index.window(query({ q: `${a.email}\n${b.displayName}`, limit: 10 })).matched).toBe(0)
    expect(index.window(query({ q: `test\n${b.displayName.slice(0, 3)}`, limit: 10 })).matched).toBe(0)
  })

  it('picks members by email in any case, and nothing for unknown addresses', () => {
    const w = index.window(query({ emails: ['USER0005@big.test', 'nobody@big.test', 'user0007@big.test'], limit: 10 }))
    expect(ids(w.members).sort()).toEqual(['u5', 'u7'])
    expect(index.window(query({ emails: [], limit: 10 })).matched).toBe(0)
  })

  it.each([
    { case: 'first and last names changed', updates: [['u3', null], ['u10', { ...member(10), displayName: 'Aaron First' }], ['u500', { ...member(500), role: 'owner' }], ['u2000', { ...member(2000), displayName: 'Zed Last' }]] },
    { case: 'one left in the middle, one joined', updates: [['u500', null], ['u2001', { ...member(2001), displayName: 'Max 0500' }]] },
  ] as { case: string; updates: [string, Member | null][] }[])('an index derived from the previous list ($case) answers like one built afresh', ({ updates }) => {
    const next = applyUpdates(members, new Map(updates))
    memberIndex(members)
    const derived = memberIndex(next, members)
    const fresh = new MemberIndex(next)
    const searches = [{ q: 'zed' }, { q: 'aaron' }, { q: 'max 05' }, { q: 'user00' }, { q: 'user0003' }, { q: 'ada 09', role: 'member' }, { q: 'big.test', sort: 'joined' }, { emails: ['user0500@big.test', 'user0003@big.test'], q: 'max' }]
    for (const q of [{}, { role: 'owner' }, { sort: 'email', desc: true }, ...searches] as Partial<MemberQuery>[]) {
      expect(derived.window(query({ ...q, limit: 1000 }))).toEqual(fresh.window(query({ ...q, limit: 1000 })))
    }
  })

  it('looks members up by id', () => {
    const byId = new MemberIndex(members).byId
    expect(byId.get('u7')).toBe(members[7])
    expect([byId.has('u999'), byId.has('u1000'), byId.size]).toEqual([true, false, 1000])
    expect([...byId.keys()].slice(0, 2)).toEqual(['u0', 'u1'])
  })

  it('past the end returns no rows but still the count', () => {
    expect(index.window(query({ offset: 5000 }))).toEqual({ members: [], matched: 1000 })
  })
})
