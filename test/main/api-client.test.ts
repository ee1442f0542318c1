/**
 * The HTTP client's failure modes, each turned into a code the UI can act on: the server's
 * own errors, unreachable and silent hosts, answers outside the contract; retries only for
 * idempotent calls.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { memberPageSchema, orgListSchema, routes, tokenPairSchema } from '../../src/shared/api'
import { AppError } from '../../src/shared/errors'
import { ApiClient } from '../../src/main/services/api-client'
import { startTestServer } from '../support/server'
import { countingFetch, DEMO } from './helpers'

let server: Awaited<ReturnType<typeof startTestServer>>
let token: string
beforeAll(async () => {
  server = await startTestServer({ seed: true })
  token = (await new ApiClient({ baseUrl: server.url }).post(routes.login(), tokenPairSchema, DEMO)).accessToken
})
afterAll(() => server.close())

const authed = (baseUrl: string, extra: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}) =>
  new ApiClient({ baseUrl, auth: { accessToken: () => token, needsRefresh: () => false, refresh: async () => {} }, ...extra })

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'resolved'
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    return (err as AppError).code
  }
}

/** A port where nothing listens (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const port = (s.address() as { port: number }).port
  await new Promise((r) => s.close(r))
  return port
}

describe('ApiClient', () => {
  it("passes the server's error code and message through", async () => {
    const err = await authed(server.url)
      .get(routes.org('no-such-org'), z.unknown())
      .catch((e: unknown) => e as AppError)
    expect(err).toMatchObject({ code: 'not_found' })
    expect((err as AppError).message.length).toBeGreaterThan(0)
  })

  it('refuses an answer that does not match the contract', async () => {
    const err = await authed(server.url)
      .get(routes.orgs(), memberPageSchema)
      .catch((e: unknown) => e as AppError)
    expect(err).toMatchObject({ code: 'invalid_response' })
    expect((err as AppError).details).toHaveProperty('issues')
    // The same call with the right schema is fine.
    expect((await authed(server.url).get(routes.orgs(), orgListSchema)).items.length).toBeGreaterThan(0)
  })

  it('reports an unreachable host as offline, retrying reads but never a POST', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}`
    const http = countingFetch()
    const seen: boolean[] = []
    const client = authed(baseUrl, { fetch: http.fetch, retryLimit: 2, onConnectivity: (online) => seen.push(online) })
    expect(await codeOf(client.get(routes.orgs(), orgListSchema))).toBe('offline')
    expect(http.requests.filter((r) => r.method === 'GET')).toHaveLength(3)
    expect(await codeOf(client.post(routes.leave('x'), z.unknown()))).toBe('offline')
    expect(http.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
    expect(seen).toEqual([false, false])
  })

  it('gives up on a host that accepts but never answers with a timeout', async () => {
    const sockets: Socket[] = []
    const silent: Server = createServer((s) => void sockets.push(s))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()))
    try {
      const baseUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`
      expect(await codeOf(authed(baseUrl, { timeoutMs: 300, retryLimit: 0 }).get(routes.orgs(), orgListSchema))).toBe('timeout')
    } finally {
      for (const s of sockets) s.destroy()
      await new Promise((r) => silent.close(r))
    }
  })
})
