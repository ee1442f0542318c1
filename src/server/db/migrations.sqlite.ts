/**
 * Schema migrations of the embedded SQLite store, in order; the PostgreSQL list is
 * `migrations.ts`. Produced by `drizzle-kit generate --dialect sqlite --schema
 * src/server/db/schema.sqlite.ts`; never edit an applied migration, append a new one.
 */
/** A membership row's JSON text, byte for byte what JSON.stringify writes for its Member (0008). */
const MEMBER_JSON = `'{"userId":' || json_quote("user_id") || ',"email":' || json_quote("email") || ',"displayName":' || json_quote("display_name")
    || ',"role":"' || "role" || '","joinedAt":"' || strftime('%Y-%m-%dT%H:%M:%fZ', "joined_at" / 1000.0, 'unixepoch')
    || '","updatedAt":"' || strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at" / 1000.0, 'unixepoch') || '","workspaceCount":' || "workspace_count" || '}'`

/** Counts a membership row (NEW) in, or (OLD) out of, its organization's counts (0009). */
const countChange = (row: 'NEW' | 'OLD', sign: '+' | '-') => `UPDATE "orgs" SET
    "member_count" = "member_count" ${sign} (${row}."removed_at" IS NULL),
    "owner_count" = "owner_count" ${sign} (${row}."removed_at" IS NULL AND ${row}."role" = 'owner')
  WHERE "id" = ${row}."org_id";`

/**
 * Each (row, gram) once: the distinct one- and two-character substrings of `texts` (columns id,
 * org_id, v), as LIKE matches them when `v` is lower-cased (both fold ASCII letters only). A
 * trigger cannot use a recursive CTE, so a text's positions are the keys of a JSON array as long
 * as it (0013).
 */
const grams = (texts: string) => `SELECT DISTINCT t."id", t."org_id", substr(t."v", p."key" + 1, n."n") "gram"
    FROM (${texts}) t, (SELECT 1 "n" UNION ALL SELECT 2) n,
      json_each('[' || replace(printf('%.*c', length(t."v"), '0'), '0', '0,') || '0]') p
    WHERE p."key" + n."n" <= length(t."v")`

/** Counts the members of `texts` in (`+`) or out of (`-`) their organization's gram counts (0013). */
const countGrams = (texts: string, sign: '+' | '-') => `INSERT INTO "member_grams" ("org_id", "gram", "members")
  SELECT "org_id", "gram", ${sign}count(*) FROM (${grams(texts)}) GROUP BY "org_id", "gram"
  ON CONFLICT ("org_id", "gram") DO UPDATE SET "members" = "members" + excluded."members";`

/** The searched texts of members not removed, as `grams` reads them: of every row, or in a trigger of NEW or OLD. */
const memberTexts = (row?: 'NEW' | 'OLD') => {
  const column = (name: string) => (row ? `${row}."${name}"` : `"${name}"`)
  const text = (name: string) =>
    `SELECT ${column('rowid')} "id", ${column('org_id')} "org_id", lower(${column(name)}) "v"${row ? '' : ' FROM "memberships"'} WHERE ${column('removed_at')} IS NULL`
  return `${text('email')} UNION ALL ${text('display_name')}`
}

