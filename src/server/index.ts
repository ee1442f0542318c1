/** The reference organization server: open the database, seed on first start, listen. */
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app'
import { systemClock, type Clock } from './clock'
import { openDatabase, type Db } from './db/client'
import { isEmpty, seedDemo } from './seed'
import type { Ctx, ServerConfig } from './services/context'
import { systemDns, type DnsResolver } from './services/dns'
import { folderMailer, smtpMailer, type Mailer } from './services/mailer'
import { warmSignInCheck } from './services/auth'
import { warmMemberList } from './services/member-list'
import { deliverDue } from './services/outbox'
import { queueReminders } from './services/invitations'
import { purgeExpiredWorkspaces } from './services/workspaces'

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
  /** Where email goes: an SMTP URL (nodemailer), a folder of .eml files, or a Mailer; none: it waits in the outbox. */
  mail?: { smtpUrl?: string; dir?: string; from?: string; mailer?: Mailer }
  /** How often the outbox is delivered and reminders are queued; 0: only when `mailTick()` is called (tests). */
  mailIntervalMs?: number
  /** The DNS server (host or host:port) domain verification asks; default: the system's. */
  dnsServer?: string
  dns?: DnsResolver
}

export interface RunningServer {
  url: string
  clock: Clock
  db: Db
  app: FastifyInstance
  ctx: Ctx
  /** Queues due reminders, then delivers due email once. */
  mailTick(): Promise<{ sent: number; failed: number }>
  close(): Promise<void>
}

/** No organization has it (ids are random UUIDs): the warm-up reads nothing. */
const NO_ORG_ID = '00000000-0000-0000-0000-000000000000'

const DEFAULT_FROM = 'Org Admin <no-reply@org-admin.invalid>'

function mailerFor(mail: ServerOptions['mail'] = {}): Mailer | null {
  const from = mail.from ?? DEFAULT_FROM
  if (mail.mailer) return mail.mailer
  if (mail.smtpUrl) return smtpMailer(mail.smtpUrl, from)
  if (mail.dir) return folderMailer(mail.dir, from)
  return null
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
    const ctx: Ctx = { db: database.db, clock, config, mailer: mailerFor(opts.mail), dns: opts.dns ?? systemDns(opts.dnsServer) }
    // Before serving, every pooled connection runs the hot reads once: a request that reaches a
    // fresh PostgreSQL backend waits while it loads catalogs and plans, and the first burst of
    // concurrent requests is when idle connections are first used.
    await database.onEachConnection(async (db) => {
      await warmSignInCheck({ ...ctx, db }, NO_ORG_ID)
      await warmMemberList({ ...ctx, db }, NO_ORG_ID)
    })
    const app = buildApp(ctx, { logger: opts.logger })
    const address = await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 })
    const url = address.replace('[::1]', 'localhost')
    // Links must name the address people reach; known only once listening.
    config.publicUrl ||= url
    let closing: Promise<void> | null = null
    const mailTick = async () => (await queueReminders(ctx), deliverDue(ctx))
    let ticking: Promise<unknown> = Promise.resolve()
    const interval = opts.mailIntervalMs ?? 2_000
    // One round at a time; a failed round is logged and the next one retries.
    const timer = interval > 0 && ctx.mailer
      ? setInterval(() => (ticking = ticking.then(mailTick).catch((err) => app.log.error(err))), interval)
      : null
    // The recycle bin's sweep; an expired workspace is hidden by every listing before it runs.
    const sweep = setInterval(() => void purgeExpiredWorkspaces(ctx).catch((err) => app.log.error(err)), 3_600_000)
    sweep.unref()
    return {
      url,
      clock,
      db: database.db,
      app,
      ctx,
      mailTick,
      // Safe to call twice (a test may stop the server before its fixture does).
      close: () =>
        (closing ??= (async () => {
          if (timer) clearInterval(timer)
          clearInterval(sweep)
          await ticking
          await app.close()
          await database.close()
        })()),
    }
  } catch (err) {
    await database.close()
    throw err
  }
}
