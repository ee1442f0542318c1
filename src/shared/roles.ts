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
  'activity.view': 'View activities',
  'billing.view': 'Manage payments & billing',
  'apiKeys.view': 'View API keys',
  'apiKeys.manage': 'Manage API keys',
}

const MEMBER: Privilege[] = [
  'org.view',
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

export const INVITATION_TTL_MS = 48 * 60 * 60 * 1000
export const DEFAULT_MEMBER_LIMIT = 100
export const MAX_EMAILS_PER_INVITE = 100
export const MAX_PAGE_SIZE = 1000
