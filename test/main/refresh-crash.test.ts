/**
 * A crash between the server rotating the refresh token and the app saving the new pair:
 * the child process is killed exactly there (not after a sleep). At the next start the
 * stored, just-replaced token must still carry the session (the server's grace window);
 * the same token presented after the window is a reuse and ends the session.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { REFRESH_GRACE_MS } from '../../src/server/services/auth'
import type { AccountSummary } from '../../src/shared/ipc'
import { startTestServer, type TestServer } from '../support/server'
import { DEMO, makeCore, type TestCore } from './helpers'

let server: TestServer
const cores: TestCore[] = []
beforeAll(async () => {
  server = await startTestServer({ seed: true })
})
afterAll(async () => {
  for (const c of cores) await c.dispose()
  await server.close()
})

const storedRefreshToken = async (core: TestCore) =>
  (await core.store.read(['accounts.json.enc'], z.object({ accounts: z.array(z.object({ tokens: z.object({ refreshToken: z.string() }) })) })))
    ?.accounts[0]?.tokens.refreshToken

/** Signs in, then lets a child process die mid-refresh on the same data; returns the next start's core. */
async function crashDuringRefresh(): Promise<{ core: TestCore; account: AccountSummary; before: string }> {
  const first = await makeCore()
  cores.push(first)
  const account = await first.call<AccountSummary>('accounts.add', { baseUrl: server.url, ...DEMO })
  const before = (await storedRefreshToken(first))!

  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/refresh-crasher.ts'), first.dataDir, first.key.toString('hex')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)))
  expect({ signal, err }).toEqual({ signal: 'SIGKILL', err: '' })
  expect(out).toBe('rotated 200\n')

  const core = await makeCore({ dataDir: first.dataDir, key: first.key })
  // The new pair was lost with the process: only the replaced token is on disk.
  expect(await storedRefreshToken(core)).toBe(before)
  return { core, account, before }
}

describe('a crash between rotation and save', () => {
  it('does not end the session at the next start', async () => {
    const { core, account, before } = await crashDuringRefresh()
    await core.accounts.refresh(account.id)
    expect(core.accounts.get(account.id)).toMatchObject({ status: 'signed_in', state: 'signed_in' })
    expect(await storedRefreshToken(core)).not.toBe(before)
    expect((await core.call<{ data: unknown[] }>('orgs.list', { accountId: account.id })).data.length).toBeGreaterThan(0)
  })

  it('still ends the session when the replaced token comes back after the grace window', async () => {
    const { core, account } = await crashDuringRefresh()
    server.clock.advance(REFRESH_GRACE_MS + 1_000)
    const err = await core.accounts.refresh(account.id).catch((e: unknown) => e as { code: string; details: unknown })
    expect(err).toMatchObject({ code: 'session_expired', details: { reason: 'token_reused' } })
    expect(core.accounts.get(account.id).state).toBe('expired')
  })
})
