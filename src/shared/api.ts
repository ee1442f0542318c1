/**
 * The HTTP contract of the organization server (/v1): entity and request schemas
 * and the route table. The server validates requests with these; the main process
 * validates every response with the same definitions.
 */
import { z } from 'zod'
import { MAX_EMAILS_PER_INVITE, MAX_PAGE_SIZE, roleSchema, workspaceRoleSchema } from './roles'

const id = z.string().min(1).max(64)
const timestamp = z.iso.datetime({ offset: true })
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email().max(254))
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'Enter a domain such as example.com')

// ── Auth ───────────────────────────────────────────────────────────────
export const userSchema = z.object({ id, email: z.string(), displayName: z.string() })
export type User = z.infer<typeof userSchema>

export const loginRequestSchema = z.object({ email: emailSchema, password: z.string().min(1).max(1024) })
export type LoginRequest = z.infer<typeof loginRequestSchema>

export const tokenPairSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** ISO time the access token stops being accepted; clients refresh a little before. */
  accessTokenExpiresAt: timestamp,
  user: userSchema,
})
export type TokenPair = z.infer<typeof tokenPairSchema>

export const refreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(512) })

/** The signed-in person; domain rules only ever use a verified address. */
export const meSchema = userSchema.extend({ emailVerified: z.boolean() })
export type Me = z.infer<typeof meSchema>

/** Self sign-up: the account starts unverified and a code and link go to the address. */
export const registerRequestSchema = z
  .object({
    email: emailSchema,
    displayName: z.string().trim().min(1).max(120),
    password: z.string().min(8, 'Use at least 8 characters').max(1024),
  })
  .strict()
export type RegisterRequest = z.infer<typeof registerRequestSchema>
export const confirmEmailRequestSchema = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'Enter the 6-digit code') }).strict()

// ── Organizations ──────────────────────────────────────────────────────
export const orgSummarySchema = z.object({
  id,
  name: z.string(),
  slug: z.string(),
  myRole: roleSchema,
  memberCount: z.number().int().nonnegative(),
  ownerCount: z.number().int().nonnegative(),
  pendingInvitationCount: z.number().int().nonnegative(),
  workspaceCount: z.number().int().nonnegative(),
  memberLimit: z.number().int().positive(),
})
export type OrgSummary = z.infer<typeof orgSummarySchema>
export const orgListSchema = z.object({ items: z.array(orgSummarySchema) })

export const orgDetailSchema = orgSummarySchema.extend({ createdAt: timestamp })
export type OrgDetail = z.infer<typeof orgDetailSchema>

const orgNameSchema = z.string().trim().min(1, 'Enter a name').max(120)
/** The organization's address-safe short name; unique on the server. */
export const orgSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, 'Use 1–48 lowercase letters, digits and hyphens, not starting or ending with a hyphen')

/** The slug a name suggests ("Acme Corp" → "acme-corp"); the server adds a suffix when it is taken. */
export const slugFromName = (name: string): string =>
  name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '') || 'org'

/** Any signed-in person creates an organization and becomes its Owner; the slug defaults from the name. */
export const createOrgRequestSchema = z.object({ name: orgNameSchema, slug: orgSlugSchema.optional() }).strict()
export type CreateOrgRequest = z.infer<typeof createOrgRequestSchema>

export const updateOrgRequestSchema = z.object({ name: orgNameSchema, slug: orgSlugSchema }).partial().strict()
export type UpdateOrgRequest = z.infer<typeof updateOrgRequestSchema>

/** Deleting asks for the organization's name, typed, as the confirmation. */
export const deleteOrgRequestSchema = z.object({ confirmName: z.string().max(200) }).strict()
export type DeleteOrgRequest = z.infer<typeof deleteOrgRequestSchema>

// ── Members ────────────────────────────────────────────────────────────
export const memberSchema = z.object({
  userId: id,
  email: z.string(),
  displayName: z.string(),
  role: roleSchema,
  joinedAt: timestamp,
  updatedAt: timestamp,
  workspaceCount: z.number().int().nonnegative(),
})
export type Member = z.infer<typeof memberSchema>

