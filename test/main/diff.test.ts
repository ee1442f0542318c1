/** The member diff behind "what changed since the last sync", at the scale of a large org. */
import { describe, expect, it } from 'vitest'
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
    const before = Array.from({ length: 100_000 }, (_, i) => member(i))
    const after = new Map(before.map((m) => [m.userId, m]))
    after.delete('u5')
    after.delete('u99999')
    after.set('u7', member(7, 'owner'))
    after.set('u100000', member(100_000))
    const changes = diffMembers(before, after)
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

  it('reports nothing for an unchanged list', () => {
    const list = Array.from({ length: 10 }, (_, i) => member(i))
    expect(diffMembers(list, new Map(list.map((m) => [m.userId, m])))).toEqual([])
  })
})
