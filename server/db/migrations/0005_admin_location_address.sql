-- The admin page's location form: a postal address, shown to managers only (optional).
ALTER TABLE "locations" ADD COLUMN IF NOT EXISTS "address" text;
