/**
 * The demo setup shared by the Electron app and the browser harness: the embedded reference
 * server (seeded, SQLite on disk, in its own process; see backend.ts) unless
 * ORG_ADMIN_SERVER_URL points elsewhere, and the demo administrator's account added on first
 * run so the app opens signed in.
 */
import type { AccountService } from './services/accounts'
import { ServerStartError, type ServerHost } from './backend'

export const DEMO_EMAIL = 'admin@demo.test'
export const DEMO_PASSWORD = 'demo-password'
/** A fixed port keeps the stored account's URL valid from one run to the next. */
export const DEMO_PORT = Number(process.env.ORG_ADMIN_DEMO_PORT ?? 47_811)

export interface Backend {
  url: string
  /** Whether we started the embedded server (and so stop it on quit). */
  embedded: boolean
  stop(): Promise<void>
}

export async function startBackend(demoDataDir: string, host: ServerHost): Promise<Backend> {
  const external = process.env.ORG_ADMIN_SERVER_URL
  if (external) return { url: external.replace(/\/+$/, ''), embedded: false, stop: async () => {} }
  try {
    return { ...(await host({ dataDir: demoDataDir, port: DEMO_PORT })), embedded: true }
  } catch (err) {
    if (!(err instanceof ServerStartError) || err.code !== 'EADDRINUSE') throw err
    console.warn(`[demo] port ${DEMO_PORT} is taken; the demo server uses a random port this time`)
    return { ...(await host({ dataDir: demoDataDir, port: 0 })), embedded: true }
  }
}

/** First run only: with no account at all, add the demo administrator. */
export async function ensureDemoAccount(accounts: AccountService, baseUrl: string): Promise<void> {
  if (accounts.list().length > 0) return
  try {
    await accounts.add(baseUrl, DEMO_EMAIL, DEMO_PASSWORD)
  } catch (err) {
    console.warn(`[demo] could not sign in as ${DEMO_EMAIL} on ${baseUrl}: ${(err as Error).message}`)
  }
}
