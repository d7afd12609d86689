/**
 * Environment for a real API process or startServer() call: its own data folder, and with
 * DATABASE_URL its own PostgreSQL database (dropped by `cleanup`), so restarts see only their
 * own data.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface ServerEnv {
  env: Record<string, string>;
  dataDir: string;
  cleanup(): Promise<void>;
}

export async function freshServerEnv(): Promise<ServerEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ab-data-'));
  const env: Record<string, string> = { ACCESSBRIDGE_DATA_DIR: dataDir, PORT: '0' };
  const base = process.env.DATABASE_URL;
  let name: string | undefined;
  if (base) {
    name = `ab_srv_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
  } else {
    // A child process must not inherit a DATABASE_URL meant for something else.
    env.DATABASE_URL = '';
  }
  return {
    env,
    dataDir,
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
      if (!base || !name) return;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
