/**
 * Main-process sync at scale: an organization of 100 000 members on the reference server,
 * synced through the real router (ky client, validation, encrypted atomic cache), timed the
 * way the app lives it: the first sync, a sync with nothing new (the list file must stay
 * untouched), a sync after 10 changes, a keystroke's query and a scroll's window in main,
 * and a cold open (a fresh core reading the cache file for the first window).
 * The server runs in a child process, seeded beforehand.
 *   npm run bench:main [-- --members 100000 --runs 3]
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
import { figure, tally } from './report'
import { serveInChild } from './serve-child'

const { values } = parseArgs({ options: { members: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } } })
const MEMBERS = Number(values.members)
const RUNS = Number(values.runs)
const dir = mkdtempSync(join(tmpdir(), 'org-bench-main-'))
const sender = { url: 'http://bench.test/', isMainFrame: true }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
/**
 * Runs `task` RUNS times; the median and every run, so one noisy run on a shared machine shows.
 * A task that returns a number has timed its own part (setup excluded).
 */
async function timed(task: (run: number) => Promise<unknown>): Promise<{ median: number; runs: string }> {
  const times: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const t = performance.now()
    const own = await task(run)
    times.push(typeof own === 'number' ? own : performance.now() - t)
  }
  return { median: median(times), runs: `runs: ${times.map((x) => x.toFixed(0)).join(', ')} ms` }
}

// Seeded here, then served by `cli.ts serve` in its own process, as the app runs its server
// in a utility process: the server's work does not share main's event loop.
const dataDir = join(dir, 'server')
const seeding = await startServer({ dataDir, port: 0 })
const admin = await createUser(seeding, { email: 'bench@bench.test', displayName: 'Bench Admin', password: 'bench-password' })
const org = await createOrg(seeding, { name: 'Bench Org', ownerUserId: admin.id })
let t = performance.now()
await bulkMembers(seeding, { orgId: org.id, count: MEMBERS })
await seeding.close()
console.log(`seeded ${MEMBERS} members in ${((performance.now() - t) / 1000).toFixed(1)} s\n`)
const server = await serveInChild(dataDir)
try {

  const key = randomBytes(32)
  const open = (appDir: string) =>
    createCore({ dataDir: appDir, secretBox: nodeSecretBox(key), isTrustedSender: () => true, backgroundMinIntervalMs: 60_000 })
  const callOn = async <T>(core: Awaited<ReturnType<typeof open>>, channel: string, payload: unknown): Promise<T> => {
    const r = await core.router.handle(channel, payload, sender)
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`)
    return r.data as T
  }

  // 1. First sync into an empty cache (a fresh app dir per run).
  let core = await open(join(dir, 'app-0'))
  let scope = { accountId: '', orgId: org.id }
  const first = await timed(async (run) => {
    if (run > 0) core = await open(join(dir, `app-${run}`))
    const account = await callOn<AccountSummary>(core, 'accounts.add', { baseUrl: server.url, email: 'bench@bench.test', password: 'bench-password' })
    scope = { accountId: account.id, orgId: org.id }
    const w = await callOn<Cached<MemberWindow>>(core, 'members.sync', scope)
    if (w.data.total !== MEMBERS + 1) throw new Error(`synced ${w.data.total} members`)
  })
  figure(`first sync of ${MEMBERS + 1} members into the cache`, first.median, 2000, { note: first.runs })
  const call = <T>(channel: string, payload: unknown) => callOn<T>(core, channel, payload)
  const listFile = core.store.path('cache', scope.accountId, 'org', org.id, 'members.enc')
  console.log(`      encrypted member list: ${(statSync(listFile).size / 1024 / 1024).toFixed(1)} MiB`)

  // 2. Nothing changed on the server: the list file keeps its inode and mtime.
  const before = statSync(listFile)
  const idle = await timed(() => call('members.sync', scope))
  const after = statSync(listFile)
  const untouched = before.ino === after.ino && before.mtimeMs === after.mtimeMs
  figure('incremental sync, nothing changed', idle.median, 100, { note: idle.runs })
  figure('member list files rewritten by those syncs', untouched ? 0 : 1, 1, { unit: 'files', note: 'inode and mtime compared' })

  // 3. Ten changes on the server (role changes and removals), then the incremental pull.
  const login = await fetch(server.url + routes.login(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@bench.test', password: 'bench-password' }),
  })
  const { accessToken } = (await login.json()) as { accessToken: string }
  const plain = (await call<Cached<MemberWindow>>('members.list', { ...scope, role: 'member', limit: 10 * RUNS })).data.members
  const ten = await timed(async (run) => {
    for (const [i, m] of plain.slice(run * 10, run * 10 + 10).entries()) {
      await fetch(server.url + routes.member(org.id, m.userId), {
        method: i % 2 ? 'DELETE' : 'PATCH',
        headers: { authorization: `Bearer ${accessToken}`, ...(i % 2 ? {} : { 'content-type': 'application/json' }) },
        ...(i % 2 ? {} : { body: JSON.stringify({ role: 'billing_admin' }) }),
      })
    }
    const t0 = performance.now()
    const w = await call<Cached<MemberWindow>>('members.sync', scope)
    if (w.data.changeCount !== 10) throw new Error(`expected 10 changes, saw ${w.data.changeCount}`)
    return performance.now() - t0 // the pull only, not the changes that set it up
  })
  figure('incremental sync after 10 changes', ten.median, 500, { note: ten.runs })

  // 4. What a keystroke and a scroll cost in main: a filtered query and a window deep in the list.
  const keystroke = await timed((run) => call('members.list', { ...scope, q: `user0${run}735`, limit: 100 }))
  figure('members.list, search over 100 000 (keystroke share in main)', keystroke.median, 16, { note: keystroke.runs })
  const scroll = await timed((run) => call('members.list', { ...scope, sort: 'email', offset: 50_000 + run * 100, limit: 100 }))
  figure('members.list, window of 100 at row 50 000 (scroll)', scroll.median, 16, { note: scroll.runs })

  // 5. Cold open: a fresh core (app restart) answers the first window from the small side file;
  // then the first search waits for the whole list (decrypted, parsed, indexed).
  let firstSearch = 0
  const cold = await timed(async () => {
    const fresh = await open(core.store.dir)
    const t0 = performance.now()
    const w = await callOn<Cached<MemberWindow>>(fresh, 'members.list', scope)
    const shown = performance.now() - t0
    if (w.source !== 'cache' || w.data.members.length !== 100) throw new Error('cold read did not come from the cache')
    const t1 = performance.now()
    await callOn(fresh, 'members.list', { ...scope, q: 'user0', limit: 100 })
    firstSearch = Math.max(firstSearch, performance.now() - t1)
    await fresh.close() // its background refresh ends before the next restart
    return shown
  })
  figure('cold open: fresh core, first window', cold.median, 500, { note: cold.runs })
  figure('cold open, first search: the whole list decrypted + indexed', firstSearch, 500, { note: 'slowest run' })
  tally()
} finally {
  await server.stop()
  rmSync(dir, { recursive: true, force: true })
}
