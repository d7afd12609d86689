/**
 * Environment for a real API process or startServer() call: its own data folder, and with
 * DATABASE_URL its own PostgreSQL database (dropped by `cleanup`), so restarts see only their
 * own data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { throwawayPgDatabase, type ThrowawayDatabase } from './db.ts';

export interface ServerEnv {
  env: Record<string, string>;
  dataDir: string;
  cleanup(): Promise<void>;
}

export async function freshServerEnv(): Promise<ServerEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ab-data-'));
  const base = process.env.DATABASE_URL;
  const pgDatabase: ThrowawayDatabase | null = base ? await throwawayPgDatabase(base, 'ab_srv') : null;
  // Without PostgreSQL, a child process must not inherit a DATABASE_URL meant for something else.
  const env: Record<string, string> = { ACCESSBRIDGE_DATA_DIR: dataDir, PORT: '0', DATABASE_URL: pgDatabase?.url ?? '' };
  return {
    env,
    dataDir,
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
      await pgDatabase?.drop();
    },
  };
}
