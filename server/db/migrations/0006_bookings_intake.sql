-- Bookings intake (list capture, file import, signed webhook) and the seed's gradual mode.
-- sync_enabled becomes an override: null = decided by the location's mode (gradual: bookings
-- made after the connection), true/false = switched by hand. A false nobody ever switched was
-- only the old default, so it becomes null; one switched off by hand stays off.
ALTER TABLE "bookings" ALTER COLUMN "sync_enabled" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "bookings" ALTER COLUMN "sync_enabled" DROP DEFAULT;
--> statement-breakpoint
UPDATE "bookings" b SET "sync_enabled" = NULL
WHERE b."sync_enabled" = false
  AND NOT EXISTS (
    SELECT 1 FROM "audit_events" a
    WHERE a."organization_id" = b."organization_id" AND a."entity" = 'booking'
      AND a."entity_id" = b."external_id" AND a."action" = 'booking.sync_switched'
  );
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "booked_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "last_seen_at" timestamp with time zone DEFAULT now() NOT NULL;
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "last_seen_via" text;
--> statement-breakpoint
CREATE INDEX "bookings_org_seen_idx" ON "bookings" USING btree ("organization_id","last_seen_at");
--> statement-breakpoint
-- Connected locations get a connection time (their creation: the best we know) and a trigger list.
UPDATE "locations" SET "tapkey" = "tapkey"
  || jsonb_build_object('connectedAt', to_char("created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
  || jsonb_build_object('accessTriggers', jsonb_build_array("tapkey"->>'accessTrigger'))
WHERE "tapkey" IS NOT NULL;
--> statement-breakpoint
CREATE TABLE "booking_hook_secrets" (
	"organization_id" uuid NOT NULL,
	"location_id" uuid PRIMARY KEY NOT NULL,
	"secret_enc" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "booking_hook_secrets" ADD CONSTRAINT "booking_hook_secrets_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "booking_hook_secrets" ADD CONSTRAINT "booking_hook_secrets_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "booking_hook_events" (
	"location_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"organization_id" uuid NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"result" jsonb NOT NULL,
	CONSTRAINT "booking_hook_events_pk" PRIMARY KEY("location_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "booking_hook_events" ADD CONSTRAINT "booking_hook_events_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "booking_hook_events" ADD CONSTRAINT "booking_hook_events_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "booking_import_columns" (
	"organization_id" uuid NOT NULL,
	"location_id" uuid PRIMARY KEY NOT NULL,
	"columns" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "booking_import_columns" ADD CONSTRAINT "booking_import_columns_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "booking_import_columns" ADD CONSTRAINT "booking_import_columns_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE cascade ON UPDATE no action;
