/**
 * The router is the trust boundary between renderer and main: foreign senders, unknown
 * channels and malformed payloads must come back as clear error envelopes, never throw,
 * and never touch the data directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNEL_NAMES, channels, ipcResultSchema, type ChannelName } from '../../src/shared/ipc'
import { APP_ORIGIN, makeCore, snapshotDir, TRUSTED, type TestCore } from './helpers'

let core: TestCore
beforeAll(async () => {
  core = await makeCore()
})
afterAll(() => core.dispose())

describe('sender check', () => {
  const foreign = [
    { url: 'http://evil.test/', isMainFrame: true },
    { url: `${APP_ORIGIN}/index.html`, isMainFrame: false }, // an iframe inside our page
    { url: 'file:///tmp/other.html', isMainFrame: true },
    { url: 'not a url', isMainFrame: true },
  ]
  it.each(foreign)('refuses %o', async (sender) => {
    const r = await core.router.handle('accounts.list', {}, sender)
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } })
  })

  it('refuses a missing or malformed sender without throwing', async () => {
    for (const sender of [undefined, null, {}, { url: 42, isMainFrame: true }]) {
      const r = await core.router.handle('accounts.list', {}, sender as never)
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } })
    }
  })

  it('accepts our own window', async () => {
    expect(await core.router.handle('accounts.list', {}, TRUSTED)).toEqual({ ok: true, data: [] })
  })
})

describe('payload validation', () => {
  it('rejects an unknown channel by name', async () => {
    const r = await core.router.handle('accounts.delete', {}, TRUSTED)
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request', message: 'Unknown channel "accounts.delete"' } })
    expect(await core.router.handle('__proto__', {}, TRUSTED)).toMatchObject({ ok: false, error: { code: 'bad_request' } })
  })

  it('explains what is wrong with a payload', async () => {
    const r = await core.router.handle('accounts.add', { baseUrl: 'ftp://x', email: '', password: 'x', extra: 1 }, TRUSTED)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('validation_failed')
    expect(r.error.message).toMatch(/^Invalid request for accounts\.add:/)
    const paths = (r.error.details as { issues: { path: string[] }[] }).issues.map((i) => i.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['baseUrl', 'email']))
    expect(r.error.message).toMatch(/extra/) // the unknown key is named
  })

  it('answers unknown_account for a well-formed call about an account that does not exist', async () => {
    const r = await core.router.handle('orgs.list', { accountId: 'nope' }, TRUSTED)
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown_account' } })
  })
})

describe('fuzz', () => {
  it('survives thousands of random payloads on every channel without writing anything', async () => {
    const before = await snapshotDir(core.dataDir)
    const rand = seeded(0xc0ffee)
    let calls = 0
    for (const channel of [...CHANNEL_NAMES, 'nope', '', 'constructor']) {
      for (let i = 0; i < 110; i++) {
        const payload = randomPayload(rand, channel as ChannelName)
        const r = await core.router.handle(channel, payload, TRUSTED)
        calls++
        expect(ipcResultSchema.safeParse(r).success).toBe(true)
        if (r.ok) {
          // Only calls that need no account and no network can succeed here.
          expect(['accounts.list', 'accounts.suggestServer']).toContain(channel)
          expect(channels[channel as 'accounts.list'].response.safeParse(r.data).success).toBe(true)
        } else {
          expect(['validation_failed', 'bad_request', 'unknown_account', 'offline']).toContain(r.error.code)
          expect(r.error.message.length).toBeGreaterThan(0)
        }
      }
    }
    expect(calls).toBeGreaterThan(3000)
    expect(await snapshotDir(core.dataDir)).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

// ── Random payloads ────────────────────────────────────────────────────
function seeded(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function randomPayload(rand: () => number, channel: ChannelName): unknown {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!
  const str = () =>
    pick([
      '',
      'x',
      'a'.repeat(5000),
      '../../etc/passwd',
      '\u0000\uffff',
      'http://127.0.0.1:1',
      'not-an-email',
      '<script>alert(1)</script>',
      String(rand()),
    ])
  const scalar = () => pick<unknown>([null, true, false, 0, -1, 1e308, NaN, str(), undefined])
  const deep = (depth: number): unknown => (depth === 0 ? scalar() : rand() < 0.5 ? [deep(depth - 1)] : { k: deep(depth - 1) })
  const shape = channels[channel]?.request
  const keys = shape && 'shape' in shape ? Object.keys((shape as unknown as { shape: object }).shape) : ['accountId']
  switch (Math.floor(rand() * 7)) {
    case 0:
      return scalar()
    case 1:
      return deep(50 + Math.floor(rand() * 200))
    case 2:
      return JSON.parse('{"__proto__": {"polluted": true}, "accountId": "a"}')
    case 3: // the right keys with wrong types
      return Object.fromEntries(keys.map((k) => [k, pick<unknown>([scalar(), deep(3), [str()], { $gt: '' }])]))
    case 4: // the right keys, plausible strings, an unknown account
      return Object.fromEntries(keys.map((k) => [k, k === 'accountId' ? 'no-such-account' : str()]))
    case 5:
      return Array.from({ length: Math.floor(rand() * 50) }, () => scalar())
    default:
      return { ...Object.fromEntries(keys.map((k) => [k, str()])), extra: scalar() }
  }
}
