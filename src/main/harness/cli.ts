/**
 * `npm run dev:browser`: the whole app without Electron. Starts the seeded demo server
 * (SQLite in .data/demo-server, in a Node child process) unless ORG_ADMIN_SERVER_URL is set,
 * the loopback harness with its data in .data/harness, signs in as the demo admin on first run, and prints the
 * URL to open in Chromium (once; each URL's code admits one window). With
 * ORG_ADMIN_LAUNCH_FILE (set by scripts/start.mjs) it also writes a page that forwards to
 * another such URL into that file (mode 0600), so no code appears on a command line.
 * Ctrl+C stops everything.
 */
import { rename, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inChild, nodeChild } from '../backend'
import { ensureDemoAccount, startBackend } from '../demo'
import { rendererIsBuilt, startHarness } from './host'

const root = resolve(process.env.ORG_ADMIN_DATA_DIR ?? '.data')

async function main() {
  if (!rendererIsBuilt()) {
    console.error('The renderer is not built yet: run `npx electron-vite build` first (npm run dev:browser does).')
    process.exit(1)
  }
  // From source, like this harness: the child loads TypeScript through tsx.
  const serverChild = nodeChild(fileURLToPath(new URL('../../server/child.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] })
  const backend = await startBackend(resolve(root, 'demo-server'), inChild(serverChild))
  const harness = await startHarness({
    dataDir: resolve(root, 'harness'),
    port: process.env.ORG_ADMIN_HARNESS_PORT ? Number(process.env.ORG_ADMIN_HARNESS_PORT) : 0,
  })
  harness.core.accounts.serverInUse = backend.url
  await ensureDemoAccount(harness.core.accounts, backend.url)
  const launchFile = process.env.ORG_ADMIN_LAUNCH_FILE
  if (launchFile) {
    const page = `<!doctype html><meta http-equiv="refresh" content="0;url=${harness.newUrl()}"><title>Org Admin</title>\n`
    // Renamed into place: whoever watches for the file never reads half of it.
    await writeFile(`${launchFile}.tmp`, page, { mode: 0o600, flag: 'wx' })
    await rename(`${launchFile}.tmp`, launchFile)
  }
  console.log(
    [
      '',
      'Org Admin (browser harness)',
      `  server: ${backend.url}${backend.embedded ? ' (embedded demo)' : ''}`,
      `  data:   ${root}`,
      '',
      `  Open:   ${harness.url}`,
      '          (this link opens one window; restart for another)',
      '',
    ].join('\n'),
  )

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await harness.close()
    await backend.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((err: unknown) => {
  // A sentence, not a stack: the stack helps only with ORG_ADMIN_DEBUG=1.
  console.error(`Org Admin could not start: ${err instanceof Error ? err.message : String(err)}`)
  if (process.env.ORG_ADMIN_DEBUG === '1') console.error(err)
  process.exit(1)
})
