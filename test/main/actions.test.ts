/**
 * Every mutating channel once, through the router against a real server: the replies match
 * the contract (nothing trips 'invalid_response'), server rules come back as their codes,
 * and the caches follow the change.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { CreateInvitationsResponse, InvitationLink, InvitationPreview, Member, OrgSummary } from '../../src/shared/api'
import type { AccountSummary, Cached, MemberWindow } from '../../src/shared/ipc'
import { startTestServer } from '../support/server'
import { DEMO, eventsOf, makeCore, TRUSTED, type TestCore } from './helpers'

let server: Awaited<ReturnType<typeof startTestServer>>
let core: TestCore
let account: AccountSummary
let orgs: OrgSummary[]
const org = (name: string) => orgs.find((o) => o.name === name)!

beforeAll(async () => {
  server = await startTestServer({ seed: true })
  core = await makeCore()
  account = await core.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...DEMO })
  orgs = (await core.call<Cached<OrgSummary[]>>('orgs.list', { accountId: account.id })).data
})
afterAll(async () => {
  await server.close()
  await core.dispose()
})

const scope = (name: string) => ({ accountId: account.id, orgId: org(name).id })
const fail = (channel: string, payload: unknown) => core.router.handle(channel, payload, TRUSTED)

describe('mutations', () => {
  it('renames an organization and the cached org list follows', async () => {
    const updated = await core.call<OrgSummary>('orgs.update', { ...scope("Dana's Sandbox"), patch: { name: 'Sandbox 2' } })
    expect(updated.name).toBe('Sandbox 2')
    await vi.waitFor(async () => {
      const list = await core.call<Cached<OrgSummary[]>>('orgs.list', { accountId: account.id })
      expect(list.data.map((o) => o.name)).toContain('Sandbox 2')
    }, 5_000) // a background refresh: give a busy machine more than the default second
  })

  it('changes a role and removes a member; the last-owner guard answers with its code', async () => {
    const members = (await core.call<Cached<MemberWindow>>('members.list', scope('Acme Corp'))).data.members
    const target = members.find((m) => m.role === 'member')!
    const changed = await core.call<Member>('members.changeRole', { ...scope('Acme Corp'), userId: target.userId, role: 'billing_admin' })
    expect(changed).toMatchObject({ userId: target.userId, role: 'billing_admin' })
    // Shown at once on top of the cache, before the refresh it started has landed.
    const byEmail = { ...scope('Acme Corp'), emails: [target.email] }
    expect((await core.call<Cached<MemberWindow>>('members.list', byEmail)).data.members).toMatchObject([{ role: 'billing_admin' }])
    expect(await core.call('members.remove', { ...scope('Acme Corp'), userId: target.userId })).toEqual({ ok: true })
    expect((await core.call<Cached<MemberWindow>>('members.list', byEmail)).data.matched).toBe(0)
    await vi.waitFor(() => expect(eventsOf(core, 'cache.updated')).toContainEqual({ ...scope('Acme Corp'), kind: 'members' }))

    const globexMembers = (await core.call<Cached<MemberWindow>>('members.list', scope('Globex'))).data.members
    const me = globexMembers.find((m) => m.email === DEMO.email)!
    expect(await fail('members.changeRole', { ...scope('Globex'), userId: me.userId, role: 'member' })).toMatchObject({
      ok: false,
      error: { code: 'last_owner' },
    })
    expect(await fail('orgs.leave', scope('Globex'))).toMatchObject({ ok: false, error: { code: 'last_owner' } })
  })

  it('invites, links, resends and revokes; an invitee accepts by link and becomes an account', async () => {
    const created = await core.call<CreateInvitationsResponse>('invitations.create', {
      ...scope('Acme Corp'),
      emails: ['new.person@elsewhere.test', 'not an email'],
      role: 'member',
    })
    expect(created.invited).toHaveLength(1)
    expect(created.rejected).toMatchObject([{ email: 'not an email', reason: 'invalid_email' }])
    const invitationId = created.invited[0]!.invitation.id

    const link = await core.call<InvitationLink>('invitations.link', { ...scope('Acme Corp'), invitationId })
    const resent = await core.call<InvitationLink>('invitations.resend', { ...scope('Acme Corp'), invitationId })
    expect(resent.url).not.toBe(link.url)

    const preview = await core.call<InvitationPreview>('invitations.preview', { url: resent.url })
    expect(preview).toMatchObject({ orgName: 'Acme Corp', email: 'new.person@elsewhere.test', status: 'pending', userExists: false })
    const accepted = await core.call<{ account: AccountSummary; orgId: string }>('invitations.accept', {
      url: resent.url,
      password: 'a-long-password',
      displayName: 'New Person',
    })
    expect(accepted.orgId).toBe(org('Acme Corp').id)
    expect(accepted.account).toMatchObject({ email: 'new.person@elsewhere.test', status: 'signed_in' })
    const accounts = await core.call<AccountSummary[]>('accounts.list', {})
    expect(accounts.map((a) => a.email)).toEqual([DEMO.email, 'new.person@elsewhere.test'])

    const second = await core.call<CreateInvitationsResponse>('invitations.create', {
      ...scope('Acme Corp'),
      emails: ['someone.else@elsewhere.test'],
      role: 'member',
    })
    expect(await core.call('invitations.revoke', { ...scope('Acme Corp'), invitationId: second.invited[0]!.invitation.id })).toEqual({
      ok: true,
    })
    expect(await fail('invitations.preview', { url: 'https://example.test/not-a-link' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    })
  })

  it('adds and removes a trusted domain, discovers users, pages activity', async () => {
    expect(await core.call('domains.add', { ...scope('Acme Corp'), domain: 'Example.ORG' })).toMatchObject({ domain: 'example.org', status: 'pending' })
    await vi.waitFor(async () => {
      const domains = await core.call<Cached<{ items: { domain: string }[] }>>('domains.list', scope('Acme Corp'))
      expect(domains.data.items.map((d) => d.domain)).toContain('example.org')
    })
    expect(await core.call('domains.remove', { ...scope('Acme Corp'), domain: 'example.org' })).toEqual({ ok: true })
    const found = await core.call<{ items: unknown[] }>('users.discover', { ...scope('Acme Corp'), q: '' })
    expect(Array.isArray(found.items)).toBe(true)
    const activity = await core.call<Cached<{ items: { action: string }[] }>>('activity.list', scope('Acme Corp'))
    expect(activity.data.items.map((e) => e.action)).toEqual(expect.arrayContaining(['domain.added', 'domain.removed', 'member.removed']))
  })

  it('answers forbidden for what the role does not allow', async () => {
    expect(await fail('billing.get', scope('Initech'))).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const billing = await core.call<Cached<{ plan: string }>>('billing.get', scope('Umbrella'))
    expect(billing.data.plan).toBeTruthy()
    expect(await fail('orgs.update', { ...scope('Initech'), patch: { name: 'Mine now' } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
  })
})