export const memberListQuerySchema = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
  q: z.string().trim().max(200).optional(),
  role: roleSchema.optional(),
  /** Only members changed after this time, plus removals (for incremental sync). */
  since: timestamp.optional(),
})
export type MemberListQuery = z.input<typeof memberListQuerySchema>

export const memberPageSchema = z.object({
  items: z.array(memberSchema),
  /** Members removed after `since` (only when `since` was given). */
  removed: z.array(z.object({ userId: id, removedAt: timestamp })),
  nextCursor: z.string().nullable(),
  /** Matching members in all pages (without `since`). */
  total: z.number().int().nonnegative(),
  /** Server time at the start of the listing: pass as `since` on the next sync. */
  serverTime: timestamp,
})
export type MemberPage = z.infer<typeof memberPageSchema>

export const changeRoleRequestSchema = z.object({ role: roleSchema }).strict()

// ── Invitations ────────────────────────────────────────────────────────
export const INVITATION_STATUSES = ['pending', 'accepted', 'declined', 'expired', 'revoked'] as const
export const invitationStatusSchema = z.enum(INVITATION_STATUSES)
export type InvitationStatus = z.infer<typeof invitationStatusSchema>

export const DELIVERY_STATES = ['queued', 'sent', 'failed'] as const
export const deliveryStateSchema = z.enum(DELIVERY_STATES)
export type DeliveryState = z.infer<typeof deliveryStateSchema>

export const invitationSchema = z.object({
  id,
  email: z.string(),
  role: roleSchema,
  status: invitationStatusSchema,
  invitedBy: userSchema.nullable(),
  createdAt: timestamp,
  expiresAt: timestamp,
  acceptedAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
  /** The address is in one of the organization's verified domains. */
  trustedDomain: z.boolean(),
  /** The invitation email: waiting in the outbox, delivered to the mail server, or its last attempt failed (retried). */
  delivery: deliveryStateSchema,
  /** Made by the domain's automatic-invitation mode rather than by a person. */
  automatic: z.boolean(),
})
export type Invitation = z.infer<typeof invitationSchema>
export const invitationListSchema = z.object({ items: z.array(invitationSchema) })

export const createInvitationsRequestSchema = z
  .object({
    emails: z.array(z.string().max(254)).min(1).max(MAX_EMAILS_PER_INVITE),
    role: roleSchema,
  })
  .strict()
export type CreateInvitationsRequest = z.infer<typeof createInvitationsRequestSchema>

export const INVITE_REJECTIONS = ['invalid_email', 'duplicate', 'already_member', 'already_invited', 'cap_reached'] as const
export const inviteRejectionSchema = z.enum(INVITE_REJECTIONS)
export type InviteRejection = z.infer<typeof inviteRejectionSchema>

/** A freshly minted link: the token is stored hashed, so this is the only time it is visible. */
export const invitationLinkSchema = z.object({ invitationId: id, url: z.string(), token: z.string(), expiresAt: timestamp })
export type InvitationLink = z.infer<typeof invitationLinkSchema>

export const createInvitationsResponseSchema = z.object({
  /** Every accepted address gets a pending invitation and an email; nobody joins without accepting. */
  invited: z.array(z.object({ invitation: invitationSchema, link: invitationLinkSchema })),
  rejected: z.array(z.object({ email: z.string(), reason: inviteRejectionSchema, message: z.string() })),
})
export type CreateInvitationsResponse = z.infer<typeof createInvitationsResponseSchema>

/** What anyone holding the token may see before accepting. */
export const invitationPreviewSchema = z.object({
  orgName: z.string(),
  email: z.string(),
  role: roleSchema,
  status: invitationStatusSchema,
  expiresAt: timestamp,
  /** An account with this email exists: accept by signing in; otherwise accept by registering. */
  userExists: z.boolean(),
})
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>

