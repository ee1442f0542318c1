/**
 * Reading a server's answer without trusting it: at most `maxBytes` (a 400 MB answer is cut
 * off, not buffered) and within `deadlineMs` for the whole body (a trickling body fails like
 * a silent server, not only a late header). Either way the body is cancelled, which closes
 * the connection.
 */
import { AppError } from '../../shared/errors'

/** Bytes a series of calls (one sync) may still read; shared and decremented by each read. */
export type ByteBudget = { left: number; limit: number }

export interface BodyLimits {
  maxBytes: number
  deadlineMs: number
  budget?: ByteBudget
  /** For messages: "GET /v1/orgs". */
  what: string
}

export async function readBody(response: Response, limits: BodyLimits): Promise<Buffer> {
  const { budget } = limits
  const cap = budget ? Math.min(limits.maxBytes, budget.left) : limits.maxBytes
  const tooLarge = () => {
    const overBudget = budget !== undefined && budget.left < limits.maxBytes
    return new AppError(
      'response_too_large',
      overBudget
        ? `${limits.what}: the server sent more than ${mb(budget.limit)} in one sync; stopped reading`
        : `${limits.what}: the answer is larger than ${mb(limits.maxBytes)}; stopped reading`,
      { limitBytes: overBudget ? budget.limit : limits.maxBytes },
    )
  }
  const declared = Number(response.headers.get('content-length'))
  if (declared > cap) {
    void response.body?.cancel().catch(() => undefined)
    throw tooLarge()
  }
  if (!response.body) return Buffer.alloc(0)

  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new AppError('timeout', `${limits.what}: the answer did not arrive completely within ${limits.deadlineMs / 1000} s`))
    }, limits.deadlineMs)
  })
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline])
      if (done) break
      size += value.byteLength
      if (size > cap) throw tooLarge()
      chunks.push(value)
    }
  } catch (err) {
    void reader.cancel().catch(() => undefined)
    throw err
  } finally {
    clearTimeout(timer)
  }
  if (budget) budget.left -= size
  return Buffer.concat(chunks)
}

export function byteBudget(limit: number): ByteBudget {
  return { left: limit, limit }
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`
}
