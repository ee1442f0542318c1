/**
 * The PostgreSQL store: its connection pool (open before the first request, and surviving the
 * database closing connections), the trigram index member search reads, and a bulk load that
 * leaves nothing for autovacuum to catch up on while the server answers requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { bulkMembers, createOrg, createUser } from '../../src/server/index'
import { routes } from '../../src/shared/api'
import { startTestServer, usePostgres, type TestServer } from '../support/server'
import { client } from './client'

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

  const connections = async () =>
    Number((await db.query(`select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`)).rows[0].count)

  it('opens its pool of connections before the first request', async () => {
    expect(await connections()).toBe(10)
  })

  it('keeps serving when the database closes its idle connections', async () => {
    const api = client(server)
    await createUser(server, { email: 'pool@pg.test', displayName: 'Pool User', password: 'pool-password' })
    await db.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`)
    await expect.poll(connections).toBe(0)
    const token = (await api.login('pool@pg.test', 'pool-password')).accessToken
    expect((await api.call('GET', routes.orgs(), { token })).status).toBe(200)
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
