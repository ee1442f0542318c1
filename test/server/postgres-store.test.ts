/**
 * The PostgreSQL store: its connection pool (open and warmed before the first request, and surviving the
 * database closing connections), the trigram index member search reads, and a bulk load that
 * leaves nothing for autovacuum to catch up on while the server answers requests, and the
 * tombstones' index an incremental sync reads its removals through.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import pg from 'pg'
import { bulkMembers, createOrg, createUser } from '../../src/server/index'
import { openDatabase } from '../../src/server/db/client'
import { rawRows } from '../../src/server/db/raw'
import { routes } from '../../src/shared/api'
import { startTestServer, usePostgres, type TestServer } from '../support/server'
import { statementsRun } from '../support/statements'
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

  it('runs the sign-in check and the member list once on every pooled connection before serving', async () => {
    // Ten reads at once take the ten idle connections, one each; each lists what its backend has prepared.
    const seen = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const [row] = await rawRows<[pid: number, statements: string[]]>(server.db, 'select pg_backend_pid(), array_agg(statement) from pg_prepared_statements', [])
        return row!
      }),
    )
    expect(new Set(seen.map(([pid]) => pid)).size).toBe(10)
    for (const [, statements] of seen) {
      expect(statements.some((s) => s.includes('from access_tokens t'))).toBe(true)
      expect(statements.filter((s) => s.includes('select member_json item')).length).toBeGreaterThanOrEqual(3)
    }
  })

  it('serves when warming a connection fails', async () => {
    const database = await openDatabase({ databaseUrl: server.databaseUrl })
    try {
      const warnings: unknown[] = []
      const warn = vi.spyOn(console, 'warn').mockImplementation((m) => void warnings.push(m))
      await database.onEachConnection(() => Promise.reject(new Error('warm-up broke')))
      warn.mockRestore()
      expect(warnings).toHaveLength(10)
      expect(await rawRows(database.db, 'select 1', [])).toEqual([[1]])
    } finally {
      await database.close()
    }
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

  it('finds an incremental sync’s removals through the tombstones’ index, however many members changed since', async () => {
    const owner = await createUser(server, { email: 'sync-owner@pg.test', displayName: 'Sync Owner', password: 'sync-password' })
    const org = await createOrg(server, { name: 'Sync Org', ownerUserId: owner.id })
    await bulkMembers(server, { orgId: org.id, count: 2000 })
    const api = client(server)
    const token = (await api.login('sync-owner@pg.test', 'sync-password')).accessToken
    const ran = await statementsRun(() => api.call('GET', `${routes.members(org.id)}?since=${new Date(0).toISOString()}`, { token }))
    // The statement as the server runs it, planned as a prepared statement runs: generically.
    await db.query(`PREPARE removals AS ${ran.find((t) => t.startsWith('select user_id') && t.includes('removed_at >='))}`)
    await db.query('SET plan_cache_mode = force_generic_plan')
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE removals('${org.id}', '1970-01-01T00:00:00Z')`)
    expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan on memberships_org_removed\s/)
  })
})
