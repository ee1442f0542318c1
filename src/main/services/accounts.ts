/**
 * Accounts: one per (backend, user), several backends at once. Owns the tokens: login,
 * refresh (a little before expiry and on 401, one refresh in flight per account), sign-out
 * and forget. Persisted encrypted; an account whose refresh token is refused turns
 * `expired` and keeps its id, so signing in again brings the same view back.
 *
 * An account main cannot reach is probed with backoff until its server answers again, so
 * "Offline" clears by itself. Plain http is refused for servers off this machine unless the
 * person confirmed the warning (`allowInsecureHttp`).
 */
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { API_KEY_PATTERN, apiKeyIdentitySchema, meSchema, routes, tokenPairSchema, type ApiKeyIdentity, type RegisterRequest, type TokenPair } from '../../shared/api'
import { AppError } from '../../shared/errors'
import { ROLE_LABELS } from '../../shared/roles'
import type { AccountState, AccountSummary } from '../../shared/ipc'
import { isInsecureRemote, serverLabel } from '../../shared/servers'
import type { EventSink } from '../ipc/events'
import { ApiClient, type FetchLike } from './api-client'
import type { EncryptedStore } from './store'

/** Refresh this long before the access token expires, so requests never race the expiry. */
export const REFRESH_MARGIN_MS = 60_000
/** Reconnect probes: first after this, doubling up to RECONNECT_MAX_MS. */
export const RECONNECT_BASE_MS = 2_000
const RECONNECT_MAX_MS = 60_000

const tokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  accessTokenExpiresAt: z.string(),
  /** Our clock's time to refresh ahead of expiry; null when our clock disagrees with the server's. */
  refreshAt: z.number().nullable(),
})
const storedAccountSchema = z.object({
  id: z.string(),
  baseUrl: z.string(),
  /** Added after version 1 shipped: older files have none. */
  name: z.string().nullable().default(null),
  email: z.string(),
  displayName: z.string(),
  userId: z.string(),
  status: z.enum(['signed_in', 'expired', 'signed_out']),
  tokens: tokensSchema.nullable(),
  addedAt: z.string(),
  /** Added with API keys: older files hold only people. An API key's secret is its access token (no refresh). */
  kind: z.enum(['user', 'apiKey']).default('user'),
})
type StoredAccount = z.infer<typeof storedAccountSchema>
const accountsFileSchema = z.object({ version: z.literal(1), accounts: z.array(storedAccountSchema) })
const ACCOUNTS_FILE = ['accounts.json.enc']

export interface AccountServiceOptions {
  store: EncryptedStore
  events: EventSink
  fetch?: FetchLike
  /** The client's clock (tests tie it to the server's ManualClock). */
  now?: () => number
  timeoutMs?: number
  retryLimit?: number
  reconnectBaseMs?: number
}

export class AccountService {
  private accounts: StoredAccount[] = []
  private readonly online = new Map<string, boolean>()
  private readonly refreshing = new Map<string, Promise<void>>()
  private readonly clients = new Map<string, ApiClient>()
  private readonly reconnects = new Map<string, NodeJS.Timeout>()
  /** The server this app runs against (the embedded demo server, or ORG_ADMIN_SERVER_URL). */
  serverInUse: string | null = null
  /** Called when an account is forgotten so its caches go too. */
  onForget: (accountId: string) => Promise<void> = async () => {}

