/**
 * Cached reads: answer from the cache at once and refresh in the background (emitting
 * `cache.updated` when the data changed); with no cache, wait for the server. When the
 * server cannot be reached the cache keeps being served, flagged `offline`.
 *
 * Members sync page by page (1 000 per page, `sync.progress` events); after the first full
 * walk only what changed since the previous sync's server time is fetched and merged.
 * Everything is keyed by userId in Maps, so 100 000 members stay linear; a sync that
 * changes nothing leaves the member list file untouched. Reads return a window (member-index.ts).
 */
import { z } from 'zod'
import {
  billingSummarySchema,
  invitationListSchema,
  joinRequestListSchema,
  orgDetailSchema,
  orgListSchema,
  orgSummarySchema,
  routes,
  trustedDomainListSchema,
  workspaceListSchema,
  type Member,
  type MemberPage,
} from '../../shared/api'
import { AppError } from '../../shared/errors'
import { MAX_CHANGES_LISTED, memberQuerySchema, type Cached, type MemberChange, type MemberQuery, type MemberWindow } from '../../shared/ipc'
import { MAX_PAGE_SIZE, type Role } from '../../shared/roles'
import type { EventSink } from '../ipc/events'
import type { AccountService } from './accounts'
import type { ApiClient } from './api-client'
import { applyUpdates, HEAD_ROWS, MemberListText, type CacheEntry, type CacheKind, type CacheService, type MemberCache } from './cache'
import { mergeChanges } from './member-changes'
import { memberPageParser, nextCursorIn } from './member-page'
import { memberIndex } from './member-index'
import { PageWalk } from './page-walk'

export interface SyncServiceOptions {
  accounts: AccountService
  cache: CacheService
  events: EventSink
  now?: () => number
  /** A cache refreshed this recently is served without another background fetch. */
  backgroundMinIntervalMs?: number
  /** A due background refresh of members waits until no members read came for this long. */
  backgroundQuietMs?: number
  /** Bytes one members sync may read in all (tests lower it). */
  maxSyncBytes?: number
}

type Fetcher<T> = (client: ApiClient) => Promise<T>

interface Resource<T> {
  kind: Exclude<CacheKind, 'members'>
  schema: z.ZodType<T>
  fetch: (client: ApiClient, orgId: string) => Promise<T>
}

const orgResources = {
  org: { kind: 'org', schema: orgDetailSchema, fetch: (c, orgId) => c.get(routes.org(orgId), orgDetailSchema) },
  invitations: {
    kind: 'invitations',
    schema: invitationListSchema,
    fetch: (c, orgId) => c.get(routes.invitations(orgId), invitationListSchema),
  },
  domains: { kind: 'domains', schema: trustedDomainListSchema, fetch: (c, orgId) => c.get(routes.domains(orgId), trustedDomainListSchema) },
  workspaces: { kind: 'workspaces', schema: workspaceListSchema, fetch: (c, orgId) => c.get(routes.workspaces(orgId), workspaceListSchema) },
  billing: { kind: 'billing', schema: billingSummarySchema, fetch: (c, orgId) => c.get(routes.billing(orgId), billingSummarySchema) },
  joinRequests: {
    kind: 'joinRequests',
    schema: joinRequestListSchema,
    fetch: (c, orgId) => c.get(routes.joinRequests(orgId), joinRequestListSchema),
  },
} satisfies Record<string, Resource<unknown>>
export type OrgResource = keyof typeof orgResources
type ResourceData<R extends OrgResource> = z.output<(typeof orgResources)[R]['schema']>

const orgsSchema = z.array(orgSummarySchema)
type OrgList = z.output<typeof orgsSchema>

