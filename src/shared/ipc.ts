/**
 * The IPC contract between renderer and main: every channel with the schema of its
 * payload (validated in main) and of its result, and the events main pushes.
 * Preload and the loopback harness both build `window.orgAdmin` from this table.
 */
import { z } from 'zod'
import {
  ACTIVITY_ACTIONS,
  activityEventSchema,
  apiKeyListSchema,
  billingSummarySchema,
  createApiKeyRequestSchema,
  createdApiKeySchema,
  createInvitationsResponseSchema,
  createOrgRequestSchema,
  deleteOrgRequestSchema,
  discoverableUsersSchema,
  domainSchema,
  emailSchema,
  meSchema,
  enrollmentModeSchema,
  inboxSchema,
  invitationLinkSchema,
  invitationListSchema,
  invitationPreviewSchema,
  joinRequestListSchema,
  memberSchema,
  orgDetailSchema,
  orgSummarySchema,
  trustedDomainListSchema,
  trustedDomainSchema,
  updateOrgRequestSchema,
  workspaceListSchema,
  workspaceNameSchema,
  workspaceSchema,
  recycleBinSchema,
  memberDetailSchema,
} from './api'
import { apiErrorSchema } from './errors'
import { roleSchema, workspaceRoleSchema } from './roles'

const id = z.string().min(1).max(64)
const timestamp = z.iso.datetime({ offset: true })
const backendUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, normalize: true }))
  .transform((u) => u.replace(/\/+$/, ''))

export const ACCOUNT_STATES = ['signed_in', 'offline', 'expired', 'signed_out'] as const
export type AccountState = (typeof ACCOUNT_STATES)[number]

export const accountNameSchema = z.string().trim().max(60)

export const accountSummarySchema = z.object({
  id,
  baseUrl: z.string(),
  /** A name the person gave this account (null: none; show email and server). */
  name: z.string().nullable(),
  email: z.string(),
  displayName: z.string(),
  /** `expired`: the refresh token was rejected; the user must enter the password again. */
  status: z.enum(['signed_in', 'expired', 'signed_out']),
  online: z.boolean(),
  /** The one state every view shows: status, with `offline` for a signed-in account main cannot reach. */
  state: z.enum(ACCOUNT_STATES),
  /** `apiKey`: an organization's API key (no password, no inbox); `expired` then means expired or revoked. */
  kind: z.enum(['user', 'apiKey']),
})
export type AccountSummary = z.infer<typeof accountSummarySchema>

/** Set only after the person confirmed the warning about a plain-http server on another machine. */
const allowInsecureHttp = z.boolean().optional()

const scope = { accountId: id }
const orgScope = { accountId: id, orgId: id }

/** Data served from the main-side cache or fresh from the server. */
function cached<T extends z.ZodType>(data: T) {
  return z.object({
    data,
    /** When this data was last confirmed by the server (null: never synced). */
    syncedAt: timestamp.nullable(),
    source: z.enum(['cache', 'network']),
    /** The server could not be reached for this read. */
    offline: z.boolean(),
  })
}
export type Cached<T> = { data: T; syncedAt: string | null; source: 'cache' | 'network'; offline: boolean }

export const memberChangeSchema = z.object({
  kind: z.enum(['joined', 'left', 'role_changed']),
  userId: id,
  email: z.string(),
  displayName: z.string(),
  from: roleSchema.nullable(),
  to: roleSchema.nullable(),
})
export type MemberChange = z.infer<typeof memberChangeSchema>

export const MEMBER_SORTS = ['name', 'email', 'role', 'joined', 'workspaces'] as const
export type MemberSort = (typeof MEMBER_SORTS)[number]
/** One read returns at most this many rows: a screen shows ~20, exports page through. */
export const MAX_MEMBER_WINDOW = 1000
/** "Changes since last sync" lists this many; the count says how many more there are. */
export const MAX_CHANGES_LISTED = 200

