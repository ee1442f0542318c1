/**
 * The demo setup shared by the Electron app and the browser harness: the embedded reference
 * server (seeded, SQLite on disk) unless ORG_ADMIN_SERVER_URL points elsewhere, and the demo
 * administrator's account added on first run so the app opens signed in.
 */
import { dirname, join } from 'node:path'
import { startServer, type RunningServer } from '../server/index'
import type { AccountService } from './services/accounts'

export const DEMO_EMAIL = 'admin@demo.test'
export const DEMO_PASSWORD = 'demo-password'
/** A fixed port keeps the stored account's URL valid from one run to the next. */
export const DEMO_PORT = Number(process.env.ORG_ADMIN_DEMO_PORT ?? 47_811)

export const demoMailDir = (demoDataDir: string) => join(dirname(demoDataDir), 'demo-mail')

export interface Backend {
  url: string
  /** Set when we started the embedded server (stop it on quit). */
  server: RunningServer | null
}

export async function startBackend(demoDataDir: string): Promise<Backend> {
  const external = process.env.ORG_ADMIN_SERVER_URL
  if (external) return { url: external.replace(/\/+$/, ''), server: null }
  let server: RunningServer
  // No mail server needed: the demo's email lands as .eml files beside its data (README: "Reading the demo's email").
  const options = { dataDir: demoDataDir, seed: true, mail: { dir: demoMailDir(demoDataDir) }, dnsServer: process.env.DNS_SERVER }
  try {
    server = await startServer({ ...options, port: DEMO_PORT })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    console.warn(`[demo] port ${DEMO_PORT} is taken; the demo server uses a random port this time`)
    server = await startServer({ ...options, port: 0 })
  }
  return { url: server.url, server }
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
