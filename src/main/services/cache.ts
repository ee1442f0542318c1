/**
 * The offline cache: per account, the org list; per account + org, one file per kind of data.
 * Every entry carries `syncedAt` (when the server last confirmed it). Encrypted and atomic
 * through EncryptedStore; the layout is ours, the ids in it are encoded by the store.
 */
import { z } from 'zod'
import { memberChangeSchema, type MemberChange } from '../../shared/ipc'
import { memberSchema, type Member } from '../../shared/api'
import type { EncryptedStore } from './store'

export type CacheKind = 'orgs' | 'org' | 'members' | 'invitations' | 'domains' | 'workspaces' | 'billing' | 'activity' | 'joinRequests'

export type CacheEntry<T> = { syncedAt: string; data: T }

export type MemberCache = {
  members: Member[]
  changes: MemberChange[]
  previousSyncedAt: string | null
  /** The server time of the last sync's first page: the next sync asks for changes since then. */
  since: string
}

/** By userId: the member as the server now has them, or null for one who left. */
export type MemberUpdates = ReadonlyMap<string, Member | null>

/**
 * Members live in two files: the list (MiBs at scale) and a small one with what each sync
 * learns, including a journal of updates to apply to that list. A sync rewrites only the
 * small file until the journal outgrows JOURNAL_LIMIT; then the list is rewritten with
 * everything and the journal emptied. The list is written first: a crash between the two
 * leaves the older journal and `since`, so the next sync asks again for what it may revert.
 */
const JOURNAL_LIMIT = 2_000
/** Rows of the default view (by name, ascending) kept in the small file: one screenful's block. */
export const HEAD_ROWS = 100
const memberHeadSchema = z.object({ total: z.number().int().nonnegative(), members: z.array(memberSchema).max(HEAD_ROWS) })
export type MemberHead = z.output<typeof memberHeadSchema>
const memberMetaSchema = z.object({
  syncedAt: z.iso.datetime({ offset: true }),
  data: z.object({
    changes: z.array(memberChangeSchema),
    previousSyncedAt: z.string().nullable(),
    since: z.string(),
    journal: z.array(z.tuple([z.string(), memberSchema.nullable()])).max(JOURNAL_LIMIT),
    /** The first rows by name and the count: a restart shows them without reading the list; older files lack it. */
    head: memberHeadSchema.optional(),
  }),
})
/**
 * The list is only ever written by main; AES-GCM authenticates it, so per-member validation
 * on every start would re-check our own output (90–145 ms at 100 000). It is stored by column
 * (one array per field): no key repeated per member, so a third smaller and about twice as fast
 * to write and parse. `format` changes when the layout or Member does, so an older app's file
 * reads as absent and is refetched.
 */
const MEMBER_LIST_FORMAT = 2
type MemberColumns = { [K in keyof Member]: Member[K][] }
const memberListSchema = z.object({ format: z.literal(MEMBER_LIST_FORMAT), columns: z.custom<MemberColumns>(sameLengthColumns) })

function sameLengthColumns(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const columns = Object.values(value)
  return columns.length === FIELDS.length && columns.every((c) => Array.isArray(c) && c.length === (columns[0] as unknown[]).length)
}

/** Written out field by field: a field added to Member fails to compile here until it is stored. */
function toColumns(ms: readonly Member[]): MemberColumns {
  return {
    userId: ms.map((m) => m.userId),
    email: ms.map((m) => m.email),
    displayName: ms.map((m) => m.displayName),
    role: ms.map((m) => m.role),
    joinedAt: ms.map((m) => m.joinedAt),
    updatedAt: ms.map((m) => m.updatedAt),
    workspaceCount: ms.map((m) => m.workspaceCount),
  }
}
const FIELDS = Object.keys(toColumns([])) as (keyof Member)[]

/**
 * The list file's JSON, serialized a block of members at a time: a first sync adds each page
 * as it arrives, while the server works on the next one, so the sync's end only encrypts and
 * writes. It is the file of exactly the members added, in that order (`holds` checks a list).
 * Blocks are kept as bytes: outside the JS heap, 15 MiB of text costs the collector nothing.
 */
export class MemberListText {
  private readonly members: Member[] = []
  /** Per field, one JSON fragment (values without the brackets) per block. */
  private readonly columns = new Map<keyof Member, Buffer[]>(FIELDS.map((f) => [f, []]))

