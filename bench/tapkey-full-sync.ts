/**
 * Tapkey full-sync benchmark: N bookings (one per mapped unit, each with its own tenant email)
 * at one location, synced by POST /v1/locations/{id}/sync-runs through the real API, the
 * outbox worker (production settings unless --concurrency) and the connector, against the
 * sandbox Tapkey, which allows duplicates so any double create is counted. Optional faults:
 * a share of grant calls fail (half of the failing creates after Tapkey created the grant).
 *
 * Figures: time to plan (the POST), time until every job finished, grants per second, Tapkey
 * calls by endpoint, duplicates (must be 0), missing grants (must be 0), failed jobs.
 *
 *   npx tsx bench/tapkey-full-sync.ts [--bookings 10000] [--concurrency 8] [--faults 0] [--seed 1] [--behaviours lenient|strict] [--workers 0]
 *   (strict: the fake refuses the grants lock filter, so every grant job reads all active grants)
 *   (DATABASE_URL set: PostgreSQL; otherwise PGlite in a temporary folder)
 *   (--workers N, PostgreSQL only: N worker processes, server/worker.ts, share the jobs with the API process)
 *   (CPU seconds: this process only; worker processes and the PostgreSQL server are not in it)
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { createApp } from '../server/app.ts';
import type { AppDeps } from '../server/env.ts';
import { openDatabase } from '../server/db/client.ts';
import { createJobHandlers } from '../server/jobs.ts';
import { DEFAULT_OUTBOX_CONCURRENCY, OutboxWorker } from '../server/outbox/outbox.ts';
import { startTapkeySandbox } from '../sandbox/tapkey-api/index.ts';
import { seedTapkeyWorld } from '../test/tapkey/seed.ts';

export interface TapkeyBenchOptions {
  bookings?: number;
  concurrency?: number;
  faults?: number;
  seed?: number;
  /** The fake's undocumented behaviours (sandbox/tapkey-api/SOURCES.md). */
  behaviours?: 'lenient' | 'strict';
  /** PostgreSQL only: this many `npm run worker` processes (server/worker.ts) share the jobs with the API process. */
  workers?: number;
}