export class SyncService {
  private readonly inFlight = new Map<string, Promise<unknown>>()
  private readonly lastFetched = new Map<string, number>()
  /** Member edits the server accepted, numbered, so a pull knows which it may have missed. */
  private readonly edits = new Map<string, { seq: number; edit: MemberEdit }[]>()
  private editSeq = 0
  private readonly views = new Map<string, { base: Member[]; pending: unknown; members: Member[] }>()
  /** Organizations dropped per account (JSON [accountId, orgId]): a fetch still in flight writes nothing back. */
  private readonly gone = new Set<string>()
  /** Member refreshes found due by a read, by cache key, waiting for reads to pause (refreshWhenQuiet). */
  private readonly dueRefreshes = new Map<string, { accountId: string; orgId: string }>()
  private quietTimer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly opts: SyncServiceOptions) {}

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now()
  }

  orgs(accountId: string): Promise<Cached<OrgList>> {
    return this.cachedRead(accountId, null, 'orgs', orgsSchema, async (c) => (await c.get(routes.orgs(), orgListSchema)).items)
  }

  org<R extends OrgResource>(accountId: string, orgId: string, resource: R): Promise<Cached<ResourceData<R>>> {
    const r = orgResources[resource] as unknown as Resource<ResourceData<R>>
    return this.cachedRead(accountId, orgId, r.kind, r.schema, (c) => r.fetch(c, orgId))
  }

  /**
   * An organization this account can no longer see (deleted, left, removed): its cache goes at
   * once, and every account on the same server that lists it re-reads its organizations, which
   * drops it there too if it is gone for them (a list without it drops it, see fetchAndStore).
   */
  async orgGone(accountId: string, orgId: string): Promise<void> {
    await this.dropOrgCache(accountId, orgId)
    const { baseUrl } = this.opts.accounts.get(accountId)
    const others = this.opts.accounts.list().filter((a) => a.baseUrl === baseUrl && a.status === 'signed_in')
    await Promise.allSettled(
      others.map(async (a) => {
        const list = await this.opts.cache.read(a.id, null, 'orgs', orgsSchema)
        if (a.id === accountId || list?.data.some((o) => o.id === orgId)) await this.refreshNow(a.id, null, 'orgs')
      }),
    )
  }

  /** Re-read the account's organizations now (after creating one, so the list the renderer reads has it). */
  refreshOrgs(accountId: string): Promise<void> {
    return this.refreshNow(accountId, null, 'orgs')
  }

  private async dropOrgCache(accountId: string, orgId: string): Promise<void> {
    this.gone.add(JSON.stringify([accountId, orgId]))
    this.edits.delete(this.key(accountId, orgId, 'members'))
    await this.opts.cache.forgetOrg(accountId, orgId)
  }

  /** An org-scoped call answering 404 means the organization is gone for this account. */
  private async orgCall<T>(accountId: string, orgId: string, task: () => Promise<T>): Promise<T> {
    try {
      return await task()
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') await this.orgGone(accountId, orgId)
      throw err
    }
  }

  private isGone(accountId: string, orgId: string | null): boolean {
    return orgId !== null && this.gone.has(JSON.stringify([accountId, orgId]))
  }

  /**
   * Resolves once no pull is running (benchmarks restart a core only then), including those
   * queued behind a running one (`fresh`), which start as it ends; refreshes still waiting for
   * reads to pause are dropped (the next read finds them due).
   */
  async idle(): Promise<void> {
    clearTimeout(this.quietTimer)
    this.dueRefreshes.clear()
    while (this.inFlight.size > 0) await Promise.allSettled(this.inFlight.values())
  }

  /** After a mutation: bring the affected caches up to date (the renderer hears `cache.updated`). */
  refreshAfterMutation(accountId: string, orgId: string | null, kinds: CacheKind[]): void {
    for (const kind of kinds) {
      let task: () => Promise<unknown>
      if (kind === 'orgs') task = () => this.refreshNow(accountId, null, 'orgs')
      // The audit log keeps its own copy (audit-log.ts), topped up when it is read.
      else if (orgId === null || kind === 'activity') continue
      // The admin's own changes add up in "changes since last sync" instead of replacing each other.
      else if (kind === 'members') task = () => this.syncMembers(accountId, orgId, FIRST_PAGE, 'fresh', 'accumulate')
      else task = () => this.refreshNow(accountId, orgId, kind)
      void task().catch((err: unknown) => this.logBackgroundFailure(kind, err))
    }
  }

  // ── Members ──────────────────────────────────────────────────────────

  /** A window of the cached members for `query`; with no cache yet, the first sync. */
  async members(accountId: string, orgId: string, query: MemberQuery): Promise<Cached<MemberWindow>> {
    this.opts.accounts.get(accountId)
    const early = this.cacheHead(accountId, orgId, query) && (await this.headWindow(accountId, orgId, query))
    if (early) {
      // The list itself loads meanwhile, for the next query.
      this.refreshWhenQuiet(accountId, orgId)
      void this.opts.cache.readMembers(accountId, orgId).catch((err: unknown) => this.logBackgroundFailure('members', err))
      return early
    }
    const cached = await this.opts.cache.readMembers(accountId, orgId)
    if (cached) {
      this.refreshWhenQuiet(accountId, orgId)
      return memberWindow(this.shown(accountId, orgId, cached), query, 'cache', !this.opts.accounts.isOnline(accountId))
    }
    return this.syncMembers(accountId, orgId, query)
  }

  /**
   * A due background refresh of an organization's members starts once members reads have
   * paused: reads come one after another while someone types a search or scrolls, and a
   * pull's request, merge and cache write on main's event loop would delay their answers.
   * Every read (of any organization) puts the start off again.
   */
  private refreshWhenQuiet(accountId: string, orgId: string): void {
    const key = this.key(accountId, orgId, 'members')
    if (this.due(key)) this.dueRefreshes.set(key, { accountId, orgId })
    if (this.dueRefreshes.size === 0) return
    clearTimeout(this.quietTimer)
    this.quietTimer = setTimeout(() => {
      for (const [key, { accountId, orgId }] of this.dueRefreshes) {
        this.dueRefreshes.delete(key)
        if (this.due(key)) void this.syncMembers(accountId, orgId, FIRST_PAGE, 'join').catch((err: unknown) => this.logBackgroundFailure('members', err))
      }
    }, this.opts.backgroundQuietMs ?? BACKGROUND_QUIET_MS)
    // A refresh not yet begun never keeps the process alive.
    this.quietTimer.unref()
  }

  /** After a restart, the default view's first rows come from the small file, before the list is decrypted. */
  private cacheHead(accountId: string, orgId: string, query: MemberQuery): boolean {
    const { q, role, emails, sort, desc, offset } = query
    return (
      !this.opts.cache.hasMembers(accountId, orgId) &&
      !this.edits.get(this.key(accountId, orgId, 'members'))?.length &&
      !q.trim() && !role && !emails && sort === 'name' && !desc && offset === 0
    )
  }

  private async headWindow(accountId: string, orgId: string, query: MemberQuery): Promise<Cached<MemberWindow> | null> {
    const cached = await this.opts.cache.readMembersHead(accountId, orgId)
    const head = cached?.data.head
    if (!cached || !head || (query.limit > head.members.length && head.members.length < head.total)) return null
    const { changes, previousSyncedAt } = cached.data
    const members = head.members.slice(0, query.limit)
    return {
      data: { ...windowSummary(head.total, changes, previousSyncedAt), members, matched: head.total },
      syncedAt: cached.syncedAt,
      source: 'cache',
      offline: !this.opts.accounts.isOnline(accountId),
    }
  }

  /**
   * Pull now and wait; unreachable server with a cache: the cache, flagged offline.
   * 'join' shares a pull already running (background refresh); 'fresh' (the default, for an
   * explicit sync after a change) waits for it and pulls again, since it may predate the change.
   */
  async syncMembers(
    accountId: string,
    orgId: string,
    query: MemberQuery = FIRST_PAGE,
    mode: 'fresh' | 'join' = 'fresh',
    changes: 'replace' | 'accumulate' = 'replace',
  ): Promise<Cached<MemberWindow>> {
    this.opts.accounts.get(accountId)
    try {
      const key = this.key(accountId, orgId, 'members')
      const pull = () => this.orgCall(accountId, orgId, () => this.pullMembers(accountId, orgId, changes))
      const entry = await (mode === 'join' ? this.once(key, pull) : this.fresh(key, pull))
      return memberWindow(this.shown(accountId, orgId, entry), query, 'network', false)
    } catch (err) {
      // Unreachable, or signed out meanwhile (the renderer hears session.expired): the cache still reads.
      const cached = canFallBack(err) ? await this.opts.cache.readMembers(accountId, orgId) : null
      if (cached) return memberWindow(this.shown(accountId, orgId, cached), query, 'cache', !this.opts.accounts.isOnline(accountId))
      throw err
    }
  }

  /**
   * A role change or removal the server accepted shows at once, on top of the cached list
   * (which stays what the server last said, so the next sync still reports the change), until
   * a pull that started after it has it.
   */
  noteMemberEdit(accountId: string, orgId: string, edit: MemberEdit): void {
    const key = this.key(accountId, orgId, 'members')
    this.edits.set(key, [...(this.edits.get(key) ?? []), { seq: ++this.editSeq, edit }])
  }

  /** The cached list with pending edits applied; computed once per list and set of edits. */
  private shown(accountId: string, orgId: string, entry: CacheEntry<MemberCache>): CacheEntry<MemberCache> {
    const key = this.key(accountId, orgId, 'members')
    const pending = this.edits.get(key)
    if (!pending?.length) return entry
    const base = entry.data.members
    let view = this.views.get(key)
    if (view?.base !== base || view.pending !== pending) {
      view = { base, pending, members: applyUpdates(base, editUpdates(base, pending.map((e) => e.edit))) }
      memberIndex(view.members, base)
      this.views.set(key, view)
    }
    return { ...entry, data: { ...entry.data, members: view.members } }
  }

  private async pullMembers(accountId: string, orgId: string, fold: 'replace' | 'accumulate'): Promise<CacheEntry<MemberCache>> {
    const client = this.opts.accounts.client(accountId)
    const key = this.key(accountId, orgId, 'members')
    const startedAt = this.editSeq
    const previous = await this.opts.cache.readMembers(accountId, orgId)
    // Ask again for a short window before the last sync: a change whose transaction committed
    // just after that listing can carry an earlier timestamp. Re-applying it is harmless.
    const since = previous ? new Date(Date.parse(previous.data.since) - SINCE_OVERLAP_MS).toISOString() : undefined
    const base = previous?.data.members ?? []
    // What the server reports, by userId (null: no longer a member); later pages win.
    const updates = new Map<string, Member | null>()
    let serverTime: string | undefined
    let loaded = 0
    // A first sync's list is its pages in order: its file is serialized page by page meanwhile.
    const text = previous ? undefined : new MemberListText()
    const walk = new PageWalk(`Members sync of ${orgId}`, this.opts.maxSyncBytes)
    const ask = (at: string | undefined, peek: (body: Buffer) => void) =>
      client.get(routes.members(orgId), memberPageParser, { limit: MAX_PAGE_SIZE, cursor: at, since }, { budget: walk.budget, peek })
    const bounds = (page: MemberPage) => ({ total: since ? undefined : page.total, pageSize: MAX_PAGE_SIZE })
    // The server works on the next page while this one is merged (see PageWalk.pages).
    for await (const { page, last } of walk.pages(ask, nextCursorIn, bounds)) {
      serverTime ??= page.serverTime
      for (const m of page.items) updates.set(m.userId, m)
      for (const r of page.removed) updates.set(r.userId, null)
      text?.add(page.items)
      loaded += page.items.length
      this.opts.events.emit('sync.progress', {
        accountId,
        orgId,
        loaded,
        // An incremental pull cannot know its size up front: report what arrived.
        total: since ? loaded : Math.max(page.total, loaded),
        done: last,
      })
    }
    // Indexed by id only now, once the pages are in: after a restart, the first search (waiting
    // for the same list to load) answers before this background pull indexes it.
    const byId = memberIndex(base).byId
    // The overlap re-sends what the cache already has: only real differences count.
    if (previous) for (const [id, m] of updates) if (m ? sameMember(byId.get(id), m) : !byId.has(id)) updates.delete(id)

    const diff = previous ? diffMembers(byId, updates) : []
    // Edits accepted before this pull began are in what it read; later ones stay on top.
    const pending = (this.edits.get(key) ?? []).filter((e) => e.seq > startedAt)
    if (pending.length) this.edits.set(key, pending)
    else this.edits.delete(key)
    const members = applyUpdates(base, updates)
    const syncedAt = new Date(this.now()).toISOString()
    // An uneventful sync keeps the last real difference, so "what changed" survives routine
    // refreshes; a sync after the admin's own change adds to it, since the same baseline.
    const keepPrevious = previous !== null && (diff.length === 0 || fold === 'accumulate')
    const entry: CacheEntry<MemberCache> = {
      syncedAt,
      data: {
        members,
        changes: keepPrevious ? mergeChanges(previous.data.changes, diff) : diff,
        // Accumulating onto the very first sync: that sync is the baseline the changes are counted from.
        previousSyncedAt: keepPrevious
          ? (previous.data.previousSyncedAt ?? (diff.length ? previous.syncedAt : null))
          : (previous?.syncedAt ?? null),
        since: serverTime ?? syncedAt,
      },
    }
    this.opts.accounts.get(accountId) // forgotten meanwhile: write nothing back
    if (this.isGone(accountId, orgId)) throw new AppError('not_found', 'This organization is no longer available to this account')
    // Sorted now, so the first read after a sync answers at once; the head is written with the list.
    const head = { total: members.length, members: memberIndex(members, base).window({ ...FIRST_PAGE, limit: HEAD_ROWS }).members }
    await this.opts.cache.writeMembers(accountId, orgId, entry, updates, head, text)
    this.lastFetched.set(key, this.now())
    if (previous && updates.size > 0) this.opts.events.emit('cache.updated', { accountId, orgId, kind: 'members' })
    return entry
  }

  // ── Generic cached reads ─────────────────────────────────────────────

  private async cachedRead<T>(
    accountId: string,
    orgId: string | null,
    kind: Exclude<CacheKind, 'members'>,
    schema: z.ZodType<T>,
    fetch: Fetcher<T>,
  ): Promise<Cached<T>> {
    this.opts.accounts.get(accountId)
    const cached = await this.opts.cache.read(accountId, orgId, kind, schema)
    const key = this.key(accountId, orgId, kind)
    if (cached) {
      if (this.due(key)) {
        void this.once(key, () => this.fetchAndStore(accountId, orgId, kind, fetch, cached)).catch((err: unknown) =>
          this.logBackgroundFailure(kind, err),
        )
      }
      return { data: cached.data, syncedAt: cached.syncedAt, source: 'cache', offline: !this.opts.accounts.isOnline(accountId) }
    }
    const fresh = await this.once(key, () => this.fetchAndStore(accountId, orgId, kind, fetch, null))
    return { data: fresh.data, syncedAt: fresh.syncedAt, source: 'network', offline: false }
  }

  private async refreshNow(accountId: string, orgId: string | null, kind: OrgResource | 'orgs') {
    const previous =
      kind === 'orgs'
        ? await this.opts.cache.read(accountId, null, 'orgs', orgsSchema)
        : await this.opts.cache.read(accountId, orgId, kind, orgResources[kind].schema as z.ZodType<unknown>)
    const fetch: Fetcher<unknown> =
      kind === 'orgs'
        ? async (c) => (await c.get(routes.orgs(), orgListSchema)).items
        : (c) => orgResources[kind].fetch(c, orgId as string)
    await this.fresh(this.key(accountId, orgId, kind), () => this.fetchAndStore(accountId, orgId, kind, fetch, previous))
  }

  private async fetchAndStore<T>(
    accountId: string,
    orgId: string | null,
    kind: CacheKind,
    fetch: Fetcher<T>,
    previous: CacheEntry<T> | null,
  ): Promise<CacheEntry<T>> {
    const client = this.opts.accounts.client(accountId)
    const data = orgId === null ? await fetch(client) : await this.orgCall(accountId, orgId, () => fetch(client))
    this.opts.accounts.get(accountId) // forgotten meanwhile: write nothing back
    const entry = { syncedAt: new Date(this.now()).toISOString(), data }
    if (this.isGone(accountId, orgId)) throw new AppError('not_found', 'This organization is no longer available to this account')
    await this.opts.cache.write(accountId, orgId, kind, entry)
    if (kind === 'orgs') await this.dropUnlisted(accountId, previous as CacheEntry<OrgList> | null, data as OrgList)
    this.lastFetched.set(this.key(accountId, orgId, kind), this.now())
    if (previous && JSON.stringify(previous.data) !== JSON.stringify(data)) {
      this.opts.events.emit('cache.updated', { accountId, orgId, kind })
    }
    return entry
  }

  /** The organization list no longer has some the cache had: their caches go; listed ones count again. */
  private async dropUnlisted(accountId: string, previous: CacheEntry<OrgList> | null, list: OrgList): Promise<void> {
    const listed = new Set(list.map((o) => o.id))
    for (const id of listed) this.gone.delete(JSON.stringify([accountId, id]))
    for (const o of previous?.data ?? []) if (!listed.has(o.id)) await this.dropOrgCache(accountId, o.id)
  }

  /** Concurrent reads of the same data share one request. */
  private once<T>(key: string, task: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key)
    if (existing) return existing as Promise<T>
    const p = task().finally(() => this.inFlight.delete(key))
    this.inFlight.set(key, p)
    return p
  }

  /** Like once(), but never joins a request that started before this call: it runs after it. */
  private fresh<T>(key: string, task: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key)
    if (!running) return this.once(key, task)
    return running.then(
      () => this.once(key, task),
      () => this.once(key, task),
    )
  }

  private due(key: string): boolean {
    const last = this.lastFetched.get(key)
    return last === undefined || this.now() - last >= (this.opts.backgroundMinIntervalMs ?? 2_000)
  }

  private key(accountId: string, orgId: string | null, kind: CacheKind): string {
    return JSON.stringify([accountId, orgId, kind])
  }

  private logBackgroundFailure(kind: string, err: unknown): void {
    // Unreachable servers and ended sessions reach the UI as events; only the unexpected is logged.
    if (err instanceof AppError && ['offline', 'timeout', 'session_expired', 'unknown_account'].includes(err.code)) return
    console.warn(`[sync] background refresh of ${kind} failed:`, err instanceof Error ? err.message : err)
  }
}

