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
/**
 * A search narrows the last one's hits when they are under this fraction of the members:
 * testing one haystack costs about what scanning NARROW_BELOW of them in the flat text does.
 */
const NARROW_BELOW = 8
const cmp = <T>(x: T, y: T) => (x < y ? -1 : x > y ? 1 : 0)

export type MemberFilter = Pick<MemberQuery, 'q' | 'role' | 'emails' | 'sort'>

export class MemberIndex {
  /** Lowercased display names: the name order's key. */
  private names!: string[]
  /**
   * Every member's lowercased "name\nemail", in name order, one after the other ("\n" between).
   * A search is a run of indexOf over one flat string: it reads memory in order and jumps to
   * the next member at each hit, where a substring test per member chased 100 000 pointers.
   */
  private text!: string
  /** Where the haystack of the member at each place of the name order starts in `text`; one more at the end. */
  private starts!: Uint32Array
  /** Each member's place in the name order. */
  private places!: Uint32Array
  /** Each member's ROLE_RANK, packed for the role filter. */
  private readonly roles: Uint8Array
  private readonly orders = new Map<MemberSort, Uint32Array>()
  private ids: ReadonlyMap<string, Member> | null = null
  private emails: Map<string, number> | null = null
  /** The last filtered query's matches. */
  private last: { key: string; matches: Uint32Array } | null = null
  /** The last search's hits (see search). */
  private lastSearch: { needle: string; rank: number; found: Uint32Array } | null = null

  constructor(
    readonly members: readonly Member[],
    from?: MemberIndex,
  ) {
    const roles = (this.roles = new Uint8Array(members.length))
    for (let i = 0; i < members.length; i++) roles[i] = ROLE_RANK[members[i]!.role]
    if (from && this.follow(from)) return
    const names = (this.names = members.map((m) => m.displayName.toLowerCase()))
    // The default view: sorted before the first read asks.
    this.layOut(this.order('name'), (i) => `${names[i]}\n${members[i]!.email.toLowerCase()}`)
  }

  /**
   * Build from the index of the list this one was derived from (same order, a few members
   * replaced or dropped, newcomers last): keys are copied, the name order is the old one with
   * the changed members merged back in, instead of re-sorting 100 000 names, and the text is
   * the old one's runs with the changed haystacks between them.
   */
  private follow(from: MemberIndex): boolean {
    const prev = from.members
    const next = this.members
    const oldToNew = new Int32Array(prev.length).fill(-1)
    const newToOld = new Int32Array(next.length).fill(-1)
    const changed: number[] = []
    let j = 0
    for (let i = 0; i < prev.length && j < next.length; i++) {
      if (prev[i] === next[j]) oldToNew[(newToOld[j] = i)] = j++
      else if (prev[i]!.userId === next[j]!.userId) changed.push(j++)
    }
    for (; j < next.length; j++) changed.push(j)
    // Not derived that way (or mostly new): build from scratch.
    if (changed.length > next.length / 10) return false
    const names = (this.names = new Array<string>(next.length))
    for (let i = 0; i < prev.length; i++) if (oldToNew[i]! >= 0) names[oldToNew[i]!] = from.names[i]!
    for (const at of changed) names[at] = next[at]!.displayName.toLowerCase()
    const byName = this.comparator('name')
    const kept = new Uint32Array(next.length)
    let keptCount = 0
    for (const i of from.orders.get('name')!) if (oldToNew[i]! >= 0) kept[keptCount++] = oldToNew[i]!
    const added = changed.sort(byName)
    const order = new Uint32Array(next.length)
    for (let k = 0, a = 0, b = 0; k < order.length; k++) {
      order[k] = b >= added.length || (a < keptCount && byName(kept[a]!, added[b]!) <= 0) ? kept[a++]! : added[b++]!
    }
    this.orders.set('name', order)
    this.layOut(order, (at) => `${names[at]}\n${next[at]!.email.toLowerCase()}`, { from, newToOld })
    return true
  }

