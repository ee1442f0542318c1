/**
 * Loopback harness: the real main-process core (accounts, cache, sync, router) behind a
 * WebSocket on 127.0.0.1, plus a static server for the built renderer. This is how the
 * unchanged app runs in plain Chromium.
 *
 * Other users of this machine can reach 127.0.0.1 and read command lines, so a URL must not
 * be a lasting key: it carries a one-time code (in the fragment, never sent over HTTP) that
 * the page's first connection trades for a session token kept in its sessionStorage. A
 * second connection with the same code, or one without code or token, or from another
 * Origin, is refused; foreign Host headers are refused too (DNS rebinding).
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WebSocketServer, type WebSocket } from 'ws'
import { z } from 'zod'
import type { IpcResult } from '../../shared/ipc'
import { createCore, type Core, type CoreOptions } from '../core'
import { contentSecurityPolicy } from '../csp'
import { senderPolicy, type SenderInfo } from '../ipc/router'
import { loadSecretKey, nodeSecretBox } from '../services/secret-box'

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url))
/** The renderer build's second entry: the app with the WebSocket bridge loaded first. */
const HARNESS_PAGE = 'harness/index.html'
const WS_PATH = '/bridge'
/** A code not used within this time is dead: a URL left in a terminal or a log opens nothing. */
const CODE_TTL_MS = 5 * 60_000

export interface HarnessOptions extends Partial<Omit<CoreOptions, 'dataDir' | 'secretBox' | 'isTrustedSender'>> {
  /** Accounts and caches of this harness (encrypted; the key lives in `<dataDir>/secret.key`). */
  dataDir: string
  /** 32-byte key; default: ORG_ADMIN_SECRET_KEY or a key generated once per data dir (mode 0600). */
  secretKey?: Buffer
  port?: number
  rendererDir?: string
}

export interface Harness {
  /** Open this in a browser, once: it carries a one-time code. */
  url: string
  /** Another URL with a fresh one-time code (another window, a test). */
  newUrl(): string
  origin: string
  core: Core
  /** A call through the router as the trusted page would make it (test setup, CLI). */
  call(channel: string, payload: unknown): Promise<IpcResult>
  close(): Promise<void>
}

const messageSchema = z.object({ id: z.number().int().nonnegative(), channel: z.string().max(100), payload: z.unknown() })

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const rendererDir = resolve(opts.rendererDir ?? DEFAULT_RENDERER_DIR)
  const key = opts.secretKey ?? (await loadSecretKey(join(opts.dataDir, 'secret.key')))
  // Kept as digests: a lookup's timing then reveals nothing about a valid value.
  const codes = new Map<string, number>()
  const sessions = new Set<string>()
  const newUrl = () => {
    const code = token()
    codes.set(digest(code), Date.now() + CODE_TTL_MS)
    return `${origin}/#code=${code}`
  }
  /** The page's credential for this connection: a live session token, or a code it redeems now. */
  const admit = (params: URLSearchParams): { session: string | null } | null => {
    const session = params.get('session')
    if (session) return sessions.has(digest(session)) ? { session: null } : null
    const code = digest(params.get('code') ?? '')
    const expiresAt = codes.get(code)
    codes.delete(code)
    if (expiresAt === undefined || expiresAt < Date.now()) return null
    const fresh = token()
    sessions.add(digest(fresh))
    return { session: fresh }
  }
  let origin = ''
  let isTrusted: (s: SenderInfo) => boolean = () => false

  const core = await createCore({
    ...opts,
    dataDir: opts.dataDir,
    secretBox: nodeSecretBox(key),
    isTrustedSender: (s) => isTrusted(s),
  })

  const http = createServer((req, res) => {
    serveStatic(req, res).catch((err: unknown) => {
      console.error('[harness] static file error:', err)
      if (!res.headersSent) res.writeHead(500).end()
    })
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 })
  const sockets = new Set<WebSocket>()

  async function serveStatic(req: IncomingMessage, res: ServerResponse) {
    if (req.headers.host !== new URL(origin).host) return void res.writeHead(421).end('Misdirected request')
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end()
    const path = decodeURIComponent(new URL(req.url ?? '/', origin).pathname)
    if (path === '/favicon.ico') return void res.writeHead(204).end()
    const rel = path === '/' || path === '/index.html' ? HARNESS_PAGE : normalize(path).replace(/^[/\\]+/, '')
    const file = resolve(rendererDir, rel)
    if (!file.startsWith(rendererDir + sep)) return void res.writeHead(404).end()
    let body: Buffer
    try {
      body = await readFile(file)
    } catch {
      if (rel === HARNESS_PAGE) {
        return void res.writeHead(503, { 'content-type': 'text/plain' }).end(`The renderer is not built: run \`npx electron-vite build\` (looked in ${rendererDir}).`)
      }
      return void res.writeHead(404).end()
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': contentSecurityPolicy([origin.replace(/^http/, 'ws')]),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  }

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin)
    const admitted =
      url.pathname === WS_PATH && req.headers.origin === origin && req.headers.host === new URL(origin).host
        ? admit(url.searchParams)
        : null
    if (!admitted) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (admitted.session) ws.send(JSON.stringify({ session: admitted.session }))
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('message', (data) => void onMessage(ws, data.toString()))
    })
  })

  async function onMessage(ws: WebSocket, text: string) {
    let msg: z.infer<typeof messageSchema>
    try {
      msg = messageSchema.parse(JSON.parse(text))
    } catch {
      ws.close(1003, 'Malformed message')
      return
    }
    const result = await core.router.handle(msg.channel, msg.payload, { url: `${origin}/`, isMainFrame: true })
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, result }))
  }

  const unsubscribe = core.events.subscribe((event, payload) => {
    const frame = JSON.stringify({ event, payload })
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame)
  })

  await new Promise<void>((ok, fail) => {
    http.once('error', fail)
    http.listen(opts.port ?? 0, '127.0.0.1', () => ok())
  })
  const address = http.address()
  if (!address || typeof address === 'string') throw new Error('The harness did not get a TCP port')
  origin = `http://127.0.0.1:${address.port}`
  isTrusted = senderPolicy({ origins: [origin] })

  return {
    url: newUrl(),
    newUrl,
    origin,
    core,
    call: (channel, payload) => core.router.handle(channel, payload, { url: `${origin}/`, isMainFrame: true }),
    async close() {
      unsubscribe()
      for (const ws of sockets) ws.terminate()
      wss.close()
      http.closeAllConnections()
      await new Promise<void>((ok) => http.close(() => ok()))
      await core.close()
    },
  }
}

const token = () => randomBytes(24).toString('base64url')
const digest = (value: string) => createHash('sha256').update(value).digest('base64url')

export function rendererIsBuilt(rendererDir = DEFAULT_RENDERER_DIR): boolean {
  return existsSync(join(rendererDir, HARNESS_PAGE))
}
