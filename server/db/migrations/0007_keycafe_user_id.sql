ALTER TABLE "keycafe_accesses" ADD COLUMN IF NOT EXISTS "keycafe_user_id" text;
