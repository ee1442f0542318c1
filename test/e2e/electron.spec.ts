/**
 * The real Electron app, where Electron's binary is installed: the window opens, the
 * renderer is isolated (no Node, no require) and talks to main only through window.orgAdmin.
 * On machines without the binary (ours: it cannot be downloaded here) this skips.
 */
import { _electron as electron, expect, test } from '@playwright/test'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { CHANNEL_NAMES } from '../../src/shared/ipc'
import { startTestServer } from '../support/server'
import type { AppGlobal } from './fixtures'

/** Where Electron's binary would be, without require('electron') (which tries to download it). */
function electronBinary(): string | null {
  try {
    const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
    const rel = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim()
    const bin = join(pkgDir, 'dist', rel)
    return existsSync(bin) ? bin : null
  } catch {
    return null
  }
}

const binary = electronBinary()
const MAIN = join('out', 'main', 'index.js')

const SKIP_REASON =
  'Electron binary not installed: run `npx install-electron` on a machine that can reach the Electron download host, then `npx electron-vite build`'
// The list reporter does not print skip reasons: say it once where people look.
if (!binary) console.log(`[electron.spec] skipped — ${SKIP_REASON}`)

test.describe('Electron app', () => {
  test.skip(!binary, SKIP_REASON)

  test('opens an isolated, sandboxed window that only sees window.orgAdmin', async () => {
    expect(existsSync(MAIN), 'run `npx electron-vite build` first').toBe(true)
    const server = await startTestServer({ seed: true })
    const userData = await mkdtemp(join(tmpdir(), 'org-admin-electron-'))
    const app = await electron.launch({
      executablePath: binary!,
      // Chromium refuses to run as root with its OS sandbox (CI containers).
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), MAIN],
      env: { ...process.env, ORG_ADMIN_USER_DATA: userData, ORG_ADMIN_SERVER_URL: server.url },
    })
    try {
      const page = await app.firstWindow()
      await page.waitForLoadState('domcontentloaded')
      await expect.poll(() => page.evaluate(() => typeof (globalThis as unknown as AppGlobal).orgAdmin)).toBe('object')

      const isolation = await page.evaluate(() => ({
        require: typeof (globalThis as unknown as AppGlobal).require,
        process: typeof (globalThis as unknown as AppGlobal).process,
        groups: Object.keys((globalThis as unknown as AppGlobal).orgAdmin).sort(),
      }))
      expect(isolation.require).toBe('undefined')
      expect(isolation.process).toBe('undefined')
      // One group per channel prefix of the shared contract, plus `on` for events.
      expect(isolation.groups).toEqual([...new Set(CHANNEL_NAMES.map((c) => c.split('.')[0]!)), 'on'].sort())

      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)

      // First run against ORG_ADMIN_SERVER_URL: the demo admin is signed in, over real IPC.
      // (The window opens first; the account arrives once main has signed in.)
      await expect
        .poll(() => page.evaluate(() => (globalThis as unknown as AppGlobal).orgAdmin.accounts.list({})), { timeout: 30_000 })
        .toMatchObject({ ok: true, data: [{ email: 'admin@demo.test', status: 'signed_in' }] })
    } finally {
      await app.close()
      await server.close()
      await rm(userData, { recursive: true, force: true })
    }
  })
})
