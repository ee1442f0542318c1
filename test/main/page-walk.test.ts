/**
 * A page walk asks for the next page as soon as the page before it is in, for the cursor its raw
 * bytes name, before that page is parsed and checked; it uses that request only when the checked
 * page names the same cursor, and never asks beyond the walk's bounds.
 */
import { describe, expect, it } from 'vitest'
import { PageWalk } from '../../src/main/services/page-walk'
import { nextCursorIn } from '../../src/main/services/member-page'

type Page = { n: number; nextCursor: string | null }
const raw = (nextCursor: string | null) => Buffer.from(`{"items":[],"nextCursor":${JSON.stringify(nextCursor)}}`)

/** A server of pages: `pages[cursor]` is the page, `bytes[cursor]` what its body says (defaults to the page). */
function server(pages: Record<string, Page>, bytes: Record<string, Buffer> = {}) {
  const log: string[] = []
  const ask = async (cursor: string | undefined, peek: (body: Buffer) => void) => {
    const at = cursor ?? 'first'
    log.push(`ask ${at}`)
    await new Promise((r) => setTimeout(r, 1))
    const page = pages[at]!
    peek(bytes[at] ?? raw(page.nextCursor))
    log.push(`parsed ${at}`)
    return page
  }
  return { ask, log }
}

async function walkAll(walk: PageWalk, ask: ReturnType<typeof server>['ask'], total?: number) {
  const seen: number[] = []
  for await (const { page, last } of walk.pages(ask, nextCursorIn, () => ({ total, pageSize: 1 }))) seen.push(last ? -page.n : page.n)
  return seen
}

describe('PageWalk.pages', () => {
  it('asks for the next page before the page naming it is parsed', async () => {
    const { ask, log } = server({ first: { n: 1, nextCursor: 'b' }, b: { n: 2, nextCursor: 'c' }, c: { n: 3, nextCursor: null } })
    expect(await walkAll(new PageWalk('test'), ask)).toEqual([1, 2, -3])
    expect(log).toEqual(['ask first', 'ask b', 'parsed first', 'ask c', 'parsed b', 'parsed c'])
  })

  it('asks again when the checked page names another cursor than its bytes seemed to', async () => {
    const { ask, log } = server(
      { first: { n: 1, nextCursor: 'b' }, b: { n: 2, nextCursor: null }, wrong: { n: 9, nextCursor: 'x' }, x: { n: 10, nextCursor: null } },
      { first: raw('wrong') },
    )
    expect(await walkAll(new PageWalk('test'), ask)).toEqual([1, -2])
    // The unused request ends on its own and asks for nothing more.
    await new Promise((r) => setTimeout(r, 20))
    expect(log.filter((l) => l.startsWith('ask'))).toEqual(['ask first', 'ask wrong', 'ask b'])
  })

  it('asks early only within the bounds the walk enforces', async () => {
    const looping = server({ first: { n: 1, nextCursor: 'again' }, again: { n: 2, nextCursor: 'again' } })
    await expect(walkAll(new PageWalk('test'), looping.ask)).rejects.toMatchObject({ code: 'invalid_response' })
    expect(looping.log.filter((l) => l.startsWith('ask'))).toEqual(['ask first', 'ask again'])

    const endless = server(Object.fromEntries(['first', ...'bcdef'].map((c, i) => [c, { n: i, nextCursor: 'bcdefg'[i]! }])))
    // A total of 1 allows 1 page and two more: the fourth is never asked for.
    await expect(walkAll(new PageWalk('test'), endless.ask, 1)).rejects.toMatchObject({ code: 'invalid_response' })
    expect(endless.log.filter((l) => l.startsWith('ask'))).toEqual(['ask first', 'ask b', 'ask c'])
  })
})

describe('nextCursorIn', () => {
  it('reads a plain cursor from the last nextCursor key, and nothing it cannot be sure of', () => {
    expect(nextCursorIn(raw('WyJhQGIiLCIxIl0'))).toBe('WyJhQGIiLCIxIl0')
    expect(nextCursorIn(Buffer.from('{"items":[{"nextCursor":"inner"}],"nextCursor":"outer","total":3}'))).toBe('outer')
    for (const body of [raw(null), raw('has "quote'), raw('é'), raw('x'.repeat(513)), raw(''), Buffer.from('{"items":[]}'), Buffer.from('{"nextCursor":"open')]) {
      expect(nextCursorIn(body)).toBeUndefined()
    }
  })
})
