/**
 * Server benchmark on the embedded database: an organization of 100 000 members,
 * list-members at a fixed request rate (open loop, so latency includes queueing),
 * then a full-list sync at page sizes 30 and 1 000. Loopback only, bounded in time.
 *   npm run bench:server [-- --members 100000 --rate 50 --seconds 20]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { memberPageSchema, routes } from '../src/shared/api'
import { bulkMembers, createOrg, createUser, startServer } from '../src/server/index'
import { FIRST, LAST } from '../src/server/provision'

const { values } = parseArgs({
  options: { members: { type: 'string', default: '100000' }, rate: { type: 'string', default: '20' }, seconds: { type: 'string', default: '20' } },
})
const MEMBERS = Number(values.members)
const RATE = Number(values.rate)
const SECONDS = Number(values.seconds)

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
const ms = (n: number) => `${n.toFixed(1)} ms`

const dir = mkdtempSync(join(tmpdir(), 'org-bench-'))
const server = await startServer({ dataDir: dir, port: 0 })
try {
  const admin = await createUser(server, { email: 'bench@bench.test', displayName: 'Bench Admin', password: 'bench-password' })
  const org = await createOrg(server, { name: 'Bench Org', ownerUserId: admin.id })
  let t = performance.now()
  await bulkMembers(server, { orgId: org.id, count: MEMBERS })
  console.log(`seeded ${MEMBERS} members in ${((performance.now() - t) / 1000).toFixed(1)} s`)

  const login = await fetch(server.url + routes.login(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@bench.test', password: 'bench-password' }),
  })
  const { accessToken } = (await login.json()) as { accessToken: string }
  const get = async (query: string) => {
    const res = await fetch(`${server.url}${routes.members(org.id)}?${query}`, { headers: { authorization: `Bearer ${accessToken}` } })
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    return memberPageSchema.parse(await res.json())
  }

  // 1. Fixed-rate list-members (page size 100 at random offsets via search prefixes).
  const latencies = { page: [] as number[], search: [] as number[] }
  let errors = 0
  const total = RATE * SECONDS
  const start = performance.now()
  const inflight: Promise<void>[] = []
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    const kind = i % 2 === 0 ? 'page' : 'search'
    // Plain pages start at random points of the list; searches look for a first + last name.
    const query =
      kind === 'page'
        ? `limit=100&cursor=${Buffer.from(JSON.stringify([`user${String(Math.floor(Math.random() * MEMBERS)).padStart(6, '0')}`, ''])).toString('base64url')}`
        : `limit=100&q=${encodeURIComponent(`${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`)}`
    inflight.push(
      get(query).then(
        () => void latencies[kind].push(performance.now() - due),
        () => void errors++,
      ),
    )
  }
  await Promise.all(inflight)
  const elapsed = (performance.now() - start) / 1000
  const done = latencies.page.length + latencies.search.length
  console.log(`\nlist members at a fixed ${RATE} req/s for ${SECONDS} s (page size 100; every other request a name search)`)
  console.log(`  requests ${total}, errors ${errors}, throughput ${(done / elapsed).toFixed(1)} req/s`)
  for (const [kind, list] of Object.entries(latencies)) {
    list.sort((a, b) => a - b)
    console.log(`  ${kind.padEnd(6)} latency p50 ${ms(pct(list, 50))}  p99 ${ms(pct(list, 99))}  max ${ms(list.at(-1) ?? NaN)}`)
  }

  // 2. Full-list sync, page by page.
  console.log('\nfull-list sync')
  for (const size of [1000, 30]) {
    t = performance.now()
    let cursor: string | null = null
    let rows = 0
    let pages = 0
    do {
      const page = await get(`limit=${size}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      rows += page.items.length
      pages++
      cursor = page.nextCursor
    } while (cursor)
    const s = (performance.now() - t) / 1000
    console.log(`  page size ${String(size).padStart(4)}: ${rows} rows in ${pages} pages, ${s.toFixed(1)} s, ${Math.round(rows / s)} rows/s`)
  }
} finally {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
}
