-- Writes to the tables that in-process caches depend on (the token check, list pages) are
-- announced to every connection listening on `accessbridge_writes`, with the table's name:
-- each API process on a shared PostgreSQL then drops what another process (a second API
-- process, `npm run worker`, the admin CLI) made stale (server/db/write-listener.ts). One
-- notification per table per transaction (PostgreSQL folds identical ones), sent at commit.
CREATE FUNCTION "accessbridge_notify_write"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('accessbridge_writes', TG_TABLE_NAME);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "organizations_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organizations" FOR EACH STATEMENT EXECUTE FUNCTION "accessbridge_notify_write"();--> statement-breakpoint
CREATE TRIGGER "api_tokens_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "api_tokens" FOR EACH STATEMENT EXECUTE FUNCTION "accessbridge_notify_write"();--> statement-breakpoint
CREATE TRIGGER "locks_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "locks" FOR EACH STATEMENT EXECUTE FUNCTION "accessbridge_notify_write"();--> statement-breakpoint
CREATE TRIGGER "units_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "units" FOR EACH STATEMENT EXECUTE FUNCTION "accessbridge_notify_write"();--> statement-breakpoint
CREATE TRIGGER "mappings_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "mappings" FOR EACH STATEMENT EXECUTE FUNCTION "accessbridge_notify_write"();
