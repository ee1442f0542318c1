// `npm start`: the desktop app where Electron's binary is installed (electron-vite dev);
// otherwise the same app in the browser harness (`npm run dev:browser`), opened in an
// app-mode Chromium window when one is available and a display is there to show it.
// Chromium gets a file path, not the URL: command lines are readable by every local user,
// so the harness writes its one-time link into a private (0700 dir, 0600 file) page.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs'
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
      'No Electron binary on this machine: starting the same app in the browser harness',
      '(the real main-process services and router, the real renderer, in Chromium).',
      '',
    ].join('\n'),
  )
  const chrome = findChrome()
  const hasDisplay = isWindows || process.platform === 'darwin' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY
  const openWindow = chrome && hasDisplay && process.env.ORG_ADMIN_NO_BROWSER !== '1'
  const launchDir = openWindow ? mkdtempSync(join(tmpdir(), 'org-admin-launch-')) : null
  const launchFile = launchDir && join(launchDir, 'open.html')
  if (launchDir) process.on('exit', () => rmSync(launchDir, { recursive: true, force: true }))
  run(isWindows ? 'npm.cmd' : 'npm', ['run', '--silent', 'dev:browser'], {
    env: launchFile ? { ...process.env, ORG_ADMIN_LAUNCH_FILE: launchFile } : process.env,
  })
  if (launchDir) {
    const watcher = watch(launchDir, () => {
      if (!existsSync(launchFile)) return
      watcher.close()
      console.log(`Opening it in ${chrome} (app mode). Set ORG_ADMIN_NO_BROWSER=1 to skip.`)
      const profile = mkdtempSync(join(tmpdir(), 'org-admin-chromium-'))
      spawn(chrome, [`--app=file://${launchFile}`, `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking'], {
        stdio: 'ignore',
        detached: true,
      }).unref()
    })
  } else if (!chrome) {
    console.log('Open the URL it prints in Chromium or Chrome.')
  }
}
