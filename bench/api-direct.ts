/**
 * The bound of the PostgreSQL at-rate scenarios of bench/api-load.ts: the very statements the
 * API sends for them, straight to PostgreSQL from node-postgres (no HTTP, Hono, zod or Drizzle),
 * at the same rate with the same concurrency. What this cannot beat, the API cannot either.
 *
 * 1. Record: on a freshly seeded database (bench/api-load-server.ts), the app answers the
 *    scenario's requests in-process one at a time while every statement its connections send
 *    (text, parameters, statement name) is recorded per request. The PUT sequence is recorded
 *    for 2 × MAPPED_UNITS requests, after which the mappings are back as seeded, so replaying
 *    it in a loop keeps every statement valid.
 * 2. Replay: a pool as the API's (10 connections) runs each request's statements in order on
 *    one connection, `connections` requests at a time, paced to `rate` per second.
 *
 * Runs in its own process (patching pg.Client is global). The database must exist and be empty.
 *
 *   npx tsx bench/api-direct.ts --database postgres://… [--rate 500] [--duration 10]
 */
// First: extends zod with `.openapi()` before any module creates a schema.
import '@hono/zod-openapi';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { cpuMeter, type CpuPerRequest } from './process-cpu.ts';
import { createApp } from '../server/app.ts';
import { openDatabase } from '../server/db/client.ts';
import { LOAD_UNITS, loadScenarios, MAPPED_UNITS, seedLoadDatabase, type LoadRequest } from './api-load-server.ts';
import { percentile } from './stats.ts';

type Statement = { text: string; values: unknown[]; name?: string; rowMode?: string };

export interface DirectFigures {
  scenario: string;
  statementsPerRequest: number;
  throughput: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  /** CPU milliseconds per request from /proc (absent elsewhere): this client process, the PostgreSQL backends. */
  cpuPerRequest?: CpuPerRequest;
}

/**
 * Records, on a freshly seeded database, the statements of `count` requests of each scenario
 * made by `next`, one request at a time, in order.
 */
async function record(url: string, cases: [() => LoadRequest, number][]): Promise<Statement[][][]> {
  // Before the pool opens: server/db/client.ts wraps each connection's `query` once, binding
  // the method it finds.
  let current: Statement[] | null = null;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, config: unknown, values?: unknown) {
    if (current) {
      const c = (typeof config === 'string' ? { text: config } : config) as Statement & { values?: unknown[] };
      current.push({ text: c.text, values: (Array.isArray(values) ? values : c.values) ?? [], name: c.name, rowMode: c.rowMode });
    }
    return query.apply(this, arguments as unknown as Parameters<typeof query>);
  } as typeof query;
  const database = await openDatabase({ url });
  const token = await seedLoadDatabase(database);
  const app = createApp({ database, secretKey: randomBytes(32), version: 'bench' });
  const send = async (r: LoadRequest) => {
    const res = await app.request(r.path, { method: r.method, body: r.body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    if (!res.ok) throw new Error(`${r.method} ${r.path}: ${res.status} ${await res.text()}`);
  };
  // Caches the token first, as it is under load (one lookup every few seconds).
  await send({ method: 'GET', path: '/v1/locks?limit=1' });
  try {
    const out: Statement[][][] = [];
    for (const [next, count] of cases) {
      const requests: Statement[][] = [];
      for (let i = 0; i < count; i++) {
        requests.push((current = []));
        await send(next());
        current = null;
      }
      out.push(requests);
    }
    return out;
  } finally {
    pg.Client.prototype.query = query;
    await database.close();
  }
}

/** Replays `requests` in a loop for `seconds`, `connections` at a time, `rate` per second. */
async function replay(url: string, scenario: string, requests: Statement[][], rate: number, seconds: number, connections: number): Promise<DirectFigures> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const latencies: number[] = [];
  let next = 0;
  let inFlight = 0;
  const run = async (statements: Statement[]) => {
    const started = performance.now();
    const client = await pool.connect();
    try {
      for (const s of statements) await client.query({ text: s.text, values: s.values, ...(s.name ? { name: s.name } : {}), ...(s.rowMode ? { rowMode: s.rowMode } : {}) });
    } finally {
      client.release();
    }
    latencies.push(performance.now() - started);
  };
  const cpu = cpuMeter(process.pid, true);
  const start = performance.now();
  const end = start + seconds * 1000;
  const waiting: (() => void)[] = [];
  const runs: Promise<void>[] = [];
  // Paced like autocannon's overall rate: the n-th request is due at start + n / rate and is
  // sent once one of the `connections` is free.
  for (let n = 0; performance.now() < end; n++) {
    const due = start + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    while (inFlight >= connections) await new Promise<void>((r) => waiting.push(r));
    inFlight++;
    runs.push(
      run(requests[next++ % requests.length]!).finally(() => {
        inFlight--;
        waiting.shift()?.();
      }),
    );
  }
  await Promise.all(runs);
  const elapsed = (performance.now() - start) / 1000;
  const cpuPerRequest = cpu(latencies.length) ?? undefined;
  await pool.end();
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    scenario,
    statementsPerRequest: round(requests.reduce((a, r) => a + r.length, 0) / requests.length),
    throughput: Math.round(latencies.length / elapsed),
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1)!),
    requests: latencies.length,
    cpuPerRequest,
  };
}

export async function runDirect(url: string, opts: { rate: number; seconds: number; warmupSeconds: number; connections: number }): Promise<DirectFigures[]> {
  const { readLocks, putMapping } = loadScenarios();
  // 2 × MAPPED_UNITS moves bring the mappings back as seeded: the PUTs replay in a loop.
  const recorded = await record(url, [
    [readLocks[1], LOAD_UNITS / 50],
    [putMapping[1], 2 * MAPPED_UNITS],
  ]);
  const out: DirectFigures[] = [];
  for (const [i, name] of [readLocks[0], putMapping[0]].entries()) {
    await replay(url, name, recorded[i]!, opts.rate, opts.warmupSeconds, opts.connections);
    out.push(await replay(url, name, recorded[i]!, opts.rate, opts.seconds, opts.connections));
  }
  return out;
}

/**
 * runDirect in a child process (it patches pg.Client) on a database of its own, created next to
 * `url`'s and dropped afterwards.
 */
export async function runApiDirectBench(url: string, opts: { rate: number; seconds: number; warmupSeconds: number }): Promise<DirectFigures[]> {
  const name = `accessbridge_direct_${process.pid}`;
  const target = new URL(url);
  target.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  try {
    const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--database', target.href, '--rate', String(opts.rate), '--duration', String(opts.seconds), '--warmup', String(opts.warmupSeconds)];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: fileURLToPath(new URL('../', import.meta.url)), timeout: 300_000, maxBuffer: 16 << 20 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as DirectFigures[];
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { database: { type: 'string' }, rate: { type: 'string' }, duration: { type: 'string' }, warmup: { type: 'string' } } });
  if (!values.database) throw new Error('--database postgres://… (an empty database) is required');
  const figures = await runDirect(values.database, { rate: Number(values.rate ?? 500), seconds: Number(values.duration ?? 10), warmupSeconds: Number(values.warmup ?? 2), connections: 16 });
  console.log(JSON.stringify(figures));
}