const SINCE_OVERLAP_MS = 5_000
/** Longer than the pauses between keystrokes, or between the block reads of a scroll. */
const BACKGROUND_QUIET_MS = 400

export type MemberEdit = { userId: string; role: Role } | { userId: string; removed: true }

/** The default read: the first screenful, by name. */
const FIRST_PAGE = memberQuerySchema.parse({})

function memberWindow(entry: CacheEntry<MemberCache>, query: MemberQuery, source: 'cache' | 'network', offline: boolean): Cached<MemberWindow> {
  const { members, changes, previousSyncedAt } = entry.data
  return {
    data: { ...memberIndex(members).window(query), ...windowSummary(members.length, changes, previousSyncedAt), offset: query.offset },
    syncedAt: entry.syncedAt,
    source,
    offline,
  }
}

function windowSummary(total: number, changes: MemberChange[], previousSyncedAt: string | null) {
  return { offset: 0, total, changes: changes.slice(0, MAX_CHANGES_LISTED), changeCount: changes.length, previousSyncedAt }
}

function sameMember(a: Member | undefined, b: Member): boolean {
  return (
    a !== undefined &&
    a.role === b.role &&
    a.joinedAt === b.joinedAt &&
    a.email === b.email &&
    a.displayName === b.displayName &&
    a.updatedAt === b.updatedAt &&
    a.workspaceCount === b.workspaceCount
  )
}

