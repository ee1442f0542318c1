/** The fast members-page and members-window checks accept exactly what their zod schemas accept, and strip the same. */
import { describe, expect, it } from 'vitest'
import { memberPageSchema } from '../../src/shared/api'
import { MAX_MEMBER_WINDOW, channels } from '../../src/shared/ipc'
import { memberPageParser, memberWindowParser } from '../../src/main/services/member-page'

const member = {
  userId: 'u1',
  email: 'ada@acme.test',
  displayName: 'Ada',
  role: 'member',
  joinedAt: '2026-01-02T03:04:05.678Z',
  updatedAt: '2026-01-02T03:04:05+02:00',
  workspaceCount: 3,
}
const page = (items: unknown[], extra: object = {}) => ({ items, removed: [], nextCursor: null, total: items.length, serverTime: member.joinedAt, ...extra })

describe('memberPageParser', () => {
  it('gives what zod gives for a good page, without unknown fields', () => {
    const body = page([{ ...member, secret: 'x'.repeat(1000) }, { ...member, userId: 'u2', role: 'owner' }])
    const fast = memberPageParser.safeParse(body)
    expect(fast).toEqual({ success: true, data: memberPageSchema.parse(body) })
    expect(fast.success && fast.data.items[0]).not.toHaveProperty('secret')
  })

  it.each([
    ['an unknown role', { role: 'root' }],
    ['a 30th of February', { joinedAt: '2026-02-30T00:00:00Z' }],
    ['a time without offset', { updatedAt: '2026-01-02T03:04:05' }],
    ['a negative count', { workspaceCount: -1 }],
    ['a fractional count', { workspaceCount: 1.5 }],
    ['an empty id', { userId: '' }],
    ['an id over 64 characters', { userId: 'x'.repeat(65) }],
    ['a numeric email', { email: 42 }],
  ])('refuses %s with zod’s issues', (_, change) => {
    const body = page([member, { ...member, ...change }])
    const fast = memberPageParser.safeParse(body)
    expect(fast.success).toBe(false)
    expect(!fast.success && fast.error.issues).toEqual(memberPageSchema.safeParse(body).error!.issues)
  })

  it('refuses a page whose frame is wrong or whose items are not members', () => {
    for (const body of [page([member], { nextCursor: 7 }), page([member], { total: -1 }), page([null]), page([[member]]), { ...page([]), items: {} }, null]) {
      expect(memberPageParser.safeParse(body).success).toBe(false)
    }
  })
})

describe('memberWindowParser', () => {
  const schema = channels['members.list'].response
  const window = (members: unknown[], data: object = {}, extra: object = {}) => ({
    data: { members, offset: 0, matched: members.length, total: 90, changes: [], changeCount: 0, previousSyncedAt: null, ...data },
    syncedAt: member.joinedAt,
    source: 'cache',
    offline: false,
    ...extra,
  })

  it('gives what zod gives for a good window, without unknown fields', () => {
    const change = { kind: 'joined', userId: 'u3', email: 'c@acme.test', displayName: 'C', from: null, to: 'member' }
    const body = window([{ ...member, secret: 'x' }, { ...member, userId: 'u2', role: 'owner' }], { changes: [change], changeCount: 1, extra: 1 }, { extra: 2 })
    const fast = memberWindowParser.safeParse(body)
    expect(fast).toEqual({ success: true, data: schema.parse(body) })
    expect(fast.data?.data.members[0]).not.toHaveProperty('secret')
    expect(fast.data).not.toHaveProperty('extra')
  })

  it('refuses what zod refuses, with zod’s issues', () => {
    for (const body of [
      window([member, { ...member, role: 'root' }]),
      window([member, { ...member, joinedAt: '2026-02-30T00:00:00Z' }]),
      window(Array.from({ length: MAX_MEMBER_WINDOW + 1 }, () => member)),
      window([member], { matched: -1 }),
      window([member], {}, { source: 'elsewhere' }),
      window([[member]]),
      { ...window([]), data: { ...window([]).data, members: {} } },
      null,
    ]) {
      const fast = memberWindowParser.safeParse(body)
      expect(fast.success).toBe(false)
      expect(fast.error?.issues).toEqual(schema.safeParse(body).error!.issues)
    }
  })
})
