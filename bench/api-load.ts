/**
 * Sync API throughput and latency (autocannon on 127.0.0.1, the API in its own process,
 * bench/api-load-server.ts). Scenarios, one after the other, each after a short warm-up:
 * at a fixed request rate (16 connections),
 *   - `GET /health`: the bare Hono route, the baseline of the same run (HTTP + framework only);
 *   - `GET /v1/locks?limit=50`: read a page of 1,000 locks (token check, page and total);
 *   - `PUT /v1/units/{id}/mapping`: every request moves a unit to its other lock (replace),
 *     a real write: row locks, delete + insert, audit event, grant re-evaluation;
 * then at the highest rate the API answers (20 connections, 8 s, as issue 18 measured it),
 *   - `GET /health` again, the baseline of that pass;
 *   - `GET /v1/units?limit=50`: the first page of 1,000 units and their total.
 * On PGlite by default; `--database <url>` for PostgreSQL (the database must exist and be empty).
 *
 *   npx tsx bench/api-load.ts [--rate 500] [--duration 10] [--max-duration 8] [--database postgres://…]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { cpuMeter, type CpuPerRequest } from './process-cpu.ts';
import { loadScenarios, type LoadRequest } from './api-load-server.ts';

const root = fileURLToPath(new URL('../', import.meta.url));

export interface LoadFigures {
  scenario: string;
  /** Requests per second actually achieved (mean over the measured seconds). */
  throughput: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** CPU milliseconds per request, from /proc (absent elsewhere): the API process, and on PostgreSQL its backends. */
  cpuPerRequest?: CpuPerRequest;
}

export interface ApiLoadFigures {
  database: 'pglite' | 'postgres';
  rate: number;
  durationSeconds: number;
  connections: number;
  health: LoadFigures;
  readLocks: LoadFigures;
  putMapping: LoadFigures;
  /** As many requests as the API answers, `connections` at a time. */
  max: { connections: number; durationSeconds: number; health: LoadFigures; readUnits: LoadFigures };
}

export interface ApiLoadOptions {
  rate?: number;
  durationSeconds?: number;
  warmupSeconds?: number;
  /** Length of each highest-rate scenario (default 8 s). */
  maxSeconds?: number;
  /** PostgreSQL database for the API (empty; the server seeds it). Default: in-memory PGlite. */
  databaseUrl?: string;
}

interface Server {
  pid: number;
  url: string;
  token: string;
  database: 'pglite' | 'postgres';
  stop(): Promise<void>;
}

function startServer(databaseUrl: string | undefined): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/api-load-server.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      const info = JSON.parse(line) as Omit<Server, 'stop' | 'pid'>;
      resolve({ ...info, pid: child.pid!, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then(() => reject(new Error(`load server exited before it was ready:\n${output}`)));
  });
}

type Request = LoadRequest;

/** `rate` undefined: no limit, each connection sends its next request as soon as it has an answer. */
async function fire(server: Server, scenario: string, next: () => Request, rate: number | undefined, seconds: number, connections: number): Promise<LoadFigures> {
  const cpu = cpuMeter(server.pid, server.database === 'postgres');
  const result = await autocannon({
    url: server.url,
    connections,
    ...(rate ? { overallRate: rate } : {}),
    duration: seconds,
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, ...next() }) }],
  });
  return {
    scenario,
    throughput: Math.round(result.requests.total / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuPerRequest: cpu(result.requests.total) ?? undefined,
  };
}

export async function runApiLoadBench(opts: ApiLoadOptions = {}): Promise<ApiLoadFigures> {
  const rate = opts.rate ?? 500;
  const seconds = opts.durationSeconds ?? 10;
  const warmup = opts.warmupSeconds ?? 2;
  const connections = 16;
  const server = await startServer(opts.databaseUrl);
  try {
    const scenarios = loadScenarios();
    const out = {} as Record<keyof typeof scenarios, LoadFigures>;
    for (const [key, [name, next]] of Object.entries(scenarios) as [keyof typeof scenarios, [string, () => Request]][]) {
      await fire(server, name, next, rate, warmup, connections);
      out[key] = await fire(server, name, next, rate, seconds, connections);
    }
    const maxSeconds = opts.maxSeconds ?? 8;
    const maxConnections = 20;
    const max = { connections: maxConnections, durationSeconds: maxSeconds } as ApiLoadFigures['max'];
    const atMax: [keyof Pick<ApiLoadFigures['max'], 'health' | 'readUnits'>, string, () => Request][] = [
      ['health', 'GET /health', () => ({ method: 'GET', path: '/health' })],
      ['readUnits', 'GET /v1/units?limit=50', () => ({ method: 'GET', path: '/v1/units?limit=50' })],
    ];
    for (const [key, name, next] of atMax) {
      await fire(server, name, next, undefined, warmup, maxConnections);
      max[key] = await fire(server, name, next, undefined, maxSeconds, maxConnections);
    }
    return { database: server.database, rate, durationSeconds: seconds, connections, ...out, max };
  } finally {
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rate: { type: 'string' }, duration: { type: 'string' }, 'max-duration': { type: 'string' }, database: { type: 'string' } } });
  const number = (v: string | undefined) => (v ? Number(v) : undefined);
  const f = await runApiLoadBench({ rate: number(values.rate), durationSeconds: number(values.duration), maxSeconds: number(values['max-duration']), databaseUrl: values.database });
  console.table([f.health, f.readLocks, f.putMapping, f.max.health, f.max.readUnits]);
  console.log(JSON.stringify(f));
}
