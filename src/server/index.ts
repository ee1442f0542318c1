/** The reference organization server: open the database, seed on first start, listen. */
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app'
import { systemClock, type Clock } from './clock'
import { openDatabase, type Db } from './db/client'
import { isEmpty, seedDemo } from './seed'
import type { ServerConfig } from './services/context'

export { ManualClock, systemClock, type Clock } from './clock'
export { addMember, bulkMembers, createOrg, createUser } from './provision'
export { DEMO_ADMIN, DEMO_OWNER2, DEMO_PASSWORD } from './seed'

export interface ServerOptions {
  host?: string
  /** 0 picks a free port. */
  port?: number
  /** Embedded SQLite's data directory; omitted (and no databaseUrl): a temporary file. */
  dataDir?: string
  /** PostgreSQL connection URL; takes precedence over dataDir. */
  databaseUrl?: string
  clock?: Clock
  /** Seed the demo world when the database has no users yet. */
  seed?: boolean
  logger?: boolean
  accessTokenTtlMs?: number
  refreshTokenTtlMs?: number
  /** Base URL for invitation links (default: the listening URL). */
  publicUrl?: string
  rateLimit?: Partial<ServerConfig['rateLimit']>
}

export interface RunningServer {
  url: string
  clock: Clock
  db: Db
  app: FastifyInstance
  close(): Promise<void>
}

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const clock = opts.clock ?? systemClock
  const database = await openDatabase({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl })
  try {
    if (opts.seed && (await isEmpty({ db: database.db, clock }))) await seedDemo({ db: database.db, clock })
    const config: ServerConfig = {
      accessTokenTtlMs: opts.accessTokenTtlMs ?? 15 * 60_000,
      refreshTokenTtlMs: opts.refreshTokenTtlMs ?? 30 * 86_400_000,
      publicUrl: opts.publicUrl ?? '',
      rateLimit: { windowMs: 15 * 60_000, maxFailuresPerAccount: 10, maxAttemptsPerIp: 100, ...opts.rateLimit },
    }
    const app = buildApp({ db: database.db, clock, config }, { logger: opts.logger })
    const address = await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 })
    const url = address.replace('[::1]', 'localhost')
    // Links must name the address people reach; known only once listening.
    config.publicUrl ||= url
    let closing: Promise<void> | null = null
    return {
      url,
      clock,
      db: database.db,
      app,
      // Safe to call twice (a test may stop the server before its fixture does).
      close: () =>
        (closing ??= (async () => {
          await app.close()
          await database.close()
        })()),
    }
  } catch (err) {
    await database.close()
    throw err
  }
}
