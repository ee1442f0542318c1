/**
 * Test helpers for the main-process core: a core on a temp data dir with a known key,
 * an event recorder, and a fetch that counts requests per path (to see refreshes).
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore, type Core, type CoreOptions } from '../../src/main/core'
import { senderPolicy, type SenderInfo } from '../../src/main/ipc/router'
import { nodeSecretBox } from '../../src/main/services/secret-box'
import type { EventName } from '../../src/shared/ipc'

export const APP_ORIGIN = 'http://app.test'
export const TRUSTED: SenderInfo = { url: `${APP_ORIGIN}/index.html`, isMainFrame: true }
export const DEMO = { email: 'admin@demo.test', password: 'demo-password' }
export const OWNER2 = { email: 'owner2@demo.test', password: 'demo-password' }

export type TestCore = Core & {
  dataDir: string
  key: Buffer
  events: Core['events']
  received: { event: EventName; payload: unknown }[]
  call<T = unknown>(channel: string, payload: unknown): Promise<T>
  dispose(): Promise<void>
}

export async function makeCore(opts: Partial<CoreOptions> & { dataDir?: string; key?: Buffer } = {}): Promise<TestCore> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'org-admin-main-')))
  const key = opts.key ?? randomBytes(32)
  const core = await createCore({
    retryLimit: 0,
    backgroundMinIntervalMs: 0,
    backgroundQuietMs: 0,
    ...opts,
    dataDir,
    secretBox: nodeSecretBox(key),
    isTrustedSender: senderPolicy({ origins: [APP_ORIGIN] }),
  })
  const received: TestCore['received'] = []
  core.events.subscribe((event, payload) => received.push({ event, payload }))
  return {
    ...core,
    dataDir,
    key,
    received,
    /** Call through the router and unwrap: throws with the error code on failure. */
    async call<T>(channel: string, payload: unknown): Promise<T> {
      const r = await core.router.handle(channel, payload, TRUSTED)
      if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), { code: r.error.code })
      return r.data as T
    },
    async dispose() {
      await core.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** A fetch that records every request's method and path (and keeps the real behaviour). */
export function countingFetch() {
  const requests: { method: string; path: string; status: number | null }[] = []
  const fetchFn: typeof fetch = async (input, init) => {
    const req = new Request(input, init)
    const entry = { method: req.method, path: new URL(req.url).pathname + new URL(req.url).search, status: null as number | null }
    requests.push(entry)
    const res = await fetch(req)
    entry.status = res.status
    return res
  }
  return {
    fetch: fetchFn,
    requests,
    count: (pathPrefix: string, status?: number) =>
      requests.filter((r) => r.path.startsWith(pathPrefix) && (status === undefined || r.status === status)).length,
  }
}

/** `fetch`, with the answers to GETs under `pathPrefix` held back `ms` (to catch a pull while it runs). */
export function lateReads(fetchFn: typeof fetch, pathPrefix: string, ms: number): typeof fetch {
  return async (input, init) => {
    const req = new Request(input, init)
    const res = await fetchFn(req)
    if (req.method === 'GET' && new URL(req.url).pathname.startsWith(pathPrefix)) await new Promise((r) => setTimeout(r, ms))
    return res
  }
}

/** Every file under `dir` with size and mtime: to prove nothing was written. */
export async function snapshotDir(dir: string): Promise<string[]> {
  const out: string[] = []
  async function walk(d: string) {
    for (const entry of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const full = join(d, entry.name)
      if (entry.isDirectory()) await walk(full)
      else {
        const s = await stat(full)
        out.push(`${full}:${s.size}:${s.mtimeMs}`)
      }
    }
  }
  await walk(dir)
  return out.sort()
}

/** Concatenated raw bytes of every file under `dir`. */
export async function rawBytes(dir: string): Promise<Buffer> {
  const parts: Buffer[] = []
  async function walk(d: string) {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const full = join(d, entry.name)
      if (entry.isDirectory()) await walk(full)
      else parts.push(await readFile(full))
    }
  }
  await walk(dir)
  return Buffer.concat(parts)
}

export function eventsOf<E extends EventName>(core: TestCore, event: E) {
  return core.received.filter((r) => r.event === event).map((r) => r.payload)
}
