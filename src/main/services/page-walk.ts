/**
 * Guards a walk through a server's pages (one members sync): a cursor the server already
 * gave ends it, as does more pages than the listed total can need or than any organization
 * has, and all pages together share one byte budget. A hostile or broken server then costs
 * a clear error, not 2 000 requests and a gigabyte.
 */
import { AppError } from '../../shared/errors'
import { byteBudget, type ByteBudget } from './response-body'

/** 1 000 pages of 1 000: far beyond the 100 000 members an organization may have. */
export const MAX_WALK_PAGES = 1_000
export const MAX_SYNC_BYTES = 256 * 1024 * 1024

export class PageWalk {
  readonly budget: ByteBudget
  private readonly seen = new Set<string>()
  private pageCount = 0
  private maxPages = MAX_WALK_PAGES

  constructor(
    private readonly what: string,
    maxBytes = MAX_SYNC_BYTES,
  ) {
    this.budget = byteBudget(maxBytes)
  }

  /**
   * After each page: `total` (when the server knows it) bounds the pages still to come.
   * Returns the cursor to ask for next, or undefined when the walk is complete.
   */
  next(cursor: string | null, page: { total?: number; pageSize: number }): string | undefined {
    this.pageCount++
    if (page.total !== undefined && this.pageCount === 1) {
      // Rows may join while we walk: allow a couple of pages beyond the listed total.
      this.maxPages = Math.min(MAX_WALK_PAGES, Math.ceil(page.total / page.pageSize) + 2)
    }
    if (cursor === null) return undefined
    if (this.seen.has(cursor)) throw this.broken(`repeated a page cursor after ${this.pageCount} pages`)
    if (this.pageCount >= this.maxPages) throw this.broken(`kept sending pages after ${this.pageCount}`)
    this.seen.add(cursor)
    return cursor
  }

  /**
   * The walk's pages in order, `last` on the final one. Each next request leaves as soon as the
   * page before it is in, before that page is parsed and checked: `guess` reads its cursor from
   * the raw bytes, and the request is used only if the checked page names the same cursor (else
   * it is left to end unused and asked for again). So the server works on the next page while
   * this one is parsed, checked and merged; a request asked for early stays within the walk's
   * bounds, so a hostile server gets no more requests than without it.
   */
  async *pages<P extends { nextCursor: string | null }>(
    ask: (cursor: string | undefined, peek: (body: Buffer) => void) => Promise<P>,
    guess: (body: Buffer) => string | undefined,
    bounds: (page: P) => { total?: number; pageSize: number },
  ): AsyncGenerator<{ page: P; last: boolean }> {
    type Request = { cursor: string | undefined; page: Promise<P>; after?: Request }
    let pending: Request | undefined
    const request = (cursor: string | undefined): Request => {
      const r = { cursor } as Request
      r.page = ask(cursor, (body) => {
        const after = r === pending ? guess(body) : undefined // a request left unused asks for nothing
        if (after !== undefined && this.mayAskFor(after)) r.after = request(after)
      })
      r.page.catch(() => undefined) // met at the await when used
      return r
    }
    pending = request(undefined)
    try {
      for (;;) {
        const page = await pending.page
        const cursor = this.next(page.nextCursor, bounds(page))
        if (cursor === undefined) return yield { page, last: true }
        pending = pending.after?.cursor === cursor ? pending.after : request(cursor)
        yield { page, last: false }
      }
    } finally {
      pending = undefined
    }
  }

  /** Whether the walk could go on to `cursor` once the page being read now is counted. */
  private mayAskFor(cursor: string): boolean {
    return !this.seen.has(cursor) && this.pageCount + 1 < this.maxPages
  }

  private broken(how: string): AppError {
    return new AppError('invalid_response', `${this.what}: the server ${how}; stopped`, { pages: this.pageCount })
  }
}
