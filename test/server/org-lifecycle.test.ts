/**
 * Organization lifecycle (issue 11): anyone signed in creates one and is its Owner; slugs are
 * unique (409 slug_taken, also for two creates at the same instant); an Owner renames it and
 * deletes it with its name typed, after which every org-scoped call answers 404 — on this server
 * process and, on PostgreSQL, on a second one — and nothing can still lead into it.
 */
import { and, eq, isNull } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invitations, joinRequests, memberships, outbox, trustedDomains } from '../../src/server/db/schema'
import { addMember, createUser } from '../../src/server/index'
import { hashPassword } from '../../src/server/services/crypto'
import { createInvitationsResponseSchema, parseInvitationUrl, routes } from '../../src/shared/api'
import { startCluster, type Cluster } from '../support/cluster'
import { client } from './client'

const PASSWORD = 'life-password'
let cluster: Cluster
let apis: ReturnType<typeof client>[]
const on = (i: number) => apis[i % apis.length]!
let passwordHash: string
let seq = 0

beforeAll(async () => {
  cluster = await startCluster()
  apis = cluster.urls.map((url) => client({ url }))
  passwordHash = await hashPassword(PASSWORD)
})
afterAll(() => cluster?.close())

async function person(tag = 'p') {
  const n = seq++
  const u = await createUser(cluster.server, { email: `${tag}${n}@life.test`, displayName: `${tag} ${n}`, passwordHash })
  return { ...u, token: (await on(0).login(u.email, PASSWORD)).accessToken }
}
const create = (token: string, body: unknown, i = 0) => on(i).call('POST', routes.orgs(), { token, body })
const remove = (token: string, orgId: string, confirmName: string, i = 0) =>
  on(i).call('DELETE', routes.org(orgId), { token, body: { confirmName } })

describe('creating an organization', () => {
  it('makes the caller its Owner, in the list and in the activity log', async () => {
    const me = await person()
    const r = await create(me.token, { name: '  Blue Lake  ' })
    expect(r.status).toBe(201)
    expect(r.body).toMatchObject({ name: 'Blue Lake', slug: 'blue-lake', myRole: 'owner', memberCount: 1, ownerCount: 1, memberLimit: 100 })
    const list = await on(1).call('GET', routes.orgs(), { token: me.token })
    expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([r.body.id])
    const activity = await on(0).call('GET', routes.activity(r.body.id), { token: me.token })
    expect(activity.body.items[0]).toMatchObject({ action: 'org.created', actor: { id: me.id }, target: 'Blue Lake' })
  })

  it('refuses a taken slug with slug_taken, and suffixes a slug it derived from the name', async () => {
    const me = await person()
    expect((await create(me.token, { name: 'Red Hill', slug: 'red-hill' })).status).toBe(201)
    const taken = await create(me.token, { name: 'Other', slug: 'red-hill' })
    expect(taken.status).toBe(409)
    expect(taken.body.error).toMatchObject({ code: 'slug_taken', details: { slug: 'red-hill' } })
    const derived = await create(me.token, { name: 'Red Hill' })
    expect(derived.status).toBe(201)
    expect(derived.body.slug).toMatch(/^red-hill-[0-9a-f]{6}$/)
  })

  it('answers bad input with a 400 naming the field', async () => {
    const me = await person()
    for (const body of [{ name: '' }, { name: 'x'.repeat(121) }, { name: 'Ok', slug: '-bad-' }, { name: 'Ok', slug: 'UP PER' }, { name: 'Ok', extra: 1 }]) {
      const r = await create(me.token, body)
      expect({ body, status: r.status, code: r.body.error.code }).toEqual({ body, status: 400, code: 'validation_failed' })
    }
  })

  it('two creates of one slug at the same instant: one 201, one 409', async () => {
    const [a, b] = [await person(), await person()]
    const replies = await Promise.all([create(a.token, { name: 'Race A', slug: 'race-slug' }, 0), create(b.token, { name: 'Race B', slug: 'race-slug' }, 1)])
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409])
    expect(replies.find((r) => r.status === 409)!.body.error.code).toBe('slug_taken')
  })

  it('limits how many organizations one person creates', async () => {
    const me = await person()
    for (let i = 0; i < 10; i++) expect((await create(me.token, { name: `Many ${i}` })).status).toBe(201)
    const r = await create(me.token, { name: 'One too many' })
    expect(r.status).toBe(429)
    expect(r.body.error.code).toBe('rate_limited')
    // Someone else still can.
    expect((await create((await person()).token, { name: 'Not me' })).status).toBe(201)
  })
})

describe('settings', () => {
  it('an Owner changes name and slug; the activity keeps before and after; a taken slug is a 409', async () => {
    const me = await person()
    const org = (await create(me.token, { name: 'Green Field' })).body
    const other = (await create(me.token, { name: 'Taken', slug: 'taken-slug' })).body
    const r = await on(1).call('PATCH', routes.org(org.id), { token: me.token, body: { name: 'Green Meadow', slug: 'green-meadow' } })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ name: 'Green Meadow', slug: 'green-meadow' })
    const [event] = (await on(0).call('GET', routes.activity(org.id), { token: me.token })).body.items
    expect(event).toMatchObject({ action: 'org.updated', details: { before: { name: 'Green Field', slug: 'green-field' }, after: { name: 'Green Meadow', slug: 'green-meadow' } } })
    const taken = await on(0).call('PATCH', routes.org(org.id), { token: me.token, body: { slug: other.slug } })
    expect(taken.status).toBe(409)
    expect(taken.body.error.code).toBe('slug_taken')
    // Its own slug again is no change and no conflict.
    expect((await on(0).call('PATCH', routes.org(org.id), { token: me.token, body: { slug: 'green-meadow' } })).status).toBe(200)
  })
})

