/**
 * Renderer benchmark in Chromium through the loopback harness, with an organization of
 * 100 000 members: org switch → first rows from cache, filter-as-you-type per keystroke,
 * scroll frame times, and the renderer's JS heap. Prints figures; asserts nothing.
 *   npm run bench:ui [-- --members 100000]
 * Type-checked by tsconfig.bench.json, the one project with both Node and DOM types (page.evaluate).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'
import { startHarness } from '../src/main/harness/host'
import { bulkMembers, createOrg, createUser, startServer } from '../src/server/index'
import type { AccountSummary } from '../src/shared/ipc'

const { values } = parseArgs({ options: { members: { type: 'string', default: '100000' } } })
const MEMBERS = Number(values.members)
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN
const ms = (n: number) => `${n.toFixed(1)} ms`

const dir = mkdtempSync(join(tmpdir(), 'org-bench-ui-'))
const server = await startServer({ dataDir: join(dir, 'server'), seed: true })
const harness = await startHarness({ dataDir: join(dir, 'harness'), secretKey: randomBytes(32) })
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
})
try {
  const owner = await createUser(server, { email: 'bench@bench.test', displayName: 'Bench Owner', password: 'bench-password' })
  const small = await createOrg(server, { name: 'Small Org', ownerUserId: owner.id })
  const big = await createOrg(server, { name: 'Big Org', ownerUserId: owner.id })
  await bulkMembers(server, { orgId: big.id, count: MEMBERS })
  const added = await harness.call('accounts.add', { baseUrl: server.url, email: 'bench@bench.test', password: 'bench-password' })
  if (!added.ok) throw new Error(added.error.message)
  const accountId = (added.data as AccountSummary).id
  let t = performance.now()
  const synced = await harness.call('members.sync', { accountId, orgId: big.id })
  if (!synced.ok) throw new Error(synced.error.message)
  console.log(`setup: ${MEMBERS} members synced into the main-process cache in ${((performance.now() - t) / 1000).toFixed(1)} s`)

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  // tsx (esbuild keepNames) wraps named functions in __name(); the page has no such helper.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f' })
  await page.goto(harness.url)
  const orgButton = (name: string) => page.getByRole('navigation', { name: 'Organizations' }).getByRole('button', { name: new RegExp(`^${name}`) })
  const count = page.locator('.member-count')
  const total = (MEMBERS + 1).toLocaleString('en-US')

  // 1. Org switch → first rows, from the cache.
  const switchTimes: string[] = []
  for (const visit of ['first visit', 'second visit']) {
    await orgButton('Small Org').click()
    await count.filter({ hasText: 'of 1 members' }).waitFor()
    t = performance.now()
    await orgButton('Big Org').click()
    await count.filter({ hasText: `of ${total} members` }).waitFor({ timeout: 120_000 })
    await page.getByRole('table', { name: 'Members of Big Org' }).getByRole('row').nth(1).waitFor()
    switchTimes.push(`${visit} ${ms(performance.now() - t)}`)
  }
  void small
  console.log(`\norg switch → first rows from cache: ${switchTimes.join(', ')}`)

  // 2. Filter as you type: keystroke → member count updated and painted.
  const keystrokes = await page.evaluate(async (text) => {
    const input = [...document.querySelectorAll('input')].find((i) => i.closest('label')?.textContent?.includes('Search members'))!
    const countEl = document.querySelector('.member-count')!
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!
    const times: number[] = []
    const steps = [...text].map((_, i) => text.slice(0, i + 1))
    for (const value of [...steps, ...steps.slice(0, -1).reverse(), '']) {
      const before = countEl.textContent
      const t0 = performance.now()
      setValue.call(input, value)
      input.dispatchEvent(new Event('input', { bubbles: true }))
      await new Promise<void>((resolve) => {
        const done = () => (obs.disconnect(), clearTimeout(timer), resolve())
        const obs = new MutationObserver(() => countEl.textContent !== before && done())
        obs.observe(countEl, { childList: true, characterData: true, subtree: true })
        const timer = setTimeout(done, 3000)
      })
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r)))
      times.push(performance.now() - t0)
    }
    return times
  }, '73519')
  console.log(`filter as you type (${keystrokes.length} keystrokes over ${total} rows): p50 ${ms(pct(keystrokes, 50))}  p95 ${ms(pct(keystrokes, 95))}  max ${ms(Math.max(...keystrokes))}`)

  // 3. Scroll: frame-to-frame times while scrolling 600 px per frame for 3 s.
  const frames = await page.evaluate(async () => {
    const scroller = document.querySelector('.vtable-scroll')!
    const deltas: number[] = []
    let last = performance.now()
    const end = last + 3000
    await new Promise<void>((resolve) => {
      const step = (now: number) => {
        deltas.push(now - last)
        last = now
        scroller.scrollTop = (scroller.scrollTop + 600) % (scroller.scrollHeight - scroller.clientHeight)
        if (now < end) requestAnimationFrame(step)
        else resolve()
      }
      requestAnimationFrame(step)
    })
    return deltas.slice(1)
  })
  const over = frames.filter((f) => f > 1000 / 30).length
  console.log(`scroll (${frames.length} frames): frame p50 ${ms(pct(frames, 50))}  p95 ${ms(pct(frames, 95))}  max ${ms(Math.max(...frames))}  (${over} frames over 33 ms)`)

  // 4. Renderer heap after a GC.
  await cdp.send('HeapProfiler.collectGarbage')
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN
  console.log(`renderer JS heap: ${(heap / 1024 / 1024).toFixed(1)} MiB with ${total} members loaded`)
} finally {
  await browser.close()
  await harness.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
}
