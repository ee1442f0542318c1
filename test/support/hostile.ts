/**
 * A hostile organization server on 127.0.0.1 that a test scripts route by route: real HTTP
 * (node:http), so size caps, deadlines and redirects are exercised as they would be on the
 * wire. Login and refresh answer a valid token pair unless a test replaces them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void

export interface HostileServer {
  url: string
  /** Every request that reached this server: method, path and body. */
  requests: { method: string; path: string; body: string }[]
  on(method: string, path: string, handler: Handler): void
  /** Stop listening (connections refused), then listen again on the same port. */
  down(): Promise<void>
  up(): Promise<void>
  close(): Promise<void>
}

export const USER = { id: 'u1', email: 'admin@hostile.test', displayName: 'Hostile Admin' }

export function tokenPair(n = 1) {
  return {
    accessToken: `access-${n}`,
    refreshToken: `refresh-${n}`,
    accessTokenExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    user: USER,
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

export async function startHostileServer(): Promise<HostileServer> {
  const handlers = new Map<string, Handler>()
  const requests: HostileServer['requests'] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname
      const body = Buffer.concat(chunks).toString('utf8')
      requests.push({ method: req.method ?? '', path, body })
      const handler = handlers.get(`${req.method} ${path}`)
      if (handler) handler(req, res, body)
      else json(res, 404, { error: { code: 'not_found', message: 'No such route' } })
    })
  })
  handlers.set('POST /v1/auth/login', (_req, res) => json(res, 200, tokenPair()))
  handlers.set('GET /v1/me', (_req, res) => json(res, 200, USER))
  const listen = (port: number) => new Promise<void>((ok) => server.listen(port, '127.0.0.1', () => ok()))
  const close = async () => {
    server.closeAllConnections()
    await new Promise((ok) => server.close(ok))
  }
  await listen(0)
  const port = (server.address() as { port: number }).port
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on: (method, path, handler) => void handlers.set(`${method} ${path}`, handler),
    down: close,
    up: () => listen(port),
    close,
  }
}
