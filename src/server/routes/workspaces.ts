/** Workspaces: create, rename, delete into the recycle bin, restore or purge there; workspace members and roles. */
import { z } from 'zod'
import {
  recycleBinSchema,
  routes,
  workspaceListSchema,
  workspaceMemberRequestSchema,
  workspaceNameRequestSchema,
  workspaceSchema,
} from '../../shared/api'
import type { Router } from '../http'
import type { Ctx } from '../services/context'
import {
  createWorkspace,
  deleteWorkspace,
  listRecycleBin,
  listWorkspaces,
  purgeWorkspace,
  removeWorkspaceMember,
  renameWorkspace,
  restoreWorkspace,
  setWorkspaceMember,
} from '../services/workspaces'
import { id, ok, okSchema, org, path } from './params'

const orgWs = z.object({ orgId: id, wsId: id })
const orgWsUser = z.object({ orgId: id, wsId: id, userId: id })

export function registerWorkspaces(r: Router, ctx: Ctx): void {
  r.route({
    method: 'GET', url: path(routes.workspaces(':orgId')), tag: 'workspaces',
    summary: 'Live workspaces with your role in each, and their members where your role shows them',
    params: org, response: workspaceListSchema,
    handler: async ({ user, params }) => ({ items: await listWorkspaces(ctx, user.id, params.orgId) }),
  })
  r.route({
    method: 'POST', url: path(routes.workspaces(':orgId')), tag: 'workspaces', status: 201,
    summary: 'Create a workspace (Owner); names are unique per organization, ignoring case',
    params: org, body: workspaceNameRequestSchema, response: workspaceSchema,
    handler: ({ user, params, body }) => createWorkspace(ctx, user.id, params.orgId, body.name),
  })
  r.route({
    method: 'PATCH', url: path(routes.workspace(':orgId', ':wsId')), tag: 'workspaces',
    summary: 'Rename a workspace (Owner or workspace Admin)',
    params: orgWs, body: workspaceNameRequestSchema, response: workspaceSchema,
    handler: ({ user, params, body }) => renameWorkspace(ctx, user.id, params.orgId, params.wsId, body.name),
  })
  r.route({
    method: 'DELETE', url: path(routes.workspace(':orgId', ':wsId')), tag: 'workspaces',
    summary: 'Delete a workspace into the recycle bin for 30 days (Owner)',
    params: orgWs, response: okSchema,
    handler: async ({ user, params }) => (await deleteWorkspace(ctx, user.id, params.orgId, params.wsId), ok),
  })
  r.route({
    method: 'PUT', url: path(routes.workspaceMember(':orgId', ':wsId', ':userId')), tag: 'workspaces',
    summary: 'Add an organization member to a workspace, or change their workspace role (Owner or workspace Admin)',
    params: orgWsUser, body: workspaceMemberRequestSchema, response: workspaceSchema,
    handler: ({ user, params, body }) => setWorkspaceMember(ctx, user.id, params.orgId, params.wsId, params.userId, body.role),
  })
  r.route({
    method: 'DELETE', url: path(routes.workspaceMember(':orgId', ':wsId', ':userId')), tag: 'workspaces',
    summary: 'Remove someone from a workspace (Owner or workspace Admin)',
    params: orgWsUser, response: workspaceSchema,
    handler: ({ user, params }) => removeWorkspaceMember(ctx, user.id, params.orgId, params.wsId, params.userId),
  })
  r.route({
    method: 'GET', url: path(routes.recycleBin(':orgId')), tag: 'workspaces',
    summary: 'Deleted workspaces with the days left before they are purged (Owner)',
    params: org, response: recycleBinSchema,
    handler: async ({ user, params }) => ({ items: await listRecycleBin(ctx, user.id, params.orgId) }),
  })
  r.route({
    method: 'POST', url: path(routes.restoreWorkspace(':orgId', ':wsId')), tag: 'workspaces',
    summary: 'Restore a deleted workspace with its members (Owner); 409 when a live workspace has its name',
    params: orgWs, response: workspaceSchema,
    handler: ({ user, params }) => restoreWorkspace(ctx, user.id, params.orgId, params.wsId),
  })
  r.route({
    method: 'DELETE', url: path(routes.binnedWorkspace(':orgId', ':wsId')), tag: 'workspaces',
    summary: 'Purge a deleted workspace for good (Owner)',
    params: orgWs, response: okSchema,
    handler: async ({ user, params }) => (await purgeWorkspace(ctx, user.id, params.orgId, params.wsId), ok),
  })
}
