/**
 * Search, role filter and sort over a cached member list, where the list lives (main), so the
 * renderer asks for a window of rows instead of holding 100 000. Keys are built once per list
 * (lists are immutable: a sync or an edit makes a new array), orders once per sort key, and
 * the last query's matches are kept, so scrolling through one result reads a slice.
 */
import type { Member } from '../../shared/api'
import type { MemberQuery, MemberSort } from '../../shared/ipc'
import type { Role } from '../../shared/roles'

const ROLE_RANK: Record<Role, number> = { owner: 0, billing_admin: 1, member: 2 }
const cmp = <T>(x: T, y: T) => (x < y ? -1 : x > y ? 1 : 0)

export type MemberFilter = Pick<MemberQuery, 'q' | 'role' | 'emails' | 'sort'>

export class MemberIndex {
  /** Lowercased "name\nemail": a keystroke is one substring scan per member. */
  private haystacks!: string[]
  private names!: string[]
  private readonly orders = new Map<MemberSort, Uint32Array>()
  private ids: Map<string, Member> | null = null
  private emails: Map<string, number> | null = null
  /** The last filtered query; `scope` (role and sort) is null when it listed emails, which never narrow. */
  private last: { key: string; scope: string | null; needle: string; matches: Uint32Array } | null = null

  constructor(
    readonly members: readonly Member[],
    from?: MemberIndex,
  ) {
    if (from && this.follow(from)) return
    this.names = members.map((m) => m.displayName.toLowerCase())
    this.haystacks = members.map((m, i) => `${this.names[i]}\n${m.email.toLowerCase()}`)
    this.order('name') // the default view: sorted before the first read asks
  }

  /**
   * Build from the index of the list this one was derived from (same order, a few members
   * replaced or dropped, newcomers last): keys are copied, and the name order is the old one
   * with the changed members merged back in, instead of re-sorting 100 000 names.
   */
  private follow(from: MemberIndex): boolean {
    const prev = from.members
    const next = this.members
    const oldToNew = new Int32Array(prev.length).fill(-1)
    const changed: number[] = []
    let j = 0
    for (let i = 0; i < prev.length && j < next.length; i++) {
      if (prev[i] === next[j]) oldToNew[i] = j++
      else if (prev[i]!.userId === next[j]!.userId) changed.push(j++)
    }
    for (; j < next.length; j++) changed.push(j)
    // Not derived that way (or mostly new): build from scratch.
    if (changed.length > next.length / 10 || !from.orders.has('name')) return false
    const names = (this.names = new Array<string>(next.length))
    const haystacks = (this.haystacks = new Array<string>(next.length))
    for (let i = 0; i < prev.length; i++) {
      const at = oldToNew[i]!
      if (at < 0) continue
      names[at] = from.names[i]!
      haystacks[at] = from.haystacks[i]!
    }
    for (const at of changed) {
      names[at] = next[at]!.displayName.toLowerCase()
      haystacks[at] = `${names[at]}\n${next[at]!.email.toLowerCase()}`
    }
    const byName = this.comparator('name')
    const kept = Array.from(from.orders.get('name')!, (i) => oldToNew[i]!).filter((at) => at >= 0)
    const added = changed.sort(byName)
    const order = new Uint32Array(next.length)
    for (let k = 0, a = 0, b = 0; k < order.length; k++) {
      order[k] = b >= added.length || (a < kept.length && byName(kept[a]!, added[b]!) <= 0) ? kept[a++]! : added[b++]!
    }
    this.orders.set('name', order)
    return true
  }

  get byId(): ReadonlyMap<string, Member> {
    return (this.ids ??= new Map(this.members.map((m) => [m.userId, m])))
  }

  /** The rows at `offset` of the filtered, sorted list, and how many match in all. */
  window(query: Pick<MemberQuery, keyof MemberFilter | 'desc' | 'offset' | 'limit'>): { members: Member[]; matched: number } {
    const matches = this.matches(query)
    const end = Math.min(matches.length, query.offset + query.limit)
    const members: Member[] = []
    for (let p = query.offset; p < end; p++) members.push(this.members[matches[query.desc ? matches.length - 1 - p : p]!]!)
    return { members, matched: matches.length }
  }

  /** Indices of the matching members in ascending sort order. */
  private matches({ q, role, emails, sort }: MemberFilter): Uint32Array {
    const order = this.order(sort)
    const needle = q.trim().toLowerCase()
    if (!needle && !role && !emails) return order
    const key = JSON.stringify([needle, role, emails ?? null, sort])
    const last = this.last
    if (last?.key === key) return last.matches
    // Typing on: the new query's matches are among the last one's, already in sort order.
    if (last && !emails && last.scope === JSON.stringify([role, sort]) && needle.includes(last.needle)) {
      const narrowed = last.matches.filter((i) => this.haystacks[i]!.includes(needle))
      this.last = { key, scope: last.scope, needle, matches: narrowed }
      return narrowed
    }
    // Test in allocation order (memory locality), then walk the sort order through a mask.
    const hit = new Uint8Array(this.members.length)
    let count = 0
    const mark = (i: number) => {
      const m = this.members[i]!
      if ((role && m.role !== role) || (needle && !this.haystacks[i]!.includes(needle)) || hit[i]) return
      hit[i] = 1
      count++
    }
    if (emails) {
      const at = this.emailIndex()
      for (const e of emails) {
        const i = at.get(e.trim().toLowerCase())
        if (i !== undefined) mark(i)
      }
    } else for (let i = 0; i < this.members.length; i++) mark(i)
    const matches = new Uint32Array(count)
    for (let p = 0, k = 0; k < count; p++) if (hit[order[p]!]) matches[k++] = order[p]!
    this.last = { key, scope: emails ? null : JSON.stringify([role, sort]), needle, matches }
    return matches
  }

  private emailIndex(): Map<string, number> {
    return (this.emails ??= new Map(this.members.map((m, i) => [m.email.toLowerCase(), i])))
  }

  private order(sort: MemberSort): Uint32Array {
    let order = this.orders.get(sort)
    if (!order) {
      const by = this.comparator(sort)
      order = Uint32Array.from(this.members.keys()).sort(by)
      this.orders.set(sort, order)
    }
    return order
  }

  private comparator(sort: MemberSort): (a: number, b: number) => number {
    const { members: ms, names } = this
    const byName = (a: number, b: number) => cmp(names[a], names[b])
    switch (sort) {
      case 'name':
        return byName
      case 'email':
        return (a, b) => cmp(ms[a]!.email, ms[b]!.email)
      case 'role':
        return (a, b) => cmp(ROLE_RANK[ms[a]!.role], ROLE_RANK[ms[b]!.role]) || byName(a, b)
      case 'joined':
        return (a, b) => cmp(ms[a]!.joinedAt, ms[b]!.joinedAt)
      case 'workspaces':
        return (a, b) => cmp(ms[a]!.workspaceCount, ms[b]!.workspaceCount) || byName(a, b)
    }
  }
}

const indexes = new WeakMap<readonly Member[], MemberIndex>()

/**
 * The index of a cached list, built on first use and dropped with the list. `from`: the
 * list this one was derived from by a few updates, whose index it can reuse.
 */
export function memberIndex(members: readonly Member[], from?: readonly Member[]): MemberIndex {
  let index = indexes.get(members)
  if (!index) indexes.set(members, (index = new MemberIndex(members, from && indexes.get(from))))
  return index
}
