/**
 * Organization roles and their privileges, from the seed documents.
 * The server enforces these; the renderer uses them to explain and disable actions.
 */
import { z } from 'zod'

export const ROLES = ['owner', 'billing_admin', 'member'] as const
export const roleSchema = z.enum(ROLES)
export type Role = z.infer<typeof roleSchema>

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  billing_admin: 'Billing Admin',
  member: 'Member',
}

export const PRIVILEGES = [
  'org.view',
  'org.settings.update',
  'org.settings.view',
  'org.delete',
  'members.view',
  'members.invite',
  'members.editRole',
  'members.remove',
  'invitations.manageAll',
  'invitations.manageOwn',
  'joinRequests.decide',
  'domains.view',
  'domains.manage',
  'workspaces.view',
  'workspaces.manage',
  'recycleBin.use',
  'activity.view',
  'billing.view',
  'apiKeys.view',
  'apiKeys.manage',
] as const
export type Privilege = (typeof PRIVILEGES)[number]

/** What each privilege means to an administrator, shown beside the role choice. */
export const PRIVILEGE_LABELS: Record<Privilege, string> = {
  'org.view': 'View the organization and its workspaces',
  'org.settings.update': 'Manage organization settings',
  'org.settings.view': 'View organization settings',
  'org.delete': 'Delete the organization',
  'members.view': 'View organization users',
  'members.invite': 'Invite organization users',
  'members.editRole': 'Edit the role of organization users',
  'members.remove': 'Remove organization users',
  'invitations.manageAll': 'Revoke, resend or share any invitation',
  'invitations.manageOwn': 'Revoke, resend or share invitations they sent',
  'joinRequests.decide': 'Approve or decline requests to join',
  'domains.view': 'View trusted email domains',
  'domains.manage': 'Add, verify and remove trusted email domains and choose how they enroll people',
  'workspaces.view': 'View workspaces and their members',
  'workspaces.manage': 'Manage all workspaces in the organization: create, rename, delete and choose who works in them',
  'recycleBin.use': 'Use recycle bin: restore or purge deleted workspaces',
  'activity.view': 'View activities',
  'billing.view': 'Manage payments & billing',
  'apiKeys.view': 'View API keys',
  'apiKeys.manage': 'Manage API keys',
}

const MEMBER: Privilege[] = [
  'org.view',
  'org.settings.view',
  'members.view',
  'members.invite',
  'invitations.manageOwn',
  'domains.view',
  'workspaces.view',
  'apiKeys.view',
]

export const ROLE_PRIVILEGES: Record<Role, readonly Privilege[]> = {
  owner: PRIVILEGES,
  billing_admin: [...MEMBER, 'billing.view'],
  member: MEMBER,
}

export function can(role: Role, privilege: Privilege): boolean {
  return ROLE_PRIVILEGES[role].includes(privilege)
}

/** "If you are a Member or a Billing Admin, you can only grant invitees the role of Member." */
export function invitableRoles(inviter: Role): readonly Role[] {
  return inviter === 'owner' ? ROLES : ['member']
}

// ── Workspace roles ────────────────────────────────────────────────────
// A person's role in one workspace, on top of their organization role. Organization Owners
// (workspaces.manage) may do everything in every workspace; these say what the others may do.
export const WORKSPACE_ROLES = ['admin', 'member', 'viewer'] as const
export const workspaceRoleSchema = z.enum(WORKSPACE_ROLES)
export type WorkspaceRole = z.infer<typeof workspaceRoleSchema>

export const WORKSPACE_ROLE_LABELS: Record<WorkspaceRole, string> = {
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
}

export const WORKSPACE_PRIVILEGES = ['workspace.view', 'workspace.members.view', 'workspace.rename', 'workspace.members.manage'] as const
export type WorkspacePrivilege = (typeof WORKSPACE_PRIVILEGES)[number]

export const WORKSPACE_PRIVILEGE_LABELS: Record<WorkspacePrivilege, string> = {
  'workspace.view': 'See the workspace and their own role in it',
  'workspace.members.view': 'See who works in the workspace and their roles',
  'workspace.rename': 'Rename the workspace',
  'workspace.members.manage': 'Add and remove workspace members and change their roles',
}

export const WORKSPACE_ROLE_PRIVILEGES: Record<WorkspaceRole, readonly WorkspacePrivilege[]> = {
  admin: WORKSPACE_PRIVILEGES,
  member: ['workspace.view', 'workspace.members.view'],
  viewer: ['workspace.view'],
}

/** What `role` in the organization plus `wsRole` in the workspace (null: not in it) allow there. */
export function canInWorkspace(role: Role, wsRole: WorkspaceRole | null, privilege: WorkspacePrivilege): boolean {
  if (can(role, 'workspaces.manage')) return true
  return wsRole !== null && WORKSPACE_ROLE_PRIVILEGES[wsRole].includes(privilege)
}

/** Days a deleted workspace stays in the recycle bin before it is purged. */
export const RECYCLE_BIN_DAYS = 30

export const INVITATION_TTL_MS = 48 * 60 * 60 * 1000
export const DEFAULT_MEMBER_LIMIT = 100
export const MAX_EMAILS_PER_INVITE = 100
export const MAX_PAGE_SIZE = 1000
