/** The fast members-page check accepts exactly what memberPageSchema accepts, and strips the same. */
import { describe, expect, it } from 'vitest'
import { memberPageSchema } from '../../src/shared/api'
import { memberPageParser } from '../../src/main/services/member-page'

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
