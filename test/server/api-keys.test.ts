/** API keys over HTTP: shown once, stored hashed, scoped to their role and organization, refused when expired or revoked. */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routes } from '../../src/shared/api'
import { apiKeys } from '../../src/server/db/schema'
import { sha256 } from '../../src/server/services/crypto'
import type { TestServer } from '../support/server'
import { client, seeded } from './client'

const DAY = 86_400_000
let server: TestServer
let api: ReturnType<typeof client>
let dana: string
let acme: string
beforeAll(async () => void ({ server, api, dana, acme } = await seeded()))
afterAll(() => server.close())

const inDays = (d: number) => new Date(server.clock.now().getTime() + d * DAY).toISOString()
async function mint(role: 'owner' | 'billing_admin' | 'member', name = `key ${role} ${Math.random()}`, days = 30, orgId = acme) {
  const r = await api.call('POST', routes.apiKeys(orgId), { token: dana, body: { name, role, expiresAt: inDays(days) } })
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return r.body as { key: { id: string; prefix: string; name: string }; token: string }
}

describe('API keys', () => {
  it('shows the secret once, stores only its hash, and lists keys without secrets', async () => {
    const made = await mint('member', 'CI deploys')
    expect(made.token).toMatch(/^oak_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
    expect(made.token.split('_')[1]).toBe(made.key.prefix)
    const [row] = await server.db.select().from(apiKeys).where(eq(apiKeys.id, made.key.id))
    const secret = made.token.slice(`oak_${made.key.prefix}_`.length)
    expect(row!.secretHash).toBe(sha256(secret))
    expect(JSON.stringify(row)).not.toContain(secret)
    const list = await api.call('GET', routes.apiKeys(acme), { token: dana })
    const listed = list.body.items.find((k: { id: string }) => k.id === made.key.id)
    expect(listed).toMatchObject({ name: 'CI deploys', role: 'member', prefix: made.key.prefix, lastUsedAt: null, revokedAt: null })
    expect(listed.createdBy.email).toBe('admin@demo.test')
    expect(JSON.stringify(list.body)).not.toContain(secret)
  })

  it('acts with exactly its role, only in its organization, and is never a member', async () => {
    const member = await mint('member')
    const before = (await api.call('GET', routes.org(acme), { token: dana })).body
    const orgs = await api.call('GET', routes.orgs(), { token: member.token })
    expect(orgs.body.items).toHaveLength(1)
    expect(orgs.body.items[0]).toMatchObject({ id: acme, myRole: 'member', memberCount: before.memberCount, ownerCount: before.ownerCount })
    expect((await api.call('GET', routes.members(acme), { token: member.token })).status).toBe(200)
    const denied = await api.call('GET', routes.activity(acme), { token: member.token })
    expect([denied.status, denied.body.error.code]).toEqual([403, 'forbidden'])
    const asOwner = await api.call('POST', routes.invitations(acme), { token: member.token, body: { emails: ['x1@new.test'], role: 'owner' } })
    expect([asOwner.status, asOwner.body.error.code]).toEqual([403, 'forbidden'])
    const initech = await api.orgId(dana, 'Initech')
    const elsewhere = await api.call('GET', routes.members(initech), { token: member.token })
    const unknown = await api.call('GET', routes.members('no-such-org'), { token: member.token })
    expect(elsewhere.status).toBe(404)
    expect(elsewhere.body).toEqual(unknown.body)
    const owner = await mint('owner')
    const ok = await api.call('POST', routes.invitations(acme), { token: owner.token, body: { emails: ['keyed@new.test'], role: 'billing_admin' } })
    expect(ok.status).toBe(201)
    expect(ok.body.invited[0].invitation.invitedBy).toBeNull()
  })

  it('runs workspaces as an Owner key: the bin and the audit log name the key, no person', async () => {
    const owner = await mint('owner', 'Provisioner')
    const made = await api.call('POST', routes.workspaces(acme), { token: owner.token, body: { name: 'Made by a key' } })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const binned = await api.call('DELETE', routes.workspace(acme, made.body.id), { token: owner.token })
    expect(binned.status, JSON.stringify(binned.body)).toBe(200)
    const bin = await api.call('GET', routes.recycleBin(acme), { token: dana })
    expect(bin.body.items.find((w: { id: string }) => w.id === made.body.id)).toMatchObject({ name: 'Made by a key', deletedBy: null })
    const log = await api.call('GET', `${routes.activity(acme)}?action=workspace.deleted&limit=1`, { token: dana })
    expect(log.body.items[0]).toMatchObject({ target: 'Made by a key', actor: null, actorKey: { name: 'Provisioner' } })
    expect((await api.call('POST', routes.restoreWorkspace(acme, made.body.id), { token: owner.token })).status).toBe(200)
  })

  it('refuses person-only calls and cannot mint or revoke keys', async () => {
    const owner = await mint('owner')
    for (const [method, path] of [
      ['GET', routes.me()],
      ['GET', routes.inbox()],
      ['POST', routes.logout()],
      ['POST', routes.leave(acme)],
      ['POST', routes.apiKeys(acme)],
      ['DELETE', routes.apiKey(acme, owner.key.id)],
      ['DELETE', routes.org(acme)],
    ] as const) {
      const r = await api.call(method, path, { token: owner.token, body: method === 'POST' ? { name: 'x', role: 'member', expiresAt: inDays(3) } : undefined })
      expect({ path, status: r.status, code: r.body.error.code }).toEqual({ path, status: 403, code: 'api_key_not_allowed' })
    }
  })

  it('never creates a key above the creator, and bounds the expiry', async () => {
    const initech = await api.orgId(dana, 'Initech') // Dana is a Member there
    const r = await api.call('POST', routes.apiKeys(initech), { token: dana, body: { name: 'k', role: 'member', expiresAt: inDays(5) } })
    expect([r.status, r.body.error.code]).toEqual([403, 'forbidden'])
    for (const days of [0.5, 400]) {
      const bad = await api.call('POST', routes.apiKeys(acme), { token: dana, body: { name: 'k', role: 'member', expiresAt: inDays(days) } })
      expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed'])
    }
    const noName = await api.call('POST', routes.apiKeys(acme), { token: dana, body: { name: ' ', role: 'member', expiresAt: inDays(5) } })
    expect(noName.status).toBe(400)
  })

  it('refuses revoked and expired keys with their own codes, and a wrong secret', async () => {
    const k = await mint('member', 'short', 2)
    expect((await api.call('GET', routes.members(acme), { token: k.token })).status).toBe(200)
    const wrong = `oak_${k.key.prefix}_${'A'.repeat(43)}`
    const w = await api.call('GET', routes.members(acme), { token: wrong })
    expect([w.status, w.body.error.code]).toEqual([401, 'unauthorized'])
    const r = await mint('member', 'to revoke')
    expect((await api.call('DELETE', routes.apiKey(acme, r.key.id), { token: dana })).status).toBe(200)
    const again = await api.call('DELETE', routes.apiKey(acme, r.key.id), { token: dana })
    expect([again.status, again.body.error.code]).toEqual([409, 'conflict'])
    const revoked = await api.call('GET', routes.orgs(), { token: r.token })
    expect([revoked.status, revoked.body.error.code]).toEqual([401, 'api_key_revoked'])
    server.clock.advance(3 * DAY)
    const expired = await api.call('GET', routes.members(acme), { token: k.token })
    expect([expired.status, expired.body.error.code]).toEqual([401, 'api_key_expired'])
    dana = (await api.login('admin@demo.test')).accessToken // the session expired too
  })

  it('updates last used at most once a minute', async () => {
    const k = await mint('member')
    const lastUsed = async () => (await server.db.select().from(apiKeys).where(eq(apiKeys.id, k.key.id)))[0]!.lastUsedAt
    expect(await lastUsed()).toBeNull()
    await api.call('GET', routes.members(acme), { token: k.token })
    const first = await lastUsed()
    expect(first?.getTime()).toBe(server.clock.now().getTime())
    server.clock.advance(30_000)
    await api.call('GET', routes.members(acme), { token: k.token })
    expect((await lastUsed())?.getTime()).toBe(first!.getTime())
    server.clock.advance(31_000)
    await api.call('GET', routes.members(acme), { token: k.token })
    expect((await lastUsed())?.getTime()).toBe(server.clock.now().getTime())
    const listed = (await api.call('GET', routes.apiKeys(acme), { token: dana })).body.items.find((x: { id: string }) => x.id === k.key.id)
    expect(listed.lastUsedAt).toBe(server.clock.now().toISOString())
  })

  it('describes itself, and its actions are audited under its name', async () => {
    const k = await mint('owner', 'Robot')
    const me = await api.call('GET', routes.currentApiKey(), { token: k.token })
    expect(me.body).toMatchObject({ id: k.key.id, name: 'Robot', role: 'owner', orgId: acme, orgName: 'Acme Corp', prefix: k.key.prefix })
    const session = await api.call('GET', routes.currentApiKey(), { token: dana })
    expect(session.status).toBe(400)
    expect((await api.call('POST', routes.domains(acme), { token: k.token, body: { domain: 'robot.test' } })).status).toBe(201)
    const log = await api.call('GET', `${routes.activity(acme)}?limit=5`, { token: dana })
    const [added, signedIn] = log.body.items
    expect(added).toMatchObject({ action: 'domain.added', actor: null, actorKey: { id: k.key.id, name: 'Robot', prefix: k.key.prefix }, target: 'robot.test' })
    expect(signedIn).toMatchObject({ action: 'api_key.signed_in', actorKey: { name: 'Robot' } })
    const created = log.body.items.find((e: { action: string }) => e.action === 'api_key.created')
    expect(created).toMatchObject({ target: 'Robot', actor: { email: 'admin@demo.test' }, actorKey: null })
  })

  it('a key revoked while its request waits for the organization lock does not act', async () => {
    const k = await mint('owner', 'racing')
    const members = (await api.call('GET', `${routes.members(acme)}?role=member&limit=5`, { token: dana })).body.items
    // Both wait on the same organization lock; whichever runs second sees the other's effect.
    const [revoke, change] = await Promise.all([
      api.call('DELETE', routes.apiKey(acme, k.key.id), { token: dana }),
      api.call('PATCH', routes.member(acme, members[0].userId), { token: k.token, body: { role: 'billing_admin' } }),
    ])
    expect(revoke.status).toBe(200)
    // Acted before the revocation, refused at sign-in, or refused under the lock: never after it.
    if (change.status !== 200) expect([[404, 'not_found'], [401, 'api_key_revoked']]).toContainEqual([change.status, change.body.error.code])
    const after = await api.call('PATCH', routes.member(acme, members[1].userId), { token: k.token, body: { role: 'billing_admin' } })
    expect([after.status, after.body.error.code]).toEqual([401, 'api_key_revoked'])
  })
})
