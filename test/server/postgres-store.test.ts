/**
 * The PostgreSQL store's upkeep of member search: the trigram index searches read, and a bulk
 * load that leaves nothing for autovacuum to catch up on while the server answers requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { bulkMembers, createOrg, createUser } from '../../src/server/index'
import { startTestServer, usePostgres, type TestServer } from '../support/server'

describe.skipIf(!usePostgres())('the PostgreSQL store', () => {
  let server: TestServer
  let db: pg.Client
  beforeAll(async () => {
    server = await startTestServer()
    db = new pg.Client({ connectionString: server.databaseUrl })
    await db.connect()
  })
  afterAll(async () => {
    await db.end()
    await server.close()
  })

  it('writes search entries straight into the one trigram index searches read, not into a pending list', async () => {
    const { rows } = await db.query<{ indexname: string; reloptions: string[] | null }>(
      `select i.indexname, c.reloptions from pg_indexes i join pg_class c on c.relname = i.indexname
       where i.tablename = 'memberships' and i.indexdef like '%gin_trgm_ops%'`,
    )
    expect(rows).toEqual([{ indexname: 'memberships_search_text', reloptions: ['fastupdate=off'] }])
  })

  it('vacuums and analyzes after a bulk load, so the first requests find the rows settled', async () => {
    const owner = await createUser(server, { email: 'bulk-owner@pg.test', displayName: 'Bulk Owner', password: 'bulk-password' })
    const org = await createOrg(server, { name: 'Bulk Org', ownerUserId: owner.id })
    await bulkMembers(server, { orgId: org.id, count: 2000 })
    const { rows } = await db.query<{ relname: string; relallvisible: number; reltuples: number }>(
      `select relname, relallvisible, reltuples from pg_class where relname in ('memberships', 'users') order by relname`,
    )
    // Only a vacuum marks pages all-visible; statistics count the loaded rows.
    for (const r of rows) {
      expect(r.relallvisible).toBeGreaterThan(0)
      expect(r.reltuples).toBeGreaterThanOrEqual(2000)
    }
    expect(rows.map((r) => r.relname)).toEqual(['memberships', 'users'])
  })
})
