import { defineConfig } from 'drizzle-kit';

// Used to draft migrations: `npx drizzle-kit generate --name <area>` diffs the schema against
// the snapshots in server/db/drafts/meta and writes a draft SQL file there; copy it to
// server/db/migrations/NNNN_<area>.sql (what runs, applied by server/db/migrate.ts) and delete
// the draft, so each migration exists once.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema/index.ts',
  out: './server/db/drafts',
});
