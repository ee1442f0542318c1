/**
 * Every role × operation against the seed privilege table, written out by hand (not derived
 * from src/shared/roles.ts, so a wrong table there fails here). Non-members get the same 404
 * as an unknown organization.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routes } from '../../src/shared/api'
import { createUser } from '../../src/server/index'
import { startTestServer, type TestServer } from '../support/server'
import { client, type Reply } from './client'

type Who = 'owner' | 'billing_admin' | 'member' | 'non_member'
interface Target {
  token: string
  orgId: string
  userId: string
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
  'list API keys': (a, t) => a.call('GET', routes.apiKeys(t.orgId), { token: t.token }),
  'create an API key': (a, t) => a.call('POST', routes.apiKeys(t.orgId), { token: t.token, body: { name: `k${t.n}`, role: 'member', expiresAt: inDays(30) } }),
  'revoke an API key': (a, t) => a.call('DELETE', routes.apiKey(t.orgId, t.keyId), { token: t.token }),
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
  // Seeds: Owner "Manage API keys"; Billing Admin and Member "View API keys".
  'list API keys': { owner: 200, billing_admin: 200, member: 200, non_member: 404 },
  'create an API key': { owner: 201, billing_admin: 403, member: 403, non_member: 404 },
  'revoke an API key': { owner: 200, billing_admin: 403, member: 403, non_member: 404 },
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
    targets[who] = { token: dana, orgId, userId: plain[plain.length - 1].userId, keyId: key.body.key.id }
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
