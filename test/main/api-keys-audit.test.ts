/**
 * The main process with API keys and the audit log, against a real server: an account made
 * from a key (encrypted at rest, no refresh, revoked → expired), and the audit log copied
 * incrementally into the cache, filtered in main and still filtered offline.
 */
import { existsSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { routes, type CreatedApiKey, type OrgSummary } from '../../src/shared/api'
import type { AccountSummary, AuditWindow, Cached } from '../../src/shared/ipc'
import { matchesAudit } from '../../src/main/services/audit-log'
import { startTestServer } from '../support/server'
import { countingFetch, DEMO, eventsOf, lateReads, makeCore, rawBytes, type TestCore } from './helpers'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server
let core: TestCore
let http: ReturnType<typeof countingFetch>
let serverClosed = false
let owner: AccountSummary
let acme: OrgSummary

beforeEach(async () => {
  server = await startTestServer({ seed: true })
  serverClosed = false
  http = countingFetch()
  core = await makeCore({ fetch: http.fetch })
  owner = await core.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...DEMO })
  const orgs = await core.call<Cached<OrgSummary[]>>('orgs.list', { accountId: owner.id })
  acme = orgs.data.find((o) => o.name === 'Acme Corp')!
})
afterEach(async () => {
  core.accounts.dispose()
  if (!serverClosed) await server.close()
  await core.dispose()
})

const mint = (role: 'owner' | 'member', name: string) =>
  core.call<CreatedApiKey>('apiKeys.create', {
    accountId: owner.id,
    orgId: acme.id,
    request: { name, role, expiresAt: new Date(server.clock.now().getTime() + 7 * 86_400_000).toISOString() },
  })

describe('API key accounts', () => {
  it('adds a key as an account that says what it is, keeps it encrypted, and turns expired once revoked', async () => {
    const made = await mint('member', 'Reporting bot')
    const account = await core.call<AccountSummary>('accounts.addApiKey', { baseUrl: server.url, key: made.token })
    expect(account).toMatchObject({ kind: 'apiKey', displayName: 'API key · Reporting bot · Member', email: 'API key · Reporting bot · Member', state: 'signed_in' })
    expect((await rawBytes(core.dataDir)).includes(made.token)).toBe(false)
    const orgs = await core.call<Cached<OrgSummary[]>>('orgs.list', { accountId: account.id })
    expect(orgs.data.map((o) => [o.name, o.myRole])).toEqual([['Acme Corp', 'member']])

    await core.call('apiKeys.revoke', { accountId: owner.id, orgId: acme.id, keyId: made.key.id })
    const refused = await core.call('members.sync', { accountId: account.id, orgId: acme.id }).catch((e: { code: string }) => e)
    expect((refused as { code: string }).code).toBe('session_expired')
    expect(core.accounts.get(account.id)).toMatchObject({ status: 'expired', kind: 'apiKey' })
    expect(eventsOf(core, 'session.expired')).toContainEqual({ accountId: account.id })
    expect(http.count('/v1/auth/refresh')).toBe(0)
    const signIn = await core.call('accounts.signIn', { accountId: account.id, password: 'x' }).catch((e: { code: string }) => e)
    expect((signIn as { code: string }).code).toBe('bad_request')
  })

  it('refuses what is not a key before calling anyone', async () => {
    const before = http.requests.length
    const bad = await core.call('accounts.addApiKey', { baseUrl: server.url, key: 'not-a-key' }).catch((e: { code: string }) => e)
    expect((bad as { code: string }).code).toBe('bad_request')
    expect(http.requests.length).toBe(before)
  })
})

describe('audit log in main', () => {
  const list = (filter: Record<string, unknown> = {}) => core.call<Cached<AuditWindow>>('activity.list', { accountId: owner.id, orgId: acme.id, ...filter })

  it('tops the copy up with only newer events, and filters it offline like the server', async () => {
    const first = await list()
    expect(first.source).toBe('network')
    expect(first.data.complete).toBe(true)
    const held = first.data.held
    const key = await mint('owner', 'Deployer')
    const keyAccount = await core.call<AccountSummary>('accounts.addApiKey', { baseUrl: server.url, key: key.token })
    await core.call('domains.add', { accountId: keyAccount.id, orgId: acme.id, domain: 'deploy.test' })

    await list() // served from the copy; pulls what is new in the background
    await new Promise((r) => setTimeout(r, 300))
    const afterPath = http.requests.filter((r) => r.path.startsWith(`/v1/orgs/${acme.id}/activity`)).at(-1)!.path
    expect(afterPath).toContain('after=')
    const topped = await list()
    expect(topped.data.held).toBe(held + 3) // key created, key signed in, domain added

    await server.close()
    serverClosed = true
    await list() // its background top-up finds the server gone
    await new Promise((r) => setTimeout(r, 300))
    const byKey = await list({ q: 'deployer' })
    expect(byKey.offline).toBe(true)
    expect(byKey.data.items.map((e) => e.action)).toEqual(['domain.added', 'api_key.signed_in', 'api_key.created'])
    expect(byKey.data.items[0]!.actorKey).toMatchObject({ name: 'Deployer' })
    const two = await list({ action: ['domain.added', 'api_key.created'] })
    expect(new Set(two.data.items.map((e) => e.action))).toEqual(new Set(['domain.added', 'api_key.created']))
    const paged = await list({ limit: 2 })
    expect(paged.data.items).toHaveLength(2)
    const next = await list({ limit: 2, cursor: paged.data.nextCursor })
    expect(next.data.items[0]!.id).not.toBe(paged.data.items[1]!.id)
    const bad = await list({ from: '2026-02-02', to: '2026-02-01' }).catch((e: { code: string }) => e)
    expect((bad as { code: string }).code).toBe('validation_failed')

    const exported = await core.call<{ csv: string; count: number }>('activity.export', { accountId: owner.id, orgId: acme.id, q: 'deploy.test' })
    expect(exported.count).toBe(1)
    expect(exported.csv.split('\r\n')[1]).toContain('"API key Deployer"')
  })

  it('a closing core waits for the copy\'s background top-up to be written', async () => {
    // Its reads of the log answer late, so the top-up is still running when the core closes.
    const closing = await makeCore({ fetch: lateReads(http.fetch, routes.activity(acme.id), 150) })
    const ref = { accountId: (await closing.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...DEMO })).id, orgId: acme.id }
    await closing.call('activity.list', ref)
    await closing.call('activity.list', ref) // served from the copy; tops it up in the background
    // Closes, then removes the folder: nothing is left to write, so it stays gone.
    await closing.dispose()
    await new Promise((r) => setTimeout(r, 500))
    expect(existsSync(closing.dataDir)).toBe(false)
  })

  it('matches by day in UTC, by subject as actor or target, and defuses formulas in the export', () => {
    const e = {
      id: '1', at: '2026-03-04T23:59:00.000Z', action: 'member.removed' as const, actor: { id: 'a', email: 'a@x.test', displayName: 'A' },
      actorKey: null, target: '=HYPERLINK("x")', targetUserId: 'b', details: {},
    }
    expect(matchesAudit(e, { limit: 50, from: '2026-03-04', to: '2026-03-04' })).toBe(true)
    expect(matchesAudit(e, { limit: 50, from: '2026-03-05' })).toBe(false)
    expect(matchesAudit(e, { limit: 50, subject: 'b' })).toBe(true)
    expect(matchesAudit(e, { limit: 50, actor: 'b' })).toBe(false)
  })
})