/** Which members to read: filtered and sorted in main, where the list lives; one window of the result. */
export const memberQuerySchema = z.object({
  /** Substring of the name or email, any case. */
  q: z.string().max(200).default(''),
  role: roleSchema.nullable().default(null),
  /** Only these addresses (any case), e.g. to tell which invitees are members already. */
  emails: z.array(z.string().max(254)).max(100).optional(),
  sort: z.enum(MEMBER_SORTS).default('name'),
  desc: z.boolean().default(false),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().nonnegative().max(MAX_MEMBER_WINDOW).default(100),
})
export type MemberQuery = z.output<typeof memberQuerySchema>

export const memberWindowSchema = z.object({
  /** The rows at `offset` of the filtered, sorted list. */
  members: z.array(memberSchema).max(MAX_MEMBER_WINDOW),
  offset: z.number().int().nonnegative(),
  /** How many members match the query; `total` is the whole organization. */
  matched: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** What differs between this sync and the one before it (the first ones; `changeCount` in all). */
  changes: z.array(memberChangeSchema).max(MAX_CHANGES_LISTED),
  changeCount: z.number().int().nonnegative(),
  previousSyncedAt: timestamp.nullable(),
})
export type MemberWindow = z.infer<typeof memberWindowSchema>

/** Which audit events to read: the server's filters (api.ts activityQuerySchema), applied in main to its copy of the log. */
const auditFilterShape = {
  actor: id.optional(),
  /** Events by or about this person. */
  subject: id.optional(),
  action: z.array(z.enum(ACTIVITY_ACTIONS)).max(ACTIVITY_ACTIONS.length).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  q: z.string().trim().max(200).optional(),
  /** An offset into the matches, from the previous window's nextCursor. */
  cursor: z.string().regex(/^\d{1,9}$/).optional(),
  limit: z.number().int().min(1).max(1000).default(50),
}
const fromNotAfterTo = (f: { from?: string; to?: string }) => !f.from || !f.to || f.from <= f.to
const auditRequest = z
  .object({ ...orgScope, ...auditFilterShape })
  .strict()
  .refine(fromNotAfterTo, { message: 'The start date is after the end date', path: ['from'] })
export type AuditFilter = Omit<z.output<typeof auditRequest>, 'accountId' | 'orgId'>
export const auditWindowSchema = z.object({
  items: z.array(activityEventSchema),
  nextCursor: z.string().nullable(),
  /** Events matching the filter among those held. */
  matched: z.number().int().nonnegative(),
  /** Events held on this computer for the organization. */
  held: z.number().int().nonnegative(),
  /** False: older events exist that only the server has (the copy keeps the newest ones). */
  complete: z.boolean(),
})
export type AuditWindow = z.infer<typeof auditWindowSchema>

function channel<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response }
}

