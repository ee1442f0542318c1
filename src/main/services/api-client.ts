/**
 * HTTP client for one backend (and one account's session, when given). ky does timeouts and
 * retries idempotent calls with backoff; a 401 triggers the account's shared refresh and one
 * retry. Every failure leaves here as an AppError with a code the UI can act on, and every
 * response is validated against the shared schema before anyone sees it.
 *
 * The server may be hostile: bodies are size-capped and must arrive within the timeout
 * (response-body.ts), and redirects are never followed, so a password or a bearer token
 * only ever goes to the URL the person entered.
 */
import ky, { HTTPError, TimeoutError, type KyInstance } from 'ky'
import type { z } from 'zod'
import { AppError, errorResponseSchema } from '../../shared/errors'
import { readBody, type ByteBudget } from './response-body'

export type FetchLike = typeof globalThis.fetch

export interface SessionAuth {
  /** The access token to send now (null: no session). */
  accessToken(): string | null
  /** The token is about to expire: refresh before sending rather than after a 401. */
  needsRefresh(): boolean
  /** The account's single in-flight refresh; rejects with AppError('session_expired') when refused. */
  refresh(): Promise<void>
}

export interface ApiClientOptions {
  baseUrl: string
  auth?: SessionAuth
  fetch?: FetchLike
  timeoutMs?: number
  retryLimit?: number
  /** Told after every exchange whether the server answered at all. */
  onConnectivity?: (online: boolean) => void
}

/** What validates an answer: a zod schema, or a faster parser with the same contract (member-page.ts). */
export interface AnswerSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: unknown } }
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete'
type Query = Record<string, string | number | undefined>
type CallContext = { authRetried: boolean }
type CallOptions = { json?: unknown; searchParams?: Query } & ReadOptions

export interface ReadOptions {
  /** The bytes left for a whole walk of pages (one sync). */
  budget?: ByteBudget
  /** Sees the raw answer, once complete, before it is parsed and checked (a walk reads its next cursor early). */
  peek?: (body: Buffer) => void
}

export const DEFAULT_TIMEOUT_MS = 10_000
/** One answer; a 1 000-member page is about 300 KB. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024
/** An error answer is a short message. */
const MAX_ERROR_BYTES = 64 * 1024

export class ApiClient {
  private readonly http: KyInstance

  constructor(private readonly opts: ApiClientOptions) {
    const auth = opts.auth
    const retries = opts.retryLimit ?? 2
    this.http = ky.create({
      prefixUrl: opts.baseUrl,
      timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      // A 3xx comes back as a response (an error below), never followed with our body or token.
      redirect: 'manual',
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      retry: {
        // One more than the backoff retries: the forced resend after a token refresh counts too.
        limit: retries + 1,
        methods: ['get', 'head', 'put', 'delete'],
        statusCodes: [408, 429, 500, 502, 503, 504],
        backoffLimit: 3_000,
        maxRetryAfter: 5_000,
        // Our own errors (a refused refresh) are final; ky would otherwise retry them.
        shouldRetry: ({ error, retryCount }) => (error instanceof AppError || retryCount > retries ? false : undefined),
      },
      hooks: auth
        ? {
            beforeRequest: [
              async (request) => {
                if (auth.needsRefresh()) await auth.refresh()
                const token = auth.accessToken()
                if (!token) throw new AppError('session_expired', 'Sign in again to continue')
                request.headers.set('authorization', `Bearer ${token}`)
              },
            ],
            afterResponse: [
              async (request, options, response) => {
                const context = options.context as CallContext
                if (response.status !== 401 || context.authRetried) return
                context.authRetried = true
                // Another call may have refreshed while this one was in flight: then just resend.
                const used = request.headers.get('authorization')?.replace(/^Bearer /, '')
                if (used === auth.accessToken()) await auth.refresh()
                return ky.retry({ delay: 0, code: 'TOKEN_REFRESHED' })
              },
            ],
          }
        : {},
    })
  }

