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
  private pages = 0
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
    this.pages++
    if (page.total !== undefined && this.pages === 1) {
      // Rows may join while we walk: allow a couple of pages beyond the listed total.
      this.maxPages = Math.min(MAX_WALK_PAGES, Math.ceil(page.total / page.pageSize) + 2)
    }
    if (cursor === null) return undefined
    if (this.seen.has(cursor)) throw this.broken(`repeated a page cursor after ${this.pages} pages`)
    if (this.pages >= this.maxPages) throw this.broken(`kept sending pages after ${this.pages}`)
    this.seen.add(cursor)
    return cursor
  }

  private broken(how: string): AppError {
    return new AppError('invalid_response', `${this.what}: the server ${how}; stopped`, { pages: this.pages })
  }
}
