/**
 * The offline cache: per account, the org list; per account + org, one file per kind of data.
 * Every entry carries `syncedAt` (when the server last confirmed it). Encrypted and atomic
 * through EncryptedStore; the layout is ours, the ids in it are encoded by the store.
 */
import { z } from 'zod'
import { memberChangeSchema, type MemberChange } from '../../shared/ipc'
import type { Member } from '../../shared/api'
import type { EncryptedStore } from './store'

export type CacheKind = 'orgs' | 'org' | 'members' | 'invitations' | 'domains' | 'workspaces' | 'billing'

export type CacheEntry<T> = { syncedAt: string; data: T }

export type MemberCache = {
  members: Member[]
  changes: MemberChange[]
  previousSyncedAt: string | null
  /** The server time of the last sync's first page: the next sync asks for changes since then. */
  since: string
}

/**
 * Members live in two files: the list (MiBs at scale) and what each sync learns (small).
 * An uneventful sync rewrites only the second. The list is written first, so a crash
 * between the two leaves an older `since`, which only makes the next sync ask for more.
 */
const memberMetaSchema = z.object({
  syncedAt: z.iso.datetime({ offset: true }),
  data: z.object({ changes: z.array(memberChangeSchema), previousSyncedAt: z.string().nullable(), since: z.string() }),
})
/**
 * The list is only ever written by main; AES-GCM authenticates it, so per-member validation
 * on every start would re-check our own output (90–145 ms at 100 000). `format` changes
 * when Member does, so an older app's file reads as absent and is refetched.
 */
const MEMBER_LIST_FORMAT = 1
const memberListSchema = z.object({ format: z.literal(MEMBER_LIST_FORMAT), members: z.custom<Member[]>(Array.isArray) })

/** Parsed entries kept in memory: a 100 000-member list is decrypted and validated once, not per read. */
const MEMO_SIZE = 32

export class CacheService {
  private readonly memo = new Map<string, CacheEntry<unknown>>()

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

  async readMembers(accountId: string, orgId: string): Promise<CacheEntry<MemberCache> | null> {
    const key = this.memberKey(accountId, orgId)
    const hit = this.memo.get(key)
    if (hit) return hit as CacheEntry<MemberCache>
    const meta = await this.store.read(this.segments(accountId, orgId, 'members-meta'), memberMetaSchema)
    const list = meta && (await this.store.read(this.segments(accountId, orgId, 'members'), memberListSchema))
    if (!meta || !list) return null
    const entry = { syncedAt: meta.syncedAt, data: { ...meta.data, members: list.members } }
    this.remember(key, entry)
    return entry
  }

  /** `listChanged: false` keeps the list file as it is (same bytes, same inode). */
  async writeMembers(accountId: string, orgId: string, entry: CacheEntry<MemberCache>, listChanged: boolean): Promise<void> {
    const { members, ...meta } = entry.data
    if (listChanged) await this.store.write(this.segments(accountId, orgId, 'members'), { format: MEMBER_LIST_FORMAT, members })
    await this.store.write(this.segments(accountId, orgId, 'members-meta'), { syncedAt: entry.syncedAt, data: meta })
    this.remember(this.memberKey(accountId, orgId), entry)
  }

  async forgetAccount(accountId: string): Promise<void> {
    for (const key of [...this.memo.keys()]) if (key.startsWith(`cache/${accountId}/`)) this.memo.delete(key)
    await this.store.remove(['cache', accountId])
  }

  private memberKey(accountId: string, orgId: string): string {
    return this.segments(accountId, orgId, 'members').join('/')
  }

  private remember(key: string, entry: CacheEntry<unknown>): void {
    this.memo.delete(key)
    this.memo.set(key, entry)
    if (this.memo.size > MEMO_SIZE) this.memo.delete(this.memo.keys().next().value!)
  }
}
