/**
 * Electron wiring, and the only place that touches Electron besides window.ts and menu.ts:
 * single-instance lock, hardened sessions and web contents, the IPC handler in front of the
 * router, safeStorage as the secret box, data under userData.
 */
import { app, BrowserWindow, ipcMain, safeStorage, session, shell, utilityProcess, type WebContents } from 'electron'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { IPC_EVENT, IPC_INVOKE } from '../shared/ipc'
import { createCore, type Core } from './core'
import { contentSecurityPolicy } from './csp'
import { inChild, nodeChild, type ServerProcess } from './backend'
import { ensureDemoAccount, startBackend, type Backend } from './demo'
import { senderPolicy } from './ipc/router'
import { installMenu } from './menu'
import { loadSecretKey, nodeSecretBox, safeStorageBox, type SecretBox } from './services/secret-box'
import { createMainWindow } from './window'

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url))
const INDEX_HTML = here('../renderer/index.html')
const PRELOAD = here('../preload/index.cjs')
const ICON = here('../../resources/icon.png')
const SERVER_CHILD = here('./server-child.js')
/** Set by `electron-vite dev`: the renderer comes from Vite's dev server. */
const DEV_URL = process.env.ELECTRON_RENDERER_URL

let core: Core | null = null
let backend: Backend | null = null
let mainWindow: BrowserWindow | null = null

// One data folder under the product name in development and packaged builds alike
// (otherwise `electron-vite dev` would use the npm package name); tests and side-by-side
// profiles pick their own (and so their own instance lock).
app.setName('Org Admin')
app.setPath('userData', process.env.ORG_ADMIN_USER_DATA ?? join(app.getPath('appData'), 'Org Admin'))

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('web-contents-created', (_event, contents) => harden(contents))
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) openWindow()
  })
  // The embedded server must close cleanly (transactions finish, SQLite checkpoints): quit after it has.
  let serverClosed = false
  app.on('before-quit', (event) => {
    if (serverClosed || !backend?.embedded) return
    event.preventDefault()
    serverClosed = true
    void backend.stop().finally(() => app.quit())
  })
  app.whenReady().then(start, (err: unknown) => {
    console.error('[main] startup failed:', err)
    app.exit(1)
  })
}

async function start(): Promise<void> {
  const userData = app.getPath('userData')
  lockDownSession()
  installMenu()

  core = await createCore({
    dataDir: join(userData, 'data'),
    secretBox: await secretBox(userData),
    isTrustedSender: senderPolicy({
      origins: DEV_URL ? [new URL(DEV_URL).origin] : [],
      files: [pathToFileURL(INDEX_HTML).href],
    }),
  })
  const router = core.router
  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, payload: unknown) =>
    router.handle(String(channel), payload, {
      url: event.senderFrame?.url ?? '',
      isMainFrame: event.senderFrame !== null && event.senderFrame === event.sender.mainFrame,
    }),
  )
  core.events.subscribe((name, payload) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(IPC_EVENT, name, payload)
  })

  // The window first: seeding the demo database on a first run takes a while, and the
  // renderer hears `accounts.changed` when the demo account arrives.
  openWindow()
  backend = await startBackend(join(userData, 'demo-server'), embeddedServerHost()).catch((err: unknown) => {
    console.error('[main] the demo server did not start:', err)
    return null
  })
  if (backend) {
    core.accounts.serverInUse = backend.url
    await ensureDemoAccount(core.accounts, backend.url)
  }
}

/**
 * Packaged: an Electron utility process, with the better-sqlite3 electron-builder rebuilt for
 * Electron's ABI. In development the node_modules build is Node's (the tests need it), so the
 * server child runs under the Node on PATH, the one that runs npm.
 */
function embeddedServerHost() {
  if (!app.isPackaged) return inChild(nodeChild(SERVER_CHILD, { execPath: process.env.npm_node_execpath ?? 'node' }))
  return inChild((): ServerProcess => {
    const child = utilityProcess.fork(SERVER_CHILD, [], { serviceName: 'Org Admin demo server', stdio: 'inherit' })
    const spawned = new Promise<void>((r) => child.once('spawn', () => r()))
    return {
      send: (msg) => void spawned.then(() => child.postMessage(msg)),
      onMessage: (cb) => void child.on('message', cb),
      onExit: (cb) => void child.once('exit', cb),
      kill: () => void child.kill(),
    }
  })
}

function openWindow(): void {
  mainWindow = createMainWindow({
    preload: PRELOAD,
    load: DEV_URL ? { url: DEV_URL } : { file: INDEX_HTML },
    stateFile: join(app.getPath('userData'), 'window-state.json'),
    icon: ICON,
  })
  mainWindow.on('closed', () => {
    mainWindow = null
  })
}

/**
 * safeStorage (Keychain, DPAPI, libsecret/kwallet) when it is real. On Linux without a
 * keyring Electron falls back to a hard-coded key ('basic_text'); then a random key file in
 * userData (mode 0600) or ORG_ADMIN_SECRET_KEY is at least specific to this machine.
 */
async function secretBox(userData: string): Promise<SecretBox> {
  const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'
  if (safeStorage.isEncryptionAvailable() && !weak) return safeStorageBox(safeStorage)
  console.warn('[main] no OS keychain: encrypting with a key file in the data folder')
  return nodeSecretBox(await loadSecretKey(join(userData, 'secret.key')))
}

function lockDownSession(): void {
  const ses = session.defaultSession
  const csp = DEV_URL ? contentSecurityPolicy([new URL(DEV_URL).origin.replace(/^http/, 'ws')], { dev: true }) : contentSecurityPolicy()
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
  })
  // Everything is denied but writing to the clipboard ("copy invitation link").
  const allowed = new Set(['clipboard-sanitized-write'])
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(allowed.has(permission)))
  ses.setPermissionCheckHandler((_contents, permission) => allowed.has(permission))
}

function harden(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation and the like open in the user's browser, never inside the app.
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}
