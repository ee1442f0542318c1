/**
 * The embedded store's isolation: better-sqlite3 is one synchronous connection per handle while
 * services await inside transactions, so these prove that requests cannot see or join each
 * other's transactions, and that the rules which read then write hold under concurrency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { openDatabase, type Database } from '../../src/server/db/client'
import { orgs } from '../../src/server/db/schema'
import { withTx } from '../../src/server/db/tx'
import { usePostgres } from '../support/server'

const org = (id: string) => ({ id, name: id, slug: id, memberLimit: 100, createdAt: new Date(1_700_000_000_000) })

describe.skipIf(usePostgres())('the embedded SQLite store', () => {
  let store: Database
  beforeAll(async () => void (store = await openDatabase({})))
  afterAll(() => store.close())

  /** Drizzle wraps driver errors ("Failed query: …"); the reason is the cause. */
  const reason = (p: Promise<unknown>) => p.then(() => 'no error', (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message))
  const names = async () => (await store.db.select({ id: orgs.id }).from(orgs)).map((r) => r.id).sort()

  it('hides a transaction from other requests until it commits, and keeps their writes out of it', async () => {
    let release!: () => void
    const paused = new Promise<void>((r) => (release = r))
    let inside!: () => void
    const started = new Promise<void>((r) => (inside = r))
    const tx = withTx(store.db, async (db) => {
      await db.insert(orgs).values(org('in-tx'))
      inside()
      await paused
      throw new Error('roll back')
    })
    await started
    expect(await names()).not.toContain('in-tx')
    // A write outside any transaction waits for the transaction instead of joining it.
    const outside = store.db.insert(orgs).values(org('outside'))
    release()
    await expect(tx).rejects.toThrow('roll back')
    await outside
    expect(await names()).toEqual(expect.arrayContaining(['outside']))
    expect(await names()).not.toContain('in-tx')
  })

  it('stores dates and reads them back as the same instant', async () => {
    await withTx(store.db, (db) => db.insert(orgs).values(org('dated')))
    const [row] = await store.db.select().from(orgs).where(eq(orgs.id, 'dated'))
    expect(row!.createdAt).toEqual(new Date(1_700_000_000_000))
  })

  it('refuses the outer handle for writes inside a transaction, and a transaction handle after it ends', async () => {
    expect(await reason(withTx(store.db, () => store.db.insert(orgs).values(org('wrong-handle'))))).toMatch(/transaction handle/)
    let leaked: Database['db'] | null = null
    await withTx(store.db, async (db) => void (leaked = db))
    expect(await reason(leaked!.insert(orgs).values(org('late')))).toMatch(/already ended/)
    expect(await names()).not.toContain('wrong-handle')
    expect(await names()).not.toContain('late')
  })

  it('runs transactions one after another, so a read-then-write rule sees every earlier write', async () => {
    await withTx(store.db, (db) => db.insert(orgs).values({ ...org('counter'), membersVersion: 0 }))
    // Each reads the counter, yields, then writes it plus one: interleaved, updates would be lost.
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withTx(store.db, async (db) => {
          const [row] = await db.select({ v: orgs.membersVersion }).from(orgs).where(eq(orgs.id, 'counter'))
          await new Promise((r) => setTimeout(r, 1))
          await db.update(orgs).set({ membersVersion: row!.v + 1 }).where(eq(orgs.id, 'counter'))
        }),
      ),
    )
    const [row] = await store.db.select({ v: orgs.membersVersion }).from(orgs).where(eq(orgs.id, 'counter'))
    expect(row!.v).toBe(20)
  })

  it('rolls back a nested withTx alone', async () => {
    await withTx(store.db, async (db) => {
      await db.insert(orgs).values(org('outer'))
      await expect(withTx(db, async (inner) => {
        await inner.insert(orgs).values(org('inner'))
        throw new Error('inner fails')
      })).rejects.toThrow('inner fails')
    })
    expect(await names()).toContain('outer')
    expect(await names()).not.toContain('inner')
  })
})
