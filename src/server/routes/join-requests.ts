/** Requests to join (automatic suggestion), decided by an Owner. */
import { z } from 'zod'
import { joinRequestListSchema, routes } from '../../shared/api'
import type { Router } from '../http'
import type { Ctx } from '../services/context'
import { decideJoinRequest, listJoinRequests } from '../services/join-requests'
import { id, ok, okSchema, org, path } from './params'

const orgReq = z.object({ orgId: id, reqId: id })

export function registerJoinRequests(r: Router, ctx: Ctx): void {
  r.route({
    method: 'GET', url: path(routes.joinRequests(':orgId')), tag: 'join-requests', summary: 'Pending requests to join (Owner)',
    params: org, response: joinRequestListSchema,
    handler: async ({ user, params }) => ({ items: await listJoinRequests(ctx, user.id, params.orgId) }),
  })
  for (const approve of [true, false]) {
    r.route({
      method: 'POST', url: path((approve ? routes.approveJoinRequest : routes.declineJoinRequest)(':orgId', ':reqId')), tag: 'join-requests',
      summary: approve ? 'Approve a request to join as Member (Owner; needs a free seat)' : 'Decline a request to join (Owner)',
      params: orgReq, response: okSchema,
      handler: async ({ user, params }) => (await decideJoinRequest(ctx, user.id, params.orgId, params.reqId, approve), ok),
    })
  }
}
