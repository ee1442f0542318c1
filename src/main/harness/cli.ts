/**
 * `npm run dev:browser`: the whole app without Electron. Starts the seeded demo server
 * (SQLite in .data/demo-server, in a Node child process) unless ORG_ADMIN_SERVER_URL is set, the loopback harness
 * with its data in .data/harness, signs in as the demo admin on first run, and prints the
 * URL to open in Chromium. Ctrl+C stops everything.
 */
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
  await ensureDemoAccount(harness.core.accounts, backend.url)
  console.log(`\nOrg Admin (browser harness)\n  server: ${backend.url}${backend.embedded ? ' (embedded demo)' : ''}\n  data:   ${root}\n\n  Open:   ${harness.url}\n`)
  // Machine-readable line for scripts/start.mjs.
  console.log(`ORG_ADMIN_HARNESS_URL=${harness.url}`)

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
  console.error(err)
  process.exit(1)
})
