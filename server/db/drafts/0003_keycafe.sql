CREATE TABLE "keycafe_accesses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"booking_id" uuid NOT NULL,
	"key_id" text NOT NULL,
	"key_name" text NOT NULL,
	"desired" text DEFAULT 'active' NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"keycafe_access_id" text,
	"booking_code" text,
	"checkin_link" text,
	"create_sent_at" timestamp with time zone,
	"added_by_sync" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "keycafe_bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"type" text NOT NULL,
	"all_keys" boolean DEFAULT false NOT NULL,
	"recipient_email" text,
	"recipient_mobile" text,
	"locale" text NOT NULL,
	"name" text,
	"time_zone" text,
	"start_local" jsonb,
	"end_local" jsonb,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"return_reminder" boolean DEFAULT false NOT NULL,
	"reminder" jsonb,
	"require_visitor_id" boolean DEFAULT false NOT NULL,
	"visitors" integer DEFAULT 1 NOT NULL,
	"photo_verification" boolean DEFAULT false NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"cancel_requested_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"request_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "keycafe_keys" (
	"organization_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"keycafe_id" text NOT NULL,
	"name" text NOT NULL,
	"serial_number" text,
	"home_location_id" text,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "keycafe_keys_location_id_keycafe_id_pk" PRIMARY KEY("location_id","keycafe_id")
);
--> statement-breakpoint
CREATE TABLE "keycafe_locations" (
	"organization_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"keycafe_id" text NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"time_zone" text,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "keycafe_locations_location_id_keycafe_id_pk" PRIMARY KEY("location_id","keycafe_id")
);
--> statement-breakpoint
CREATE TABLE "keycafe_sync_state" (
	"location_id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"account_email" text,
	"keys_synced_at" timestamp with time zone,
	"locations_synced_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "keycafe_accesses" ADD CONSTRAINT "keycafe_accesses_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keycafe_accesses" ADD CONSTRAINT "keycafe_accesses_booking_id_keycafe_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."keycafe_bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keycafe_bookings" ADD CONSTRAINT "keycafe_bookings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keycafe_bookings" ADD CONSTRAINT "keycafe_bookings_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keycafe_keys" ADD CONSTRAINT "keycafe_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keycafe_keys" ADD CONSTRAINT "keycafe_keys_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keycafe_locations" ADD CONSTRAINT "keycafe_locations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keycafe_locations" ADD CONSTRAINT "keycafe_locations_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keycafe_sync_state" ADD CONSTRAINT "keycafe_sync_state_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keycafe_sync_state" ADD CONSTRAINT "keycafe_sync_state_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "keycafe_accesses_booking_key_idx" ON "keycafe_accesses" USING btree ("booking_id","key_id");--> statement-breakpoint
CREATE INDEX "keycafe_accesses_org_key_idx" ON "keycafe_accesses" USING btree ("organization_id","key_id");--> statement-breakpoint
CREATE UNIQUE INDEX "keycafe_accesses_keycafe_id_idx" ON "keycafe_accesses" USING btree ("organization_id","keycafe_access_id") WHERE "keycafe_accesses"."keycafe_access_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "keycafe_bookings_request_key_idx" ON "keycafe_bookings" USING btree ("organization_id","request_key");--> statement-breakpoint
CREATE INDEX "keycafe_bookings_org_created_idx" ON "keycafe_bookings" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "keycafe_bookings_org_recipient_idx" ON "keycafe_bookings" USING btree ("organization_id","recipient_email","recipient_mobile");--> statement-breakpoint
CREATE INDEX "keycafe_keys_org_name_idx" ON "keycafe_keys" USING btree ("organization_id","name");--> statement-breakpoint
CREATE INDEX "keycafe_locations_org_idx" ON "keycafe_locations" USING btree ("organization_id");