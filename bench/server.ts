/**
 * Server benchmark, on the embedded store and on PostgreSQL: an organization of 100 000
 * members served by `src/server/cli.ts serve` in its own process, while this process is the
 * load generator: list-members at a fixed rate, open loop (each request is sent at its due
 * time whether or not earlier ones answered; latency is counted from that due time), half
 * pages at random points of the list and half name searches, measured after a warm-up at the
 * same rate that is shown but not judged, then half pages and half every kind of search; then a
 * full sync page by page at page sizes 1 000 and 30, each walked as the app's sync walks (the
 * next request leaves while a page is parsed).
 * PostgreSQL: a fresh database in DATABASE_URL, or a throwaway cluster started with
 * scripts/ci-postgres.sh when the server binaries are installed.
 * Loopback only, bounded in time.
 *   npm run bench:server [-- --members 100000 --rate 200 --seconds 20 --stores sqlite,postgres]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PerformanceObserver } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { nextCursorIn } from '../src/main/services/member-page'
import { FIRST, LAST } from '../src/server/provision'
import { routes, type MemberPage } from '../src/shared/api'
import { serverNodeOptions } from './serve-child'

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    stores: { type: 'string', default: 'sqlite,postgres' },
  },
})
const MEMBERS = Number(values.members)
const RATE = Number(values.rate)
const SECONDS = Number(values.seconds)
const WARM_SECONDS = 5
/** The second judged run: every kind of search (see KINDS). */
const KIND_SECONDS = 10
const TARGET = { rate: RATE, p99Ms: 20, syncRatio: 10 }

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
const ms = (n: number) => `${n.toFixed(1)} ms`
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL')
const row = (what: string, measured: string, target: string, ok: boolean) =>
  console.log(`  ${what.padEnd(34)} ${measured.padEnd(34)} target ${target.padEnd(16)} ${verdict(ok)}`)

const tsx = (args: string[], env: Record<string, string>, nodeOptions: string[] = []) =>
  spawn(process.execPath, [...nodeOptions, '--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
const cli = (args: string[], env: Record<string, string>, nodeOptions?: string[]) => tsx(['src/server/cli.ts', ...args], env, nodeOptions)

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)))
}

async function seed(env: Record<string, string>): Promise<number> {
  const t = performance.now()
  const code = await exited(cli(['bulk', '--org', 'Bench Org', '--members', String(MEMBERS)], env))
  if (code !== 0) throw new Error(`seeding failed (exit ${code})`)
  return (performance.now() - t) / 1000
}

