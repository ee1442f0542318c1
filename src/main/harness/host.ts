/**
 * Loopback harness: the real main-process core (accounts, cache, sync, router) behind a
 * WebSocket on 127.0.0.1, plus a static server for the built renderer. The page gets a
 * random per-run secret in its URL fragment (never sent over HTTP); the socket refuses
 * connections without it or from any other Origin, and the HTTP side refuses foreign Host
 * headers (DNS rebinding). This is how the unchanged app runs in plain Chromium.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
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

export interface HarnessOptions extends Partial<Omit<CoreOptions, 'dataDir' | 'secretBox' | 'isTrustedSender'>> {
  /** Accounts and caches of this harness (encrypted; the key lives in `<dataDir>/secret.key`). */
  dataDir: string
  /** 32-byte key; default: ORG_ADMIN_SECRET_KEY or a key generated once per data dir (mode 0600). */
  secretKey?: Buffer
  port?: number
  rendererDir?: string
}

export interface Harness {
  /** Open this in a browser: it carries the secret. */
  url: string
  origin: string
  secret: string
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
  const secret = randomBytes(24).toString('base64url')
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
    const allowed =
      url.pathname === WS_PATH &&
      req.headers.origin === origin &&
      req.headers.host === new URL(origin).host &&
      sameSecret(url.searchParams.get('secret') ?? '', secret)
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
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
    url: `${origin}/#harness=${secret}`,
    origin,
    secret,
    core,
    call: (channel, payload) => core.router.handle(channel, payload, { url: `${origin}/`, isMainFrame: true }),
    async close() {
      unsubscribe()
      core.accounts.dispose()
      for (const ws of sockets) ws.terminate()
      wss.close()
      http.closeAllConnections()
      await new Promise<void>((ok) => http.close(() => ok()))
    },
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function rendererIsBuilt(rendererDir = DEFAULT_RENDERER_DIR): boolean {
  return existsSync(join(rendererDir, HARNESS_PAGE))
}