export const acceptInvitationRequestSchema = z
  .object({
    password: z.string().min(8, 'Use at least 8 characters').max(1024),
    /** Required when registering a new account. */
    displayName: z.string().trim().min(1).max(120).optional(),
  })
  .strict()
export type AcceptInvitationRequest = z.infer<typeof acceptInvitationRequestSchema>
export const acceptInvitationResponseSchema = z.object({ orgId: id, tokens: tokenPairSchema })

// ── Trusted domains, discovery ─────────────────────────────────────────
export const DOMAIN_STATUSES = ['pending', 'verified'] as const
/** What a verified domain does for people with a verified address in it; every mode leaves them to accept. */
export const ENROLLMENT_MODES = ['manual', 'automatic_invitation', 'automatic_suggestion'] as const
export const enrollmentModeSchema = z.enum(ENROLLMENT_MODES)
export type EnrollmentMode = z.infer<typeof enrollmentModeSchema>
export const ENROLLMENT_LABELS: Record<EnrollmentMode, string> = {
  manual: 'Manual invitation',
  automatic_invitation: 'Automatic invitation',
  automatic_suggestion: 'Automatic suggestion',
}

export const trustedDomainSchema = z.object({
  domain: z.string(),
  status: z.enum(DOMAIN_STATUSES),
  createdAt: timestamp,
  addedBy: userSchema.nullable(),
  verifiedAt: timestamp.nullable(),
  /** dns: the TXT record was found; operator: approved from the server CLI. */
  verifiedBy: z.enum(['dns', 'operator']).nullable(),
  /** The TXT record to create to prove the organization controls the domain. */
  record: z.object({ type: z.literal('TXT'), name: z.string(), value: z.string() }),
  enrollment: enrollmentModeSchema,
})
export type TrustedDomain = z.infer<typeof trustedDomainSchema>
export const trustedDomainListSchema = z.object({ items: z.array(trustedDomainSchema) })
export const addDomainRequestSchema = z.object({ domain: domainSchema }).strict()
export const updateDomainRequestSchema = z.object({ enrollment: enrollmentModeSchema }).strict()

export const discoverableQuerySchema = z.object({ q: z.string().trim().max(200).default('') })
/** Name and email only: discovery never reveals more about people outside the organization. */
export const discoverableUserSchema = z.object({ email: z.string(), displayName: z.string() })
export const discoverableUsersSchema = z.object({ items: z.array(discoverableUserSchema) })

// ── Inbox: what is addressed to the signed-in person ───────────────────
export const inboxInvitationSchema = z.object({
  id,
  orgId: id,
  orgName: z.string(),
  role: roleSchema,
  invitedBy: userSchema.nullable(),
  expiresAt: timestamp,
  automatic: z.boolean(),
})
export const inboxSuggestionSchema = z.object({
  orgId: id,
  orgName: z.string(),
  domain: z.string(),
  /** A request to join is waiting for an Owner. */
  requested: z.boolean(),
})
export const inboxSchema = z.object({
  /** Empty until the address is verified: nothing domain- or address-based reaches an unproven mailbox. */
  emailVerified: z.boolean(),
  invitations: z.array(inboxInvitationSchema),
  suggestions: z.array(inboxSuggestionSchema),
})
export type Inbox = z.infer<typeof inboxSchema>
export type InboxInvitation = z.infer<typeof inboxInvitationSchema>
export type InboxSuggestion = z.infer<typeof inboxSuggestionSchema>

export const joinRequestSchema = z.object({ id, user: userSchema, domain: z.string(), createdAt: timestamp })
export type JoinRequest = z.infer<typeof joinRequestSchema>
export const joinRequestListSchema = z.object({ items: z.array(joinRequestSchema) })

