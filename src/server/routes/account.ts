/** The signed-in person and their address: self sign-up, verification code, verification link. */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { confirmEmailRequestSchema, meSchema, registerRequestSchema, routes, tokenPairSchema, VERIFY_EMAIL_PAGE } from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Router } from '../http'
import type { Ctx } from '../services/context'
import { confirmCode, confirmLink, me, register, resendVerification } from '../services/verification'
import { ok, okSchema, path } from './params'

export function registerAccount(r: Router, ctx: Ctx): void {
  r.route({ method: 'GET', url: path(routes.me()), tag: 'auth', summary: 'The signed-in user and whether the address is verified', response: meSchema, handler: ({ user }) => me(ctx, user.id) })
  r.route({
    method: 'POST', url: path(routes.register()), tag: 'auth', auth: false, rateLimited: true, status: 201,
    summary: 'Sign up: the account starts unverified; a code and a link are emailed to the address',
    body: registerRequestSchema, response: tokenPairSchema,
    handler: ({ body, req }) => register(ctx, body, req.ip),
  })
  r.route({
    method: 'POST', url: path(routes.emailVerification()), tag: 'auth', rateLimited: true, summary: 'Email a new verification code and link (rate-limited)',
    response: okSchema, handler: async ({ user }) => (await resendVerification(ctx, user.id), ok),
  })
  r.route({
    method: 'POST', url: path(routes.confirmEmail()), tag: 'auth', rateLimited: true, summary: 'Verify my address with the emailed code (rate-limited)',
    body: confirmEmailRequestSchema, response: meSchema,
    handler: ({ user, body }) => confirmCode(ctx, user.id, body.code),
  })
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:4rem auto">${body}</body></html>`
const linkToken = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/) })

/**
 * The link in the verification email opens a page with one button; only the button's POST
 * verifies, so mail scanners that prefetch links verify nothing.
 */
export function registerVerifyPage(app: FastifyInstance, ctx: Ctx): void {
  const url = VERIFY_EMAIL_PAGE
  app.get(url, async (req, reply) => {
    const q = linkToken.safeParse(req.query)
    if (!q.success) throw new AppError('validation_failed', 'This verification link is incomplete')
    return reply.type('text/html').send(page('Verify your address', `<h1>Verify your address</h1><form method="post" enctype="text/plain" action="${url}?token=${q.data.token}"><button type="submit">Verify my address</button></form>`))
  })
  app.post(url, async (req, reply) => {
    const q = linkToken.safeParse(req.query)
    if (!q.success) throw new AppError('validation_failed', 'This verification link is incomplete')
    const email = await confirmLink(ctx, q.data.token)
    return reply.type('text/html').send(page('Address verified', `<h1>Address verified</h1><p>${email.replace(/[<>&"]/g, '')} is verified. You can go back to Org Admin.</p>`))
  })
}
