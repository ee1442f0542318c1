/**
 * The main-process core, assembled once: encrypted store, accounts, cache + sync, router.
 * Electron (index.ts) and the loopback harness build the very same thing; only the secret
 * box, the data directory and the trusted sender differ.
 */
import { EventHub } from './ipc/events'
import { createRouter, type Router, type SenderInfo } from './ipc/router'
import { AccountService } from './services/accounts'
import type { FetchLike } from './services/api-client'
import { AuditLogService } from './services/audit-log'
import { CacheService } from './services/cache'
import { InboxActions } from './services/inbox'
import { OrgActions } from './services/org-actions'
import type { SecretBox } from './services/secret-box'
import { EncryptedStore } from './services/store'
import { SyncService } from './services/sync'

export interface CoreOptions {
  dataDir: string
  secretBox: SecretBox
  isTrustedSender(sender: SenderInfo): boolean
  fetch?: FetchLike
  now?: () => number
  timeoutMs?: number
  retryLimit?: number
  backgroundMinIntervalMs?: number
  backgroundQuietMs?: number
  maxSyncBytes?: number
  reconnectBaseMs?: number
}

export interface Core {
  router: Router
  events: EventHub
  accounts: AccountService
  sync: SyncService
  store: EncryptedStore
  /** Stops reconnect probes and lets background pulls finish their writes, so the data folder can go. */
  close(): Promise<void>
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  const store = new EncryptedStore(opts.dataDir, opts.secretBox)
  await store.sweepTempFiles()
  const events = new EventHub()
  const accounts = new AccountService({
    store,
    events,
    fetch: opts.fetch,
    now: opts.now,
    timeoutMs: opts.timeoutMs,
    retryLimit: opts.retryLimit,
    reconnectBaseMs: opts.reconnectBaseMs,
  })
  await accounts.load()
  const cache = new CacheService(store)
  accounts.onForget = (accountId) => cache.forgetAccount(accountId)
  const sync = new SyncService({
    accounts,
    cache,
    events,
    now: opts.now,
    backgroundMinIntervalMs: opts.backgroundMinIntervalMs,
    backgroundQuietMs: opts.backgroundQuietMs,
    maxSyncBytes: opts.maxSyncBytes,
  })
  const actions = new OrgActions({ accounts, sync, cache })
  const inbox = new InboxActions({ accounts, sync })
  const audit = new AuditLogService({ accounts, cache, events, now: opts.now, minRefreshMs: opts.backgroundMinIntervalMs })
  const router = createRouter({ accounts, sync, actions, inbox, audit, isTrustedSender: opts.isTrustedSender })
  const close = async () => {
    accounts.dispose()
    await Promise.all([sync.idle(), audit.idle()])
  }
  return { router, events, accounts, sync, store, close }
}