  add(members: readonly Member[]): this {
    for (let i = 0; i < members.length; i += BLOCK_ROWS) this.addBlock(members.slice(i, i + BLOCK_ROWS))
    return this
  }

  private addBlock(block: readonly Member[]): void {
    for (const m of block) this.members.push(m)
    const columns = toColumns(block)
    for (const f of FIELDS) {
      const blocks = this.columns.get(f)!
      const json = Buffer.from(JSON.stringify(columns[f]))
      // "[a,b]" becomes "a,b" for a column's first block, ",a,b" for the next ones.
      if (blocks.length) json[0] = COMMA
      blocks.push(json.subarray(blocks.length ? 0 : 1, -1))
    }
  }

  /** Whether this is the text of `list` (the very same members, in the same order). */
  holds(list: readonly Member[]): boolean {
    return list.length === this.members.length && list.every((m, i) => m === this.members[i])
  }

  /** The file's JSON, `{"format":…,"columns":{…}}`, in small pieces (no copy of the whole). */
  *pieces(): Generator<Buffer | string> {
    for (const [i, f] of FIELDS.entries()) {
      yield `${i ? '],' : `{"format":${MEMBER_LIST_FORMAT},"columns":{`}"${f}":[`
      yield* this.columns.get(f)!
    }
    yield ']}}'
  }
}
const COMMA = ','.charCodeAt(0)
/** Members per block: a page of a sync; tens of KiB per column, small enough to allocate cheaply. */
const BLOCK_ROWS = 1000

function fromColumns(c: MemberColumns): Member[] {
  const out = new Array<Member>(c.userId.length)
  for (let i = 0; i < out.length; i++) {
    out[i] = {
      userId: c.userId[i]!,
      email: c.email[i]!,
      displayName: c.displayName[i]!,
      role: c.role[i]!,
      joinedAt: c.joinedAt[i]!,
      updatedAt: c.updatedAt[i]!,
      workspaceCount: c.workspaceCount[i]!,
    }
  }
  return out
}

/** Parsed entries kept in memory: a 100 000-member list is decrypted and validated once, not per read. */
const MEMO_SIZE = 32

export class CacheService {
  private readonly memo = new Map<string, CacheEntry<unknown>>()
  /** Per remembered member entry: the list as its file holds it, and the journal on top. */
  private readonly onDisk = new Map<string, { list: Member[]; journal: Map<string, Member | null> }>()
  private readonly loading = new Map<string, Promise<CacheEntry<MemberCache> | null>>()

  constructor(private readonly store: EncryptedStore) {}

  private segments(accountId: string, orgId: string | null, kind: CacheKind | 'members-meta'): string[] {
    return orgId === null ? ['cache', accountId, `${kind}.enc`] : ['cache', accountId, 'org', orgId, `${kind}.enc`]
  }

  async read<S extends z.ZodType>(accountId: string, orgId: string | null, kind: CacheKind, schema: S): Promise<CacheEntry<z.output<S>> | null> {
    const segments = this.segments(accountId, orgId, kind)
    const key = segments.join('/')
    const hit = this.memo.get(key)
    if (hit) return hit as CacheEntry<z.output<S>>
    const entry = (await this.store.read(segments, z.object({ syncedAt: z.iso.datetime({ offset: true }), data: schema }))) as CacheEntry<
      z.output<S>
    > | null
    if (entry) this.remember(key, entry)
    return entry
  }

  async write<T>(accountId: string, orgId: string | null, kind: CacheKind, entry: CacheEntry<T>): Promise<void> {
    const segments = this.segments(accountId, orgId, kind)
    await this.store.write(segments, entry)
    this.remember(segments.join('/'), entry)
  }

  readMembers(accountId: string, orgId: string): Promise<CacheEntry<MemberCache> | null> {
    const key = this.memberKey(accountId, orgId)
    const hit = this.memo.get(key)
    if (hit) return Promise.resolve(hit as CacheEntry<MemberCache>)
    // A restart's first window and its background sync both ask: decrypt the list once.
    let loading = this.loading.get(key)
    if (!loading) {
      loading = this.loadMembers(key, accountId, orgId).finally(() => this.loading.delete(key))
      this.loading.set(key, loading)
    }
    return loading
  }

  /** The small file alone: what the last sync learned and the default view's first rows, when it has them. */
  async readMembersHead(accountId: string, orgId: string): Promise<CacheEntry<Omit<MemberCache, 'members'> & { head: MemberHead }> | null> {
    const meta = await this.store.read(this.segments(accountId, orgId, 'members-meta'), memberMetaSchema)
    if (!meta?.data.head) return null
    const { journal: _, head, ...rest } = meta.data
    return { syncedAt: meta.syncedAt, data: { ...rest, head } }
  }

  private async loadMembers(key: string, accountId: string, orgId: string): Promise<CacheEntry<MemberCache> | null> {
    const meta = await this.store.read(this.segments(accountId, orgId, 'members-meta'), memberMetaSchema)
    const file = meta && (await this.store.read(this.segments(accountId, orgId, 'members'), memberListSchema))
    if (!meta || !file) return null
    const list = fromColumns(file.columns)
    const { journal, head: _, ...rest } = meta.data
    const updates = new Map(journal)
    const entry = { syncedAt: meta.syncedAt, data: { ...rest, members: applyUpdates(list, updates) } }
    // A sync may have written a newer entry while this one was decrypting.
    if (this.memo.has(key)) return this.memo.get(key) as CacheEntry<MemberCache>
    this.remember(key, entry)
    this.onDisk.set(key, { list, journal: updates })
    return entry
  }

  /**
   * `updates` turn the previous entry into this one; few of them leave the list file as it is.
   * `text`: the list's file already serialized while it was fetched (used when it holds this list).
   */
  async writeMembers(
    accountId: string,
    orgId: string,
    entry: CacheEntry<MemberCache>,
    updates: MemberUpdates,
    head: MemberHead,
    text?: MemberListText,
  ): Promise<void> {
    const key = this.memberKey(accountId, orgId)
    const { members, ...meta } = entry.data
    let disk = this.onDisk.get(key)
    if (disk && disk.journal.size + updates.size <= JOURNAL_LIMIT) {
      disk = { list: disk.list, journal: updates.size ? new Map([...disk.journal, ...updates]) : disk.journal }
    } else {
      const list = text?.holds(members) ? text : new MemberListText().add(members)
      await this.store.writeJson(this.segments(accountId, orgId, 'members'), () => list.pieces())
      disk = { list: members, journal: new Map() }
    }
    await this.store.write(this.segments(accountId, orgId, 'members-meta'), { syncedAt: entry.syncedAt, data: { ...meta, journal: [...disk.journal], head } })
    this.remember(key, entry)
    this.onDisk.set(key, disk)
  }

  /** Whether the member list is in memory (reads answer without decrypting it). */
  hasMembers(accountId: string, orgId: string): boolean {
    return this.memo.has(this.memberKey(accountId, orgId))
  }

  async forgetAccount(accountId: string): Promise<void> {
    for (const key of [...this.memo.keys()]) if (key.startsWith(`cache/${accountId}/`)) this.forget(key)
    await this.store.remove(['cache', accountId])
  }

  /** Everything cached for one organization of one account (it was deleted, or the account left it). */
  async forgetOrg(accountId: string, orgId: string): Promise<void> {
    const prefix = ['cache', accountId, 'org', orgId, ''].join('/')
    for (const key of [...this.memo.keys()]) if (key.startsWith(prefix)) this.forget(key)
    await this.store.remove(['cache', accountId, 'org', orgId])
  }

  private memberKey(accountId: string, orgId: string): string {
    return this.segments(accountId, orgId, 'members').join('/')
  }

  private remember(key: string, entry: CacheEntry<unknown>): void {
    this.memo.delete(key)
    this.memo.set(key, entry)
    if (this.memo.size > MEMO_SIZE) this.forget(this.memo.keys().next().value!)
  }

  private forget(key: string): void {
    this.memo.delete(key)
    this.onDisk.delete(key)
  }
}

/** A new list with `updates` applied (same order, newcomers last); the same list when there are none. */
export function applyUpdates(members: Member[], updates: MemberUpdates): Member[] {
  if (updates.size === 0) return members
  const out: Member[] = []
  const present = new Set<string>()
  for (const m of members) {
    const u = updates.get(m.userId)
    if (u === undefined) out.push(m)
    else {
      present.add(m.userId)
      if (u !== null) out.push(u)
    }
  }
  for (const [id, u] of updates) if (u && !present.has(id)) out.push(u)
  return out
}
