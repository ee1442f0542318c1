/**
 * Every role × operation against the seed privilege table, written out by hand (not derived
 * from src/shared/roles.ts, so a wrong table there fails here). Non-members get the same 404
 * as an unknown organization.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routes } from '../../src/shared/api'
import { workspaceMembers, workspaces } from '../../src/server/db/schema'
import { createUser } from '../../src/server/index'
import { startTestServer, type TestServer } from '../support/server'
import { client, type Reply } from './client'

type Who = 'owner' | 'billing_admin' | 'member' | 'non_member'
interface Target {
  token: string
  orgId: string
  userId: string
  /** A member the workspace operations act on (`userId` may be removed by an earlier operation). */
  wsUserId: string
  /** An API key of the organization (made by an Owner) to revoke. */
  keyId: string
  n: number
}
type Op = (api: ReturnType<typeof client>, t: Target) => Promise<Reply>

const OPS: Record<string, Op> = {
  'view organization': (a, t) => a.call('GET', routes.org(t.orgId), { token: t.token }),
  'update settings': (a, t) => a.call('PATCH', routes.org(t.orgId), { token: t.token, body: { name: `Renamed ${t.n}` } }),
  'list members': (a, t) => a.call('GET', routes.members(t.orgId), { token: t.token }),
  'change a role': (a, t) => a.call('PATCH', routes.member(t.orgId, t.userId), { token: t.token, body: { role: 'billing_admin' } }),
  'remove a member': (a, t) => a.call('DELETE', routes.member(t.orgId, t.userId), { token: t.token }),
  'invite as Member': (a, t) => a.call('POST', routes.invitations(t.orgId), { token: t.token, body: { emails: [`m${t.n}@new.test`], role: 'member' } }),
  'invite as Owner': (a, t) => a.call('POST', routes.invitations(t.orgId), { token: t.token, body: { emails: [`o${t.n}@new.test`], role: 'owner' } }),
  'invite as Billing Admin': (a, t) => a.call('POST', routes.invitations(t.orgId), { token: t.token, body: { emails: [`b${t.n}@new.test`], role: 'billing_admin' } }),
  'list invitations': (a, t) => a.call('GET', routes.invitations(t.orgId), { token: t.token }),
  'list trusted domains': (a, t) => a.call('GET', routes.domains(t.orgId), { token: t.token }),
  'add a trusted domain': (a, t) => a.call('POST', routes.domains(t.orgId), { token: t.token, body: { domain: `d${t.n}.test` } }),
  'discover users': (a, t) => a.call('GET', `${routes.discoverable(t.orgId)}?q=a`, { token: t.token }),
  'verify a trusted domain': (a, t) => a.call('POST', routes.verifyDomain(t.orgId, 'acme.test'), { token: t.token }),
  'choose an enrollment mode': (a, t) => a.call('PATCH', routes.domain(t.orgId, 'acme.test'), { token: t.token, body: { enrollment: 'manual' } }),
  'list requests to join': (a, t) => a.call('GET', routes.joinRequests(t.orgId), { token: t.token }),
  'list workspaces': (a, t) => a.call('GET', routes.workspaces(t.orgId), { token: t.token }),
  'view activity': (a, t) => a.call('GET', routes.activity(t.orgId), { token: t.token }),
  'view billing': (a, t) => a.call('GET', routes.billing(t.orgId), { token: t.token }),
  "view a member's details": (a, t) => a.call('GET', routes.member(t.orgId, t.wsUserId), { token: t.token }),
  'create a workspace': (a, t) => a.call('POST', routes.workspaces(t.orgId), { token: t.token, body: { name: `New ${t.n}` } }),
  'rename a workspace': async (a, t) =>
    a.call('PATCH', routes.workspace(t.orgId, await workspace(t)), { token: t.token, body: { name: `Renamed ws ${t.n}` } }),
  'delete a workspace': async (a, t) => a.call('DELETE', routes.workspace(t.orgId, await workspace(t)), { token: t.token }),
  'add someone to a workspace': async (a, t) =>
    a.call('PUT', routes.workspaceMember(t.orgId, await workspace(t), t.wsUserId), { token: t.token, body: { role: 'member' } }),
  'remove someone from a workspace': async (a, t) =>
    a.call('DELETE', routes.workspaceMember(t.orgId, await workspace(t, { with: t.wsUserId }), t.wsUserId), { token: t.token }),
  'view the recycle bin': (a, t) => a.call('GET', routes.recycleBin(t.orgId), { token: t.token }),
  'restore a workspace': async (a, t) => a.call('POST', routes.restoreWorkspace(t.orgId, await workspace(t, { binned: true })), { token: t.token }),
  'purge a workspace': async (a, t) => a.call('DELETE', routes.binnedWorkspace(t.orgId, await workspace(t, { binned: true })), { token: t.token }),
  'list API keys': (a, t) => a.call('GET', routes.apiKeys(t.orgId), { token: t.token }),
  'create an API key': (a, t) => a.call('POST', routes.apiKeys(t.orgId), { token: t.token, body: { name: `k${t.n}`, role: 'member', expiresAt: inDays(30) } }),
  'revoke an API key': (a, t) => a.call('DELETE', routes.apiKey(t.orgId, t.keyId), { token: t.token }),
  'create an organization': (a, t) => a.call('POST', routes.orgs(), { token: t.token, body: { name: `New ${t.n}` } }),
  'change the slug': (a, t) => a.call('PATCH', routes.org(t.orgId), { token: t.token, body: { slug: `slug-${t.n}` } }),
  // Last: the Owner's call deletes Acme Corp for good.
  'delete the organization': async (a, t) => {
    const { name } = (await a.call('GET', routes.org(t.orgId), { token: t.token })).body
    return a.call('DELETE', routes.org(t.orgId), { token: t.token, body: { confirmName: name ?? 'Acme Corp' } })
  },
}