  /**
   * Lays out `text` in the name order `byName`, each member's haystack from `haystack`, or for
   * members of `old.from`, copied from its text a run of neighbours at a time.
   */
  private layOut(byName: Uint32Array, haystack: (member: number) => string, old?: { from: MemberIndex; newToOld: Int32Array }): void {
    const parts: string[] = []
    const starts = (this.starts = new Uint32Array(byName.length + 1))
    const places = (this.places = new Uint32Array(byName.length))
    // The old places [run, end) are still to be copied, as one slice.
    let run = 0
    let end = 0
    const copyRun = () => run < end && parts.push(old!.from.text.slice(old!.from.starts[run], old!.from.starts[end]! - 1))
    let at = 0
    for (let k = 0; k < byName.length; k++) {
      const i = byName[k]!
      places[i] = k
      starts[k] = at
      const was = old && old.newToOld[i]! >= 0 ? old.from.places[old.newToOld[i]!]! : -1
      if (was >= 0) {
        if (was !== end) {
          copyRun()
          run = was
        }
        end = was + 1
        at += old!.from.starts[end]! - old!.from.starts[was]!
      } else {
        copyRun()
        run = end
        const h = haystack(i)
        parts.push(h)
        at += h.length + 1
      }
    }
    copyRun()
    starts[byName.length] = at
    this.text = parts.join('\n')
  }

  private haystack(member: number): string {
    const k = this.places[member]!
    return this.text.slice(this.starts[k], this.starts[k + 1]! - 1)
  }

  /** Members by userId, built on the first lookup: a sync that brings nothing new looks nothing up. */
  get byId(): ReadonlyMap<string, Member> {
    return (this.ids ??= new LazyMap(() => new Map(this.members.map((m) => [m.userId, m]))))
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
    if (this.last?.key === key) return this.last.matches
    const rank = role ? ROLE_RANK[role] : -1
    // A search finds members in name order: the name sort takes them as they come.
    const found = needle && !emails ? this.search(needle, rank) : null
    if (found && sort === 'name') return (this.last = { key, matches: found }).matches
    const hit = new Uint8Array(this.members.length)
    let count = 0
    const mark = (i: number) => {
      if (hit[i] || (rank >= 0 && this.roles[i] !== rank)) return
      hit[i] = 1
      count++
    }
    if (found) for (const i of found) mark(i)
    else if (emails) {
      const at = this.emailIndex()
      for (const e of emails) {
        const i = at.get(e.trim().toLowerCase())
        if (i !== undefined && this.haystack(i).includes(needle)) mark(i)
      }
    } else for (let i = 0; i < this.members.length; i++) mark(i)
    // Walk the sort order through the mask: the matches come out sorted.
    const matches = new Uint32Array(count)
    for (let p = 0, k = 0; k < count; p++) if (hit[order[p]!]) matches[k++] = order[p]!
    this.last = { key, matches }
    return matches
  }

  /**
   * The members whose haystack contains `needle` and whose ROLE_RANK is `rank` (any, if -1), in
   * name order. Typing on extends the last needle, so its hits are the only candidates: when
   * they are few, their own haystacks are tested (a keystroke after the first few costs well
   * under a millisecond), else the whole text is scanned again, which is cheaper for many.
   */
  private search(needle: string, rank: number): Uint32Array {
    const prev = this.lastSearch
    const narrow = prev && needle.includes(prev.needle) && (prev.rank < 0 || prev.rank === rank) && prev.found.length <= this.members.length / NARROW_BELOW
    const found = narrow ? this.searchAmong(prev.found, needle, rank) : this.scan(needle, rank)
    this.lastSearch = { needle, rank, found }
    return found
  }

  /**
   * Runs both ways of searching once, for nothing (no answer or cache is touched): V8 compiles
   * a loop only after it has run a while, so a session's first searches ran interpreted, 5-20 ms
   * at 100 000 members where compiled ones take 0.3-3 ms. A needle every member has ("@" of the
   * email) makes the whole-text scan loop through all of them.
   */
  rehearse(): void {
    const all = this.scan('@', -1)
    this.searchAmong(all.subarray(0, REHEARSED_CANDIDATES), 'a', -1)
  }

