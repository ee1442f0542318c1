/** Builds the Fastify application over an open database. */
import Fastify, { type FastifyInstance } from 'fastify'
import { routes } from '../shared/api'
import { installErrorHandling, Router } from './http'
import { openApiDocument } from './openapi'
import { registerRoutes } from './routes'
import { registerVerifyPage } from './routes/account'
import { LoginLimiter } from './services/auth'
import type { Ctx } from './services/context'

export const BODY_LIMIT_BYTES = 256 * 1024

export function buildApp(ctx: Ctx, opts: { logger?: boolean } = {}): FastifyInstance {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: BODY_LIMIT_BYTES, trustProxy: false })
  installErrorHandling(app)
  const router = new Router(app, ctx)
  registerRoutes(router, ctx, new LoginLimiter(ctx))
  registerVerifyPage(app, ctx)
  const doc = openApiDocument(router.routes)
  app.get(routes.openapi(), async () => doc)
  return app
}