/** A fresh workspace the caller is not in (so only their organization role counts). */
async function workspace(t: Target, opts: { binned?: boolean; with?: string } = {}): Promise<string> {
  const id = `priv-ws-${t.n}`
  const now = server.clock.now()
  await server.db.insert(workspaces).values({ id, orgId: t.orgId, name: `Ws ${t.n}`, slug: `ws-${t.n}`, createdAt: now, deletedAt: opts.binned ? now : null })
  if (opts.with) await server.db.insert(workspaceMembers).values({ workspaceId: id, userId: opts.with, role: 'viewer' })
  return id
}

// From the seed: Owner manages everything; Billing Admin manages billing and may invite
// (Members only); Member views and may invite Members; only Owners edit roles, remove
// people, manage settings and domains, and view activities.
const EXPECTED: Record<string, Record<Who, number>> = {
  'view organization': { owner: 200, billing_admin: 200, member: 200, non_member: 404 },
  'update settings': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'list members': { owner: 200, billing_admin: 200, member: 200, non_member: 404 },
  'change a role': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'remove a member': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'invite as Member': { owner: 201, billing_admin: 201, member: 201, non_member: 404 },
  'invite as Owner': { owner: 201, billing_admin: 403, member: 403, non_member: 404 },
  'invite as Billing Admin': { owner: 201, billing_admin: 403, member: 403, non_member: 404 },
  'list invitations': { owner: 200, billing_admin: 200, member: 200, non_member: 404 },
  'list trusted domains': { owner: 200, billing_admin: 200, member: 200, non_member: 404 },
  'add a trusted domain': { owner: 201, billing_admin: 403, member: 403, non_member: 404 },
  'discover users': { owner: 200, billing_admin: 200, member: 200, non_member: 404 },
  'verify a trusted domain': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'choose an enrollment mode': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'list requests to join': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'list workspaces': { owner: 200, billing_admin: 200, member: 200, non_member: 404 },
  'view activity': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'view billing': { owner: 200, billing_admin: 200, member: 403, non_member: 404 },
  // Issue 11: Owners manage workspaces and use the recycle bin ("Use recycle bin"); a workspace
  // Admin may also rename and manage members (workspace-rules.test.ts), and nobody here is one.
  "view a member's details": { owner: 200, billing_admin: 200, member: 200, non_member: 404 },
  'create a workspace': { owner: 201, billing_admin: 403, member: 403, non_member: 404 },
  'rename a workspace': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'delete a workspace': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'add someone to a workspace': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'remove someone from a workspace': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'view the recycle bin': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'restore a workspace': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'purge a workspace': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  // Seeds: Owner "Manage API keys"; Billing Admin and Member "View API keys".
  'list API keys': { owner: 200, billing_admin: 200, member: 200, non_member: 404 },
  'create an API key': { owner: 201, billing_admin: 403, member: 403, non_member: 404 },
  'revoke an API key': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'create an organization': { owner: 201, billing_admin: 201, member: 201, non_member: 201 },
  'change the slug': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
  'delete the organization': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
}

let server: TestServer
let api: ReturnType<typeof client>
const inDays = (d: number) => new Date(server.clock.now().getTime() + d * 86_400_000).toISOString()
const targets = {} as Record<Who, Omit<Target, 'n'>>
beforeAll(async () => {
  server = await startTestServer({ seed: true })
  api = client(server)
  const dana = (await api.login('admin@demo.test')).accessToken
  const owner2 = (await api.login('owner2@demo.test')).accessToken
  // Dana is Owner of Acme Corp, Billing Admin of Umbrella and Member of Initech.
  for (const [who, org] of [['owner', 'Acme Corp'], ['billing_admin', 'Umbrella'], ['member', 'Initech']] as const) {
    const orgId = await api.orgId(dana, org)
    const members = await api.call('GET', `${routes.members(orgId)}?role=member&limit=1000`, { token: dana })
    const plain = members.body.items.filter((m: { email: string }) => m.email !== 'admin@demo.test')
    const key = await api.call('POST', routes.apiKeys(orgId), { token: owner2, body: { name: 'to revoke', role: 'member', expiresAt: inDays(30) } })
    if (key.status !== 201) throw new Error(`owner2 cannot make a key in ${org}: ${JSON.stringify(key.body)}`)
    targets[who] = { token: dana, orgId, userId: plain[plain.length - 1].userId, wsUserId: plain[0].userId, keyId: key.body.key.id }
  }
  await createUser(server, { email: 'outsider@else.test', displayName: 'Out Sider', password: 'outsider-password' })
  const outsider = (await api.login('outsider@else.test', 'outsider-password')).accessToken
  targets.non_member = { ...targets.owner, token: outsider }
})
afterAll(() => server.close())

describe('privilege table', () => {
  let n = 0
  for (const [op, expected] of Object.entries(EXPECTED)) {
    it(`${op}: ${Object.entries(expected).map(([w, s]) => `${w} ${s}`).join(', ')}`, async () => {
      for (const who of ['non_member', 'member', 'billing_admin', 'owner'] as const) {
        const reply = await OPS[op]!(api, { ...targets[who], n: n++ })
        expect({ who, status: reply.status }).toEqual({ who, status: expected[who] })
        if (reply.status === 403) expect(reply.body.error.code).toBe('forbidden')
      }
    })
  }

  it('answers a non-member exactly as it answers an unknown organization', async () => {
    const { token } = targets.non_member
    const member = await api.call('GET', routes.members(targets.owner.orgId), { token })
    const unknown = await api.call('GET', routes.members('no-such-org'), { token })
    expect(member.status).toBe(404)
    expect(member.body).toEqual(unknown.body)
  })
})