describe('deleting an organization', () => {
  async function orgWithMember() {
    const owner = await person('owner')
    const member = await person('member')
    const org = (await create(owner.token, { name: `Doomed ${seq}` })).body
    await addMember(cluster.server, { orgId: org.id, userId: member.id, role: 'member' })
    return { owner, member, org }
  }

  it('needs the name typed exactly and the Owner role', async () => {
    const { owner, member, org } = await orgWithMember()
    const wrong = await remove(owner.token, org.id, 'doomed')
    expect(wrong.status).toBe(400)
    expect(wrong.body.error.code).toBe('confirmation_mismatch')
    const byMember = await remove(member.token, org.id, org.name)
    expect(byMember.status).toBe(403)
    expect(byMember.body.error.code).toBe('forbidden')
    expect((await on(0).call('GET', routes.org(org.id), { token: owner.token })).status).toBe(200)
  })

  it('takes access away at once, on every server process, and kills what could lead back in', async () => {
    const { owner, member, org } = await orgWithMember()
    const sent = createInvitationsResponseSchema.parse(
      (await on(0).call('POST', routes.invitations(org.id), { token: owner.token, body: { emails: ['late@life.test'], role: 'member' } })).body,
    ).invited[0]!
    const linkToken = parseInvitationUrl(sent.link.url)!.token
    // Both processes served this organization before the delete.
    for (let i = 0; i < apis.length; i++) expect((await on(i).call('GET', routes.members(org.id), { token: member.token })).status).toBe(200)

    const del = await remove(owner.token, org.id, org.name, 0)
    expect(del.status).toBe(200)
    expect(del.body).toEqual({ ok: true })

    for (let i = 0; i < apis.length; i++) {
      for (const token of [owner.token, member.token]) {
        for (const path of [routes.org(org.id), routes.members(org.id), routes.invitations(org.id)]) {
          const r = await on(i).call('GET', path, { token })
          expect({ path, status: r.status, code: r.body.error.code }).toEqual({ path, status: 404, code: 'not_found' })
        }
        expect((await on(i).call('GET', routes.orgs(), { token })).body.items).toEqual([])
      }
      const rename = await on(i).call('PATCH', routes.org(org.id), { token: owner.token, body: { name: 'Back' } })
      expect(rename.status).toBe(404)
      expect((await on(i).call('GET', routes.invitationByToken(linkToken))).status).toBe(404)
    }
    const accept = await on(1).call('POST', routes.acceptInvitation(linkToken), { body: { password: 'late-password', displayName: 'Late' } })
    expect(accept.status).toBe(404)
    const db = cluster.server.db
    const pending = await db.select().from(invitations).where(and(eq(invitations.orgId, org.id), isNull(invitations.revokedAt)))
    expect(pending).toEqual([])
    expect(await db.select().from(outbox).where(and(eq(outbox.invitationId, sent.invitation.id), isNull(outbox.sentAt)))).toEqual([])
    // Its slug is free again, and the log says who deleted it.
    expect((await create(owner.token, { name: 'Reborn', slug: org.slug })).status).toBe(201)
  })

  it('closes pending requests to join and forgets its domains', async () => {
    const { owner, org } = await orgWithMember()
    const asker = await person('asker')
    const db = cluster.server.db
    await db.insert(trustedDomains).values({ orgId: org.id, domain: 'doomed.test', addedBy: owner.id, createdAt: new Date(), verifiedAt: new Date(), enrollment: 'automatic_suggestion' })
    await db.insert(joinRequests).values({ id: `jr-${seq}`, orgId: org.id, userId: asker.id, domain: 'doomed.test', createdAt: new Date() })
    expect((await remove(owner.token, org.id, org.name)).status).toBe(200)
    expect(await db.select().from(joinRequests).where(and(eq(joinRequests.orgId, org.id), isNull(joinRequests.decidedAt)))).toEqual([])
    expect(await db.select().from(trustedDomains).where(eq(trustedDomains.orgId, org.id))).toEqual([])
  })

  it('racing invitations and acceptances leaves no live invitation and no new member', async () => {
    for (let round = 0; round < 3; round++) {
      const { owner, member, org } = await orgWithMember()
      const sent = createInvitationsResponseSchema.parse(
        (await on(0).call('POST', routes.invitations(org.id), { token: owner.token, body: { emails: [`racer${seq}@life.test`], role: 'member' } })).body,
      ).invited[0]!
      const replies = await Promise.all([
        remove(owner.token, org.id, org.name, round),
        on(round + 1).call('POST', routes.acceptInvitation(parseInvitationUrl(sent.link.url)!.token), { body: { password: 'racer-password', displayName: 'Racer' } }),
        on(round).call('POST', routes.invitations(org.id), { token: member.token, body: { emails: [`new${seq}@life.test`], role: 'member' } }),
      ])
      expect(replies[0].status).toBe(200)
      for (const r of replies) expect(r.status).toBeLessThan(500)
      const db = cluster.server.db
      const now = cluster.server.clock.now()
      const live = (await db.select().from(invitations).where(eq(invitations.orgId, org.id))).filter(
        (i) => !i.revokedAt && !i.acceptedAt && !i.declinedAt && i.expiresAt > now,
      )
      expect(live).toEqual([])
      // Whoever accepted before the delete is a member of a deleted organization: no access either way.
      const active = await db.select().from(memberships).where(and(eq(memberships.orgId, org.id), isNull(memberships.removedAt)))
      const accepted = replies[1].status === 200
      expect(active.length).toBe(accepted ? 3 : 2)
      if (accepted) expect((await on(0).call('GET', routes.org(org.id), { token: replies[1].body.tokens.accessToken })).status).toBe(404)
    }
  })
})
