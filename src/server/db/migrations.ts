/**
 * PostgreSQL schema migrations, in order (the embedded store's are `migrations.sqlite.ts`).
 * Kept as TypeScript so they travel inside every bundle (tsx, vitest, the Electron main
 * bundle) without file copies. Each was produced by `drizzle-kit generate --dialect postgresql
 * --schema src/server/db/schema.pg.ts`; never edit an applied migration, append a new one.
 */
/** A membership row's JSON text, byte for byte what JSON.stringify writes for its Member (0011). */
const memberJson = (row: '' | 'NEW.') => {
  const iso = (column: string) => `to_json(to_char(${row}"${column}" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text`
  return `'{"userId":' || to_json(${row}"user_id")::text || ',"email":' || to_json(${row}"email")::text
    || ',"displayName":' || to_json(${row}"display_name")::text || ',"role":"' || ${row}"role" || '","joinedAt":' || ${iso('joined_at')}
    || ',"updatedAt":' || ${iso('updated_at')} || ',"workspaceCount":' || ${row}"workspace_count" || '}'`
}

/** Adds to each organization's counts the (org_id, role, n) rows of `changes` (0010). */
const countChanges = (changes: string) => `UPDATE "orgs" o SET "member_count" = o."member_count" + d."members", "owner_count" = o."owner_count" + d."owners"
    FROM (SELECT "org_id", sum("n") "members", coalesce(sum("n") FILTER (WHERE "role" = 'owner'), 0) "owners"
      FROM (${changes}) c GROUP BY "org_id") d
    WHERE o."id" = d."org_id" AND (d."members" <> 0 OR d."owners" <> 0);`

/** Triggers that run the function `name` after each INSERT, UPDATE and DELETE statement on memberships, with its rows as `added` and `gone` (0010, 0014). */
const afterEachStatement = (name: string) =>
  ([
    ['insert', 'INSERT', 'REFERENCING NEW TABLE AS "added"'],
    ['update', 'UPDATE', 'REFERENCING OLD TABLE AS "gone" NEW TABLE AS "added"'],
    ['delete', 'DELETE', 'REFERENCING OLD TABLE AS "gone"'],
  ] as const)
    .map(([suffix, op, tables]) => `CREATE TRIGGER "${name}_${suffix}" AFTER ${op} ON "memberships" ${tables}\n  FOR EACH STATEMENT EXECUTE FUNCTION "${name}"();`)
    .join('\n')

/**
 * Adds to each organization's gram counts the (org_id, user_id, search_text, n) rows of `changes`:
 * n for each distinct one- and two-character substring of a row's search text (0014). Sorted, so
 * concurrent statements lock the counts they share in the same order.
 */
const countGrams = (changes: string) => `INSERT INTO "member_grams" ("org_id", "gram", "members")
    SELECT "org_id", "gram", sum("n") FROM (
      SELECT DISTINCT c."org_id", c."user_id", c."n", substr(c."search_text", i, len) "gram"
      FROM (${changes}) c ("org_id", "user_id", "search_text", "n"), generate_series(1, 2) len,
        generate_series(1, char_length(c."search_text") - len + 1) i
    ) g GROUP BY "org_id", "gram" HAVING sum("n") <> 0 ORDER BY "org_id", "gram"
    ON CONFLICT ("org_id", "gram") DO UPDATE SET "members" = "member_grams"."members" + excluded."members";`

