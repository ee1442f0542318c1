/** Sign-in, access token expiry, refresh rotation with reuse detection, logout, rate limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routes } from '../../src/shared/api'
import { REFRESH_GRACE_MS } from '../../src/server/services/auth'
import { startTestServer, type TestServer } from '../support/server'
import { client } from './client'

let server: TestServer
let api: ReturnType<typeof client>
beforeAll(async () => {
  server = await startTestServer({ seed: true, rateLimit: { maxFailuresPerAccount: 3, maxAttemptsPerIp: 1000 } })
  api = client(server)
})
afterAll(() => server.close())

describe('sessions', () => {
  it('signs in with the right password only', async () => {
    const ok = await api.call('POST', routes.login(), { body: { email: 'Admin@Demo.test', password: 'demo-password' } })
    expect(ok.status).toBe(200)
    expect(ok.body.user.email).toBe('admin@demo.test')
    const me = await api.call('GET', routes.me(), { token: ok.body.accessToken })
    expect(me.body).toMatchObject({ email: 'admin@demo.test', displayName: 'Dana Admin' })

    const bad = await api.call('POST', routes.login(), { body: { email: 'owner2@demo.test', password: 'nope' } })
    expect(bad.status).toBe(401)
    expect(bad.body.error.code).toBe('invalid_credentials')
    expect((await api.call('GET', routes.me())).status).toBe(401)
  })

  it('stops accepting an access token once it expires', async () => {
    const { accessToken, accessTokenExpiresAt } = await api.login('owner2@demo.test')
    expect(new Date(accessTokenExpiresAt).getTime() - server.clock.now().getTime()).toBe(15 * 60_000)
    server.clock.advance(15 * 60_000 - 1000)
    expect((await api.call('GET', routes.me(), { token: accessToken })).status).toBe(200)
    server.clock.advance(2000)
    const expired = await api.call('GET', routes.me(), { token: accessToken })
    expect(expired.status).toBe(401)
    expect(expired.body.error.code).toBe('unauthorized')
  })

  it('rotates refresh tokens, and a reused one ends the whole family', async () => {
    const first = await api.login('owner2@demo.test')
    const second = await api.call('POST', routes.refresh(), { body: { refreshToken: first.refreshToken } })
    expect(second.status).toBe(200)
    expect(second.body.refreshToken).not.toBe(first.refreshToken)
    expect((await api.call('GET', routes.me(), { token: second.body.accessToken })).status).toBe(200)

    // Past the grace window for a client that crashed before saving the new pair.
    server.clock.advance(REFRESH_GRACE_MS + 1)
    const reused = await api.call('POST', routes.refresh(), { body: { refreshToken: first.refreshToken } })
    expect(reused.status).toBe(401)
    expect(reused.body.error.code).toBe('token_reused')
    // The legitimate newer tokens of that family are gone too.
    expect((await api.call('POST', routes.refresh(), { body: { refreshToken: second.body.refreshToken } })).status).toBe(401)
    expect((await api.call('GET', routes.me(), { token: second.body.accessToken })).status).toBe(401)
    // Another session of the same user is untouched.
    const other = await api.login('owner2@demo.test')
    expect((await api.call('GET', routes.me(), { token: other.accessToken })).status).toBe(200)
  })

  it("gives a token replaced moments ago its unused successor's rotation, once", async () => {
    const first = await api.login('owner2@demo.test')
    // The server rotated, but the client never stored `lost` (it crashed).
    const lost = await api.call('POST', routes.refresh(), { body: { refreshToken: first.refreshToken } })
    server.clock.advance(REFRESH_GRACE_MS - 1_000)
    const again = await api.call('POST', routes.refresh(), { body: { refreshToken: first.refreshToken } })
    expect(again.status).toBe(200)
    expect(again.body.refreshToken).not.toBe(lost.body.refreshToken)
    // The successor it stood in for is spent; the new pair carries the session on.
    const next = await api.call('POST', routes.refresh(), { body: { refreshToken: again.body.refreshToken } })
    expect(next.status).toBe(200)
    // Presenting the old token a second time is a reuse after all: the family ends.
    const replay = await api.call('POST', routes.refresh(), { body: { refreshToken: first.refreshToken } })
    expect(replay.body.error.code).toBe('token_reused')
    expect((await api.call('GET', routes.me(), { token: next.body.accessToken })).status).toBe(401)
  })

  it('revokes within the grace window when the successor was already used', async () => {
    const first = await api.login('owner2@demo.test')
    const second = await api.call('POST', routes.refresh(), { body: { refreshToken: first.refreshToken } })
    const third = await api.call('POST', routes.refresh(), { body: { refreshToken: second.body.refreshToken } })
    expect(third.status).toBe(200)
    const reused = await api.call('POST', routes.refresh(), { body: { refreshToken: first.refreshToken } })
    expect(reused.status).toBe(401)
    expect(reused.body.error.code).toBe('token_reused')
    expect((await api.call('GET', routes.me(), { token: third.body.accessToken })).status).toBe(401)
  })

  it('logout revokes the access and refresh tokens of that session', async () => {
    const s = await api.login('owner2@demo.test')
    expect((await api.call('POST', routes.logout(), { token: s.accessToken })).status).toBe(204)
    expect((await api.call('GET', routes.me(), { token: s.accessToken })).status).toBe(401)
    expect((await api.call('POST', routes.refresh(), { body: { refreshToken: s.refreshToken } })).status).toBe(401)
  })

  it('limits failed sign-ins per account, with a retry time, and lets the window pass', async () => {
    const attempt = (password: string) => api.call('POST', routes.login(), { body: { email: 'limited@demo.test', password } })
    for (let i = 0; i < 3; i++) expect((await attempt('wrong')).status).toBe(401)
    const limited = await attempt('wrong')
    expect(limited.status).toBe(429)
    expect(limited.body.error.code).toBe('rate_limited')
    // The clock stands still here: the whole 15-minute window is left, and 5 minutes later 10.
    expect(limited.body.error.details.retryAfterSeconds).toBe(15 * 60)
    server.clock.advance(5 * 60_000)
    expect((await attempt('wrong')).body.error.details.retryAfterSeconds).toBe(10 * 60)
    // Other accounts are not affected by this account's failures.
    expect((await api.call('POST', routes.login(), { body: { email: 'admin@demo.test', password: 'demo-password' } })).status).toBe(200)
    server.clock.advance(10 * 60_000 + 1000)
    expect((await attempt('wrong')).status).toBe(401)
  })
})

describe('the failure counter', () => {
  it('is reset by a successful sign-in', async () => {
    const attempt = (password: string) => api.call('POST', routes.login(), { body: { email: 'owner2@demo.test', password } })
    for (let i = 0; i < 2; i++) expect((await attempt('wrong')).body.error.code).toBe('invalid_credentials')
    expect((await attempt('demo-password')).status).toBe(200)
    // Three more failures fit the budget of 3 again; only the fourth is refused.
    for (let i = 0; i < 3; i++) expect((await attempt('wrong')).body.error.code).toBe('invalid_credentials')
    expect((await attempt('wrong')).body.error.code).toBe('rate_limited')
    server.clock.advance(15 * 60_000 + 1000)
  })
})

describe('a refresh racing a sign-out', () => {
  it('never yields a working session once signed out', async () => {
    for (let round = 0; round < 5; round++) {
      const s = await api.login('admin@demo.test')
      const [refreshed] = await Promise.all([
        api.call('POST', routes.refresh(), { body: { refreshToken: s.refreshToken } }),
        api.call('POST', routes.logout(), { token: s.accessToken }),
      ])
      if (refreshed.status === 200) {
        expect((await api.call('GET', routes.me(), { token: refreshed.body.accessToken })).body.error.code).toBe('unauthorized')
        expect((await api.call('POST', routes.refresh(), { body: { refreshToken: refreshed.body.refreshToken } })).status).toBe(401)
      } else {
        expect(refreshed.body.error.code).toBe('unauthorized')
      }
    }
  })
})

describe('rate limit per IP', () => {
  it('caps sign-in attempts from one address across accounts', async () => {
    const s = await startTestServer({ rateLimit: { maxAttemptsPerIp: 4 } })
    try {
      const a = client(s)
      for (let i = 0; i < 4; i++) expect((await a.call('POST', routes.login(), { body: { email: `u${i}@x.test`, password: 'x' } })).status).toBe(401)
      const r = await a.call('POST', routes.login(), { body: { email: 'fresh@x.test', password: 'x' } })
      expect(r.status).toBe(429)
      expect(r.body.error.details.scope).toBe('ip')
    } finally {
      await s.close()
    }
  })
})
