/**
 * The counts of one- and two-character search terms the database keeps (`member_grams`, the
 * embedded store's migration 0013, PostgreSQL's 0014): a store upgraded with members already in it
 * counts them as the triggers would have.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/server/db/client'
import { rawRows } from '../../src/server/db/raw'
import { addMember, bulkMembers, createOrg, createUser } from '../../src/server/index'
import { routes } from '../../src/shared/api'
import { startTestServer, usePostgres, type TestServer } from '../support/server'
import { client } from './client'

const MIGRATION = usePostgres() ? '0014_member_short_terms' : '0013_member_short_terms'
const COUNTS = 'select org_id, gram, members from member_grams where members <> 0 order by org_id, gram'

describe('the short terms’ counts of a store upgraded with members in it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'org-grams-'))
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer(usePostgres() ? {} : { dataDir: dir })
    const api = client(server)
    const owner = await createUser(server, { email: 'owner@grams.test', displayName: 'Gram Owner', password: 'grams-password' })
    const orgId = (await createOrg(server, { name: 'Grams Org', ownerUserId: owner.id })).id
    await bulkMembers(server, { orgId, count: 300, tag: 'grams' })
    const people = ['Zoë Ångström', "O'Brien", 'Under_Score 100%', 'Back\\Slash']
    for (const [i, name] of people.entries()) {
      const u = await createUser(server, { email: `odd${i}@grams.test`, displayName: name, password: 'x-password' })
      await addMember(server, { orgId, userId: u.id, role: 'member' })
    }
    // A member who left is counted out, one who came back in again.
    const token = (await api.login('owner@grams.test', 'grams-password')).accessToken
    const list = (await api.call('GET', `${routes.members(orgId)}?limit=1000&q=grams.test`, { token })).body.items as { userId: string }[]
    for (const m of list.slice(0, 2)) expect((await api.call('DELETE', routes.member(orgId, m.userId), { token })).status).toBe(200)
    await addMember(server, { orgId, userId: list[0]!.userId, role: 'member' })
  })
  afterAll(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** The store as it was before the migration: no counts, no triggers, the migration not applied. */
  async function rewind() {
    const drop = [
      ...['insert', 'update', 'delete'].map((change) => `DROP TRIGGER "member_grams_${change}"${usePostgres() ? ' ON "memberships"' : ''}`),
      ...(usePostgres() ? ['DROP FUNCTION "member_grams"()'] : []),
      'DROP TABLE "member_grams"',
      `DELETE FROM schema_migrations WHERE id = '${MIGRATION}'`,
    ]
    if (!usePostgres()) {
      const conn = new BetterSqlite(join(dir, 'server.sqlite'))
      for (const sql of drop) conn.exec(sql)
      conn.close()
      return
    }
    const conn = new pg.Client({ connectionString: server.databaseUrl })
    await conn.connect()
    for (const sql of drop) await conn.query(sql)
    await conn.end()
  }

  it('counts every member there as the triggers kept them', async () => {
    const kept = await rawRows(server.db, COUNTS, [])
    expect(kept.length).toBeGreaterThan(100)
    await rewind()
    const upgraded = await openDatabase(usePostgres() ? { databaseUrl: server.databaseUrl } : { dataDir: dir })
    try {
      expect(await rawRows(upgraded.db, COUNTS, [])).toEqual(kept)
    } finally {
      await upgraded.close()
    }
  })
})
