/**
 * The loopback harness host: a URL's one-time code admits one connection, which gets a
 * session token; the WebSocket refuses callers without either, a replayed code, or another
 * Origin. Admitted, a call round-trips through the real router.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { get } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startHarness, type Harness } from '../../src/main/harness/host'

let harness: Harness
let dataDir: string
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'org-admin-harness-'))
  harness = await startHarness({ dataDir, secretKey: randomBytes(32), retryLimit: 0 })
})
afterAll(async () => {
  await harness.close()
  await rm(dataDir, { recursive: true, force: true })
})

const wsUrl = (query = '') => `${harness.origin.replace('http', 'ws')}/bridge${query}`
const codeOf = (url: string) => new URL(url).hash.replace(/^#code=/, '')

/** Resolves with the HTTP status of a refused upgrade, or 101 and the session token it was given. */
function handshake(url: string, origin: string | undefined): Promise<{ status: number; session?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {})
    ws.on('open', () => {
      // A redeemed code is answered with the session token first; a session gets nothing.
      const timer = setTimeout(() => (ws.close(), resolve({ status: 101 })), 200)
      ws.once('message', (d) => {
        clearTimeout(timer)
        ws.close()
        resolve({ status: 101, session: (JSON.parse(d.toString()) as { session: string }).session })
      })
    })
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }))
    ws.on('error', () => resolve({ status: 0 }))
  })
}

async function connect(): Promise<WebSocket> {
  const ws = new WebSocket(wsUrl(`?code=${codeOf(harness.newUrl())}`), { origin: harness.origin })
  await new Promise((resolve, reject) => {
    ws.once('message', resolve) // the session token: admitted
    ws.once('error', reject)
  })
  return ws
}

function request(ws: WebSocket, id: number, channel: string, payload: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown }
      if (msg.id === id) {
        ws.off('message', onMessage)
        resolve(msg.result)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ id, channel, payload }))
  })
}

describe('harness WebSocket', () => {
  it('hands the page a one-time code in the URL fragment only', () => {
    const url = new URL(harness.url)
    expect(url.hostname).toBe('127.0.0.1')
    expect(url.hash).toMatch(/^#code=[A-Za-z0-9_-]{32}$/)
    expect(url.search).toBe('')
    expect(harness.newUrl()).not.toBe(harness.url)
  })

  it('refuses a connection without a code, with a wrong one, or from a foreign origin', async () => {
    const code = codeOf(harness.newUrl())
    expect(await handshake(wsUrl(), harness.origin)).toEqual({ status: 403 })
    expect(await handshake(wsUrl('?code=wrong'), harness.origin)).toEqual({ status: 403 })
    // One character off (a code ending in A would make `…A` the real one, 1 run in 64).
    const near = `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`
    expect(await handshake(wsUrl(`?code=${near}`), harness.origin)).toEqual({ status: 403 })
    expect(await handshake(wsUrl('?session=forged'), harness.origin)).toEqual({ status: 403 })
    expect(await handshake(wsUrl(`?code=${code}`), 'http://evil.test')).toEqual({ status: 403 })
    expect(await handshake(wsUrl(`?code=${code}`), undefined)).toEqual({ status: 403 })
    // Refused attempts from elsewhere do not spend the code of the real page.
    expect(await handshake(wsUrl(`?code=${code}`), harness.origin)).toMatchObject({ status: 101 })
  })

  it('admits a code once: a replay of the same URL is refused, the session token keeps working', async () => {
    const code = codeOf(harness.newUrl())
    const first = await handshake(wsUrl(`?code=${code}`), harness.origin)
    expect(first).toMatchObject({ status: 101, session: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) })
    expect(await handshake(wsUrl(`?code=${code}`), harness.origin)).toEqual({ status: 403 })
    // Reload or reconnect of the admitted page: its session, no new token.
    expect(await handshake(wsUrl(`?session=${first.session}`), harness.origin)).toEqual({ status: 101 })
  })

  it('round-trips calls through the real router, errors included', async () => {
    const ws = await connect()
    try {
      expect(await request(ws, 1, 'accounts.list', {})).toEqual({ ok: true, data: [] })
      expect(await request(ws, 2, 'accounts.add', { baseUrl: 'nope' })).toMatchObject({
        ok: false,
        error: { code: 'validation_failed' },
      })
      expect(await request(ws, 3, 'orgs.list', { accountId: 'missing' })).toMatchObject({ ok: false, error: { code: 'unknown_account' } })
    } finally {
      ws.close()
    }
  })

  it('closes a socket that sends something other than a call', async () => {
    const ws = await connect()
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)))
    ws.send('not json')
    expect(await closed).toBe(1003)
  })

  it('forwards router events to connected pages', async () => {
    const ws = await connect()
    try {
      const got = new Promise<unknown>((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))))
      harness.core.events.emit('accounts.changed', {})
      expect(await got).toEqual({ event: 'accounts.changed', payload: {} })
    } finally {
      ws.close()
    }
  })

  it('serves files only to its own Host (DNS rebinding)', async () => {
    const port = Number(new URL(harness.origin).port)
    const status = await new Promise<number>((resolve, reject) => {
      // fetch() may not set Host; a raw request can, as a rebinding page's browser would.
      get({ host: '127.0.0.1', port, path: '/', headers: { host: `evil.test:${port}` } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      }).on('error', reject)
    })
    expect(status).toBe(421)
    const traversal = await fetch(`${harness.origin}/..%2f..%2fpackage.json`)
    expect(traversal.status).toBe(404)
  })
})
