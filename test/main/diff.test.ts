/** The member diff behind "what changed since the last sync", and the merge of a sync's updates, at the scale of a large org. */
import { describe, expect, it } from 'vitest'
import { applyUpdates } from '../../src/main/services/cache'
import { diffMembers } from '../../src/main/services/sync'
import type { Member } from '../../src/shared/api'

const member = (i: number, role: Member['role'] = 'member'): Member => ({
  userId: `u${i}`,
  email: `user${i}@big.test`,
  displayName: `User ${i}`,
  role,
  joinedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  workspaceCount: 0,
})

describe('diffMembers', () => {
  it('finds joined, left and role changes among 100 000 members', () => {
    const before = new Map(Array.from({ length: 100_000 }, (_, i) => member(i)).map((m) => [m.userId, m]))
    const updates = new Map<string, Member | null>([
      ['u5', null],
      ['u99999', null],
      ['u7', member(7, 'owner')],
      ['u100000', member(100_000)],
      ['nobody', null],
    ])
    const changes = diffMembers(before, updates)
    expect(changes).toHaveLength(4)
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'left', userId: 'u5', from: 'member', to: null }),
        expect.objectContaining({ kind: 'left', userId: 'u99999' }),
        expect.objectContaining({ kind: 'role_changed', userId: 'u7', from: 'member', to: 'owner' }),
        expect.objectContaining({ kind: 'joined', userId: 'u100000', from: null, to: 'member' }),
      ]),
    )
  })

  it('reports nothing for updates that change no role', () => {
    const list = new Map(Array.from({ length: 10 }, (_, i) => member(i)).map((m) => [m.userId, m]))
    expect(diffMembers(list, new Map([['u3', { ...member(3), displayName: 'Renamed' }]]))).toEqual([])
  })
})

describe('applyUpdates', () => {
  it('keeps the order, replaces, removes and appends newcomers', () => {
    const list = [member(1), member(2), member(3)]
    const out = applyUpdates(list, new Map([['u2', null], ['u3', member(3, 'owner')], ['u9', member(9)]]))
    expect(out.map((m) => [m.userId, m.role])).toEqual([['u1', 'member'], ['u3', 'owner'], ['u9', 'member']])
  })

  it('returns the very same list when nothing changes, so nothing is rewritten', () => {
    const list = [member(1)]
    expect(applyUpdates(list, new Map())).toBe(list)
  })
})
