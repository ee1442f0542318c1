import type { Clock } from '../clock'
import type { Db } from '../db/client'
import type { DnsResolver } from './dns'
import type { Mailer } from './mailer'

export interface ServerConfig {
  accessTokenTtlMs: number
  refreshTokenTtlMs: number
  /** Base URL put into invitation links. */
  publicUrl: string
  rateLimit: { windowMs: number; maxFailuresPerAccount: number; maxAttemptsPerIp: number }
}

/** What every service function gets: the database, the clock, the settings, and the two network seams. */
export interface Ctx {
  db: Db
  clock: Clock
  config: ServerConfig
  /** null: no transport configured, so email stays queued in the outbox. */
  mailer: Mailer | null
  dns: DnsResolver
}
