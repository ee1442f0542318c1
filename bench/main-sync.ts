/**
 * Main-process sync at scale: an organization of 100 000 members on the embedded server,
 * synced through the real router (ky client, validation, encrypted atomic cache). Prints
 * the first full sync, an incremental sync after a few changes, and cached reads (warm:
 * in memory; cold: a fresh core decrypting and validating the cache file).
 *   npm run bench:main [-- --members 100000]
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createCore } from '../src/main/core'
import { nodeSecretBox } from '../src/main/services/secret-box'
import type { AccountSummary, Cached, MemberWindow } from '../src/shared/ipc'
import { bulkMembers, createOrg, createUser, startServer } from '../src/server/index'
import { routes } from '../src/shared/api'

const { values } = parseArgs({ options: { members: { type: 'string', default: '100000' } } })
const MEMBERS = Number(values.members)
const dir = mkdtempSync(join(tmpdir(), 'org-bench-main-'))
const sender = { url: 'http://bench.test/', isMainFrame: true }
const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(2)} s`

const server = await startServer({ dataDir: join(dir, 'server'), port: 0 })
try {
  const admin = await createUser(server, { email: 'bench@bench.test', displayName: 'Bench Admin', password: 'bench-password' })
  const org = await createOrg(server, { name: 'Bench Org', ownerUserId: admin.id })
  let t = performance.now()
  await bulkMembers(server, { orgId: org.id, count: MEMBERS })
  console.log(`seeded ${MEMBERS} members in ${seconds(t)}`)

  const key = randomBytes(32)
  const open = () =>
    createCore({ dataDir: join(dir, 'app'), secretBox: nodeSecretBox(key), isTrustedSender: () => true, backgroundMinIntervalMs: 60_000 })
  const core = await open()
  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const r = await core.router.handle(channel, payload, sender)
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`)
    return r.data as T
  }
  const account = await call<AccountSummary>('accounts.add', { baseUrl: server.url, email: 'bench@bench.test', password: 'bench-password' })
  const scope = { accountId: account.id, orgId: org.id }

  let pages = 0
  core.events.subscribe((event) => void (event === 'sync.progress' && pages++))
  t = performance.now()
  const first = await call<Cached<MemberWindow>>('members.sync', scope)
  console.log(`first sync: ${first.data.members.length} members, ${pages} pages of 1000, ${seconds(t)}`)
  const cacheFile = core.store.path('cache', account.id, 'org', org.id, 'members.enc')
  console.log(`encrypted cache file: ${(statSync(cacheFile).size / 1024 / 1024).toFixed(1)} MiB`)

  // A few changes on the server, then the incremental pull.
  const login = await fetch(server.url + routes.login(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@bench.test', password: 'bench-password' }),
  })
  const { accessToken } = (await login.json()) as { accessToken: string }
  const victims = first.data.members.filter((m) => m.role === 'member').slice(0, 10)
  for (const [i, m] of victims.entries()) {
    await fetch(server.url + routes.member(org.id, m.userId), {
      method: i % 2 ? 'DELETE' : 'PATCH',
      headers: { authorization: `Bearer ${accessToken}`, ...(i % 2 ? {} : { 'content-type': 'application/json' }) },
      ...(i % 2 ? {} : { body: JSON.stringify({ role: 'billing_admin' }) }),
    })
  }
  t = performance.now()
  const second = await call<Cached<MemberWindow>>('members.sync', scope)
  console.log(`incremental sync: ${second.data.changes.length} changes, ${second.data.members.length} members, ${seconds(t)}`)

  t = performance.now()
  await call('members.list', scope)
  console.log(`members.list warm (in-memory cache, validated reply): ${seconds(t)}`)
  const cold = await open()
  t = performance.now()
  const r = await cold.router.handle('members.list', scope, sender)
  console.log(`members.list cold (decrypt + validate the file): ${seconds(t)} (${r.ok ? 'ok' : r.error.code})`)
} finally {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
}