  constructor(private readonly opts: AccountServiceOptions) {}

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now()
  }

  async load(): Promise<void> {
    const file = await this.opts.store.read(ACCOUNTS_FILE, accountsFileSchema)
    this.accounts = file?.accounts ?? []
  }

  list(): AccountSummary[] {
    return this.accounts.map((a) => this.summary(a))
  }

  get(accountId: string): AccountSummary {
    return this.summary(this.find(accountId))
  }

  isOnline(accountId: string): boolean {
    return this.online.get(accountId) ?? true
  }

  /** Log in and keep the account; adding the same user on the same backend again signs it in. */
  async add(baseUrl: string, email: string, password: string, allowInsecureHttp = false): Promise<AccountSummary> {
    assertTransport(baseUrl, allowInsecureHttp)
    const tokens = await this.anonymous(baseUrl).post(routes.login(), tokenPairSchema, { email, password })
    return this.adopt(baseUrl, tokens)
  }

  /**
   * Add an organization's API key as an account: the server says what the key is, and the key
   * is kept encrypted like tokens. It never refreshes; once refused it shows as expired.
   */
  async addApiKey(baseUrl: string, key: string, allowInsecureHttp = false): Promise<AccountSummary> {
    assertTransport(baseUrl, allowInsecureHttp)
    if (!API_KEY_PATTERN.test(key)) throw new AppError('bad_request', 'This is not an API key (they look like oak_1a2b3c4d5e6f_…)')
    const refused = () => Promise.reject(new AppError('session_expired', 'This API key was refused'))
    const probe = new ApiClient({
      baseUrl,
      fetch: this.opts.fetch,
      timeoutMs: this.opts.timeoutMs,
      retryLimit: this.opts.retryLimit,
      auth: { accessToken: () => key, needsRefresh: () => false, refresh: refused },
    })
    const identity = await probe.get(routes.currentApiKey(), apiKeyIdentitySchema)
    const existing = this.accounts.find((a) => a.baseUrl === baseUrl && a.userId === identity.id)
    const account: StoredAccount = existing ?? {
      id: randomUUID(),
      baseUrl,
      name: null,
      ...keyIdentity(identity),
      userId: identity.id,
      status: 'signed_in',
      tokens: null,
      addedAt: new Date(this.now()).toISOString(),
      kind: 'apiKey',
    }
    Object.assign(account, keyIdentity(identity), { status: 'signed_in' }) // added again after it was refused
    account.tokens = { accessToken: key, refreshToken: '', accessTokenExpiresAt: identity.expiresAt, refreshAt: null }
    if (!existing) this.accounts.push(account)
    this.clients.delete(account.id)
    this.setOnline(account.id, true)
    await this.persist()
    this.opts.events.emit('accounts.changed', {})
    return this.summary(account)
  }

  /** Self sign-up: the server answers with tokens, so the new account is kept like a login. */
  async register(baseUrl: string, req: RegisterRequest, allowInsecureHttp = false): Promise<AccountSummary> {
    assertTransport(baseUrl, allowInsecureHttp)
    return this.adopt(baseUrl, await this.anonymous(baseUrl).post(routes.register(), tokenPairSchema, req))
  }

  verifyEmail(accountId: string, code: string) {
    return this.client(accountId).post(routes.confirmEmail(), meSchema, { code })
  }

  resendVerification(accountId: string) {
    return this.client(accountId).post(routes.emailVerification(), z.object({ ok: z.literal(true) }))
  }

  suggestServer(): string | null {
    return this.serverInUse ?? this.accounts.at(-1)?.baseUrl ?? null
  }

  /** A name of the person's choosing; empty clears it. */
  async rename(accountId: string, name: string): Promise<AccountSummary> {
    const account = this.find(accountId)
    account.name = name.trim() === '' ? null : name.trim()
    await this.persist()
    this.opts.events.emit('accounts.changed', {})
    return this.summary(account)
  }

  /** Keep the tokens of a login (password or accepted invitation) under a new or existing account. */
  async adopt(baseUrl: string, tokens: TokenPair): Promise<AccountSummary> {
    const existing = this.accounts.find((a) => a.baseUrl === baseUrl && a.userId === tokens.user.id)
    const account: StoredAccount = existing ?? {
      id: randomUUID(),
      baseUrl,
      name: null,
      email: tokens.user.email,
      displayName: tokens.user.displayName,
      userId: tokens.user.id,
      status: 'signed_in',
      tokens: null,
      addedAt: new Date(this.now()).toISOString(),
      kind: 'user',
    }
    this.applyTokens(account, tokens)
    if (!existing) this.accounts.push(account)
    // Signing in proves the server answers: clear "offline" (and tell the views) now.
    this.setOnline(account.id, true)
    await this.persist()
    this.opts.events.emit('accounts.changed', {})
    return this.summary(account)
  }

  async signIn(accountId: string, password: string): Promise<AccountSummary> {
    const account = this.find(accountId)
    if (account.kind === 'apiKey') throw new AppError('bad_request', 'An API key has no password: ask an Owner for a new key and add it')
    const tokens = await this.anonymous(account.baseUrl).post(routes.login(), tokenPairSchema, { email: account.email, password })
    if (tokens.user.id !== account.userId) {
      throw new AppError('invalid_credentials', 'These credentials belong to a different user than this account')
    }
    return this.adopt(account.baseUrl, tokens)
  }

  async signOut(accountId: string): Promise<AccountSummary> {
    const account = this.find(accountId)
    // A key has no session to end on the server (and the server refuses keys there).
    if (account.status === 'signed_in' && account.tokens && account.kind === 'user') {
      // Best effort: the server ends the whole token family; locally the tokens go either way.
      await this.client(accountId)
        .post(routes.logout(), z.unknown())
        .catch((err: unknown) => console.warn(`[accounts] logout on ${account.baseUrl} failed: ${(err as Error).message}`))
    }
    account.tokens = null
    account.status = 'signed_out'
    this.clients.delete(accountId)
    await this.persist()
    this.opts.events.emit('accounts.changed', {})
    return this.summary(account)
  }

  async forget(accountId: string): Promise<void> {
    const account = this.find(accountId)
    if (account.tokens) await this.signOut(accountId).catch(() => undefined)
    this.accounts = this.accounts.filter((a) => a.id !== accountId)
    this.clients.delete(accountId)
    this.online.delete(accountId)
    this.stopReconnecting(accountId)
    await this.persist()
    await this.onForget(accountId)
    this.opts.events.emit('accounts.changed', {})
  }

  /** The authenticated client of a signed-in account. */
  client(accountId: string): ApiClient {
    const account = this.find(accountId)
    if (account.status !== 'signed_in' || !account.tokens) {
      throw new AppError('session_expired', `Sign in to ${account.email} on ${account.baseUrl} again to continue`)
    }
    let client = this.clients.get(accountId)
    if (!client) {
      client = new ApiClient({
        baseUrl: account.baseUrl,
        fetch: this.opts.fetch,
        timeoutMs: this.opts.timeoutMs,
        retryLimit: this.opts.retryLimit,
        onConnectivity: (online) => this.setOnline(accountId, online),
        auth: {
          accessToken: () => this.findOrNull(accountId)?.tokens?.accessToken ?? null,
          needsRefresh: () => {
            const refreshAt = this.findOrNull(accountId)?.tokens?.refreshAt
            return refreshAt != null && refreshAt <= this.now()
          },
          refresh: () => this.refresh(accountId),
        },
      })
      this.clients.set(accountId, client)
    }
    return client
  }

  /** An unauthenticated client for a backend (login, invitation preview/accept). */
  anonymous(baseUrl: string): ApiClient {
    return new ApiClient({ baseUrl, fetch: this.opts.fetch, timeoutMs: this.opts.timeoutMs, retryLimit: this.opts.retryLimit })
  }

  /** Exactly one refresh per account at a time: every caller awaits the same promise. */
  refresh(accountId: string): Promise<void> {
    let inFlight = this.refreshing.get(accountId)
    if (!inFlight) {
      inFlight = this.doRefresh(accountId).finally(() => this.refreshing.delete(accountId))
      this.refreshing.set(accountId, inFlight)
    }
    return inFlight
  }

  private async doRefresh(accountId: string): Promise<void> {
    const account = this.find(accountId)
    if (account.kind === 'apiKey') {
      // A 401 for a key is final (expired or revoked): nothing to refresh.
      await this.expire(account)
      throw new AppError('session_expired', `${account.displayName} has expired or was revoked; add a new key`, { reason: 'api_key' })
    }
    const refreshToken = account.tokens?.refreshToken
    if (!refreshToken) throw new AppError('session_expired', `Sign in to ${account.email} again to continue`)
    let tokens: TokenPair
    try {
      tokens = await this.anonymous(account.baseUrl).post(routes.refresh(), tokenPairSchema, { refreshToken })
    } catch (err) {
      if (err instanceof AppError && ['unauthorized', 'token_reused', 'invalid_credentials'].includes(err.code)) {
        // Refused because the user signed out (or forgot the account) meanwhile: that state stands.
        if (this.findOrNull(accountId)?.tokens?.refreshToken === refreshToken) await this.expire(account)
        throw new AppError('session_expired', `The session of ${account.email} on ${account.baseUrl} ended; sign in again`, {
          reason: err.code,
        })
      }
      if (err instanceof AppError && (err.code === 'offline' || err.code === 'timeout')) this.setOnline(accountId, false)
      throw err
    }
    // The account may have been signed out or forgotten while the refresh was in flight.
    if (this.findOrNull(accountId)?.tokens?.refreshToken !== refreshToken) return
    this.applyTokens(account, tokens)
    this.setOnline(accountId, true)
    await this.persist()
  }

  private async expire(account: StoredAccount): Promise<void> {
    account.tokens = null
    account.status = 'expired'
    this.clients.delete(account.id)
    await this.persist()
    this.opts.events.emit('session.expired', { accountId: account.id })
    this.opts.events.emit('accounts.changed', {})
  }

  setOnline(accountId: string, online: boolean): void {
    if (!this.findOrNull(accountId) || this.isOnline(accountId) === online) return
    this.online.set(accountId, online)
    if (online) this.stopReconnecting(accountId)
    else this.reconnect(accountId, this.opts.reconnectBaseMs ?? RECONNECT_BASE_MS)
    this.opts.events.emit('connectivity', { accountId, online })
  }

  /** Stop every reconnect probe (quit, tests). */
  dispose(): void {
    for (const id of [...this.reconnects.keys()]) this.stopReconnecting(id)
  }

  /** Probe a cheap endpoint with backoff; any answer flips the account back online (setOnline). */
  private reconnect(accountId: string, delayMs: number): void {
    const timer = setTimeout(() => {
      this.reconnects.delete(accountId)
      const account = this.findOrNull(accountId)
      if (!account || account.status !== 'signed_in' || this.isOnline(accountId)) return
      void this.client(accountId)
        .get(account.kind === 'apiKey' ? routes.orgs() : routes.me(), z.unknown())
        .catch(() => undefined)
        .then(() => {
          if (!this.isOnline(accountId) && !this.reconnects.has(accountId)) {
            this.reconnect(accountId, Math.min(delayMs * 2, RECONNECT_MAX_MS))
          }
        })
    }, delayMs)
    timer.unref()
    this.reconnects.set(accountId, timer)
  }

  private stopReconnecting(accountId: string): void {
    clearTimeout(this.reconnects.get(accountId))
    this.reconnects.delete(accountId)
  }

  private applyTokens(account: StoredAccount, tokens: TokenPair): void {
    account.tokens = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessTokenExpiresAt: tokens.accessTokenExpiresAt,
      refreshAt: this.refreshTime(tokens.accessTokenExpiresAt),
    }
    account.email = tokens.user.email
    account.displayName = tokens.user.displayName
    account.status = 'signed_in'
    account.kind = 'user'
  }

  /**
   * The expiry is in the server's clock. A token that looks expired on arrival means the
   * clocks disagree: then only a 401 triggers the refresh, instead of refreshing every call.
   */
  private refreshTime(expiresAt: string): number | null {
    const lifetime = Date.parse(expiresAt) - this.now()
    if (!(lifetime > 0)) return null
    return Date.parse(expiresAt) - Math.min(REFRESH_MARGIN_MS, lifetime / 4)
  }

  private persist(): Promise<void> {
    return this.opts.store.write(ACCOUNTS_FILE, { version: 1, accounts: this.accounts })
  }

  private findOrNull(accountId: string): StoredAccount | null {
    return this.accounts.find((a) => a.id === accountId) ?? null
  }

  private find(accountId: string): StoredAccount {
    const account = this.findOrNull(accountId)
    if (!account) throw new AppError('unknown_account', 'No such account in this app')
    return account
  }

  private summary(a: StoredAccount): AccountSummary {
    const online = this.isOnline(a.id)
    const state: AccountState = a.status === 'signed_in' && !online ? 'offline' : a.status
    return { id: a.id, baseUrl: a.baseUrl, name: a.name, email: a.email, displayName: a.displayName, status: a.status, online, state, kind: a.kind }
  }
}

/** How a key account reads everywhere an account is named (sidebar, header, Ctrl+K): "API key · <name> · <role>". */
function keyIdentity(k: ApiKeyIdentity) {
  const label = `API key · ${k.name} · ${ROLE_LABELS[k.role]}`
  return { email: label, displayName: label }
}

/** Credentials and tokens go over plain http only to this machine, or with the person's consent. */
export function assertTransport(baseUrl: string, allowInsecureHttp: boolean): void {
  if (!isInsecureRemote(baseUrl) || allowInsecureHttp) return
  throw new AppError(
    'insecure_http',
    `${serverLabel(baseUrl)} is not encrypted (http://): your password and everything you manage would cross the network readable by others. Use https:// if the server offers it, or confirm to continue anyway.`,
    { baseUrl },
  )
}
