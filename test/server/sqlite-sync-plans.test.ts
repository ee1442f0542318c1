/**
 * How the embedded store plans an incremental sync (`since`, page after page) of an organization
 * where everyone changed: the statements the walk ran, as member-list.ts wrote them, explained.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memberPageSchema, routes, type MemberPage } from '../../src/shared/api'
import { rawRows } from '../../src/server/db/raw'
import { bulkMembers, createOrg, createUser } from '../../src/server/index'
import { startTestServer, usePostgres, type TestServer } from '../support/server'
import { statementsRun } from '../support/statements'
import { client } from './client'

describe.skipIf(usePostgres())('an incremental sync on the embedded store', () => {
  let server: TestServer
  const pages: MemberPage[] = []
  let ran: string[]
  beforeAll(async () => {
    server = await startTestServer()
    const api = client(server)
    const owner = await createUser(server, { email: 'owner@sync-plans.test', displayName: 'Owner', password: 'sync-password' })
    const orgId = (await createOrg(server, { name: 'Sync Plans', ownerUserId: owner.id })).id
    // One stamp for all of them, as a bulk load or a change to everyone leaves a sync to walk.
    await bulkMembers(server, { orgId, count: 2000 })
    const token = (await api.login(owner.email, 'sync-password')).accessToken
    const listed = memberPageSchema.parse((await api.call('GET', `${routes.members(orgId)}?limit=3`, { token })).body)
    for (const m of listed.items.filter((m) => m.userId !== owner.id).slice(0, 2)) await api.call('DELETE', routes.member(orgId, m.userId), { token })
    ran = await statementsRun(async () => {
      let cursor: string | null = null
      do {
        const query = `since=${encodeURIComponent(new Date(0).toISOString())}&limit=500${cursor ? `&cursor=${cursor}` : ''}`
        pages.push(memberPageSchema.parse((await api.call('GET', `${routes.members(orgId)}?${query}`, { token })).body))
        cursor = pages.at(-1)!.nextCursor
      } while (cursor && pages.length < 10)
    })
  })
  afterAll(() => server.close())

  /** The plan of each statement the walk ran whose text has `part`, unbound parameters as null. */
  async function plans(part: string): Promise<string[]> {
    const texts = [...new Set(ran.filter((text) => text.includes(part)))]
    expect(texts).not.toHaveLength(0)
    return Promise.all(
      texts.map(async (text) => {
        const plan = await rawRows<[number, number, number, string]>(server.db, `EXPLAIN QUERY PLAN ${text}`, Array.from(text.matchAll(/\?/g), () => null))
        return plan.map((row) => row[3]).join(' | ')
      }),
    )
  }

  it('reads each page after a cursor in the order of the (org, updated) index, without sorting every change', async () => {
    expect(new Set(pages.flatMap((p) => p.items.map((m) => m.userId))).size).toBe(1999)
    for (const steps of await plans('(updated_at, user_id) >')) {
      expect(steps).toContain('SEARCH memberships USING INDEX memberships_org_updated (org_id=? AND (updated_at,user_id)>(?,?))')
      expect(steps).not.toContain('TEMP B-TREE')
    }
  })

  it('finds the removals through the tombstones’ index, not among every change', async () => {
    expect(pages[0]!.removed).toHaveLength(2)
    for (const steps of await plans('removed_at >=')) expect(steps).toBe('SEARCH memberships USING INDEX memberships_org_removed (org_id=? AND removed_at>?)')
  })
})
