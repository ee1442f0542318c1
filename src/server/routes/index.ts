/** Every /v1 route: the paths come from the shared `routes` table, the rules from services/. */
import { z } from 'zod'
import {
  acceptInvitationRequestSchema,
  acceptInvitationResponseSchema,
  activityPageSchema,
  activityQuerySchema,
  billingSummarySchema,
  changeRoleRequestSchema,
  createInvitationsRequestSchema,
  createInvitationsResponseSchema,
  createOrgRequestSchema,
  deleteOrgRequestSchema,
  invitationLinkSchema,
  invitationListSchema,
  invitationPreviewSchema,
  loginRequestSchema,
  memberListQuerySchema,
  memberPageSchema,
  memberSchema,
  orgDetailSchema,
  orgListSchema,
  refreshRequestSchema,
  routes,
  tokenPairSchema,
  updateOrgRequestSchema,
  memberDetailSchema,
} from '../../shared/api'
import type { Router } from '../http'
import { listActivity } from '../services/activity'
import { login, logout, refresh, type LoginLimiter } from '../services/auth'
import { billingSummary } from '../services/billing'
import type { Ctx } from '../services/context'
import {
  acceptInvitation,
  createInvitations,
  invitationLink,
  listInvitations,
  previewInvitation,
  resendInvitation,
  revokeInvitation,
} from '../services/invitations'
import { listMembers, membersVersion } from '../services/member-list'
import { changeRole, memberDetail, removeMember } from '../services/members'
import { createOrg, deleteOrg, getOrg, leaveOrg, listMyOrgs, updateOrg } from '../services/orgs'
import { createHash } from 'node:crypto'
import { registerAccount } from './account'
import { registerApiKeys } from './api-keys'
import { registerDomains } from './domains'
import { registerInbox } from './inbox'
import { registerJoinRequests } from './join-requests'
import { registerWorkspaces } from './workspaces'

import { id, okSchema, org, path } from './params'
const orgUser = z.object({ orgId: id, userId: id })
const orgInv = z.object({ orgId: id, invId: id })
const token = z.object({ token: z.string().min(16).max(256) })
const ok = okSchema

