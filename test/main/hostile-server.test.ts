/**
 * A hostile server behind an account, through the real core and router: answers that never
 * end, bodies that trickle, page cursors that loop, and redirects that would carry the
 * password or the bearer token elsewhere. Each must end in a clear error code, bounded.
 */
import type { ServerResponse } from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AccountSummary } from '../../src/shared/ipc'
import { json, startHostileServer, type HostileServer } from '../support/hostile'
import { makeCore, type TestCore } from './helpers'

const MB = 1024 * 1024
let hostile: HostileServer
let core: TestCore
let cores: TestCore[] = []

beforeEach(async () => {
  hostile = await startHostileServer()
  core = await newCore()
})
afterEach(async () => {
  await hostile.close()
  for (const c of cores) await c.dispose()
  cores = []
})

async function newCore(opts: Parameters<typeof makeCore>[0] = {}) {
  const c = await makeCore({ timeoutMs: 800, ...opts })
  cores.push(c)
  return c
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'resolved',
    (err: { code?: string }) => err.code ?? String(err),
  )
}

const signIn = (c: TestCore) =>
  c.call<AccountSummary>('accounts.add', { baseUrl: hostile.url, email: 'admin@hostile.test', password: 'secret-password' })

/** Writes `chunk` as fast as the client reads until `limit` bytes or the client hangs up. */
function flood(res: ServerResponse, chunk: Buffer, limit: number, sent: { bytes: number }) {
  let closed = false
  res.on('close', () => (closed = true))
  const push = () => {
    while (!closed && sent.bytes < limit) {
      sent.bytes += chunk.length
      if (!res.write(chunk)) return void res.once('drain', push)
    }
    if (!closed) res.end()
  }
  push()
}

const member = (n: number) => ({
  userId: `m${n}`,
  email: `m${n}@hostile.test`,
  displayName: `Member ${n}`,
  role: 'member',
  joinedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  workspaceCount: 0,
})
const page = (n: number, nextCursor: string | null, total: number, padding = '') =>
  `{"items":[${JSON.stringify(member(n))}],"removed":[],"nextCursor":${JSON.stringify(nextCursor)},"total":${total},"serverTime":"2026-01-01T00:00:00.000Z"${padding}}`

describe('a hostile server', () => {
  it('cannot push a 400 MB answer into main: reading stops at the cap', async () => {
    // A deadline that a busy machine cannot hit while 16 MB arrive: the cap must stop it.
    core = await newCore({ timeoutMs: 20_000 })
    const { id } = await signIn(core)
    const sent = { bytes: 0 }
    hostile.on('GET', '/v1/orgs', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"items":[')
      flood(res, Buffer.alloc(256 * 1024, ' '), 400 * MB, sent)
    })
    expect(await codeOf(core.call('orgs.list', { accountId: id }))).toBe('response_too_large')
    // The cap is 16 MB; socket buffers add a little. Nowhere near 400 MB.
    expect(sent.bytes).toBeLessThan(40 * MB)

    // Announced up front: refused before a byte of the body is read.
    hostile.on('GET', '/v1/orgs', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(400 * MB) })
      res.write('{')
    })
    const started = Date.now()
    expect(await codeOf(core.call('orgs.list', { accountId: id }))).toBe('response_too_large')
    expect(Date.now() - started).toBeLessThan(700)
  })

  it('cannot keep a call pending with a trickling body: the deadline covers the whole body', async () => {
    const { id } = await signIn(core)
    const timers: NodeJS.Timeout[] = []
    hostile.on('GET', '/v1/orgs', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"items":[')
      const t = setInterval(() => res.write(' '), 50)
      timers.push(t)
      res.on('close', () => clearInterval(t))
    })
    const started = Date.now()
    expect(await codeOf(core.call('orgs.list', { accountId: id }))).toBe('timeout')
    const elapsed = Date.now() - started
    for (const t of timers) clearInterval(t)
    expect(elapsed).toBeGreaterThanOrEqual(700)
    expect(elapsed).toBeLessThan(2_500)
    // A server that answers this badly counts as not answering.
    expect((await core.call<AccountSummary[]>('accounts.list', {}))[0]!.online).toBe(false)
  })

  it('cannot loop members.sync with a repeating cursor', async () => {
    const { id } = await signIn(core)
    hostile.on('GET', '/v1/orgs/o1/members', (_req, res) => res.end(page(1, 'again', 5_000)))
    expect(await codeOf(core.call('members.sync', { accountId: id, orgId: 'o1' }))).toBe('invalid_response')
    expect(hostile.requests.filter((r) => r.path === '/v1/orgs/o1/members')).toHaveLength(2)
  })

  it('cannot walk members.sync past what its own total needs', async () => {
    const { id } = await signIn(core)
    let n = 0
    hostile.on('GET', '/v1/orgs/o1/members', (_req, res) => res.end(page(++n, `c${n}`, 1)))
    expect(await codeOf(core.call('members.sync', { accountId: id, orgId: 'o1' }))).toBe('invalid_response')
    // total 1 needs one page; two more are allowed for rows added during the walk.
    expect(n).toBe(3)
  })

  it('cannot exceed the byte budget of one sync with pages that each look fine', async () => {
    const small = await newCore({ maxSyncBytes: 3 * MB })
    const { id } = await signIn(small)
    let n = 0
    const padding = ' '.repeat(MB)
    hostile.on('GET', '/v1/orgs/o1/members', (_req, res) => res.end(page(++n, `c${n}`, 1_000_000, padding)))
    expect(await codeOf(small.call('members.sync', { accountId: id, orgId: 'o1' }))).toBe('response_too_large')
    expect(n).toBeLessThanOrEqual(4)
  })

  it('never sends the password to another origin through a redirect on login', async () => {
    const elsewhere = await startHostileServer()
    try {
      hostile.on('POST', '/v1/auth/login', (_req, res) => res.writeHead(307, { location: `${elsewhere.url}/v1/auth/login` }).end())
      expect(await codeOf(signIn(core))).toBe('redirect_refused')
      expect(hostile.requests.filter((r) => r.path === '/v1/auth/login')).toHaveLength(1)
      expect(elsewhere.requests).toEqual([])
      expect(await core.call('accounts.list', {})).toEqual([])
    } finally {
      await elsewhere.close()
    }
  })

  it('never re-sends the bearer token through a redirect, not even on the same origin', async () => {
    const { id } = await signIn(core)
    hostile.on('GET', '/v1/orgs', (_req, res) => res.writeHead(302, { location: '/v1/collect' }).end())
    hostile.on('GET', '/v1/collect', (_req, res) => json(res, 200, { items: [] }))
    expect(await codeOf(core.call('orgs.list', { accountId: id }))).toBe('redirect_refused')
    expect(hostile.requests.some((r) => r.path === '/v1/collect')).toBe(false)
  })
})
