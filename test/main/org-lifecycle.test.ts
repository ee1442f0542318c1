/**
 * A deleted organization leaves every account's cache: deleted through the app (both accounts
 * on that server drop it), or deleted elsewhere (the next org call answers 404, or the next
 * organization list lacks it). Creating one through the app lists it at once.
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { routes, type OrgDetail, type OrgSummary } from '../../src/shared/api'
import type { AccountSummary, Cached } from '../../src/shared/ipc'
import { startTestServer } from '../support/server'
import { DEMO, makeCore, OWNER2, type TestCore } from './helpers'

let server: Awaited<ReturnType<typeof startTestServer>>
let core: TestCore
let dana: AccountSummary
let owner2: AccountSummary
let acme: OrgSummary

beforeEach(async () => {
  server = await startTestServer({ seed: true })
  core = await makeCore()
  dana = await core.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...DEMO })
  owner2 = await core.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...OWNER2 })
  acme = (await core.call<Cached<OrgSummary[]>>('orgs.list', { accountId: dana.id })).data.find((o) => o.name === 'Acme Corp')!
  // Both accounts have Acme cached: its list entry and org-scoped files.
  for (const a of [dana, owner2]) {
    await core.call('orgs.list', { accountId: a.id })
    await core.call('invitations.list', { accountId: a.id, orgId: acme.id })
    await core.call('members.list', { accountId: a.id, orgId: acme.id })
  }
})
afterEach(async () => {
  await server.close()
  await core.dispose()
})

const listed = async (a: AccountSummary) => (await core.call<Cached<OrgSummary[]>>('orgs.list', { accountId: a.id })).data.map((o) => o.name)
/** The org folders cached for an account (ids are plain uuids, so stored as they are). */
const cachedOrgs = async (a: AccountSummary) => readdir(join(core.dataDir, 'cache', a.id, 'org')).catch(() => [] as string[])

async function deleteOutsideTheApp() {
  const login = await fetch(`${server.url}${routes.login()}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER2) })
  const { accessToken } = (await login.json()) as { accessToken: string }
  const res = await fetch(`${server.url}${routes.org(acme.id)}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ confirmName: 'Acme Corp' }),
  })
  expect(res.status).toBe(200)
}

describe('a deleted organization', () => {
  it('deleted through the app: gone from the cache of every account on that server', async () => {
    expect(await cachedOrgs(owner2)).toContain(acme.id)
    await core.call('orgs.delete', { accountId: dana.id, orgId: acme.id, confirmName: 'Acme Corp' })
    for (const a of [dana, owner2]) {
      expect(await listed(a)).not.toContain('Acme Corp')
      expect(await cachedOrgs(a)).not.toContain(acme.id)
    }
    // Both accounts' org lists were re-read and the renderer told.
    const updates = core.received.filter((e) => e.event === 'cache.updated' && (e.payload as { kind: string }).kind === 'orgs')
    expect(new Set(updates.map((e) => (e.payload as { accountId: string }).accountId))).toEqual(new Set([dana.id, owner2.id]))
  })

  it('a wrong name is refused and nothing is dropped', async () => {
    await expect(core.call('orgs.delete', { accountId: dana.id, orgId: acme.id, confirmName: 'acme' })).rejects.toMatchObject({ code: 'confirmation_mismatch' })
    expect(await listed(dana)).toContain('Acme Corp')
    expect(await cachedOrgs(dana)).toContain(acme.id)
  })

  it('deleted elsewhere: an org call answering 404 drops it for every account that had it', async () => {
    await deleteOutsideTheApp()
    await expect(core.call('members.sync', { accountId: dana.id, orgId: acme.id })).rejects.toMatchObject({ code: 'not_found' })
    await expect.poll(() => cachedOrgs(owner2)).not.toContain(acme.id)
    expect(await cachedOrgs(dana)).not.toContain(acme.id)
    expect(await listed(owner2)).not.toContain('Acme Corp')
  })

  it('deleted elsewhere: an organization list without it drops its cache', async () => {
    await deleteOutsideTheApp()
    await core.call('orgs.list', { accountId: owner2.id }) // answers from the cache, refreshes behind
    await expect.poll(() => cachedOrgs(owner2)).not.toContain(acme.id)
    expect(await listed(owner2)).not.toContain('Acme Corp')
  })
})

describe('creating an organization', () => {
  it('answers the new organization, listed at once with the account as Owner', async () => {
    const org = await core.call<OrgDetail>('orgs.create', { accountId: owner2.id, name: 'Fresh Start' })
    expect(org).toMatchObject({ name: 'Fresh Start', slug: 'fresh-start', myRole: 'owner' })
    await expect.poll(() => listed(owner2)).toContain('Fresh Start')
    await expect(core.call('orgs.create', { accountId: dana.id, name: 'Again', slug: 'fresh-start' })).rejects.toMatchObject({ code: 'slug_taken' })
  })
})
