/**
 * A PostgreSQL database for a benchmark: a new database on DATABASE_URL's server when it is
 * set, else a throw-away server started with `.ci/postgres.sh` on a free port when PostgreSQL's
 * binaries are installed, else the reason there is none. `stop()` removes what was created.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = fileURLToPath(new URL('../', import.meta.url));

export type BenchPostgres = { url: string; source: string; stop(): Promise<void> } | { skipped: string };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function adminQuery(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh database on the server of `base`, dropped by `stop`. */
async function databaseOn(base: string, source: string): Promise<BenchPostgres> {
  const name = `ab_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(base, `create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), source, stop: () => adminQuery(base, `drop database if exists ${name} with (force)`) };
}

const installedBinaries = () =>
  existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(join('/usr/lib/postgresql', v, 'bin', 'initdb')));

export async function benchPostgres(): Promise<BenchPostgres> {
  if (process.env.DATABASE_URL) return databaseOn(process.env.DATABASE_URL, 'DATABASE_URL');
  if (!installedBinaries()) return { skipped: 'no DATABASE_URL and no PostgreSQL binaries in /usr/lib/postgresql/*/bin' };
  const port = await freePort();
  const out = execFileSync('bash', [join(root, '.ci/postgres.sh')], { env: { ...process.env, PGPORT: String(port) }, encoding: 'utf8', timeout: 120_000 });
  const vars = Object.fromEntries([...out.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
  const { DATABASE_URL: url, PGDATA_DIR: dataDir, PG_BIN: bin } = vars;
  if (!url || !dataDir || !bin) throw new Error(`.ci/postgres.sh printed no DATABASE_URL: ${out}`);
  const stopServer = async () => {
    const stop = `'${bin}/pg_ctl' -D '${dataDir}' -m fast -w stop`;
    if (process.getuid?.() === 0) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', stop], { stdio: 'ignore' });
    else execFileSync('sh', ['-c', stop], { stdio: 'ignore' });
    rmSync(dirname(dataDir), { recursive: true, force: true });
  };
  return { url, source: `.ci/postgres.sh (port ${port})`, stop: stopServer };
}