function canFallBack(err: unknown): boolean {
  return err instanceof AppError && (err.code === 'offline' || err.code === 'timeout' || err.code === 'session_expired')
}

function editUpdates(members: readonly Member[], edits: MemberEdit[]): Map<string, Member | null> {
  const updates = new Map<string, Member | null>()
  if (edits.length === 0) return updates
  const byId = memberIndex(members).byId
  for (const e of edits) {
    const m = updates.get(e.userId) ?? byId.get(e.userId)
    if (!m) continue
    updates.set(e.userId, 'removed' in e ? null : { ...m, role: e.role })
  }
  return updates
}

/** What the updates change, against the cached list: one Map lookup per update. */
export function diffMembers(before: ReadonlyMap<string, Member>, updates: ReadonlyMap<string, Member | null>): MemberChange[] {
  const changes: MemberChange[] = []
  for (const [id, m] of updates) {
    const old = before.get(id)
    if (m === null) {
      if (old) changes.push(change('left', old, old.role, null))
    } else if (!old) changes.push(change('joined', m, null, m.role))
    else if (old.role !== m.role) changes.push(change('role_changed', m, old.role, m.role))
  }
  return changes
}

function change(kind: MemberChange['kind'], m: Member, from: Member['role'] | null, to: Member['role'] | null): MemberChange {
  return { kind, userId: m.userId, email: m.email, displayName: m.displayName, from, to }
}
