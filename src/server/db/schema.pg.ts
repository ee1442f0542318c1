/** The PostgreSQL tables; `schema.sqlite.ts` has the same shapes for the embedded store (see schema.ts). */
import { isNotNull } from 'drizzle-orm'
import { bigserial, boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: ts('created_at').notNull(),
  /** Set once the person proved the mailbox; only verified addresses count for anything domain-based. */
  emailVerifiedAt: ts('email_verified_at'),
})

export const orgs = pgTable('orgs', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  memberLimit: integer('member_limit').notNull(),
  /** Bumped on every membership change; the members list ETag is built from it. */
  membersVersion: integer('members_version').notNull().default(0),
  /** Members and Owners not removed, kept by triggers on memberships (a count(*) read 100 000 rows). */
  memberCount: integer('member_count').notNull().default(0),
  ownerCount: integer('owner_count').notNull().default(0),
  plan: text('plan').notNull().default('Team'),
  currency: text('currency').notNull().default('USD'),
  createdAt: ts('created_at').notNull(),
  /** The value of the `_org-admin-challenge` TXT record that proves this organization controls a domain. */
  domainChallenge: text('domain_challenge'),
  /** Set when an Owner deletes the organization: from then on it answers 404 to everyone. */
  deletedAt: ts('deleted_at'),
})

export const memberships = pgTable(
  'memberships',
  {
    orgId: text('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    /** Copied from users (names and emails never change through the API) so a 100 000-member list pages and searches one table. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: ['owner', 'billing_admin', 'member'] }).notNull(),
    joinedAt: ts('joined_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    /** Tombstone: kept so incremental sync can report removals. */
    removedAt: ts('removed_at'),
    /** Workspaces of this organization the member belongs to; kept by triggers on workspace_members. */
    workspaceCount: integer('workspace_count').notNull().default(0),
    /** Last signed-in request into this organization, at most every few minutes; not a membership change. */
    lastActiveAt: ts('last_active_at'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    index('memberships_org_email').on(t.orgId, t.email, t.userId),
    index('memberships_org_updated').on(t.orgId, t.updatedAt, t.userId),
    index('memberships_org_role_email').on(t.orgId, t.role, t.email, t.userId),
    // Tombstones only: the removals an incremental sync reports (PostgreSQL's migration 0013, the embedded store's 0012).
    index('memberships_org_removed').on(t.orgId, t.removedAt).where(isNotNull(t.removedAt)),
    // Search reads a generated lower-cased column with its own trigram index (migrations 0008 and
    // 0009), left out here so both stores keep the same row shape (db/sql.ts memberTextIndexed);
    // so does each member's list JSON, `member_json` (0011, like the embedded store's 0008), and
    // the table of short search terms' counts its triggers keep, `member_grams` (0014; 0013 there).
  ],
)

export const workspaces = pgTable(
  'workspaces',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    createdAt: ts('created_at').notNull(),
    /** In the recycle bin since then; purged 30 days later. Live workspaces have none. */
    deletedAt: ts('deleted_at'),
    deletedBy: text('deleted_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('workspaces_org').on(t.orgId)],
)

export const workspaceMembers = pgTable(
  'workspace_members',
  {
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['admin', 'member', 'viewer'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index('workspace_members_user').on(t.userId)],
)

export const invitations = pgTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: ['owner', 'billing_admin', 'member'] }).notNull(),
    /** sha256 of the link token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    /** The token is derived from (id, linkVersion) with the server's link secret; resend bumps it. */
    linkVersion: integer('link_version').notNull().default(0),
    invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
    /** sha256 of the token only the emailed link carries: accepting with it proves the mailbox. */
    emailTokenHash: text('email_token_hash').unique(),
    trustedDomain: boolean('trusted_domain').notNull(),
    automatic: boolean('automatic').notNull().default(false),
    delivery: text('delivery', { enum: ['queued', 'sent', 'failed'] }).notNull().default('queued'),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    acceptedAt: ts('accepted_at'),
    revokedAt: ts('revoked_at'),
    declinedAt: ts('declined_at'),
    reminderQueuedAt: ts('reminder_queued_at'),
  },

  (t) => [index('invitations_org').on(t.orgId, t.createdAt)],
)

export const trustedDomains = pgTable(
  'trusted_domains',
  {
    orgId: text('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
    domain: text('domain').notNull(),
    addedBy: text('added_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull(),
    /** Pending until set: only verified domains have any effect. */
    verifiedAt: ts('verified_at'),
    verifiedBy: text('verified_by', { enum: ['dns', 'operator'] }),
    enrollment: text('enrollment', { enum: ['manual', 'automatic_invitation', 'automatic_suggestion'] }).notNull().default('manual'),
  },

  (t) => [primaryKey({ columns: [t.orgId, t.domain] })],
)

/**
 * Keys belong to the organization (service-account style): they outlive their creator and any
 * Owner revokes them. Only the sha256 of the secret is kept; `prefix` is public and names the key.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull().unique(),
    secretHash: text('secret_hash').notNull(),
    role: text('role', { enum: ['owner', 'billing_admin', 'member'] }).notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    /** Written at most once a minute per key (a conditional update), never on every request. */
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('api_keys_org').on(t.orgId, t.createdAt)],
)

export const activity = pgTable(
  'activity',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    orgId: text('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    /** The person who acted; null when an API key acted (`actorKeyId`) or the server did. */
    actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
    actorKeyId: text('actor_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    target: text('target'),
    /** The person the action was about, when it was about a person: "by or about someone" asks both columns. */
    targetUserId: text('target_user_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    index('activity_org_seq').on(t.orgId, t.seq),
    index('activity_org_actor').on(t.orgId, t.actorId, t.seq),
    index('activity_org_target_user').on(t.orgId, t.targetUserId, t.seq),
    index('activity_org_action').on(t.orgId, t.action, t.seq),
    index('activity_org_at').on(t.orgId, t.at),
  ],
)

/** A login starts a family; every refresh rotates within it; reuse of a rotated token revokes it. */
export const tokenFamilies = pgTable('token_families', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: ts('created_at').notNull(),
  revokedAt: ts('revoked_at'),
})

export const refreshTokens = pgTable('refresh_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  familyId: text('family_id').notNull().references(() => tokenFamilies.id, { onDelete: 'cascade' }),
  expiresAt: ts('expires_at').notNull(),
  rotatedAt: ts('rotated_at'),
})

export const accessTokens = pgTable('access_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  familyId: text('family_id').notNull().references(() => tokenFamilies.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  expiresAt: ts('expires_at').notNull(),
})

