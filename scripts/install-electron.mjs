// Electron >= 42 no longer downloads its binary in postinstall; this is the explicit step.
// Where the download is impossible (offline, blocked host) the install must still succeed:
// everything except the Electron window runs and is tested under Node and Chromium.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
let installer
try {
  installer = join(dirname(require.resolve('electron/package.json')), 'install.js')
} catch {
  console.warn('[org-admin] electron is not installed (production install?); skipping its binary download.')
  process.exit(0)
}
const result = spawnSync(process.execPath, [installer], { stdio: 'inherit', timeout: 180_000 })
if (result.status !== 0) {
  console.warn(
    '\n[org-admin] WARNING: the Electron binary could not be downloaded.\n' +
      '  The desktop window will not start on this machine, but the server, the main-process\n' +
      '  services, the IPC router and the renderer all run: try `npm run dev:browser`.\n' +
      '  Retry later with `npx install-electron`.\n'
  )
}