export function registerRoutes(r: Router, ctx: Ctx, limiter: LoginLimiter): void {
  // ── Auth
  r.route({
    method: 'POST', url: path(routes.login()), tag: 'auth', auth: false, rateLimited: true, summary: 'Sign in with email and password',
    body: loginRequestSchema, response: tokenPairSchema,
    handler: ({ body, req }) => login(ctx, limiter, body.email, body.password, req.ip),
  })
  r.route({
    method: 'POST', url: path(routes.refresh()), tag: 'auth', auth: false, summary: 'Rotate a refresh token into a new token pair',
    body: refreshRequestSchema, response: tokenPairSchema,
    handler: ({ body }) => refresh(ctx, body.refreshToken),
  })
  r.route({
    method: 'POST', url: path(routes.logout()), tag: 'auth', summary: 'End this session (the whole token family)',
    handler: async ({ req }) => void (await logout(ctx, req.headers.authorization!.slice('Bearer '.length))),
  })

  // ── Organizations
  r.route({
    method: 'GET', url: path(routes.orgs()), tag: 'orgs', apiKeys: true, response: orgListSchema,
    summary: "Organizations I belong to, with my role (an API key: its own organization with the key's role)",
    handler: async ({ user }) => ({ items: await listMyOrgs(ctx, user.id) }),
  })
  r.route({
    method: 'GET', url: path(routes.org(':orgId')), tag: 'orgs', summary: 'One organization', params: org, response: orgDetailSchema,
    handler: ({ user, params }) => getOrg(ctx, user.id, params.orgId),
  })
  r.route({
    method: 'POST', url: path(routes.orgs()), tag: 'orgs', status: 201,
    summary: 'Create an organization; the caller becomes its Owner (a taken slug is a 409, creations per person are rate-limited)',
    body: createOrgRequestSchema, response: orgDetailSchema,
    handler: ({ user, body }) => createOrg(ctx, user.id, body),
  })
  r.route({
    method: 'PATCH', url: path(routes.org(':orgId')), tag: 'orgs', summary: 'Update name and slug (Owner; a taken slug is a 409)',
    params: org, body: updateOrgRequestSchema, response: orgDetailSchema,
    handler: ({ user, params, body }) => updateOrg(ctx, user.id, params.orgId, body),
  })
  r.route({
    // A person deletes an organization (typing its name), never an API key.
    method: 'DELETE', url: path(routes.org(':orgId')), tag: 'orgs', apiKeys: false,
    summary: "Delete the organization (Owner; the body repeats its name): everyone loses access at once, pending invitations and requests end",
    params: org, body: deleteOrgRequestSchema, response: ok,
    handler: async ({ user, params, body }) => (await deleteOrg(ctx, user.id, params.orgId, body.confirmName), { ok: true as const }),
  })
  r.route({
    method: 'POST', url: path(routes.leave(':orgId')), tag: 'orgs', apiKeys: false, summary: 'Leave the organization (not as its only Owner)',
    params: org, response: ok,
    handler: async ({ user, params }) => (await leaveOrg(ctx, user.id, params.orgId), { ok: true as const }),
  })

  // ── Members
  r.route({
    method: 'GET', url: path(routes.members(':orgId')), tag: 'members',
    summary: 'Members, a page at a time; `since` lists only changes and removals; supports ETag / If-None-Match',
    params: org, query: memberListQuerySchema, response: memberPageSchema,
    handler: async ({ user, params, query, req, reply }) => {
      // The version moves on every membership change, so equal tags mean an equal answer.
      const [page, version] = await Promise.all([listMembers(ctx, user.id, params.orgId, query), membersVersion(ctx.db, params.orgId)])
      const etag = `W/"${version}-${createHash('sha1').update(JSON.stringify(query)).digest('hex').slice(0, 16)}"`
      reply.header('etag', etag)
      if (req.headers['if-none-match'] === etag) return reply.code(304).send()
      // Already JSON (memberPageSchema), written by the database: sent as it is.
      reply.type('application/json; charset=utf-8')
      return page
    },
  })
  r.route({
    method: 'GET', url: path(routes.member(':orgId', ':userId')), tag: 'members',
    summary: 'One member with last activity here and the workspaces (and roles) you may see them in',
    params: orgUser, response: memberDetailSchema,
    handler: ({ user, params }) => memberDetail(ctx, user.id, params.orgId, params.userId),
  })
  r.route({
    method: 'PATCH', url: path(routes.member(':orgId', ':userId')), tag: 'members', summary: "Change a member's role (Owner)",
    params: orgUser, body: changeRoleRequestSchema, response: memberSchema,
    handler: ({ user, params, body }) => changeRole(ctx, user.id, params.orgId, params.userId, body.role),
  })
  r.route({
    method: 'DELETE', url: path(routes.member(':orgId', ':userId')), tag: 'members', summary: 'Remove a member (Owner)',
    params: orgUser, response: ok,
    handler: async ({ user, params }) => (await removeMember(ctx, user.id, params.orgId, params.userId), { ok: true as const }),
  })

  // ── Invitations
  r.route({
    method: 'GET', url: path(routes.invitations(':orgId')), tag: 'invitations', summary: 'All invitations with their status',
    params: org, response: invitationListSchema,
    handler: async ({ user, params }) => ({ items: await listInvitations(ctx, user.id, params.orgId) }),
  })
  r.route({
    method: 'POST', url: path(routes.invitations(':orgId')), tag: 'invitations', status: 201,
    summary: 'Invite one or more emails with one role; each address gets a pending, emailed invitation or is rejected with a reason',
    params: org, body: createInvitationsRequestSchema, response: createInvitationsResponseSchema,
    handler: ({ user, params, body }) => createInvitations(ctx, user.id, params.orgId, body),
  })
  r.route({
    method: 'DELETE', url: path(routes.invitation(':orgId', ':invId')), tag: 'invitations', summary: 'Revoke a pending invitation',
    params: orgInv, response: ok,
    handler: async ({ user, params }) => (await revokeInvitation(ctx, user.id, params.orgId, params.invId), { ok: true as const }),
  })
  r.route({
    method: 'POST', url: path(routes.resend(':orgId', ':invId')), tag: 'invitations', summary: 'Resend: new link and a fresh 48 hours',
    params: orgInv, response: invitationLinkSchema,
    handler: ({ user, params }) => resendInvitation(ctx, user.id, params.orgId, params.invId),
  })
  r.route({
    method: 'POST', url: path(routes.link(':orgId', ':invId')), tag: 'invitations', summary: 'A new shareable link, same expiry',
    params: orgInv, response: invitationLinkSchema,
    handler: ({ user, params }) => invitationLink(ctx, user.id, params.orgId, params.invId),
  })
  r.route({
    method: 'GET', url: path(routes.invitationByToken(':token')), tag: 'invitations', auth: false,
    summary: 'What an invitation link offers', params: token, response: invitationPreviewSchema,
    handler: ({ params }) => previewInvitation(ctx, params.token),
  })
  r.route({
    method: 'POST', url: path(routes.acceptInvitation(':token')), tag: 'invitations', auth: false, rateLimited: true,
    summary: 'Accept: sign in (existing account) or register (displayName), join, and receive tokens',
    params: token, body: acceptInvitationRequestSchema, response: acceptInvitationResponseSchema,
    handler: ({ params, body, req }) => acceptInvitation(ctx, limiter, params.token, body, req.ip),
  })

  registerDomains(r, ctx)
  registerJoinRequests(r, ctx)
  registerInbox(r, ctx)
  registerAccount(r, ctx)
  registerApiKeys(r, ctx)

  // ── Workspaces, activity, billing
  registerWorkspaces(r, ctx)
  r.route({
    method: 'GET', url: path(routes.activity(':orgId')), tag: 'activity', summary: 'Recent events, newest first (Owner)',
    params: org, query: activityQuerySchema, response: activityPageSchema,
    handler: ({ user, params, query }) => listActivity(ctx, user.id, params.orgId, query),
  })
  r.route({
    method: 'GET', url: path(routes.billing(':orgId')), tag: 'billing', summary: 'Billing summary (Owner, Billing Admin)',
    params: org, response: billingSummarySchema,
    handler: ({ user, params }) => billingSummary(ctx, user.id, params.orgId),
  })
}