// ── Workspaces ─────────────────────────────────────────────────────────
export const workspaceNameSchema = z.string().trim().min(1, 'Enter a name').max(80, 'Use at most 80 characters')
export const workspaceMemberSchema = userSchema.extend({ role: workspaceRoleSchema })
export const workspaceSchema = z.object({
  id,
  name: z.string(),
  slug: z.string(),
  createdAt: timestamp,
  /** The signed-in person's role in this workspace; null when they are not in it. */
  myRole: workspaceRoleSchema.nullable(),
  memberCount: z.number().int().nonnegative(),
  /** Null when the viewer may not see who is in it (not an Owner, not a workspace Admin or Member). */
  members: z.array(workspaceMemberSchema).nullable(),
})
export type Workspace = z.infer<typeof workspaceSchema>
export type WorkspaceMember = z.infer<typeof workspaceMemberSchema>
export const workspaceListSchema = z.object({ items: z.array(workspaceSchema) })
export const workspaceNameRequestSchema = z.object({ name: workspaceNameSchema }).strict()
export const workspaceMemberRequestSchema = z.object({ role: workspaceRoleSchema }).strict()

/** A deleted workspace waiting in the recycle bin until `purgeAt`. */
export const binnedWorkspaceSchema = z.object({
  id,
  name: z.string(),
  slug: z.string(),
  deletedAt: timestamp,
  deletedBy: userSchema.nullable(),
  purgeAt: timestamp,
  daysLeft: z.number().int().nonnegative(),
  memberCount: z.number().int().nonnegative(),
})
export type BinnedWorkspace = z.infer<typeof binnedWorkspaceSchema>
export const recycleBinSchema = z.object({ items: z.array(binnedWorkspaceSchema) })

/** One member with what the side panel shows: last activity here and the workspaces the viewer may see them in. */
export const memberDetailSchema = z.object({
  member: memberSchema.extend({ lastActiveAt: timestamp.nullable() }),
  workspaces: z.array(z.object({ id, name: z.string(), role: workspaceRoleSchema })),
})
export type MemberDetail = z.infer<typeof memberDetailSchema>

// ── Activity ───────────────────────────────────────────────────────────
export const ACTIVITY_ACTIONS = [
  'org.created',
  'org.updated',
  'org.deleted',
  'member.joined',
  'member.role_changed',
  'member.removed',
  'member.left',
  'invitation.created',
  'invitation.resent',
  'invitation.revoked',
  'invitation.link_created',
  'invitation.accepted',
  'domain.added',
  'domain.removed',
  'domain.verified',
  'domain.enrollment_changed',
  'invitation.declined',
  'join_request.created',
  'join_request.approved',
  'join_request.declined',
  'workspace.created',
  'workspace.renamed',
  'workspace.deleted',
  'workspace.restored',
  'workspace.purged',
  'workspace.member_added',
  'workspace.member_role_changed',
  'workspace.member_removed',
  // API keys (issue 11)
  'api_key.created',
  'api_key.revoked',
  'api_key.signed_in',
] as const
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number]
export const apiKeyRefSchema = z.object({ id, name: z.string(), prefix: z.string() })
export const activityEventSchema = z.object({
  id,
  at: timestamp,
  action: z.enum(ACTIVITY_ACTIONS),
  /** The person who acted; null when an API key acted (`actorKey`) or the server did. */
  actor: userSchema.nullable(),
  actorKey: apiKeyRefSchema.nullable(),
  /** Who or what the action was done to: an email, a domain or a key name. */
  target: z.string().nullable(),
  /** The person the action was about, when it was about a person. */
  targetUserId: id.nullable(),
  details: z.record(z.string(), z.unknown()),
})
export type ActivityEvent = z.infer<typeof activityEventSchema>
const isoDay = z.iso.date()
/** One value or several (`?action=a&action=b`). */
const actionList = z
  .union([z.enum(ACTIVITY_ACTIONS), z.array(z.enum(ACTIVITY_ACTIONS)).max(ACTIVITY_ACTIONS.length)])
  .transform((v) => (Array.isArray(v) ? v : [v]))
