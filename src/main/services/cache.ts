/**
 * The offline cache: per account, the org list; per account + org, one file per kind of data.
 * Every entry carries `syncedAt` (when the server last confirmed it). Encrypted and atomic
 * through EncryptedStore; the layout is ours, the ids in it are encoded by the store.
 */
import { z } from 'zod'
import { memberChangeSchema } from '../../shared/ipc'
import { memberSchema } from '../../shared/api'
import type { EncryptedStore } from './store'

export type CacheKind = 'orgs' | 'org' | 'members' | 'invitations' | 'domains' | 'workspaces' | 'billing'

export type CacheEntry<T> = { syncedAt: string; data: T }

export const memberCacheSchema = z.object({
  members: z.array(memberSchema),
  changes: z.array(memberChangeSchema),
  previousSyncedAt: z.string().nullable(),
  /** The server time of the last sync's first page: the next sync asks for changes since then. */
  since: z.string(),
})
export type MemberCache = z.infer<typeof memberCacheSchema>

export class CacheService {
  constructor(private readonly store: EncryptedStore) {}

  private segments(accountId: string, orgId: string | null, kind: CacheKind): string[] {
    return orgId === null ? ['cache', accountId, `${kind}.enc`] : ['cache', accountId, 'org', orgId, `${kind}.enc`]
  }

  read<S extends z.ZodType>(accountId: string, orgId: string | null, kind: CacheKind, schema: S): Promise<CacheEntry<z.output<S>> | null> {
    return this.store.read(this.segments(accountId, orgId, kind), z.object({ syncedAt: z.iso.datetime({ offset: true }), data: schema })) as Promise<
      CacheEntry<z.output<S>> | null
    >
  }

  write<T>(accountId: string, orgId: string | null, kind: CacheKind, entry: CacheEntry<T>): Promise<void> {
    return this.store.write(this.segments(accountId, orgId, kind), entry)
  }

  forgetAccount(accountId: string): Promise<void> {
    return this.store.remove(['cache', accountId])
  }
}
