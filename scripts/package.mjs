// `npm run package`: build, then electron-builder, which rebuilds better-sqlite3 for Electron's
// ABI in node_modules. Rebuild it for Node afterwards (even when packaging failed) so tests,
// the harness and `npm run server` keep loading it.
import { spawnSync } from 'node:child_process'

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1

let status = run(npx, ['electron-vite', 'build'])
if (status === 0) {
  status = run(npx, ['electron-builder', ...process.argv.slice(2)])
  const restored = run(npm, ['rebuild', 'better-sqlite3'])
  if (restored !== 0) console.error('Could not rebuild better-sqlite3 for Node: run `npm rebuild better-sqlite3`.')
}
process.exit(status)
