/**
 * "Changes since last sync" across several pulls: the syncs that follow the admin's own
 * changes each see one difference, but the person wants all of them (three removals and
 * three role changes are six changes). Folds a newer list into an older one per member,
 * keeping the net effect: Member→Owner→Member disappears, joined-then-left too.
 */
import type { MemberChange } from '../../shared/ipc'

export function mergeChanges(older: readonly MemberChange[], newer: readonly MemberChange[]): MemberChange[] {
  const byUser = new Map(older.map((c) => [c.userId, c]))
  for (const c of newer) {
    const before = byUser.get(c.userId)
    byUser.delete(c.userId) // re-inserted last: the list stays in the order things happened
    const from = before ? before.from : c.from
    if (from === c.to) continue
    byUser.set(c.userId, { ...c, from, kind: from === null ? 'joined' : c.to === null ? 'left' : 'role_changed' })
  }
  return [...byUser.values()]
}