  /** search() among `candidates` (in name order): one substring test per candidate. */
  private searchAmong(candidates: Uint32Array, needle: string, rank: number): Uint32Array {
    const found = scratch(candidates.length)
    let count = 0
    for (const i of candidates) if ((rank < 0 || this.roles[i] === rank) && this.haystack(i).includes(needle)) found[count++] = i
    return found.slice(0, count)
  }

  /** search() over the whole text. */
  private scan(needle: string, rank: number): Uint32Array {
    const { text, starts, roles } = this
    const byName = this.order('name')
    const found = scratch(byName.length)
    let count = 0
    let k = 0
    for (let p = text.indexOf(needle); p >= 0; ) {
      while (starts[k + 1]! <= p) k++
      // Within one member's haystack (not across the "\n" to the next one): a hit; go on after it.
      if (p + needle.length < starts[k + 1]!) {
        const i = byName[k]!
        if (rank < 0 || roles[i] === rank) found[count++] = i
        p = text.indexOf(needle, starts[k + 1])
      } else p = text.indexOf(needle, p + 1)
    }
    return found.slice(0, count)
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
    const { members: ms, names, roles } = this
    const byName = (a: number, b: number) => cmp(names[a], names[b])
    switch (sort) {
      case 'name':
        return byName
      case 'email':
        return (a, b) => cmp(ms[a]!.email, ms[b]!.email)
      case 'role':
        return (a, b) => cmp(roles[a], roles[b]) || byName(a, b)
      case 'joined':
        return (a, b) => cmp(ms[a]!.joinedAt, ms[b]!.joinedAt)
      case 'workspaces':
        return (a, b) => cmp(ms[a]!.workspaceCount, ms[b]!.workspaceCount) || byName(a, b)
    }
  }
}

/** A read-only Map built on its first use. */
class LazyMap<K, V> implements ReadonlyMap<K, V> {
  private map: Map<K, V> | null = null
  constructor(private readonly build: () => Map<K, V>) {}
  private get built(): Map<K, V> {
    return (this.map ??= this.build())
  }
  get size() {
    return this.built.size
  }
  get(key: K) {
    return this.built.get(key)
  }
  has(key: K) {
    return this.built.has(key)
  }
  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void) {
    this.built.forEach((v, k) => fn(v, k, this))
  }
  entries() {
    return this.built.entries()
  }
  keys() {
    return this.built.keys()
  }
  values() {
    return this.built.values()
  }
  [Symbol.iterator]() {
    return this.built[Symbol.iterator]()
  }
}

let spare = new Uint32Array(0)
/**
 * Room for a search's hits, reused: each search took a fresh array of a slot per member
 * (400 kB at 100 000), and that allocation with its first touch cost 0.4-0.8 ms, about half
 * of a search. Searches are synchronous, and each returns a copy of just its hits.
 */
function scratch(length: number): Uint32Array {
  if (spare.length < length) spare = new Uint32Array(length)
  return spare
}

const indexes = new WeakMap<readonly Member[], MemberIndex>()
/** From this many members, a search run cold is slow enough to rehearse (see MemberIndex.rehearse). */
const REHEARSE_FROM = 10_000
const REHEARSED_CANDIDATES = 20_000
let rehearsed = false

/**
 * The index of a cached list, built on first use and dropped with the list. `from`: the
 * list this one was derived from by a few updates, whose index it can reuse. The first large
 * one rehearses searching, once per process, after the task that built it.
 */
export function memberIndex(members: readonly Member[], from?: readonly Member[]): MemberIndex {
  let index = indexes.get(members)
  if (!index) {
    const built = new MemberIndex(members, from && indexes.get(from))
    indexes.set(members, (index = built))
    if (!rehearsed && members.length >= REHEARSE_FROM) {
      rehearsed = true
      setImmediate(() => built.rehearse())
    }
  }
  return index
}
