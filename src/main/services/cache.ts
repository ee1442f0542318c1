/**
 * The offline cache: per account, the org list; per account + org, one file per kind of data.
 * Every entry carries `syncedAt` (when the server last confirmed it). Encrypted and atomic
 * through EncryptedStore; the layout is ours, the ids in it are encoded by the store.
 */
import { z } from 'zod'
import { memberChangeSchema } from '../../shared/ipc'
import { memberSchema } from '../../shared/api'
import type { EncryptedStore } from './store'

export type CacheKind = 'orgs' | 'org' | 'members' | 'invitations' | 'domains' | 'workspaces' | 'billing' | 'activity'

export type CacheEntry<T> = { syncedAt: string; data: T }

export const memberCacheSchema = z.object({
  members: z.array(memberSchema),
  changes: z.array(memberChangeSchema),
  previousSyncedAt: z.string().nullable(),
  /** The server time of the last sync's first page: the next sync asks for changes since then. */
  since: z.string(),
})
export type MemberCache = z.infer<typeof memberCacheSchema>

/** Parsed entries kept in memory: a 100 000-member list is decrypted and validated once, not per read. */
const MEMO_SIZE = 32

export class CacheService {
  private readonly memo = new Map<string, CacheEntry<unknown>>()

  constructor(private readonly store: EncryptedStore) {}

  private segments(accountId: string, orgId: string | null, kind: CacheKind): string[] {
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

  async forgetAccount(accountId: string): Promise<void> {
    for (const key of [...this.memo.keys()]) if (key.startsWith(`cache/${accountId}/`)) this.memo.delete(key)
    await this.store.remove(['cache', accountId])
  }

  private remember(key: string, entry: CacheEntry<unknown>): void {
    this.memo.delete(key)
    this.memo.set(key, entry)
    if (this.memo.size > MEMO_SIZE) this.memo.delete(this.memo.keys().next().value!)
  }
}