export const activityQuerySchema = z
  .object({
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Only events newer than this event id (an app's incremental copy of the log). */
    after: z.string().regex(/^\d{1,15}$/).optional(),
    /** Events done by this person. */
    actor: id.optional(),
    /** Events done by or about this person. */
    subject: id.optional(),
    action: actionList.optional(),
    /** Inclusive UTC days (yyyy-mm-dd). */
    from: isoDay.optional(),
    to: isoDay.optional(),
    /** Substring of the target, the actor's name or email, the key's name, or the details. */
    q: z.string().trim().max(200).optional(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: '`from` must not be after `to`', path: ['from'] })
export type ActivityQuery = z.input<typeof activityQuerySchema>
export const activityPageSchema = z.object({ items: z.array(activityEventSchema), nextCursor: z.string().nullable() })
export type ActivityPage = z.infer<typeof activityPageSchema>

// ── API keys ───────────────────────────────────────────────────────────
/** `oak_<prefix>_<secret>`: recognisable to people and secret scanners, never mistaken for a session token. */
export const API_KEY_PATTERN = /^oak_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/
export const isApiKeyToken = (token: string): boolean => token.startsWith('oak_')
export const API_KEY_MAX_DAYS = 365
export const apiKeySchema = z.object({
  id,
  name: z.string(),
  prefix: z.string(),
  role: roleSchema,
  createdBy: userSchema.nullable(),
  createdAt: timestamp,
  expiresAt: timestamp,
  lastUsedAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
})
export type ApiKey = z.infer<typeof apiKeySchema>
export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) })
export const createApiKeyRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    role: roleSchema,
    /** Within 1 to API_KEY_MAX_DAYS days from now. */
    expiresAt: timestamp,
  })
  .strict()
export type CreateApiKeyRequest = z.infer<typeof createApiKeyRequestSchema>
/** The only answer that carries the secret: it is stored hashed. */
export const createdApiKeySchema = z.object({ key: apiKeySchema, token: z.string().regex(API_KEY_PATTERN) })
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>
/** What the presented key is (GET /v1/api-key), so an app can add an account from it. */
export const apiKeyIdentitySchema = z.object({
  id,
  name: z.string(),
  prefix: z.string(),
  role: roleSchema,
  orgId: id,
  orgName: z.string(),
  expiresAt: timestamp,
})
export type ApiKeyIdentity = z.infer<typeof apiKeyIdentitySchema>

// ── Billing ────────────────────────────────────────────────────────────
export const billingSummarySchema = z.object({
  plan: z.string(),
  currency: z.string().length(3),
  seats: z.object({ used: z.number().int(), limit: z.number().int() }),
  usage: z.array(z.object({ date: z.iso.date(), amountCents: z.number().int() })),
  invoices: z.array(
    z.object({
      id,
      periodStart: z.iso.date(),
      periodEnd: z.iso.date(),
      amountCents: z.number().int(),
      status: z.enum(['paid', 'open', 'void']),
    }),
  ),
})
export type BillingSummary = z.infer<typeof billingSummarySchema>

