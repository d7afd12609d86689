-- Lists are read in their order (server/routes/locks.ts, units.ts): an index per order, so a page is an index walk, not a sort.
CREATE INDEX "locks_org_title_idx" ON "locks" USING btree ("organization_id","title","id");--> statement-breakpoint
CREATE INDEX "units_org_name_external_idx" ON "units" USING btree ("organization_id","name","external_id");--> statement-breakpoint
DROP INDEX "units_org_name_idx";
