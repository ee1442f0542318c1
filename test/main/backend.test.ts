/**
 * The embedded server as a backend: in a Node child (what the harness and `npm start` use)
 * and in process (tests) it starts seeded, answers HTTP on loopback, and stops; stopping
 * asks first and kills after the deadline; a taken port falls back to a free one.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inChild, nodeChild, ServerStartError, type ServerHost, type ServerProcess } from '../../src/main/backend'
import { startBackend } from '../../src/main/demo'
import type { FromServer, ToServer } from '../../src/server/child'
import { inProcess } from '../support/backend'

const CHILD = fileURLToPath(new URL('../../src/server/child.ts', import.meta.url))
let dir: string
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'org-backend-'))))
afterAll(() => rm(dir, { recursive: true, force: true }))

const hosts: [string, ServerHost][] = [
  ['a Node child', inChild(nodeChild(CHILD, { execArgv: ['--import', 'tsx'] }))],
  ['this process', inProcess],
]

describe.each(hosts)('the embedded server in %s', (where, host) => {
  it('starts seeded, answers on loopback, and stops', async () => {
    const server = await host({ dataDir: join(dir, where), port: 0 })
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const login = await fetch(`${server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.test', password: 'demo-password' }),
    })
    expect(login.status).toBe(200)
    await server.stop()
    await expect(fetch(`${server.url}/v1/openapi.json`)).rejects.toThrow()
  })
})

/** A server process that does what it is told, or ignores `stop`. */
function fakeProcess(opts: { ignoreStop?: boolean; fail?: FromServer }) {
  const log: string[] = []
  let onMessage: (m: FromServer) => void = () => {}
  let onExit: (code: number | null) => void = () => {}
  const proc: ServerProcess = {
    send(msg: ToServer) {
      log.push(msg.type)
      if (msg.type === 'start') queueMicrotask(() => onMessage(opts.fail ?? { type: 'ready', url: 'http://127.0.0.1:1' }))
      else if (!opts.ignoreStop) queueMicrotask(() => onExit(0))
    },
    onMessage: (cb) => void (onMessage = cb),
    onExit: (cb) => void (onExit = cb),
    kill() {
      log.push('kill')
      onExit(null)
    },
  }
  return { proc, log }
}

describe('stopping and starting a server process', () => {
  it('asks it to stop, and kills it only when it does not within the deadline', async () => {
    const polite = fakeProcess({})
    await (await inChild(() => polite.proc, 50)({ dataDir: dir, port: 0 })).stop()
    expect(polite.log).toEqual(['start', 'stop'])
    const stubborn = fakeProcess({ ignoreStop: true })
    await (await inChild(() => stubborn.proc, 50)({ dataDir: dir, port: 0 })).stop()
    expect(stubborn.log).toEqual(['start', 'stop', 'kill'])
  })

  it('moves to a free port when the demo port is taken', async () => {
    const ports: number[] = []
    const busyOnce: ServerHost = async ({ port }) => {
      ports.push(port)
      if (ports.length === 1) throw new ServerStartError('listen EADDRINUSE', 'EADDRINUSE')
      return { url: 'http://127.0.0.1:2', stop: async () => {} }
    }
    const backend = await startBackend(dir, busyOnce)
    expect(ports).toEqual([ports[0], 0])
    expect(backend).toMatchObject({ url: 'http://127.0.0.1:2', embedded: true })
    const failing = fakeProcess({ fail: { type: 'failed', message: 'disk full' } })
    await expect(inChild(() => failing.proc)({ dataDir: dir, port: 0 })).rejects.toThrow('disk full')
  })
})