  get<T>(path: string, schema: AnswerSchema<T>, searchParams?: Query, read?: ReadOptions): Promise<T> {
    return this.call('get', path, schema, { searchParams, ...read })
  }
  post<S extends z.ZodType>(path: string, schema: S, json?: unknown) {
    return this.call('post', path, schema, { json })
  }
  patch<S extends z.ZodType>(path: string, schema: S, json?: unknown) {
    return this.call('patch', path, schema, { json })
  }
  put<S extends z.ZodType>(path: string, schema: S, json?: unknown) {
    return this.call('put', path, schema, { json })
  }
  delete<S extends z.ZodType>(path: string, schema: S, json?: unknown) {
    return this.call('delete', path, schema, { json })
  }

  private async call<T>(method: Method, path: string, schema: AnswerSchema<T>, { json, searchParams, budget, peek }: CallOptions): Promise<T> {
    const what = `${method.toUpperCase()} ${path}`
    let response: Response
    try {
      response = await this.http(path.replace(/^\/+/, ''), {
        method,
        ...(json === undefined ? {} : { json }),
        ...(searchParams ? { searchParams: definedOnly(searchParams) } : {}),
        context: { authRetried: false } satisfies CallContext,
      })
    } catch (err) {
      throw await this.toAppError(err, what)
    }
    this.opts.onConnectivity?.(true)
    let raw: Buffer
    try {
      raw = await readBody(response, { what, deadlineMs: this.deadlineMs(), maxBytes: MAX_RESPONSE_BYTES, budget })
    } catch (err) {
      throw await this.toAppError(err, what)
    }
    peek?.(raw)
    let body: unknown
    try {
      body = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'))
    } catch {
      throw new AppError('invalid_response', `${what}: the server did not answer with JSON`)
    }
    const parsed = schema.safeParse(body)
    if (!parsed.success) {
      throw new AppError('invalid_response', `${what}: the server's answer does not match the contract`, {
        issues: parsed.error.issues,
      })
    }
    return parsed.data
  }

  private deadlineMs(): number {
    return this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  }

  private async toAppError(err: unknown, what: string): Promise<AppError> {
    if (err instanceof AppError) {
      if (err.code === 'offline' || err.code === 'timeout') this.opts.onConnectivity?.(false)
      return err
    }
    if (err instanceof HTTPError) {
      this.opts.onConnectivity?.(true)
      const res = err.response
      if (res.status >= 300 && res.status < 400) {
        void res.body?.cancel().catch(() => undefined)
        const location = res.headers.get('location')?.slice(0, 200) ?? null
        return new AppError(
          'redirect_refused',
          `${what}: the server redirected (${res.status}${location ? ` to ${location}` : ''}); Org Admin does not follow redirects, so use the server's final address`,
          { status: res.status, location },
        )
      }
      const raw = await readBody(res, { what, deadlineMs: this.deadlineMs(), maxBytes: MAX_ERROR_BYTES }).catch(() => Buffer.alloc(0))
      const parsed = errorResponseSchema.safeParse(parseJson(raw.toString('utf8')))
      if (parsed.success) return new AppError(parsed.data.error.code, parsed.data.error.message, parsed.data.error.details)
      return new AppError(res.status >= 500 ? 'internal' : 'bad_request', `The server answered ${res.status} ${res.statusText}`.trim())
    }
    this.opts.onConnectivity?.(false)
    if (err instanceof TimeoutError) {
      return new AppError('timeout', `${this.opts.baseUrl} did not answer in time`)
    }
    return new AppError('offline', `Cannot reach ${this.opts.baseUrl}; check the connection or the server`, {
      cause: err instanceof Error ? err.message : String(err),
    })
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

function definedOnly(query: Query): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const [k, v] of Object.entries(query)) if (v !== undefined) out[k] = v
  return out
}