/** A child process that prints `listening on URL`: its URL, and a stop that waits for it to exit. */
async function listening(child: ChildProcess): Promise<{ url: string; stop(): Promise<void> }> {
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening on (http\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening`)))
  })
  return {
    url,
    async stop() {
      const done = exited(child)
      child.kill('SIGTERM')
      // An overloaded server may still be working through a backlog: give it a deadline.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await done
      clearTimeout(timer)
    },
  }
}

const serve = (env: Record<string, string>) => listening(cli(['serve'], { ...env, PORT: '0' }, serverNodeOptions))

async function run(store: string, env: Record<string, string>): Promise<boolean> {
  console.log(`\n== ${store}: ${MEMBERS} members`)
  const seeded = await seed(env)
  console.log(`  seeded with \`cli.ts bulk\` in ${seeded.toFixed(1)} s`)
  const server = await serve(env)
  try {
    const login = await fetch(server.url + routes.login(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.test', password: 'demo-password' }),
    })
    const { accessToken } = (await login.json()) as { accessToken: string }
    const headers = { authorization: `Bearer ${accessToken}` }
    const orgsRes = (await (await fetch(server.url + routes.orgs(), { headers })).json()) as { items: { id: string; name: string }[] }
    const orgId = orgsRes.items.find((o) => o.name === 'Bench Org')!.id
    // The open loop uses node:http on kept-alive sockets and reads each answer without keeping it
    // (the page's first bytes are checked): fetch's allocations, then joining and decoding every
    // body, gave this load generator GC pauses (5-16 ms, about one a second), each counted as
    // server latency.
    const agent = new http.Agent({ keepAlive: true })
    const PAGE_START = Buffer.from('{"items":[')
    const answered = (query: string) =>
      new Promise<void>((resolve, reject) => {
        const req = http.get(`${server.url}${routes.members(orgId)}?${query}`, { headers, agent, timeout: 10_000 }, (res) => {
          let first: Buffer | undefined
          res.on('data', (part: Buffer) => void (first ??= part))
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`))
            else if (!first?.subarray(0, PAGE_START.length).equals(PAGE_START)) reject(new Error('not a members page'))
            else resolve()
          })
          res.on('error', reject)
        })
        req.on('timeout', () => req.destroy(new Error('timed out (10 s)')))
        req.on('error', reject)
      })
    /** One page's raw bytes, read with fetch as the app's main process reads them (ky). */
    const get = async (base: string, query: string) => {
      const res = await fetch(`${base}${routes.members(orgId)}?${query}`, { headers, signal: AbortSignal.timeout(10_000) })
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`)
      return Buffer.from(await res.arrayBuffer())
    }
    const cursor = (keys: [string, string]) => Buffer.from(JSON.stringify(keys)).toString('base64url')
    /** A point of the list (email order) at random. */
    const anywhere = () => cursor([`user${String(Math.floor(Math.random() * MEMBERS)).padStart(6, '0')}`, ''])
    const randomPage = () => `limit=100&cursor=${anywhere()}`
    // The bulk load stamped its members alike: an incremental sync from before it walks them all.
    const epoch = new Date(0).toISOString()
    const loaded = (await (await fetch(`${server.url}${routes.members(orgId)}?limit=1&cursor=${anywhere()}`, { headers })).json()) as MemberPage
    const loadedAt = loaded.items[0]!.updatedAt
    const q = (term: string) => `limit=100&q=${encodeURIComponent(term)}`
    const wholeName = (i: number) => `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`
    /** Half pages at random points, half searches for a whole name. */
    const nameMix = (i: number) => (i % 2 ? { kind: 'search', query: q(wholeName(i)) } : { kind: 'page', query: randomPage() })
    /**
     * Half pages, half of every kind of list read a person asks for, in turn: from a name's first
     * letters or one name (thousands of matches) to the domain everyone shares, an address, a term
     * found nowhere and the role filter (the one Owner); then, from a random point of their lists,
     * the domain, a first name and the Members role, and a page of an incremental sync after a
     * change to everyone.
     */
    const KINDS: [string, (i: number) => string][] = [
      ['whole name', (i) => q(wholeName(i))],
      ['first name', (i) => q(FIRST[i % FIRST.length]!)],
      ['last name', (i) => q(LAST[i % LAST.length]!.toLowerCase())],
      ['first letters', (i) => q(FIRST[i % FIRST.length]!.slice(0, 1 + (i % 4)))],
      ['domain', () => q('@bulk.test')],
      ['address', (i) => q(`user${String((i * 7919) % MEMBERS).padStart(6, '0')}`)],
      ['no match', (i) => q(['xq', 'zzz', 'nobody'][i % 3]!)],
      ['role filter', (i) => `limit=100&role=${i % 3 ? 'billing_admin' : 'owner'}`],
      ['domain, anywhere', () => `${q('@bulk.test')}&cursor=${anywhere()}`],
      ['first name, anywhere', (i) => `${q(FIRST[i % FIRST.length]!)}&cursor=${anywhere()}`],
      ['role, anywhere', () => `limit=100&role=member&cursor=${anywhere()}`],
      ['sync page', () => `limit=100&since=${epoch}&cursor=${cursor([loadedAt, Math.random().toString(16).slice(2, 10)])}`],
    ]
    const everyKind = (i: number) => {
      if (i % 2 === 0) return { kind: 'page', query: randomPage() }
      const turn = (i - 1) / 2
      const [kind, query] = KINDS[turn % KINDS.length]!
      // Terms by how often the kind came up: its `i` steps by 2 × KINDS.length (24, a multiple of
      // 3), so `i % 3` would pick the same one of three every time.
      return { kind, query: query(Math.floor(turn / KINDS.length)) }
    }
    // Compiled code and the store's caches first: both mixes, one request at a time.
    for (let i = 0; i < 200; i++) await answered(nameMix(i).query)
    for (let i = 0; i < 2 * KINDS.length; i++) await answered(everyKind(i).query)

    /**
     * A mix at RATE for `seconds`, open loop: each request is sent at its due time whether or not
     * earlier ones answered. `record` gets each answer's kind, its latency from that due time or its
     * error, and the second of the run it was due in. Answers the seconds it took.
     */
    const openLoop = async (seconds: number, mix: (i: number) => { kind: string; query: string }, record: (kind: string, result: number | Error, second: number) => void) => {
      const start = performance.now()
      const inflight: Promise<void>[] = []
      for (let i = 0; i < RATE * seconds; i++) {
        const due = start + (i * 1000) / RATE
        const wait = due - performance.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
        const { kind, query } = mix(i)
        const second = Math.floor(i / RATE)
        inflight.push(answered(query).then(() => record(kind, performance.now() - due, second), (err: Error) => record(kind, err, second)))
      }
      await Promise.all(inflight)
      return (performance.now() - start) / 1000
    }
    /** Answers over the target, by second of a run: a tail spread over it, or bunched at its start. */
    const slowSeconds = (late: Map<number, number>) =>
      `answers over ${TARGET.p99Ms} ms by second: ${late.size ? [...late].sort(([a], [b]) => a - b).map(([s, n]) => `${s}s ${n}`).join(', ') : 'none'}`
    const countLate = (late: Map<number, number>, ms: number, second: number) => {
      if (ms >= TARGET.p99Ms) late.set(second, (late.get(second) ?? 0) + 1)
    }

    // Then WARM_SECONDS at the full rate, shown but not judged: the figures below are the steady
    // state. On PostgreSQL the first 1-2 s at this rate after the one-at-a-time warm-up were slow
    // (up to 368 answers over 20 ms; 3-19 since the server warms its connections on real rows),
    // and SQLite's were not.
    const warm: number[] = []
    const warmLate = new Map<number, number>()
    await openLoop(WARM_SECONDS, nameMix, (_kind, result, second) => {
      if (typeof result !== 'number') return
      warm.push(result)
      countLate(warmLate, result, second)
    })
    warm.sort((a, b) => a - b)
    console.log(`  warm-up, ${WARM_SECONDS} s at ${RATE} req/s (not judged): p99 ${ms(pct(warm, 99))}, ${slowSeconds(warmLate)}`)

    /** A judged run of `mix`: throughput, errors and p99 beside their targets, then each kind's figures. */
    const judged = async (title: string, seconds: number, mix: (i: number) => { kind: string; query: string }) => {
      const latencies = new Map<string, number[]>()
      let errors = 0
      const errorKinds = new Map<string, number>()
      const late = new Map<number, number>()
      // The generator's own pauses, printed beside the figures they can inflate.
      const pauses: number[] = []
      const gcWatch = new PerformanceObserver((list) => void pauses.push(...list.getEntries().map((e) => e.duration)))
      gcWatch.observe({ entryTypes: ['gc'] })
      const elapsed = await openLoop(seconds, mix, (kind, result, second) => {
        if (typeof result === 'number') {
          const list = latencies.get(kind) ?? latencies.set(kind, []).get(kind)!
          list.push(result)
          countLate(late, result, second)
          return
        }
        errors++
        const code = (result as NodeJS.ErrnoException).code ?? result.message
        errorKinds.set(code, (errorKinds.get(code) ?? 0) + 1)
      })
      gcWatch.disconnect()
      const all = [...latencies.values()].flat().sort((a, b) => a - b)
      const achieved = all.length / elapsed
      const p99 = pct(all, 99)
      console.log(`  ${title}`)
      row('throughput, errors', `${achieved.toFixed(1)} req/s, ${errors} errors`, `${TARGET.rate} req/s, 0`, achieved >= TARGET.rate * 0.98 && errors === 0)
      row('latency p99 (from due time)', `${ms(p99)} (p50 ${ms(pct(all, 50))})`, `< ${TARGET.p99Ms} ms`, p99 < TARGET.p99Ms)
      if (errors) console.log(`    errors: ${[...errorKinds].map(([k, n]) => `${k} ×${n}`).join(', ')}`)
      for (const [kind, list] of latencies) {
        list.sort((a, b) => a - b)
        console.log(`    ${kind.padEnd(20)} p50 ${ms(pct(list, 50))}  p99 ${ms(pct(list, 99))}  max ${ms(list.at(-1) ?? NaN)}`)
      }
      console.log(`    ${slowSeconds(late)}`)
      const long = pauses.filter((d) => d > 3)
      console.log(`    load generator's own GC: ${long.length} pauses over 3 ms${long.length ? `, longest ${ms(Math.max(...long))}` : ''}`)
      return errors === 0 && achieved >= TARGET.rate * 0.98 && p99 < TARGET.p99Ms
    }
    const namesOk = await judged(`list members, open loop at ${RATE} req/s for ${SECONDS} s (page size 100, half name searches)`, SECONDS, nameMix)
    const kindsOk = await judged(`the same with every kind of search, for ${KIND_SECONDS} s`, KIND_SECONDS, everyKind)

    /**
     * Walks every page of `size` from `base` as the app's sync does (main/services/page-walk.ts):
     * the next request leaves once a page's bytes are in, its cursor read from them by the app's
     * own `nextCursorIn`, while the page is parsed (not PageWalk itself: it stops a walk at 1 000
     * pages, and the page-30 walk has 3 334). With `keep`, records each page's text by URL.
     */
    const sync = async (base: string, size: number, keep?: Record<string, string>) => {
      const t = performance.now()
      const query = (cursor?: string) => `limit=${size}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
      let ahead = { cursor: undefined as string | undefined, body: get(base, query()) }
      let rows = 0
      for (;;) {
        const body = await ahead.body
        const guess = nextCursorIn(body)
        const next = guess ? { cursor: guess, body: get(base, query(guess)) } : undefined
        next?.body.catch(() => undefined) // met at the await when used
        const text = body.toString()
        if (keep) keep[`${routes.members(orgId)}?${query(ahead.cursor)}`] = text
        const page = JSON.parse(text) as { items: unknown[]; nextCursor: string | null }
        rows += page.items.length
        if (!page.nextCursor) return { s: (performance.now() - t) / 1000, rows }
        ahead = next && next.cursor === page.nextCursor ? next : { cursor: page.nextCursor, body: get(base, query(page.nextCursor)) }
      }
    }
    /**
     * Both walks once untimed, then the median of three of each: a process's first 3 334 fetches
     * ran twice as slow as its later ones (one-at-a-time page-30 walks: 1.9-2.3 s, then 1.0-1.1 s),
     * so a cold page-30 walk timed this client's warm-up as if it were the server's cost.
     */
    const bothSizes = async (base: string, keep?: Record<string, string>) => {
      await sync(base, 1000, keep)
      await sync(base, 30, keep)
      const median = async (size: number) => {
        const runs = [await sync(base, size), await sync(base, size), await sync(base, size)].sort((x, y) => x.s - y.s)
        return runs[1]!
      }
      return { big: await median(1000), small: await median(30) }
    }
    // An overloaded server is still answering requests whose clients gave up: let it drain.
    const drainedBy = performance.now() + 120_000
    while (!(await answered('limit=1').then(() => true, () => false)) && performance.now() < drainedBy);
    agent.destroy()
    const pages: Record<string, string> = {}
    const synced = await bothSizes(server.url, pages).catch(() => null)
    const ratio = synced ? synced.small.s / synced.big.s : NaN
    const walks = (w: NonNullable<typeof synced>) => `${w.big.s.toFixed(2)} s vs ${w.small.s.toFixed(2)} s: ${(w.small.s / w.big.s).toFixed(1)}×`
    row(
      'full sync, page 1 000 vs page 30',
      synced ? walks(synced) : 'a page timed out (10 s)',
      `≥ ${TARGET.syncRatio}× faster`,
      !!synced && ratio >= TARGET.syncRatio && synced.big.rows === synced.small.rows,
    )
    if (synced) {
      // The same walks from a server that does no work per request or row: what this client and
      // loopback alone cost, so the ratio above can be read against the most this machine allows.
      const file = join(tmpdir(), `org-bench-pages-${process.pid}.json`)
      writeFileSync(file, JSON.stringify(pages))
      const replay = await listening(tsx(['bench/replay-server.ts', file], {}))
      try {
        const floor = await bothSizes(replay.url)
        console.log(`    the same bytes replayed by a server doing no work: ${walks(floor)}; the real page-1 000 walk takes ${(synced.big.s / floor.big.s).toFixed(2)}× as long`)
      } finally {
        await replay.stop()
        rmSync(file, { force: true })
      }
    }
    return namesOk && kindsOk && ratio >= TARGET.syncRatio
  } finally {
    await server.stop()
  }
}

/** A fresh database in DATABASE_URL's server, or a throwaway cluster; null when neither is possible. */
async function postgres(): Promise<{ url: string; drop(): Promise<void> } | null> {
  let admin = process.env.DATABASE_URL
  let stopCluster = async () => {}
  if (!admin) {
    if (!existsSync('/usr/lib/postgresql')) return null
    const envFile = join(tmpdir(), `org-bench-pg-${process.pid}.env`)
    if (spawnSync('bash', ['scripts/ci-postgres.sh', envFile], { stdio: 'inherit' }).status !== 0) return null
    admin = /DATABASE_URL=(\S+)/.exec(readFileSync(envFile, 'utf8'))![1]!
    stopCluster = async () => {
      spawnSync('bash', ['scripts/ci-postgres.sh', '--stop', envFile], { stdio: 'inherit' })
      rmSync(envFile, { force: true })
    }
  }
  const name = `org_bench_${process.pid}`
  const sql = async (statement: string) => {
    const c = new pg.Client({ connectionString: admin })
    await c.connect()
    await c.query(statement).finally(() => c.end())
  }
  await sql(`CREATE DATABASE ${name}`)
  const url = new URL(admin)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      await sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await stopCluster()
    },
  }
}

console.log(`Server benchmark: ${MEMBERS} members; load from this process, server in a child process (node ${process.version})`)
let pass = true
for (const store of values.stores.split(',')) {
  if (store === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'org-bench-'))
    try {
      pass = (await run('embedded SQLite', { DATA_DIR: dir, DATABASE_URL: '' })) && pass
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  } else if (store === 'postgres') {
    const db = await postgres()
    if (!db) {
      console.log('\n== PostgreSQL: skipped (no DATABASE_URL and no PostgreSQL server binaries)')
      continue
    }
    try {
      pass = (await run('PostgreSQL', { DATABASE_URL: db.url })) && pass
    } finally {
      await db.drop()
    }
  }
}
console.log(`\n${pass ? 'PASS' : 'FAIL'}: every target${pass ? ' met' : ' not met'}`)
process.exitCode = pass ? 0 : 1
