/**
 * A real organization server for a test: 127.0.0.1 on a free port with a ManualClock.
 * Embedded SQLite in a temporary file by default; with ORG_TEST_DB=postgres and DATABASE_URL set,
 * a fresh PostgreSQL database of its own that is dropped on close.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { ManualClock, startServer, type RunningServer, type ServerOptions } from '../../src/server/index'

export type TestServer = RunningServer & { clock: ManualClock; /** PostgreSQL only: the database of this server. */ databaseUrl?: string }

export const usePostgres = () => process.env.ORG_TEST_DB === 'postgres' && !!process.env.DATABASE_URL

export async function startTestServer(opts: Partial<ServerOptions> = {}): Promise<TestServer> {
  const clock = opts.clock instanceof ManualClock ? opts.clock : new ManualClock()
  if (!usePostgres()) {
    return (await startServer({ mailIntervalMs: 0, ...opts, clock, port: 0 })) as TestServer
  }
  const admin = new URL(process.env.DATABASE_URL!)
  const name = `org_test_${randomBytes(6).toString('hex')}`
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin.toString() })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await run(`CREATE DATABASE ${name}`)
  const url = new URL(admin)
  url.pathname = `/${name}`
  const server = await startServer({ mailIntervalMs: 0, ...opts, clock, port: 0, databaseUrl: url.toString() })
  return {
    ...server,
    clock,
    databaseUrl: url.toString(),
    async close() {
      await server.close()
      await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    },
  }
}
