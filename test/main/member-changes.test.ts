/**
 * "Changes since last sync" counts every change the admin made, not just the last one:
 * each change is followed by its own sync, and those syncs add up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OrgSummary } from '../../src/shared/api'
import type { AccountSummary, Cached, MemberChange, MemberWindow } from '../../src/shared/ipc'
import { mergeChanges } from '../../src/main/services/member-changes'
import { startTestServer, type TestServer } from '../support/server'
import { DEMO, makeCore, type TestCore } from './helpers'

const change = (userId: string, from: MemberChange['from'], to: MemberChange['to']): MemberChange => ({
  kind: from === null ? 'joined' : to === null ? 'left' : 'role_changed',
  userId,
  email: `${userId}@x.test`,
  displayName: userId,
  from,
  to,
})

describe('mergeChanges', () => {
  it('keeps the net effect per member', () => {
    const merged = mergeChanges(
      [change('a', 'member', 'owner'), change('b', null, 'member'), change('c', 'member', 'billing_admin')],
      [change('a', 'owner', 'member'), change('b', 'member', null), change('c', 'billing_admin', null), change('d', 'owner', 'member')],
    )
    // a went back to Member and b joined then left: nothing to report for either.
    expect(merged).toEqual([change('c', 'member', null), change('d', 'owner', 'member')])
  })
})

describe('changes since last sync, through the router', () => {
  let server: TestServer
  let core: TestCore
  beforeAll(async () => {
    server = await startTestServer({ seed: true })
    core = await makeCore()
  })
  afterAll(async () => {
    await core.dispose()
    await server.close()
  })

  it('counts 3 removals and 3 role changes by this admin as 6', async () => {
    const { id: accountId } = await core.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...DEMO })
    const acme = (await core.call<Cached<OrgSummary[]>>('orgs.list', { accountId })).data.find((o) => o.name === 'Acme Corp')!
    const ref = { accountId, orgId: acme.id }
    const members = (await core.call<Cached<MemberWindow>>('members.list', { ...ref, role: 'member' })).data.members
    for (const m of members.slice(0, 3)) await core.call('members.remove', { ...ref, userId: m.userId })
    for (const m of members.slice(3, 6)) await core.call('members.changeRole', { ...ref, userId: m.userId, role: 'billing_admin' })
    // An explicit sync runs after the ones the changes started, and brings nothing new.
    const after = await core.call<Cached<MemberWindow>>('members.sync', ref)
    expect(after.data.changeCount).toBe(6)
    expect(after.data.changes.map((c) => c.kind).sort()).toEqual(['left', 'left', 'left', 'role_changed', 'role_changed', 'role_changed'])
    expect(after.data.changes.filter((c) => c.kind === 'role_changed').every((c) => c.to === 'billing_admin')).toBe(true)
  })
})