export const sqliteMigrations: readonly { id: string; sql: string }[] = [
  {
    id: '0000_init',
    sql: `
CREATE TABLE "access_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"family_id" text NOT NULL,
	"user_id" text NOT NULL,
	"expires_at" integer NOT NULL,
	FOREIGN KEY ("family_id") REFERENCES "token_families"("id") ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY ("user_id") REFERENCES "users"("id") ON UPDATE no action ON DELETE cascade
);
CREATE TABLE "activity" (
	"seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	"org_id" text NOT NULL,
	"at" integer NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"target" text,
	"details" text NOT NULL,
	FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON UPDATE no action ON DELETE set null
);
CREATE INDEX "activity_org_seq" ON "activity" ("org_id","seq");
CREATE TABLE "invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" text,
	"trusted_domain" integer NOT NULL,
	"created_at" integer NOT NULL,
	"expires_at" integer NOT NULL,
	"accepted_at" integer,
	"revoked_at" integer,
	FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY ("invited_by") REFERENCES "users"("id") ON UPDATE no action ON DELETE set null
);
CREATE UNIQUE INDEX "invitations_token_hash_unique" ON "invitations" ("token_hash");
CREATE INDEX "invitations_org" ON "invitations" ("org_id","created_at");
CREATE TABLE "invoices" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"period_start" text NOT NULL,
	"period_end" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"status" text NOT NULL,
	FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON UPDATE no action ON DELETE cascade
);
CREATE INDEX "invoices_org" ON "invoices" ("org_id");
CREATE TABLE "memberships" (
	"org_id" text NOT NULL,
	"user_id" text NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"joined_at" integer NOT NULL,
	"updated_at" integer NOT NULL,
	"removed_at" integer,
	PRIMARY KEY("org_id", "user_id"),
	FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY ("user_id") REFERENCES "users"("id") ON UPDATE no action ON DELETE cascade
);
CREATE INDEX "memberships_org_email" ON "memberships" ("org_id","email","user_id");
CREATE INDEX "memberships_org_updated" ON "memberships" ("org_id","updated_at","user_id");
CREATE TABLE "orgs" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"member_limit" integer NOT NULL,
	"members_version" integer DEFAULT 0 NOT NULL,
	"plan" text DEFAULT 'Team' NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"created_at" integer NOT NULL
);
CREATE UNIQUE INDEX "orgs_slug_unique" ON "orgs" ("slug");
CREATE TABLE "refresh_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"family_id" text NOT NULL,
	"expires_at" integer NOT NULL,
	"rotated_at" integer,
	FOREIGN KEY ("family_id") REFERENCES "token_families"("id") ON UPDATE no action ON DELETE cascade
);
CREATE TABLE "token_families" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"created_at" integer NOT NULL,
	"revoked_at" integer,
	FOREIGN KEY ("user_id") REFERENCES "users"("id") ON UPDATE no action ON DELETE cascade
);
CREATE TABLE "trusted_domains" (
	"org_id" text NOT NULL,
	"domain" text NOT NULL,
	"added_by" text,
	"created_at" integer NOT NULL,
	PRIMARY KEY("org_id", "domain"),
	FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY ("added_by") REFERENCES "users"("id") ON UPDATE no action ON DELETE set null
);
CREATE TABLE "usage" (
	"org_id" text NOT NULL,
	"day" text NOT NULL,
	"amount_cents" integer NOT NULL,
	PRIMARY KEY("org_id", "day"),
	FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON UPDATE no action ON DELETE cascade
);
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" integer NOT NULL
);
CREATE UNIQUE INDEX "users_email_unique" ON "users" ("email");
CREATE TABLE "workspace_members" (
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	PRIMARY KEY("workspace_id", "user_id"),
	FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY ("user_id") REFERENCES "users"("id") ON UPDATE no action ON DELETE cascade
);
CREATE INDEX "workspace_members_user" ON "workspace_members" ("user_id");
CREATE TABLE "workspaces" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"created_at" integer NOT NULL,
	FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON UPDATE no action ON DELETE cascade
);
CREATE INDEX "workspaces_org" ON "workspaces" ("org_id");
`,
  },
  {
    // Substring search over 100 000 members by name or email: a trigram full-text index
    // over the memberships table, kept in step by triggers (terms of 3+ characters).
    id: '0001_member_search',
    sql: `
CREATE VIRTUAL TABLE "memberships_fts" USING fts5(
  "email", "display_name", content = 'memberships', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO "memberships_fts" ("rowid", "email", "display_name") SELECT "rowid", "email", "display_name" FROM "memberships";
CREATE TRIGGER "memberships_fts_insert" AFTER INSERT ON "memberships" BEGIN
  INSERT INTO "memberships_fts" ("rowid", "email", "display_name") VALUES (NEW."rowid", NEW."email", NEW."display_name");
END;
CREATE TRIGGER "memberships_fts_delete" AFTER DELETE ON "memberships" BEGIN
  INSERT INTO "memberships_fts" ("memberships_fts", "rowid", "email", "display_name") VALUES ('delete', OLD."rowid", OLD."email", OLD."display_name");
END;
CREATE TRIGGER "memberships_fts_update" AFTER UPDATE OF "email", "display_name" ON "memberships" BEGIN
  INSERT INTO "memberships_fts" ("memberships_fts", "rowid", "email", "display_name") VALUES ('delete', OLD."rowid", OLD."email", OLD."display_name");
  INSERT INTO "memberships_fts" ("rowid", "email", "display_name") VALUES (NEW."rowid", NEW."email", NEW."display_name");
END;
`,
  },
  {
    // A page of 1 000 members spent most of its time counting each one's workspaces. The
    // count is stored instead, and triggers keep it right in the transaction that changes
    // workspace_members (cascades from a deleted workspace or user included).
    id: '0002_member_workspace_count',
    sql: `
ALTER TABLE "memberships" ADD COLUMN "workspace_count" integer DEFAULT 0 NOT NULL;
UPDATE "memberships" SET "workspace_count" = (
  SELECT count(*) FROM "workspace_members" wm JOIN "workspaces" w ON w."id" = wm."workspace_id"
  WHERE w."org_id" = "memberships"."org_id" AND wm."user_id" = "memberships"."user_id"
);
CREATE TRIGGER "workspace_members_count_insert" AFTER INSERT ON "workspace_members" BEGIN
  UPDATE "memberships" SET "workspace_count" = "workspace_count" + 1
  WHERE "user_id" = NEW."user_id" AND "org_id" = (SELECT "org_id" FROM "workspaces" WHERE "id" = NEW."workspace_id");
END;
CREATE TRIGGER "workspace_members_count_delete" AFTER DELETE ON "workspace_members" BEGIN
  UPDATE "memberships" SET "workspace_count" = "workspace_count" - 1
  WHERE "user_id" = OLD."user_id" AND "org_id" = (SELECT "org_id" FROM "workspaces" WHERE "id" = OLD."workspace_id");
END;
-- A deleted workspace's members cascade away after it is gone; count them out before.
CREATE TRIGGER "workspace_deleted_count" BEFORE DELETE ON "workspaces" BEGIN
  UPDATE "memberships" SET "workspace_count" = "workspace_count" - 1
  WHERE "org_id" = OLD."org_id" AND "user_id" IN (SELECT "user_id" FROM "workspace_members" WHERE "workspace_id" = OLD."id");
END;
`,
  },
  {
    // Issue 7: rate-limit counters and the link secret live in the database (several processes share
    // them); invitation links are derived from (id, link_version), so copying one never replaces it.
    id: '0003_shared_limits_and_links',
    sql: `
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"hits" integer NOT NULL,
	"window_start" integer NOT NULL
);
CREATE TABLE "server_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
ALTER TABLE "invitations" ADD COLUMN "link_version" integer DEFAULT 0 NOT NULL;
`,
  },
  {
    // Issue 9 (same change as the PostgreSQL 0004): proven domains, verified addresses, consent, the email outbox.
    id: '0004_domains_consent_email',
    sql: `
ALTER TABLE "users" ADD COLUMN "email_verified_at" integer;
ALTER TABLE "orgs" ADD COLUMN "domain_challenge" text;
ALTER TABLE "trusted_domains" ADD COLUMN "verified_at" integer;
ALTER TABLE "trusted_domains" ADD COLUMN "verified_by" text;
ALTER TABLE "trusted_domains" ADD COLUMN "enrollment" text DEFAULT 'manual' NOT NULL;
ALTER TABLE "invitations" ADD COLUMN "email_token_hash" text;
ALTER TABLE "invitations" ADD COLUMN "automatic" integer DEFAULT false NOT NULL;
ALTER TABLE "invitations" ADD COLUMN "delivery" text DEFAULT 'queued' NOT NULL;
ALTER TABLE "invitations" ADD COLUMN "declined_at" integer;
ALTER TABLE "invitations" ADD COLUMN "reminder_queued_at" integer;
CREATE UNIQUE INDEX "invitations_email_token_hash_unique" ON "invitations" ("email_token_hash");
CREATE TABLE "outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"to_email" text NOT NULL,
	"subject" text NOT NULL,
	"text_body" text NOT NULL,
	"html_body" text NOT NULL,
	"invitation_id" text,
	"created_at" integer NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" integer NOT NULL,
	"locked_until" integer,
	"sent_at" integer,
	"last_error" text,
	FOREIGN KEY ("invitation_id") REFERENCES "invitations"("id") ON UPDATE no action ON DELETE set null
);
CREATE INDEX "outbox_due" ON "outbox" ("sent_at","next_attempt_at");
CREATE TABLE "email_verifications" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"email" text NOT NULL,
	"code_hash" text NOT NULL,
	"link_token_hash" text NOT NULL,
	"created_at" integer NOT NULL,
	"expires_at" integer NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"used_at" integer,
	FOREIGN KEY ("user_id") REFERENCES "users"("id") ON UPDATE no action ON DELETE cascade
);
CREATE UNIQUE INDEX "email_verifications_link_token_hash_unique" ON "email_verifications" ("link_token_hash");
CREATE INDEX "email_verifications_user" ON "email_verifications" ("user_id");
CREATE TABLE "join_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"user_id" text NOT NULL,
	"domain" text NOT NULL,
	"created_at" integer NOT NULL,
	"decided_at" integer,
	"decision" text,
	"decided_by" text,
	FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY ("user_id") REFERENCES "users"("id") ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY ("decided_by") REFERENCES "users"("id") ON UPDATE no action ON DELETE set null
);
CREATE INDEX "join_requests_org" ON "join_requests" ("org_id","decided_at");
`,
  },
  {
    // Issue 11 (same change as the PostgreSQL 0005): API keys and the audit log's key actor, target person and filter indexes.
    id: '0005_api_keys_audit',
    sql: `
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_by" text,
	"created_at" integer NOT NULL,
	"expires_at" integer NOT NULL,
	"last_used_at" integer,
	"revoked_at" integer,
	FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY ("created_by") REFERENCES "users"("id") ON UPDATE no action ON DELETE set null
);
CREATE UNIQUE INDEX "api_keys_prefix_unique" ON "api_keys" ("prefix");
CREATE INDEX "api_keys_org" ON "api_keys" ("org_id","created_at");
ALTER TABLE "activity" ADD COLUMN "actor_key_id" text REFERENCES "api_keys"("id") ON DELETE set null;
ALTER TABLE "activity" ADD COLUMN "target_user_id" text;
CREATE INDEX "activity_org_actor" ON "activity" ("org_id","actor_id","seq");
CREATE INDEX "activity_org_target_user" ON "activity" ("org_id","target_user_id","seq");
CREATE INDEX "activity_org_action" ON "activity" ("org_id","action","seq");
CREATE INDEX "activity_org_at" ON "activity" ("org_id","at");
`,
    },
    {
    // Issue 11 (same change as the PostgreSQL 0006): editable workspaces, the recycle bin, workspace
    // roles Admin / Member / Viewer, last_active_at; only live workspaces count in workspace_count.
    id: '0006_workspaces_editable',
    sql: `
ALTER TABLE "workspaces" ADD COLUMN "deleted_at" integer;
ALTER TABLE "workspaces" ADD COLUMN "deleted_by" text REFERENCES "users"("id") ON DELETE set null;
CREATE UNIQUE INDEX "workspaces_live_name" ON "workspaces" ("org_id", lower("name")) WHERE "deleted_at" IS NULL;
ALTER TABLE "memberships" ADD COLUMN "last_active_at" integer;
UPDATE "workspace_members" SET "role" = 'member' WHERE "role" = 'editor';
DROP TRIGGER "workspace_members_count_insert";
DROP TRIGGER "workspace_members_count_delete";
DROP TRIGGER "workspace_deleted_count";
CREATE TRIGGER "workspace_members_count_insert" AFTER INSERT ON "workspace_members" BEGIN
  UPDATE "memberships" SET "workspace_count" = "workspace_count" + 1
  WHERE "user_id" = NEW."user_id" AND "org_id" = (SELECT "org_id" FROM "workspaces" WHERE "id" = NEW."workspace_id" AND "deleted_at" IS NULL);
END;
CREATE TRIGGER "workspace_members_count_delete" AFTER DELETE ON "workspace_members" BEGIN
  UPDATE "memberships" SET "workspace_count" = "workspace_count" - 1
  WHERE "user_id" = OLD."user_id" AND "org_id" = (SELECT "org_id" FROM "workspaces" WHERE "id" = OLD."workspace_id" AND "deleted_at" IS NULL);
END;
CREATE TRIGGER "workspace_deleted_count" BEFORE DELETE ON "workspaces" WHEN OLD."deleted_at" IS NULL BEGIN
  UPDATE "memberships" SET "workspace_count" = "workspace_count" - 1
  WHERE "org_id" = OLD."org_id" AND "user_id" IN (SELECT "user_id" FROM "workspace_members" WHERE "workspace_id" = OLD."id");
END;
CREATE TRIGGER "workspace_binned_count" AFTER UPDATE OF "deleted_at" ON "workspaces"
  WHEN (OLD."deleted_at" IS NULL) <> (NEW."deleted_at" IS NULL) BEGIN
  UPDATE "memberships" SET "workspace_count" = "workspace_count" + (CASE WHEN NEW."deleted_at" IS NULL THEN 1 ELSE -1 END)
  WHERE "org_id" = NEW."org_id" AND "user_id" IN (SELECT "user_id" FROM "workspace_members" WHERE "workspace_id" = NEW."id");
END;
`,
    },
    {
    // Issue 11: an organization is deleted by marking it; everything org-scoped then answers 404.
    id: '0007_org_lifecycle',
    sql: `
ALTER TABLE "orgs" ADD COLUMN "deleted_at" integer;
`,
  },
  {
    // The members list's hot read: each member's JSON as the list sends it (the text
    // JSON.stringify writes for its Member), kept by triggers whenever a listed column changes,
    // so a 1 000-row sync page joins stored text instead of formatting 1 000 rows.
    id: '0008_member_json',
    sql: `
ALTER TABLE "memberships" ADD COLUMN "member_json" text NOT NULL DEFAULT '';
UPDATE "memberships" SET "member_json" = ${MEMBER_JSON};
CREATE TRIGGER "memberships_json_insert" AFTER INSERT ON "memberships" BEGIN
  UPDATE "memberships" SET "member_json" = ${MEMBER_JSON} WHERE "rowid" = NEW."rowid";
END;
CREATE TRIGGER "memberships_json_update"
  AFTER UPDATE OF "user_id", "email", "display_name", "role", "joined_at", "updated_at", "workspace_count" ON "memberships" BEGIN
  UPDATE "memberships" SET "member_json" = ${MEMBER_JSON} WHERE "rowid" = NEW."rowid";
END;
`,
  },
  {
    // Member and Owner counts kept by the database (see the PostgreSQL list's 0010).
    id: '0009_org_member_counts',
    sql: `
ALTER TABLE "orgs" ADD COLUMN "member_count" integer DEFAULT 0 NOT NULL;
ALTER TABLE "orgs" ADD COLUMN "owner_count" integer DEFAULT 0 NOT NULL;
UPDATE "orgs" SET
  "member_count" = (SELECT count(*) FROM "memberships" m WHERE m."org_id" = "orgs"."id" AND m."removed_at" IS NULL),
  "owner_count" = (SELECT count(*) FROM "memberships" m WHERE m."org_id" = "orgs"."id" AND m."removed_at" IS NULL AND m."role" = 'owner');
CREATE TRIGGER "org_member_counts_insert" AFTER INSERT ON "memberships" BEGIN
  ${countChange('NEW', '+')}
END;
CREATE TRIGGER "org_member_counts_update" AFTER UPDATE OF "org_id", "role", "removed_at" ON "memberships" BEGIN
  ${countChange('OLD', '-')}
  ${countChange('NEW', '+')}
END;
CREATE TRIGGER "org_member_counts_delete" AFTER DELETE ON "memberships" BEGIN
  ${countChange('OLD', '-')}
END;
`,
  },
  {
    // A role's members in email order, read in that order: the role filter walked the email index
    // and tested every row's role, the whole list for the one or two Owners of 100 000 (14 ms a
    // page). The PostgreSQL list's 0012 is the same.
    id: '0010_member_role_order',
    sql: `
CREATE INDEX "memberships_org_role_email" ON "memberships" ("org_id", "role", "email", "user_id");
`,
  },
  {
    // A database analyzed before 0010 (a bulk load runs ANALYZE) had figures for every index but
    // 0010's, which the planner then guessed far more selective: the first page of every members
    // list walked that index and sorted the whole organization (23 ms at 100 000 members instead of
    // 0.24 ms through the email index). Figures for every index again.
    id: '0011_member_index_statistics',
    sql: `
ANALYZE "memberships";
`,
  },
  {
    // An incremental sync's removals, by their own stamp: found through the (org, updated) index,
    // they were tested among every row changed since (10 ms at 100 000 after a change to all).
    // Figures for the new index at once (see 0011). The PostgreSQL list's 0013 is the same.
    id: '0012_member_tombstones',
    sql: `
CREATE INDEX "memberships_org_removed" ON "memberships" ("org_id", "removed_at") WHERE "removed_at" IS NOT NULL;
ANALYZE "memberships";
`,
  },
  {
    // A search for one or two characters has no index to use (trigrams need three), so its total
    // was counted by testing every member: 16-22 ms at 100 000, holding the server's only thread.
    // Each organization's count of members holding each such substring is kept instead, by
    // triggers in the transaction that adds, removes or renames a member. The PostgreSQL list's
    // 0014 is the same.
    id: '0013_member_short_terms',
    sql: `
CREATE TABLE "member_grams" (
  "org_id" text NOT NULL, "gram" text NOT NULL, "members" integer NOT NULL,
  PRIMARY KEY ("org_id", "gram")
) WITHOUT ROWID;
${countGrams(memberTexts(), '+')}
CREATE TRIGGER "member_grams_insert" AFTER INSERT ON "memberships" WHEN NEW."removed_at" IS NULL BEGIN
  ${countGrams(memberTexts('NEW'), '+')}
END;
CREATE TRIGGER "member_grams_delete" AFTER DELETE ON "memberships" WHEN OLD."removed_at" IS NULL BEGIN
  ${countGrams(memberTexts('OLD'), '-')}
END;
CREATE TRIGGER "member_grams_update" AFTER UPDATE OF "org_id", "email", "display_name", "removed_at" ON "memberships"
  WHEN (OLD."removed_at" IS NULL) <> (NEW."removed_at" IS NULL) OR OLD."org_id" IS NOT NEW."org_id"
    OR OLD."email" IS NOT NEW."email" OR OLD."display_name" IS NOT NEW."display_name" BEGIN
  ${countGrams(memberTexts('OLD'), '-')}
  ${countGrams(memberTexts('NEW'), '+')}
END;
`,
  },
]
