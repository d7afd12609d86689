import { defineConfig } from 'drizzle-kit';

// Used to draft migrations (`npx drizzle-kit generate`); the committed SQL in
// server/db/migrations is what runs, applied by server/db/migrate.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema/index.ts',
  out: './server/db/drafts',
});
