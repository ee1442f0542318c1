/**
 * A thin layer over Fastify: each route declares its zod schemas once; they validate the
 * request, type the handler, and feed the OpenAPI document. Errors leave in one shape.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { isApiKeyToken, type User } from '../shared/api'
import { AppError, HTTP_STATUS } from '../shared/errors'
import { fromDatabaseError } from './db/errors'
import { withKnownAccess } from './services/access'
import { authenticate, authenticateIn } from './services/auth'
import type { Ctx } from './services/context'

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
type Schema = z.ZodType
type Out<S> = S extends z.ZodType ? z.output<S> : undefined

export interface RouteSpec<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined> {
  method: Method
  url: string
  summary: string
  tag: string
  /** false: public route (login, refresh, invitation preview/accept). */
  auth?: boolean
  /**
   * Whether an API key may call it. Default: yes for routes under an organization, no elsewhere
   * (account, inbox, sign-out are about a person). Set false for organization routes a key must
   * not reach (minting keys), true for the few others it may (its own description, GET /v1/orgs).
   */
  apiKeys?: boolean
  /** Counts attempts in `rate_limits` (LoginLimiter, services/rate-limit.ts) and may answer 429. */
  rateLimited?: boolean
  params?: P
  query?: Q
  body?: B
  response?: Schema
  status?: number
  handler(input: { user: User; params: Out<P>; query: Out<Q>; body: Out<B>; req: FastifyRequest; reply: FastifyReply }): Promise<unknown>
}

export type RegisteredRoute = RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined>

/** C0 and C1 controls (NUL included) and lone surrogates: no text the API takes may hold them. */
const FORBIDDEN_CHARS = /[\u0000-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** One guard for every route and every field, before sign-in, any schema or any query sees the input. */
function refuseControlChars(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (FORBIDDEN_CHARS.test(value)) {
      throw new AppError('validation_failed', `Control characters are not allowed (${path})`, { path })
    }
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      refuseControlChars(key, path)
      refuseControlChars(v, `${path}.${key}`)
    }
  }
}

function parse<S extends Schema | undefined>(schema: S, value: unknown, where: string): Out<S> {
  if (!schema) return undefined as Out<S>
  const r = schema.safeParse(value)
  if (!r.success) {
    const first = r.error.issues[0]
    const path = first?.path.length ? ` (${where}.${first.path.join('.')})` : ` (${where})`
    throw new AppError('validation_failed', `${first?.message ?? 'Invalid request'}${path}`, { issues: r.error.issues })
  }
  return r.data as Out<S>
}

export class Router {
  readonly routes: RegisteredRoute[] = []
  constructor(
    private readonly app: FastifyInstance,
    private readonly ctx: Ctx,
  ) {}

  route<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined>(spec: RouteSpec<P, Q, B>): void {
    this.routes.push(spec as unknown as RegisteredRoute)
    this.app.route({
      method: spec.method,
      url: spec.url,
      handler: async (req, reply) => {
        // Before sign-in too: the sign-in check already reads the organization id from the URL.
        for (const where of ['params', 'query', 'body'] as const) refuseControlChars(req[where], where)
        if (spec.auth === false) return this.run(spec, undefined as unknown as User, req, reply)
        const orgId = (req.params as { orgId?: unknown }).orgId
        const token = bearer(req)
        if (isApiKeyToken(token) && !(spec.apiKeys ?? typeof orgId === 'string')) {
          throw new AppError('api_key_not_allowed', 'API keys cannot make this call: it needs a person signed in')
        }
        if (typeof orgId !== 'string') return this.run(spec, await authenticate(this.ctx, token), req, reply)
        const { user, access } = await authenticateIn(this.ctx, token, orgId)
        return withKnownAccess(access, () => this.run(spec, user, req, reply))
      },
    })
  }

  private async run(spec: RegisteredRoute, user: User, req: FastifyRequest, reply: FastifyReply) {
    const result = await spec.handler({
      user,
      params: parse(spec.params, req.params, 'params'),
      query: parse(spec.query, req.query, 'query'),
      body: parse(spec.body, req.body ?? {}, 'body'),
      req,
      reply,
    })
    if (reply.sent) return reply
    if (result === undefined) return reply.code(spec.status ?? 204).send()
    return reply.code(spec.status ?? 200).send(result)
  }
}

function bearer(req: FastifyRequest): string {
  const header = req.headers.authorization ?? ''
  const m = /^Bearer ([A-Za-z0-9_-]{16,256})$/.exec(header)
  if (!m) throw new AppError('unauthorized', 'Sign in first: this call needs a Bearer access token')
  return m[1]!
}

/** Maps every failure to `{ error: { code, message, details? } }` with the right status. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const known = err instanceof AppError ? err : fromDatabaseError(err)
    if (known) return reply.code(HTTP_STATUS[known.code]).send({ error: known.toJSON() })
    const fe = err as FastifyError
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: { code: 'payload_too_large', message: 'The request body is too large' } })
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(400).send({ error: { code: 'bad_request', message: fe.message } })
    }
    req.log.error(err)
    return reply.code(500).send({ error: { code: 'internal', message: 'Something went wrong on the server' } })
  })
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}` } }),
  )
}