export interface TapkeyBenchFigures {
  bookings: number;
  database: 'pglite' | 'postgres';
  concurrency: number;
  workers: number;
  faults: number;
  planSeconds: number;
  syncSeconds: number;
  /** CPU time of this process during the sync (the fake, the API, PGlite): steadier than wall time on a shared host. */
  cpuSeconds: number;
  grantsPerSecond: number;
  tapkeyCalls: number;
  callsByEndpoint: Record<string, number>;
  injectedFaults: number;
  duplicates: number;
  missing: number;
  failedJobs: number;
}

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(text: string) {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  await c.query(text);
  await c.end();
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

export async function runTapkeyBench(opts: TapkeyBenchOptions = {}): Promise<TapkeyBenchFigures> {
  const n = opts.bookings ?? 10_000;
  const concurrency = opts.concurrency ?? DEFAULT_OUTBOX_CONCURRENCY;
  const workers = opts.workers ?? 0;
  if (workers > 0 && !process.env.DATABASE_URL) throw new Error('--workers needs DATABASE_URL (PostgreSQL): on PGlite the API process runs every job');
  const faults = opts.faults ?? 0;
  const sb = await startTapkeySandbox({ locks: n + 3, duplicateGrants: 'allow', behaviours: opts.behaviours });
  // Its own database: a temporary PGlite folder, or a new database on DATABASE_URL's server.
  const dir = process.env.DATABASE_URL ? null : mkdtempSync(join(tmpdir(), 'ab-bench-tapkey-'));
  const pgName = dir ? null : `ab_bench_tapkey_${randomBytes(4).toString('hex')}`;
  if (pgName) await adminQuery(`create database ${pgName}`);
  const database = await openDatabase(dir ? { dataDir: join(dir, 'pglite') } : { url: withDatabase(process.env.DATABASE_URL!, pgName!) });
  const secretKey = randomBytes(32);
  const world = await seedTapkeyWorld(database.db, { bookings: n, secretKey });
  const deps: AppDeps = { database, secretKey, tapkey: { tokenUrl: sb.tokenUrl, apiUrl: sb.apiUrl } };
  const worker = new OutboxWorker(database.db, createJobHandlers(deps), { concurrency });
  deps.kickOutbox = () => worker.kick();
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: createApp(deps).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (method: string, path: string) => {
    const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${world.token}` } });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${await res.text()}`);
    return res.json() as Promise<{ id: string; state: string; progress: { done: number; failed: number; total: number } }>;
  };
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < workers; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../server/worker.ts', import.meta.url))], {
        env: {
          ...process.env,
          DATABASE_URL: withDatabase(process.env.DATABASE_URL!, pgName!),
          ACCESSBRIDGE_SECRET_KEY: secretKey.toString('base64'),
          ACCESSBRIDGE_OUTBOX_CONCURRENCY: String(concurrency),
          TAPKEY_TOKEN_URL: sb.tokenUrl,
          TAPKEY_API_URL: sb.apiUrl,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      // Started when it says so (its database is open and migrated).
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => {
          child.stdout!.resume();
          resolve();
        });
        child.once('exit', (code) => reject(new Error(`worker process exited (${code})`)));
      });
    }
    if (faults > 0) {
      sb.faults.seed(opts.seed ?? 1);
      sb.faults.add({ kind: 'status', status: 500, endpoint: 'grants.list', probability: faults / 2, times: Infinity });
      sb.faults.add({ kind: 'status', status: 500, endpoint: 'grants.create', after: true, probability: faults / 4, times: Infinity });
      sb.faults.add({ kind: 'status', status: 503, endpoint: 'grants.create', probability: faults / 4, times: Infinity });
    }
    sb.calls.clear();
    worker.start();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const run = await call('POST', `/v1/locations/${world.locationId}/sync-runs`);
    const planned = performance.now();
    let state = run;
    while (state.state !== 'done') {
      await new Promise((r) => setTimeout(r, 500));
      state = await call('GET', `/v1/sync-runs/${run.id}`);
    }
    const finished = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const byPair = sb.state.activeGrantsByContactAndLock();
    return {
      bookings: n,
      database: database.kind,
      concurrency,
      workers,
      faults,
      planSeconds: seconds(planned - t0),
      syncSeconds: seconds(finished - t0),
      cpuSeconds: seconds((cpu.user + cpu.system) / 1000),
      grantsPerSecond: Math.round(n / ((finished - t0) / 1000)),
      tapkeyCalls: sb.calls.count(),
      callsByEndpoint: sb.calls.byEndpoint() as Record<string, number>,
      injectedFaults: sb.calls.log.filter((c) => c.fault).length,
      duplicates: [...byPair.values()].filter((g) => g.length > 1).length,
      missing: world.expected.filter((e) => byPair.get(`${e.email}|${e.lockId}`)?.length !== 1).length,
      failedJobs: state.progress.failed,
    };
  } finally {
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : (c.once('exit', r), c.kill('SIGTERM'))))));
    await worker.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as unknown as { closeAllConnections(): void }).closeAllConnections();
    });
    await database.close();
    await sb.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (pgName) await adminQuery(`drop database if exists ${pgName} with (force)`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { bookings: { type: 'string' }, concurrency: { type: 'string' }, faults: { type: 'string' }, seed: { type: 'string' }, behaviours: { type: 'string' }, workers: { type: 'string' } } });
  const figures = await runTapkeyBench({
    bookings: values.bookings ? Number(values.bookings) : undefined,
    concurrency: values.concurrency ? Number(values.concurrency) : undefined,
    behaviours: values.behaviours === 'strict' ? 'strict' : 'lenient',
    faults: values.faults ? Number(values.faults) : undefined,
    seed: values.seed ? Number(values.seed) : undefined,
    workers: values.workers ? Number(values.workers) : undefined,
  });
  console.log(JSON.stringify(figures, null, 2));
  const ok = figures.duplicates === 0 && figures.missing === 0 && figures.failedJobs === 0;
  console.log(
    `\n${figures.bookings} bookings synced in ${figures.syncSeconds} s (plan ${figures.planSeconds} s, ${figures.grantsPerSecond} grants/s, ${figures.database}, ` +
      `concurrency ${figures.concurrency}${figures.workers ? `, ${figures.workers} worker process${figures.workers > 1 ? 'es' : ''}` : ''}); ${figures.tapkeyCalls} Tapkey calls, ${figures.injectedFaults} injected faults, ` +
      `${figures.duplicates} duplicates, ${figures.missing} missing, ${figures.failedJobs} failed → ${ok ? 'OK' : 'FAILED'}`,
  );
  process.exit(ok ? 0 : 1);
}
