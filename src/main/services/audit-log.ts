/**
 * Each organization's audit log, kept in the encrypted cache for offline review: the newest
 * MAX_CACHED_EVENTS events, topped up incrementally (only events after the newest one held).
 * Filters and search run here over that copy, the same way the server reads them, so the page
 * and the export work the same online and offline.
 */
import { z } from 'zod'
import { activityEventSchema, activityPageSchema, routes, type ActivityEvent } from '../../shared/api'
import { csvCell } from '../../shared/csv'
import type { AuditFilter, AuditWindow, Cached } from '../../shared/ipc'
import type { EventSink } from '../ipc/events'
import type { AccountService } from './accounts'
import type { CacheEntry, CacheService } from './cache'

/** Events kept per organization; older ones need a connection (and are not searched offline). */
export const MAX_CACHED_EVENTS = 10_000
const PAGE = 200
/** A copy read this recently is served without asking the server again (the members' default). */
const MIN_REFRESH_MS = 2_000

const auditCacheSchema = z.object({
  /** Newest first. */
  events: z.array(activityEventSchema),
  /** True when the copy reaches back to the organization's first event. */
  complete: z.boolean(),
})
type AuditCache = z.output<typeof auditCacheSchema>

const DAY = /^\d{4}-\d{2}-\d{2}/

/** The server's filter semantics (services/activity.ts), over events in memory. */
export function matchesAudit(e: ActivityEvent, f: AuditFilter): boolean {
  if (f.actor && e.actor?.id !== f.actor) return false
  if (f.subject && e.actor?.id !== f.subject && e.targetUserId !== f.subject) return false
  if (f.action?.length && !f.action.includes(e.action)) return false
  const day = DAY.exec(e.at)?.[0] ?? ''
  if (f.from && day < f.from) return false
  if (f.to && day > f.to) return false
  if (f.q) {
    const needle = f.q.toLowerCase()
    const hay = [e.target, e.actor?.displayName, e.actor?.email, e.actorKey?.name, JSON.stringify(e.details)]
    if (!hay.some((h) => h?.toLowerCase().includes(needle))) return false
  }
  return true
}

export function auditCsv(events: ActivityEvent[], describe: (e: ActivityEvent) => string = (e) => e.action): string {
  const lines = [['Time (UTC)', 'Actor', 'Actor email', 'Action', 'Target', 'Description', 'Details'].map(csvCell).join(',')]
  for (const e of events) {
    const actor = e.actor?.displayName ?? (e.actorKey ? `API key ${e.actorKey.name}` : '')
    lines.push([e.at, actor, e.actor?.email ?? '', e.action, e.target ?? '', describe(e), JSON.stringify(e.details)].map(csvCell).join(','))
  }
  return lines.join('\r\n') + '\r\n'
}

export class AuditLogService {
  private readonly inFlight = new Map<string, Promise<CacheEntry<AuditCache>>>()
  private readonly lastFetched = new Map<string, number>()

  constructor(
    private readonly deps: { accounts: AccountService; cache: CacheService; events: EventSink; now?: () => number; minRefreshMs?: number },
  ) {}

  private now() {
    return this.deps.now ? this.deps.now() : Date.now()
  }

  /** A window of the filtered log, from the copy (refreshed in the background), or fetched first. */
  async list(accountId: string, orgId: string, f: AuditFilter): Promise<Cached<AuditWindow>> {
    const { entry, source } = await this.read(accountId, orgId)
    const matched = entry.data.events.filter((e) => matchesAudit(e, f))
    const offset = f.cursor ? Number(f.cursor) : 0
    const items = matched.slice(offset, offset + f.limit)
    const next = offset + items.length
    return {
      data: { items, nextCursor: next < matched.length ? String(next) : null, matched: matched.length, held: entry.data.events.length, complete: entry.data.complete },
      syncedAt: entry.syncedAt,
      source,
      offline: source === 'cache' && !this.deps.accounts.isOnline(accountId),
    }
  }

  /** Every held event matching the filter, as CSV. */
  async exportCsv(accountId: string, orgId: string, f: AuditFilter, describe?: (e: ActivityEvent) => string) {
    const { entry } = await this.read(accountId, orgId)
    const events = entry.data.events.filter((e) => matchesAudit(e, f))
    return { csv: auditCsv(events, describe), count: events.length }
  }

  private async read(accountId: string, orgId: string) {
    this.deps.accounts.get(accountId)
    const cached = await this.deps.cache.read(accountId, orgId, 'activity', auditCacheSchema)
    if (!cached) return { entry: await this.refresh(accountId, orgId, null), source: 'network' as const }
    const key = `${accountId}\u0000${orgId}`
    if (this.now() - (this.lastFetched.get(key) ?? 0) >= (this.deps.minRefreshMs ?? MIN_REFRESH_MS)) {
      void this.refresh(accountId, orgId, cached).catch((err: unknown) => console.warn(`[audit] background refresh failed: ${(err as Error).message}`))
    }
    return { entry: cached, source: 'cache' as const }
  }

  /** Resolves once no pull is running (a core closes only then). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled(this.inFlight.values())
  }

  /** Fetch the events after the newest one held (all of them the first time), up to the bound. */
  refresh(accountId: string, orgId: string, previous: CacheEntry<AuditCache> | null): Promise<CacheEntry<AuditCache>> {
    const key = `${accountId}\u0000${orgId}`
    let p = this.inFlight.get(key)
    if (!p) {
      p = this.pull(accountId, orgId, previous).finally(() => this.inFlight.delete(key))
      this.inFlight.set(key, p)
    }
    return p
  }

  private async pull(accountId: string, orgId: string, previous: CacheEntry<AuditCache> | null): Promise<CacheEntry<AuditCache>> {
    const client = this.deps.accounts.client(accountId)
    const after = previous?.data.events[0]?.id
    const fresh: ActivityEvent[] = []
    let cursor: string | undefined
    let reachedEnd = false
    while (fresh.length < MAX_CACHED_EVENTS) {
      const page = await client.get(routes.activity(orgId), activityPageSchema, { limit: PAGE, after, cursor })
      fresh.push(...page.items)
      if (!page.nextCursor || page.nextCursor === cursor) {
        reachedEnd = true
        break
      }
      cursor = page.nextCursor
    }
    const events = [...fresh, ...(previous?.data.events ?? [])]
    const kept = events.slice(0, MAX_CACHED_EVENTS)
    // Incremental pulls keep what was complete complete, unless the bound cut events off.
    const complete = kept.length === events.length && (previous ? previous.data.complete && reachedEnd : reachedEnd)
    const entry = { syncedAt: new Date(this.now()).toISOString(), data: { events: kept, complete } }
    this.deps.accounts.get(accountId) // forgotten meanwhile: write nothing back
    await this.deps.cache.write(accountId, orgId, 'activity', entry)
    this.lastFetched.set(`${accountId}\u0000${orgId}`, this.now())
    if (previous && fresh.length > 0) this.deps.events.emit('cache.updated', { accountId, orgId, kind: 'activity' })
    return entry
  }
}
