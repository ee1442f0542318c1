import type { Clock } from '../clock'
import type { Db } from '../db/client'

export interface ServerConfig {
  accessTokenTtlMs: number
  refreshTokenTtlMs: number
  /** Base URL put into invitation links. */
  publicUrl: string
  rateLimit: { windowMs: number; maxFailuresPerAccount: number; maxAttemptsPerIp: number }
}

/** What every service function gets: the database, the clock and the settings. */
export interface Ctx {
  db: Db
  clock: Clock
  config: ServerConfig
}