// ── Routes ─────────────────────────────────────────────────────────────
const e = encodeURIComponent
/** Paths under the server's base URL; the server registers the same patterns (":id"). */
export const routes = {
  openapi: () => '/v1/openapi.json',
  login: () => '/v1/auth/login',
  refresh: () => '/v1/auth/refresh',
  logout: () => '/v1/auth/logout',
  me: () => '/v1/me',
  orgs: () => '/v1/orgs',
  org: (orgId: string) => `/v1/orgs/${e(orgId)}`,
  leave: (orgId: string) => `/v1/orgs/${e(orgId)}/leave`,
  members: (orgId: string) => `/v1/orgs/${e(orgId)}/members`,
  member: (orgId: string, userId: string) => `/v1/orgs/${e(orgId)}/members/${e(userId)}`,
  invitations: (orgId: string) => `/v1/orgs/${e(orgId)}/invitations`,
  invitation: (orgId: string, invId: string) => `/v1/orgs/${e(orgId)}/invitations/${e(invId)}`,
  resend: (orgId: string, invId: string) => `/v1/orgs/${e(orgId)}/invitations/${e(invId)}/resend`,
  link: (orgId: string, invId: string) => `/v1/orgs/${e(orgId)}/invitations/${e(invId)}/link`,
  invitationByToken: (token: string) => `/v1/invitations/${e(token)}`,
  acceptInvitation: (token: string) => `/v1/invitations/${e(token)}/accept`,
  domains: (orgId: string) => `/v1/orgs/${e(orgId)}/trusted-domains`,
  domain: (orgId: string, domain: string) => `/v1/orgs/${e(orgId)}/trusted-domains/${e(domain)}`,
  verifyDomain: (orgId: string, domain: string) => `/v1/orgs/${e(orgId)}/trusted-domains/${e(domain)}/verify`,
  discoverable: (orgId: string) => `/v1/orgs/${e(orgId)}/discoverable-users`,
  joinRequests: (orgId: string) => `/v1/orgs/${e(orgId)}/join-requests`,
  approveJoinRequest: (orgId: string, reqId: string) => `/v1/orgs/${e(orgId)}/join-requests/${e(reqId)}/approve`,
  declineJoinRequest: (orgId: string, reqId: string) => `/v1/orgs/${e(orgId)}/join-requests/${e(reqId)}/decline`,
  register: () => '/v1/auth/register',
  emailVerification: () => '/v1/me/email-verification',
  confirmEmail: () => '/v1/me/email-verification/confirm',
  inbox: () => '/v1/me/inbox',
  acceptMine: (invId: string) => `/v1/me/invitations/${e(invId)}/accept`,
  declineMine: (invId: string) => `/v1/me/invitations/${e(invId)}/decline`,
  requestToJoin: (orgId: string) => `/v1/me/suggestions/${e(orgId)}/request`,
  workspaces: (orgId: string) => `/v1/orgs/${e(orgId)}/workspaces`,
  workspace: (orgId: string, wsId: string) => `/v1/orgs/${e(orgId)}/workspaces/${e(wsId)}`,
  workspaceMember: (orgId: string, wsId: string, userId: string) => `/v1/orgs/${e(orgId)}/workspaces/${e(wsId)}/members/${e(userId)}`,
  recycleBin: (orgId: string) => `/v1/orgs/${e(orgId)}/recycle-bin/workspaces`,
  binnedWorkspace: (orgId: string, wsId: string) => `/v1/orgs/${e(orgId)}/recycle-bin/workspaces/${e(wsId)}`,
  restoreWorkspace: (orgId: string, wsId: string) => `/v1/orgs/${e(orgId)}/recycle-bin/workspaces/${e(wsId)}/restore`,
  activity: (orgId: string) => `/v1/orgs/${e(orgId)}/activity`,
  billing: (orgId: string) => `/v1/orgs/${e(orgId)}/billing`,
  apiKeys: (orgId: string) => `/v1/orgs/${e(orgId)}/api-keys`,
  apiKey: (orgId: string, keyId: string) => `/v1/orgs/${e(orgId)}/api-keys/${e(keyId)}`,
  currentApiKey: () => '/v1/api-key',
} as const

/** Opened from the verification email in a browser (an HTML page, not part of /v1): one button, so link scanners verify nothing. */
export const VERIFY_EMAIL_PAGE = '/verify-email'

/** Accept links look like `<server>/invite#<token>`; the app and the server both parse them. */
export function invitationUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/invite#${token}`
}
export function parseInvitationUrl(url: string): { baseUrl: string; token: string } | null {
  const m = /^(https?:\/\/[^#?]+?)\/invite#([A-Za-z0-9_-]{16,256})$/.exec(url.trim())
  return m ? { baseUrl: m[1]!, token: m[2]! } : null
}