export const channels = {
  'accounts.list': channel(z.object({}).strict(), z.array(accountSummarySchema)),
  'accounts.add': channel(
    z
      .object({
        baseUrl: backendUrl,
        email: z.string().trim().min(1).max(254),
        password: z.string().min(1).max(1024),
        allowInsecureHttp,
      })
      .strict(),
    accountSummarySchema,
  ),
  /** Add an organization's API key (oak_…) as an account. */
  'accounts.addApiKey': channel(z.object({ baseUrl: backendUrl, key: z.string().trim().min(1).max(256), allowInsecureHttp }).strict(), accountSummarySchema),
  /** Sign up on a server: the account starts unverified; the server emails a code to the address. */
  'accounts.register': channel(
    z.object({ baseUrl: backendUrl, email: emailSchema, displayName: z.string().trim().min(1).max(120), password: z.string().min(8).max(1024), allowInsecureHttp }).strict(),
    accountSummarySchema,
  ),
  'accounts.verifyEmail': channel(z.object({ ...scope, code: z.string().trim().regex(/^\d{6}$/) }).strict(), meSchema),
  'accounts.resendVerification': channel(z.object(scope).strict(), z.object({ ok: z.literal(true) })),
  /** The server to propose when adding an account: the one in use (embedded demo), else the last added. */
  'accounts.suggestServer': channel(z.object({}).strict(), z.object({ url: z.string().nullable() })),
  'accounts.rename': channel(z.object({ ...scope, name: accountNameSchema }).strict(), accountSummarySchema),
  'accounts.signIn': channel(z.object({ ...scope, password: z.string().min(1).max(1024) }).strict(), accountSummarySchema),
  'accounts.signOut': channel(z.object(scope).strict(), accountSummarySchema),
  'accounts.forget': channel(z.object(scope).strict(), z.object({ ok: z.literal(true) })),

  'orgs.list': channel(z.object(scope).strict(), cached(z.array(orgSummarySchema))),
  'orgs.get': channel(z.object(orgScope).strict(), cached(orgDetailSchema)),
  'orgs.update': channel(z.object({ ...orgScope, patch: updateOrgRequestSchema }).strict(), orgDetailSchema),
  'orgs.leave': channel(z.object(orgScope).strict(), z.object({ ok: z.literal(true) })),
  /** The signed-in person of the account creates an organization and becomes its Owner. */
  'orgs.create': channel(z.object({ ...scope, ...createOrgRequestSchema.shape }).strict(), orgDetailSchema),
  /** Owner: delete with the name typed; main drops it from every account's cache. */
  'orgs.delete': channel(z.object({ ...orgScope, ...deleteOrgRequestSchema.shape }).strict(), z.object({ ok: z.literal(true) })),

  /** Pending requests to join (automatic suggestion), cached for offline reading like invitations. */
  'joinRequests.list': channel(z.object(orgScope).strict(), cached(joinRequestListSchema)),
  'joinRequests.approve': channel(z.object({ ...orgScope, requestId: id }).strict(), z.object({ ok: z.literal(true) })),
  'joinRequests.decline': channel(z.object({ ...orgScope, requestId: id }).strict(), z.object({ ok: z.literal(true) })),

  'members.list': channel(z.object({ ...orgScope, ...memberQuerySchema.shape }).strict(), cached(memberWindowSchema)),
  /** Pull from the server now (progress arrives as `sync.progress` events), then read like members.list. */
  'members.sync': channel(z.object({ ...orgScope, ...memberQuerySchema.shape }).strict(), cached(memberWindowSchema)),
  'members.changeRole': channel(z.object({ ...orgScope, userId: id, role: roleSchema }).strict(), memberSchema),
  'members.remove': channel(z.object({ ...orgScope, userId: id }).strict(), z.object({ ok: z.literal(true) })),

  'invitations.list': channel(z.object(orgScope).strict(), cached(invitationListSchema)),
  'invitations.create': channel(
    z.object({ ...orgScope, emails: z.array(z.string().max(254)).min(1).max(100), role: roleSchema }).strict(),
    createInvitationsResponseSchema,
  ),
  'invitations.revoke': channel(z.object({ ...orgScope, invitationId: id }).strict(), z.object({ ok: z.literal(true) })),
  'invitations.resend': channel(z.object({ ...orgScope, invitationId: id }).strict(), invitationLinkSchema),
  'invitations.link': channel(z.object({ ...orgScope, invitationId: id }).strict(), invitationLinkSchema),
  /** Look at an accept link before accepting it (no account needed). */
  'invitations.preview': channel(z.object({ url: z.string().max(2048), allowInsecureHttp }).strict(), invitationPreviewSchema),
  /** Accept a link as the invitee: signs in (or registers) and adds that account. */
  'invitations.accept': channel(
    z
      .object({
        url: z.string().max(2048),
        password: z.string().min(1).max(1024),
        displayName: z.string().trim().min(1).max(120).optional(),
        allowInsecureHttp,
      })
      .strict(),
    z.object({ account: accountSummarySchema, orgId: id }),
  ),

  'domains.list': channel(z.object(orgScope).strict(), cached(trustedDomainListSchema)),
  'domains.add': channel(z.object({ ...orgScope, domain: domainSchema }).strict(), trustedDomainSchema),
  'domains.remove': channel(z.object({ ...orgScope, domain: domainSchema }).strict(), z.object({ ok: z.literal(true) })),
  /** Look the TXT record up now; a failure's message carries the resolver's answer. */
  'domains.verify': channel(z.object({ ...orgScope, domain: domainSchema }).strict(), trustedDomainSchema),
  'domains.setEnrollment': channel(z.object({ ...orgScope, domain: domainSchema, enrollment: enrollmentModeSchema }).strict(), trustedDomainSchema),
  'users.discover': channel(z.object({ ...orgScope, q: z.string().max(200) }).strict(), discoverableUsersSchema),

  /** What is addressed to the signed-in person of one account: invitations and suggested organizations. */
  'inbox.list': channel(z.object(scope).strict(), inboxSchema),
  'inbox.accept': channel(z.object({ ...scope, invitationId: id }).strict(), z.object({ orgId: id })),
  'inbox.decline': channel(z.object({ ...scope, invitationId: id }).strict(), z.object({ ok: z.literal(true) })),
  'inbox.requestToJoin': channel(z.object(orgScope).strict(), z.object({ ok: z.literal(true) })),

  'workspaces.list': channel(z.object(orgScope).strict(), cached(workspaceListSchema)),
  'workspaces.create': channel(z.object({ ...orgScope, name: workspaceNameSchema }).strict(), workspaceSchema),
  'workspaces.rename': channel(z.object({ ...orgScope, workspaceId: id, name: workspaceNameSchema }).strict(), workspaceSchema),
  /** Into the recycle bin (30 days). */
  'workspaces.delete': channel(z.object({ ...orgScope, workspaceId: id }).strict(), z.object({ ok: z.literal(true) })),
  /** Add someone to a workspace or change their role there. */
  'workspaces.setMember': channel(z.object({ ...orgScope, workspaceId: id, userId: id, role: workspaceRoleSchema }).strict(), workspaceSchema),
  'workspaces.removeMember': channel(z.object({ ...orgScope, workspaceId: id, userId: id }).strict(), workspaceSchema),
  'recycleBin.list': channel(z.object(orgScope).strict(), recycleBinSchema),
  'recycleBin.restore': channel(z.object({ ...orgScope, workspaceId: id }).strict(), workspaceSchema),
  'recycleBin.purge': channel(z.object({ ...orgScope, workspaceId: id }).strict(), z.object({ ok: z.literal(true) })),
  /** One member for the side panel; offline, composed from the cached members and workspaces. */
  'members.detail': channel(z.object({ ...orgScope, userId: id }).strict(), cached(memberDetailSchema)),
  /** The audit log, filtered in main over its cached copy (readable offline). */
  'activity.list': channel(auditRequest, cached(auditWindowSchema)),
  /** The filtered log as CSV (every held match, formula-safe), for the renderer to save. */
  'activity.export': channel(
    auditRequest,
    z.object({ csv: z.string(), count: z.number().int().nonnegative() }),
  ),

  // ── API keys (issue 11)
  'apiKeys.list': channel(z.object(orgScope).strict(), apiKeyListSchema),
  'apiKeys.create': channel(z.object({ ...orgScope, request: createApiKeyRequestSchema }).strict(), createdApiKeySchema),
  'apiKeys.revoke': channel(z.object({ ...orgScope, keyId: id }).strict(), z.object({ ok: z.literal(true) })),
  'billing.get': channel(z.object(orgScope).strict(), cached(billingSummarySchema)),
} as const

