/**
 * The loopback harness host: the WebSocket refuses callers without the per-run secret or
 * from another Origin; with both, a call round-trips through the real router.
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

const wsUrl = (secret?: string) => `${harness.origin.replace('http', 'ws')}/bridge${secret === undefined ? '' : `?secret=${secret}`}`

/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
function handshake(url: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {})
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('error', () => resolve(0))
  })
}

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(harness.secret), { origin: harness.origin })
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
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
  it('hands the secret to the page in the URL fragment only', () => {
    const url = new URL(harness.url)
    expect(url.hostname).toBe('127.0.0.1')
    expect(url.hash).toBe(`#harness=${harness.secret}`)
    expect(url.search).toBe('')
  })

  it('refuses a connection without the secret, with a wrong one, or from a foreign origin', async () => {
    expect(await handshake(wsUrl(), harness.origin)).toBe(403)
    expect(await handshake(wsUrl('wrong'), harness.origin)).toBe(403)
    expect(await handshake(wsUrl(harness.secret.slice(0, -1) + 'A'), harness.origin)).toBe(403)
    expect(await handshake(wsUrl(harness.secret), 'http://evil.test')).toBe(403)
    expect(await handshake(wsUrl(harness.secret), undefined)).toBe(403)
    expect(await handshake(wsUrl(harness.secret), harness.origin)).toBe(101)
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