export const migrations: readonly { id: string; sql: string }[] = [
  {
    id: '0000_init',
    sql: `
CREATE TABLE "access_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"family_id" text NOT NULL,
	"user_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
CREATE TABLE "activity" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"target" text,
	"details" jsonb NOT NULL
);
CREATE TABLE "invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" text,
	"trusted_domain" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "invitations_token_hash_unique" UNIQUE("token_hash")
);
CREATE TABLE "invoices" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"amount_cents" integer NOT NULL,
	"status" text NOT NULL
);
CREATE TABLE "memberships" (
	"org_id" text NOT NULL,
	"user_id" text NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "memberships_org_id_user_id_pk" PRIMARY KEY("org_id","user_id")
);
CREATE TABLE "orgs" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"member_limit" integer NOT NULL,
	"members_version" integer DEFAULT 0 NOT NULL,
	"plan" text DEFAULT 'Team' NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "orgs_slug_unique" UNIQUE("slug")
);
CREATE TABLE "refresh_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"family_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"rotated_at" timestamp with time zone
);
CREATE TABLE "token_families" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
CREATE TABLE "trusted_domains" (
	"org_id" text NOT NULL,
	"domain" text NOT NULL,
	"added_by" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "trusted_domains_org_id_domain_pk" PRIMARY KEY("org_id","domain")
);
CREATE TABLE "usage" (
	"org_id" text NOT NULL,
	"day" date NOT NULL,
	"amount_cents" integer NOT NULL,
	CONSTRAINT "usage_org_id_day_pk" PRIMARY KEY("org_id","day")
);
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
CREATE TABLE "workspace_members" (
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "workspace_members_workspace_id_user_id_pk" PRIMARY KEY("workspace_id","user_id")
);
CREATE TABLE "workspaces" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_family_id_token_families_id_fk" FOREIGN KEY ("family_id") REFERENCES "public"."token_families"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "activity" ADD CONSTRAINT "activity_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "activity" ADD CONSTRAINT "activity_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_family_id_token_families_id_fk" FOREIGN KEY ("family_id") REFERENCES "public"."token_families"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "token_families" ADD CONSTRAINT "token_families_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "trusted_domains" ADD CONSTRAINT "trusted_domains_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "trusted_domains" ADD CONSTRAINT "trusted_domains_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
ALTER TABLE "usage" ADD CONSTRAINT "usage_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "workspace_members" ADD CONSTRAINT "workspace_members_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "workspace_members" ADD CONSTRAINT "workspace_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
CREATE INDEX "activity_org_seq" ON "activity" USING btree ("org_id","seq");
CREATE INDEX "invitations_org" ON "invitations" USING btree ("org_id","created_at");
CREATE INDEX "invoices_org" ON "invoices" USING btree ("org_id");
CREATE INDEX "memberships_org_email" ON "memberships" USING btree ("org_id","email","user_id");
CREATE INDEX "memberships_org_updated" ON "memberships" USING btree ("org_id","updated_at","user_id");
CREATE INDEX "workspace_members_user" ON "workspace_members" USING btree ("user_id");
CREATE INDEX "workspaces_org" ON "workspaces" USING btree ("org_id");
`,
  },
  {
    // Substring search over 100 000 members (ILIKE '%…%') needs trigram indexes, not a scan.
    id: '0001_member_search',
    sql: `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "memberships_search" ON "memberships" USING gin ("email" gin_trgm_ops, "display_name" gin_trgm_ops);
`,
  },
  {
    // A page of 1 000 members spent most of its time counting each one's workspaces. The
    // count is stored instead, and triggers keep it right in the transaction that changes
    // workspace_members (cascades from a deleted workspace or user included).
    id: '0002_member_workspace_count',
    sql: `
ALTER TABLE "memberships" ADD COLUMN "workspace_count" integer DEFAULT 0 NOT NULL;
UPDATE "memberships" m SET "workspace_count" = (
  SELECT count(*) FROM "workspace_members" wm JOIN "workspaces" w ON w."id" = wm."workspace_id"
  WHERE w."org_id" = m."org_id" AND wm."user_id" = m."user_id"
);
CREATE FUNCTION "workspace_members_count"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "memberships" SET "workspace_count" = "workspace_count" + 1
    WHERE "user_id" = NEW."user_id" AND "org_id" = (SELECT "org_id" FROM "workspaces" WHERE "id" = NEW."workspace_id");
    RETURN NEW;
  END IF;
  UPDATE "memberships" SET "workspace_count" = "workspace_count" - 1
  WHERE "user_id" = OLD."user_id" AND "org_id" = (SELECT "org_id" FROM "workspaces" WHERE "id" = OLD."workspace_id");
  RETURN OLD;
END $$;
CREATE TRIGGER "workspace_members_count" AFTER INSERT OR DELETE ON "workspace_members"
  FOR EACH ROW EXECUTE FUNCTION "workspace_members_count"();
-- A deleted workspace's members cascade away after it is gone; count them out before.
CREATE FUNCTION "workspace_deleted_count"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "memberships" SET "workspace_count" = "workspace_count" - 1
  WHERE "org_id" = OLD."org_id" AND "user_id" IN (SELECT "user_id" FROM "workspace_members" WHERE "workspace_id" = OLD."id");
  RETURN OLD;
END $$;
CREATE TRIGGER "workspace_deleted_count" BEFORE DELETE ON "workspaces"
  FOR EACH ROW EXECUTE FUNCTION "workspace_deleted_count"();
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
	"window_start" timestamp with time zone NOT NULL
);
CREATE TABLE "server_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
ALTER TABLE "invitations" ADD COLUMN "link_version" integer DEFAULT 0 NOT NULL;
`,
  },
  {
    // Issue 9: domains are proven before they count, email is delivered through an outbox,
    // addresses are verified, and people join only by accepting. Existing addresses stay
    // unverified: nothing proved them. Existing domains stay pending until verified.
    id: '0004_domains_consent_email',
    sql: `
ALTER TABLE "users" ADD COLUMN "email_verified_at" timestamp with time zone;
ALTER TABLE "orgs" ADD COLUMN "domain_challenge" text;
ALTER TABLE "trusted_domains" ADD COLUMN "verified_at" timestamp with time zone;
ALTER TABLE "trusted_domains" ADD COLUMN "verified_by" text;
ALTER TABLE "trusted_domains" ADD COLUMN "enrollment" text DEFAULT 'manual' NOT NULL;
ALTER TABLE "invitations" ADD COLUMN "email_token_hash" text;
ALTER TABLE "invitations" ADD COLUMN "automatic" boolean DEFAULT false NOT NULL;
ALTER TABLE "invitations" ADD COLUMN "delivery" text DEFAULT 'queued' NOT NULL;
ALTER TABLE "invitations" ADD COLUMN "declined_at" timestamp with time zone;
ALTER TABLE "invitations" ADD COLUMN "reminder_queued_at" timestamp with time zone;
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_email_token_hash_unique" UNIQUE("email_token_hash");
CREATE TABLE "outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"to_email" text NOT NULL,
	"subject" text NOT NULL,
	"text_body" text NOT NULL,
	"html_body" text NOT NULL,
	"invitation_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"last_error" text
);
CREATE TABLE "email_verifications" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"email" text NOT NULL,
	"code_hash" text NOT NULL,
	"link_token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "email_verifications_link_token_hash_unique" UNIQUE("link_token_hash")
);
CREATE TABLE "join_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"user_id" text NOT NULL,
	"domain" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decision" text,
	"decided_by" text
);
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE set null ON UPDATE no action;
ALTER TABLE "email_verifications" ADD CONSTRAINT "email_verifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
CREATE INDEX "outbox_due" ON "outbox" USING btree ("sent_at","next_attempt_at");
CREATE INDEX "email_verifications_user" ON "email_verifications" USING btree ("user_id");
CREATE INDEX "join_requests_org" ON "join_requests" USING btree ("org_id","decided_at");
`,
  },
  {
    // Issue 11: API keys (service-account style, hashed secrets) and an audit log that names the
    // key that acted and the person an action was about, indexed for its filters.
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
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_prefix_unique" UNIQUE("prefix")
);
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
CREATE INDEX "api_keys_org" ON "api_keys" USING btree ("org_id","created_at");
ALTER TABLE "activity" ADD COLUMN "actor_key_id" text;
ALTER TABLE "activity" ADD COLUMN "target_user_id" text;
ALTER TABLE "activity" ADD CONSTRAINT "activity_actor_key_id_api_keys_id_fk" FOREIGN KEY ("actor_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;
CREATE INDEX "activity_org_actor" ON "activity" USING btree ("org_id","actor_id","seq");
CREATE INDEX "activity_org_target_user" ON "activity" USING btree ("org_id","target_user_id","seq");
CREATE INDEX "activity_org_action" ON "activity" USING btree ("org_id","action","seq");
CREATE INDEX "activity_org_at" ON "activity" USING btree ("org_id","at");
`,
    },
    {
    // Issue 11: workspaces are edited and go to a recycle bin (deleted_at) before they are purged;
    // workspace roles are Admin / Member / Viewer; last_active_at per membership. A workspace in the
    // bin no longer counts in memberships.workspace_count: the 0002 triggers count only live ones,
    // and moving a workspace into or out of the bin counts its members out or back in.
    id: '0006_workspaces_editable',
    sql: `
ALTER TABLE "workspaces" ADD COLUMN "deleted_at" timestamp with time zone;
ALTER TABLE "workspaces" ADD COLUMN "deleted_by" text;
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_deleted_by_users_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
CREATE UNIQUE INDEX "workspaces_live_name" ON "workspaces" ("org_id", lower("name")) WHERE "deleted_at" IS NULL;
ALTER TABLE "memberships" ADD COLUMN "last_active_at" timestamp with time zone;
UPDATE "workspace_members" SET "role" = 'member' WHERE "role" = 'editor';
CREATE OR REPLACE FUNCTION "workspace_members_count"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "memberships" SET "workspace_count" = "workspace_count" + 1
    WHERE "user_id" = NEW."user_id" AND "org_id" = (SELECT "org_id" FROM "workspaces" WHERE "id" = NEW."workspace_id" AND "deleted_at" IS NULL);
    RETURN NEW;
  END IF;
  UPDATE "memberships" SET "workspace_count" = "workspace_count" - 1
  WHERE "user_id" = OLD."user_id" AND "org_id" = (SELECT "org_id" FROM "workspaces" WHERE "id" = OLD."workspace_id" AND "deleted_at" IS NULL);
  RETURN OLD;
END $$;
CREATE OR REPLACE FUNCTION "workspace_deleted_count"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."deleted_at" IS NULL THEN
    UPDATE "memberships" SET "workspace_count" = "workspace_count" - 1
    WHERE "org_id" = OLD."org_id" AND "user_id" IN (SELECT "user_id" FROM "workspace_members" WHERE "workspace_id" = OLD."id");
  END IF;
  RETURN OLD;
END $$;
CREATE FUNCTION "workspace_binned_count"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "memberships" SET "workspace_count" = "workspace_count" + (CASE WHEN NEW."deleted_at" IS NULL THEN 1 ELSE -1 END)
  WHERE "org_id" = NEW."org_id" AND "user_id" IN (SELECT "user_id" FROM "workspace_members" WHERE "workspace_id" = NEW."id");
  RETURN NEW;
END $$;
CREATE TRIGGER "workspace_binned_count" AFTER UPDATE OF "deleted_at" ON "workspaces"
  FOR EACH ROW WHEN ((OLD."deleted_at" IS NULL) <> (NEW."deleted_at" IS NULL)) EXECUTE FUNCTION "workspace_binned_count"();
`,
    },
    {
    // Issue 11: an organization is deleted by marking it; everything org-scoped then answers 404.
    id: '0007_org_lifecycle',
    sql: `
ALTER TABLE "orgs" ADD COLUMN "deleted_at" timestamp with time zone;
`,
  },
  {
    // Name search at 100 000 members: two ILIKEs over email and display_name took 0.66 s as the
    // sequential scan the planner chose (76 ms through the two-column trigram index). One
    // lower-cased column, email and name joined by a newline (search terms never hold control
    // characters, so no term spans both), with its own trigram index, is searched with LIKE.
    id: '0008_member_search_text',
    sql: `
ALTER TABLE "memberships" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower("email" || E'\\n' || "display_name")) STORED;
CREATE INDEX "memberships_search_text" ON "memberships" USING gin ("search_text" gin_trgm_ops);
ANALYZE "memberships";
`,
  },
  {
    // Member search cost per query: a GIN index keeps new entries in an unsorted pending list (up
    // to 4 MB) that every search reads in full until a vacuum merges it; after a bulk import its
    // 170 pages doubled a name search (2.4 ms instead of 1.1). Writes now go straight into the
    // index. The two-column index of 0002 has had no reader since 0008 and only slowed writes.
    id: '0009_member_search_index_direct',
    sql: `
DROP INDEX "memberships_search";
ALTER INDEX "memberships_search_text" SET (fastupdate = off);
SELECT gin_clean_pending_list('memberships_search_text');
`,
  },
  {
    // The organization list read member and Owner counts by count(*) over every membership (160–370 ms
    // at 100 000 members, on each sign-in); the database keeps them instead. Statement triggers: a bulk
    // import updates its organization once per INSERT, not once per row. Transition tables cannot
    // name columns, so the UPDATE trigger sees every update and writes only where a count changed.
    id: '0010_org_member_counts',
    sql: `
ALTER TABLE "orgs" ADD COLUMN "member_count" integer DEFAULT 0 NOT NULL;
ALTER TABLE "orgs" ADD COLUMN "owner_count" integer DEFAULT 0 NOT NULL;
UPDATE "orgs" o SET "member_count" = c."members", "owner_count" = c."owners" FROM (
  SELECT "org_id", count(*) "members", count(*) FILTER (WHERE "role" = 'owner') "owners"
  FROM "memberships" WHERE "removed_at" IS NULL GROUP BY "org_id") c
WHERE o."id" = c."org_id";
CREATE FUNCTION "org_member_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch reads only the transition tables its trigger declares.
  IF TG_OP = 'INSERT' THEN
    ${countChanges(`SELECT "org_id", "role", 1 "n" FROM "added" WHERE "removed_at" IS NULL`)}
  ELSIF TG_OP = 'DELETE' THEN
    ${countChanges(`SELECT "org_id", "role", -1 "n" FROM "gone" WHERE "removed_at" IS NULL`)}
  ELSE
    ${countChanges(`SELECT "org_id", "role", 1 "n" FROM "added" WHERE "removed_at" IS NULL
      UNION ALL SELECT "org_id", "role", -1 FROM "gone" WHERE "removed_at" IS NULL`)}
  END IF;
  RETURN NULL;
END $$;
${afterEachStatement('org_member_counts')}
`,
  },
  {
    // A 1 000-member sync page spent ~10 µs a row building each member's JSON (to_char, to_json):
    // the text is stored instead, as the embedded store does (its 0008), written by a trigger
    // whenever a column it shows changes.
    id: '0011_member_json',
    sql: `
ALTER TABLE "memberships" ADD COLUMN "member_json" text NOT NULL DEFAULT '';
UPDATE "memberships" SET "member_json" = ${memberJson('')};
CREATE FUNCTION "memberships_json"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."member_json" := ${memberJson('NEW.')};
  RETURN NEW;
END $$;
CREATE TRIGGER "memberships_json" BEFORE INSERT OR UPDATE OF "user_id", "email", "display_name", "role", "joined_at", "updated_at", "workspace_count"
  ON "memberships" FOR EACH ROW EXECUTE FUNCTION "memberships_json"();
`,
  },
  {
    // A role's members in email order, read in that order: the role filter walked the email index
    // and tested every row's role, the whole list for the one or two Owners of 100 000 (14 ms a
    // page). The embedded store's 0010 is the same.
    id: '0012_member_role_order',
    sql: `
CREATE INDEX "memberships_org_role_email" ON "memberships" ("org_id", "role", "email", "user_id");
`,
  },
  {
    // An incremental sync's removals, by their own stamp: found through the (org, updated) index,
    // they were tested among every row changed since (10-23 ms at 100 000 after a change to all).
    // The embedded store's 0012 is the same.
    id: '0013_member_tombstones',
    sql: `
CREATE INDEX "memberships_org_removed" ON "memberships" ("org_id", "removed_at") WHERE "removed_at" IS NOT NULL;
`,
  },
  {
    // A search for one or two characters has no index to use (pg_trgm finds no trigram in it), so
    // its total was counted by testing every member: 30-90 ms at 100 000. Each organization's count
    // of members holding each such substring of their search text is kept instead, by statement
    // triggers as 0010's counts are (a bulk import adds its grams once per INSERT). An UPDATE
    // counts only rows whose text or removal changed: a stamp on every member costs a join, not
    // 100 000 members' grams. The embedded store's 0013 is the same.
    id: '0014_member_short_terms',
    sql: `
CREATE TABLE "member_grams" (
  "org_id" text NOT NULL, "gram" text NOT NULL, "members" integer NOT NULL,
  PRIMARY KEY ("org_id", "gram")
);
${countGrams(`SELECT "org_id", "user_id", "search_text", 1 FROM "memberships" WHERE "removed_at" IS NULL`)}
CREATE FUNCTION "member_grams"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${countGrams(`SELECT "org_id", "user_id", "search_text", 1 FROM "added" WHERE "removed_at" IS NULL`)}
  ELSIF TG_OP = 'DELETE' THEN
    ${countGrams(`SELECT "org_id", "user_id", "search_text", -1 FROM "gone" WHERE "removed_at" IS NULL`)}
  ELSE
    ${countGrams(`SELECT a."org_id", a."user_id", a."search_text", 1 FROM "added" a LEFT JOIN "gone" g USING ("org_id", "user_id")
      WHERE a."removed_at" IS NULL AND (g."user_id" IS NULL OR g."removed_at" IS NOT NULL OR g."search_text" <> a."search_text")
      UNION ALL SELECT g."org_id", g."user_id", g."search_text", -1 FROM "gone" g LEFT JOIN "added" a USING ("org_id", "user_id")
      WHERE g."removed_at" IS NULL AND (a."user_id" IS NULL OR a."removed_at" IS NOT NULL OR a."search_text" <> g."search_text")`)}
  END IF;
  RETURN NULL;
END $$;
${afterEachStatement('member_grams')}
`,
  },
]
