// `npm start`: the desktop app where Electron's binary is installed (electron-vite dev);
// otherwise the same app in the browser harness (`npm run dev:browser`), opened in an
// app-mode Chromium window when one is available and a display is there to show it.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const isWindows = process.platform === 'win32'

/** Without require('electron'): that would try to download the binary when it is missing. */
function electronBinary() {
  try {
    const dir = dirname(require.resolve('electron/package.json'))
    const bin = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8').trim())
    return existsSync(bin) ? bin : null
  } catch {
    return null
  }
}

function findChrome() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  ]
  return candidates.find((p) => p && existsSync(p)) ?? null
}

function run(command, args, opts = {}) {
  const child = spawn(command, args, { stdio: 'inherit', shell: isWindows, ...opts })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
  return child
}

if (electronBinary()) {
  run(isWindows ? 'npx.cmd' : 'npx', ['electron-vite', 'dev'])
} else {
  console.log(
    [
      '',
      'Electron\'s binary is not installed on this machine (run `npx install-electron` where its',
      'download host is reachable). Starting the same app in the browser harness instead:',
      'the real main-process services and router, the real renderer, in Chromium.',
      '',
    ].join('\n'),
  )
  const child = run(isWindows ? 'npm.cmd' : 'npm', ['run', 'dev:browser'], { stdio: ['inherit', 'pipe', 'inherit'] })
  const chrome = findChrome()
  const hasDisplay = isWindows || process.platform === 'darwin' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY
  let opened = false
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk)
    const match = /ORG_ADMIN_HARNESS_URL=(\S+)/.exec(chunk.toString())
    if (!match || opened) return
    opened = true
    if (chrome && hasDisplay && process.env.ORG_ADMIN_NO_BROWSER !== '1') {
      console.log(`Opening it in ${chrome} (app mode). Set ORG_ADMIN_NO_BROWSER=1 to skip.`)
      const profile = mkdtempSync(join(tmpdir(), 'org-admin-chromium-'))
      spawn(chrome, [`--app=${match[1]}`, `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking'], {
        stdio: 'ignore',
        detached: true,
      }).unref()
    } else {
      console.log(chrome ? 'No display: open the URL above in a browser.' : 'Open the URL above in Chromium or Chrome.')
    }
  })
}