export const invoices = pgTable(
  'invoices',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
    periodStart: date('period_start').notNull(),
    periodEnd: date('period_end').notNull(),
    amountCents: integer('amount_cents').notNull(),
    status: text('status', { enum: ['paid', 'open', 'void'] }).notNull(),
  },
  (t) => [index('invoices_org').on(t.orgId)],
)

export const usage = pgTable(
  'usage',
  {
    orgId: text('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
    day: date('day').notNull(),
    amountCents: integer('amount_cents').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day] })],
)

/** Emails waiting for delivery, written in the transaction that caused them; a sender delivers and marks them. */
export const outbox = pgTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['invitation', 'reminder', 'verification'] }).notNull(),
    toEmail: text('to_email').notNull(),
    subject: text('subject').notNull(),
    /** Bodies carry one-time links, so they are blanked once delivered. */
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    invitationId: text('invitation_id').references(() => invitations.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    /** A sender claims a row until then, so two server processes never send it twice. */
    lockedUntil: ts('locked_until'),
    sentAt: ts('sent_at'),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_due').on(t.sentAt, t.nextAttemptAt)],
)

export const emailVerifications = pgTable(
  'email_verifications',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    codeHash: text('code_hash').notNull(),
    linkTokenHash: text('link_token_hash').notNull().unique(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    /** Wrong codes tried against this one; it dies at the limit. */
    attempts: integer('attempts').notNull().default(0),
    usedAt: ts('used_at'),
  },
  (t) => [index('email_verifications_user').on(t.userId)],
)

/** Automatic suggestion: a person asked to join; an Owner decides. */
export const joinRequests = pgTable(
  'join_requests',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    domain: text('domain').notNull(),
    createdAt: ts('created_at').notNull(),
    decidedAt: ts('decided_at'),
    decision: text('decision', { enum: ['approved', 'declined'] }),
    decidedBy: text('decided_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('join_requests_org').on(t.orgId, t.decidedAt)],
)

/** Attempt counters per key (account or IP), shared by every server process on the database. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  windowStart: ts('window_start').notNull(),
})

/** Server-wide secrets (the invitation link key), created once and read by every process. */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
})
