/** The signed-in person's inbox: invitations and suggestions addressed to their verified address. */
import { z } from 'zod'
import { inboxSchema, routes } from '../../shared/api'
import type { Router } from '../http'
import type { Ctx } from '../services/context'
import { acceptMine, declineMine, inbox } from '../services/inbox'
import { requestToJoin } from '../services/join-requests'
import { id, ok, okSchema, org, path } from './params'

const inv = z.object({ invId: id })

export function registerInbox(r: Router, ctx: Ctx): void {
  r.route({
    method: 'GET', url: path(routes.inbox()), tag: 'inbox', summary: 'Pending invitations and suggested organizations for my verified address',
    response: inboxSchema, handler: ({ user }) => inbox(ctx, user.id),
  })
  r.route({
    method: 'POST', url: path(routes.acceptMine(':invId')), tag: 'inbox', summary: 'Accept an invitation addressed to me, without its link',
    params: inv, response: z.object({ orgId: id }),
    handler: ({ user, params }) => acceptMine(ctx, user.id, params.invId),
  })
  r.route({
    method: 'POST', url: path(routes.declineMine(':invId')), tag: 'inbox', summary: 'Decline an invitation addressed to me',
    params: inv, response: okSchema,
    handler: async ({ user, params }) => (await declineMine(ctx, user.id, params.invId), ok),
  })
  r.route({
    method: 'POST', url: path(routes.requestToJoin(':orgId')), tag: 'inbox', status: 201, summary: 'Ask to join a suggested organization',
    params: org, response: okSchema,
    handler: async ({ user, params }) => (await requestToJoin(ctx, user.id, params.orgId), ok),
  })
}
