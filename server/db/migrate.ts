import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Database } from './client.ts';

const dir = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * Applies the committed SQL migrations (server/db/migrations/NNNN_name.sql) in name order, in one
 * transaction, statements separated by drizzle-kit's `--> statement-breakpoint` marker, under an advisory lock so several API processes starting at once on
 * one PostgreSQL do not race.
 */
export async function migrate(database: Database): Promise<string[]> {
  const files = readdirSync(dir).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727274)`);
    await tx.execute(sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`);
    const done = new Set(
      ((await tx.execute(sql`select name from schema_migrations`)) as unknown as { rows: { name: string }[] }).rows.map((r) => r.name),
    );
    for (const file of files) {
      if (done.has(file)) continue;
      // One statement at a time: PGlite's extended protocol runs a single statement per query.
      for (const statement of readFileSync(dir + file, 'utf8').split('--> statement-breakpoint')) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(sql`insert into schema_migrations (name) values (${file})`);
      applied.push(file);
    }
  });
  return applied;
}
