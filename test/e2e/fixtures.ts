/**
 * Playwright fixtures for the whole app in Chromium: a real seeded server per test, the
 * loopback harness (real main-process core and router) against it with a fresh data dir,
 * and a page opened on the harness. By default the page starts signed in as the demo
 * admin; override with `test.use({ signedInAs: null })` or another user.
 */
import { test as base, expect, type Page } from '@playwright/test'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { OrgAdminApi } from '../../src/shared/bridge'
import type { AccountSummary } from '../../src/shared/ipc'
import { rendererIsBuilt, startHarness, type Harness } from '../../src/main/harness/host'
import { startTestServer } from '../support/server'

type RunningTestServer = Awaited<ReturnType<typeof startTestServer>>
export type Credentials = { email: string; password: string }

export const DEMO_ADMIN: Credentials = { email: 'admin@demo.test', password: 'demo-password' }
export const DEMO_OWNER2: Credentials = { email: 'owner2@demo.test', password: 'demo-password' }

type Fixtures = {
  /** Accounts added through the router before the page opens (null: start with none). */
  signedInAs: Credentials | Credentials[] | null
  server: RunningTestServer
  harness: Harness
  /** The accounts `signedInAs` produced, in order. */
  accounts: AccountSummary[]
  app: Page
}

export const test = base.extend<Fixtures>({
  signedInAs: [DEMO_ADMIN, { option: true }],

  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    const server = await startTestServer({ seed: true })
    await use(server)
    await server.close()
  },

  harness: async ({ server: _server }, use) => {
    if (!rendererIsBuilt()) throw new Error('The renderer is not built: run `npx electron-vite build` before the e2e suite')
    const dataDir = await mkdtemp(join(tmpdir(), 'org-admin-e2e-'))
    const harness = await startHarness({ dataDir, secretKey: randomBytes(32) })
    await use(harness)
    await harness.close()
    // A background sync of the closed harness may still be finishing a write in there.
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 })
  },

  accounts: async ({ harness, server, signedInAs }, use) => {
    const list = signedInAs === null ? [] : Array.isArray(signedInAs) ? signedInAs : [signedInAs]
    const accounts: AccountSummary[] = []
    for (const creds of list) {
      const r = await harness.call('accounts.add', { baseUrl: server.url, ...creds })
      if (!r.ok) throw new Error(`Could not sign in ${creds.email}: ${r.error.code} ${r.error.message}`)
      accounts.push(r.data as AccountSummary)
    }
    await use(accounts)
  },

  app: async ({ page, harness, accounts: _accounts }, use) => {
    await page.goto(harness.url)
    await use(page)
  },
})

export { expect }

/**
 * The page's globals, for code passed to page.evaluate (test files have no DOM types):
 * `app.evaluate(() => (globalThis as unknown as AppGlobal).orgAdmin.accounts.list({}))`.
 */
export type AppGlobal = { orgAdmin: OrgAdminApi } & Record<string, unknown>

/** Save `test-results/screenshots/<name>-light.png` and `-dark.png` of the current page. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join('test-results', 'screenshots')
  await mkdir(dir, { recursive: true })
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await page.screenshot({ path: join(dir, `${name}-${colorScheme}.png`), fullPage: true })
  }
  await page.emulateMedia({ colorScheme: null })
}
