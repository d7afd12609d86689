CREATE TABLE "bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"tenant_email" text,
	"tenant_phone" text,
	"move_in" text NOT NULL,
	"move_out" text,
	"state" text NOT NULL,
	"sync_enabled" boolean DEFAULT false NOT NULL,
	"access_revoked" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tapkey_grant_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"grant_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"desired" text NOT NULL,
	"lock_id" uuid NOT NULL,
	"email" text NOT NULL,
	"tapkey_grant_id" text,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "tapkey_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"booking_id" uuid NOT NULL,
	"location_id" uuid,
	"lock_id" uuid NOT NULL,
	"email" text NOT NULL,
	"desired" text NOT NULL,
	"state" text NOT NULL,
	"reason" text,
	"tapkey_grant_id" text,
	"valid_from" timestamp with time zone,
	"valid_before" timestamp with time zone,
	"generation" integer DEFAULT 1 NOT NULL,
	"touched" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tapkey_leases" (
	"key" text PRIMARY KEY NOT NULL,
	"lease" uuid NOT NULL,
	"until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tapkey_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"booking_id" uuid NOT NULL,
	"grant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"email" text NOT NULL,
	"lock_id" uuid NOT NULL,
	"unit_name" text NOT NULL,
	"tapkey_grant_id" text NOT NULL,
	"valid_from" timestamp with time zone,
	"valid_before" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tapkey_sync_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"actor" text NOT NULL,
	"total" integer NOT NULL,
	"report" jsonb NOT NULL,
	"scan_state" text DEFAULT 'pending' NOT NULL,
	"scan_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tapkey_triggers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"booking_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tapkey_unexplained_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"tapkey_grant_id" text NOT NULL,
	"lock_id" text NOT NULL,
	"lock_title" text,
	"email" text,
	"valid_from" text,
	"valid_before" text,
	"state" text DEFAULT 'found' NOT NULL,
	"reason" text
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_grant_events" ADD CONSTRAINT "tapkey_grant_events_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_grant_events" ADD CONSTRAINT "tapkey_grant_events_grant_id_tapkey_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."tapkey_grants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_grants" ADD CONSTRAINT "tapkey_grants_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_grants" ADD CONSTRAINT "tapkey_grants_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_grants" ADD CONSTRAINT "tapkey_grants_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_notices" ADD CONSTRAINT "tapkey_notices_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_notices" ADD CONSTRAINT "tapkey_notices_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_notices" ADD CONSTRAINT "tapkey_notices_grant_id_tapkey_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."tapkey_grants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_sync_runs" ADD CONSTRAINT "tapkey_sync_runs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_sync_runs" ADD CONSTRAINT "tapkey_sync_runs_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_triggers" ADD CONSTRAINT "tapkey_triggers_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_triggers" ADD CONSTRAINT "tapkey_triggers_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_unexplained_grants" ADD CONSTRAINT "tapkey_unexplained_grants_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tapkey_unexplained_grants" ADD CONSTRAINT "tapkey_unexplained_grants_run_id_tapkey_sync_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."tapkey_sync_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_org_external_idx" ON "bookings" USING btree ("organization_id","external_id");--> statement-breakpoint
CREATE INDEX "bookings_org_unit_idx" ON "bookings" USING btree ("organization_id","unit_id");--> statement-breakpoint
CREATE INDEX "tapkey_grant_events_grant_idx" ON "tapkey_grant_events" USING btree ("grant_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "tapkey_grants_booking_idx" ON "tapkey_grants" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "tapkey_grants_org_lock_email_idx" ON "tapkey_grants" USING btree ("organization_id","lock_id","email");--> statement-breakpoint
CREATE INDEX "tapkey_grants_org_location_idx" ON "tapkey_grants" USING btree ("organization_id","location_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tapkey_notices_once_idx" ON "tapkey_notices" USING btree ("grant_id","tapkey_grant_id","kind");--> statement-breakpoint
CREATE INDEX "tapkey_notices_org_idx" ON "tapkey_notices" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "tapkey_sync_runs_org_idx" ON "tapkey_sync_runs" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tapkey_triggers_booking_kind_idx" ON "tapkey_triggers" USING btree ("booking_id","kind");--> statement-breakpoint
CREATE INDEX "tapkey_triggers_due_idx" ON "tapkey_triggers" USING btree ("fired_at","due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tapkey_unexplained_run_grant_idx" ON "tapkey_unexplained_grants" USING btree ("run_id","tapkey_grant_id");