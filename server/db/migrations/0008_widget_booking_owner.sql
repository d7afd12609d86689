ALTER TABLE "keycafe_bookings" ADD COLUMN "widget_token_id" uuid;--> statement-breakpoint
CREATE INDEX "keycafe_bookings_org_widget_token_idx" ON "keycafe_bookings" USING btree ("organization_id","widget_token_id");
