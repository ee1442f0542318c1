/**
 * The embedded store's planner statistics. SQLite plans from `sqlite_stat1`, written by ANALYZE
 * (a bulk load runs it); an index that has no row there is guessed far more selective than the
 * indexes with figures, and a connection reads the figures only when it loads the schema.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/server/clock'
import { openDatabase, type Database } from '../../src/server/db/client'
import { sqliteMigrations } from '../../src/server/db/migrations.sqlite'
import { rawRows } from '../../src/server/db/raw'
import { settleBulkLoad } from '../../src/server/db/sql'
import { bulkMembers, createOrg, createUser } from '../../src/server/index'
import { usePostgres } from '../support/server'

describe.skipIf(usePostgres())('the embedded store’s statistics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'org-stats-'))
  const file = join(dir, 'server.sqlite')
  let orgId: string
  beforeAll(async () => {
    const store = await openDatabase({ dataDir: dir })
    const h = { db: store.db, clock: systemClock }
    const owner = await createUser(h, { email: 'owner@stats.test', displayName: 'Owner', password: 'stats-password' })
    orgId = (await createOrg(h, { name: 'Stats Org', ownerUserId: owner.id })).id
    await bulkMembers(h, { orgId, count: 2000 })
    await store.close()
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** How the store's own reads would find the first page of the members list. */
  const firstPage = async (store: Database) =>
    (
      await rawRows<[number, number, number, string]>(
        store.db,
        'EXPLAIN QUERY PLAN SELECT member_json FROM memberships WHERE org_id = ? AND removed_at IS NULL ORDER BY email, user_id LIMIT 101',
        [orgId],
      )
    )
      .map((row) => row[3])
      .join(' | ')
  const byEmailIndex = expect.stringMatching(/^SEARCH memberships USING INDEX memberships_org_email \(org_id=\?\)$/)
  /** A side connection, as an older server left the file. */
  const onFile = (sql: string, ...params: string[]) => {
    const conn = new BetterSqlite(file)
    conn.prepare(sql).run(...params)
    conn.close()
  }

  it('reads the first page of a members list through the email index after an upgrade, not by sorting every member', async () => {
    // Loaded and analyzed before 0010 added the role index (and 0012 the tombstones', 0013 the short terms' counts).
    onFile('DROP INDEX "memberships_org_role_email"')
    onFile('DROP INDEX "memberships_org_removed"')
    for (const change of ['insert', 'update', 'delete']) onFile(`DROP TRIGGER "member_grams_${change}"`)
    onFile('DROP TABLE "member_grams"')
    onFile('ANALYZE "memberships"')
    const later = sqliteMigrations.slice(sqliteMigrations.findIndex((m) => m.id === '0010_member_role_order')).map((m) => m.id)
    onFile(`DELETE FROM schema_migrations WHERE id IN (${later.map(() => '?').join(', ')})`, ...later)
    await (await openDatabase({ dataDir: dir })).close()
    // Every start after the upgrade plans from the figures the file holds.
    const next = await openDatabase({ dataDir: dir })
    expect(await firstPage(next)).toEqual(byEmailIndex)
    await next.close()
  })

  it('plans with fresh figures from the first read after the store analyzes', async () => {
    // As the upgrade left it before 0011: no figures for the role index (better-sqlite3's SQLite keeps stat4 samples too).
    for (const table of ['sqlite_stat1', 'sqlite_stat4']) onFile(`DELETE FROM ${table} WHERE idx = 'memberships_org_role_email'`)
    const store = await openDatabase({ dataDir: dir })
    // The figures it opened with: the role index looks best, and every member gets sorted.
    expect(await firstPage(store)).toContain('USE TEMP B-TREE FOR ORDER BY')
    await settleBulkLoad(store.db)
    expect(await firstPage(store)).toEqual(byEmailIndex)
    await store.close()
  })
})
