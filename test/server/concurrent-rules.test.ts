/**
 * Rules that read then write, under concurrent requests on the embedded store: its write
 * transactions run one at a time, so the last Owner and the seat cap hold. (PostgreSQL's
 * guarantee for the same rules comes with row locks; see the concurrency work.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createOrg, createUser } from '../../src/server/index'
import { routes } from '../../src/shared/api'
import { usePostgres, type TestServer } from '../support/server'
import { client, seeded } from './client'

let server: TestServer
let api: ReturnType<typeof client>
beforeAll(async () => void ({ server, api } = await seeded()))
afterAll(() => server.close())

describe.skipIf(usePostgres())('concurrent requests on the embedded store', () => {
  it('two Owners demoting each other at once leave one Owner', async () => {
    const a = await createUser(server, { email: 'a@race.test', displayName: 'A', password: 'race-password' })
    const b = await createUser(server, { email: 'b@race.test', displayName: 'B', password: 'race-password' })
    const org = await createOrg(server, { name: 'Race Owners', ownerUserId: a.id })
    await addMember(server, { orgId: org.id, userId: b.id, role: 'owner' })
    const [ta, tb] = await Promise.all([api.login(a.email, 'race-password'), api.login(b.email, 'race-password')])
    const results = await Promise.all([
      api.call('PATCH', routes.member(org.id, b.id), { token: ta.accessToken, body: { role: 'member' } }),
      api.call('PATCH', routes.member(org.id, a.id), { token: tb.accessToken, body: { role: 'member' } }),
    ])
    // The loser is refused either as the last Owner (409) or, demoted already, as a Member (403).
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect([403, 409]).toContain(results.find((r) => r.status !== 200)!.status)
    const owners = await api.call('GET', `${routes.members(org.id)}?role=owner`, { token: results[0]!.status === 200 ? ta.accessToken : tb.accessToken })
    expect(owners.body.total).toBe(1)
  })

  it('invitations sent at once never exceed the seat cap', async () => {
    const owner = await createUser(server, { email: 'cap@race.test', displayName: 'Cap', password: 'race-password' })
    const org = await createOrg(server, { name: 'Race Seats', ownerUserId: owner.id, memberLimit: 5 })
    const { accessToken } = await api.login(owner.email, 'race-password')
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api.call('POST', routes.invitations(org.id), { token: accessToken, body: { emails: [`p${i}@race.test`], role: 'member' } })),
    )
    const invited = results.reduce((n, r) => n + r.body.invited.length, 0)
    expect(invited).toBe(4) // 5 seats, the Owner holds one
    const pending = await api.call('GET', routes.invitations(org.id), { token: accessToken })
    expect(pending.body.items).toHaveLength(4)
  })
})