export type Channels = typeof channels
export type ChannelName = keyof Channels
export type ChannelRequest<C extends ChannelName> = z.input<Channels[C]['request']>
export type ChannelResponse<C extends ChannelName> = z.output<Channels[C]['response']>
export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[]

/** Every IPC reply is an envelope: Electron would otherwise flatten errors to a message string. */
export const ipcResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorSchema }),
])
export type IpcResult = z.infer<typeof ipcResultSchema>

// ── Events main → renderer ────────────────────────────────────────────
export const events = {
  'sync.progress': z.object({ ...orgScope, loaded: z.number().int(), total: z.number().int(), done: z.boolean() }),
  connectivity: z.object({ ...scope, online: z.boolean() }),
  'session.expired': z.object(scope),
  /** A background refresh replaced cached data: the renderer refetches the matching queries. */
  'cache.updated': z.object({ ...scope, orgId: id.nullable(), kind: z.enum(['orgs', 'org', 'members', 'invitations', 'domains', 'workspaces', 'billing', 'activity', 'joinRequests']) }),
  'accounts.changed': z.object({}),
} as const
export type Events = { [K in keyof typeof events]: z.infer<(typeof events)[K]> }
export type EventName = keyof Events
export const IPC_INVOKE = 'org-admin:invoke'
export const IPC_EVENT = 'org-admin:event'
