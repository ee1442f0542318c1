/**
 * The application window: hardened webPreferences and bounds remembered across runs
 * (a small plain JSON file in userData: positions are not secret).
 */
import { BrowserWindow, screen, type Rectangle } from 'electron'
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { z } from 'zod'

const boundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(640).max(10_000),
  height: z.number().int().min(480).max(10_000),
  maximized: z.boolean(),
})
type WindowState = z.infer<typeof boundsSchema>

export interface WindowOptions {
  preload: string
  /** Dev server URL (electron-vite dev) or the built index.html. */
  load: { url: string } | { file: string }
  stateFile: string
  icon?: string
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const state = readState(opts.stateFile)
  const win = new BrowserWindow({
    ...(state ? { x: state.x, y: state.y, width: state.width, height: state.height } : { width: 1280, height: 820 }),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Org Admin',
    ...(opts.icon ? { icon: opts.icon } : {}),
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  })
  if (state?.maximized) win.maximize()
  win.once('ready-to-show', () => win.show())

  let saveTimer: NodeJS.Timeout | undefined
  const save = () => {
    clearTimeout(saveTimer)
    saveTimer = setTimeout(() => void saveState(opts.stateFile, win), 500)
  }
  win.on('resize', save)
  win.on('move', save)
  win.on('close', () => {
    clearTimeout(saveTimer)
    void saveState(opts.stateFile, win)
  })

  if ('url' in opts.load) void win.loadURL(opts.load.url)
  else void win.loadFile(opts.load.file)
  return win
}

function readState(file: string): WindowState | null {
  try {
    const state = boundsSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
    // A display may have been unplugged since: only restore bounds that are still visible.
    const visible = screen.getAllDisplays().some((d) => intersects(d.workArea, state))
    return visible ? state : null
  } catch {
    return null
  }
}

async function saveState(file: string, win: BrowserWindow): Promise<void> {
  if (win.isDestroyed()) return
  const b = win.getNormalBounds()
  const state: WindowState = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() }
  await writeFile(file, JSON.stringify(state)).catch(() => undefined)
}

function intersects(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}
