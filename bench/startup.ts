/**
 * API start-up time on PGlite: a fresh data folder (first start: creates the database, applies
 * every migration, creates the bootstrap organization) and the same folder again (restart).
 * Each start is a real process (`node --import tsx server/main.ts`, sandbox off), measured
 * from spawn to the printed URL, next to the server's own figure (open + migrate + listen).
 * Then `npm start` itself when nothing changed since the last build (sandbox and demo on, as a
 * developer runs it): time until the API's URL is printed, and the warning lines it prints.
 *
 *   npx tsx bench/startup.ts [--runs 3]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './stats.ts';

const root = fileURLToPath(new URL('../', import.meta.url));

export interface StartupSample {
  /** Spawn → "API:" line printed, milliseconds (includes Node + tsx start-up). */
  process: number;
  /** startServer() call → listening, as the server reports it. */
  server: number;
  /** Of which opening the database and applying migrations. */
  database: number;
}

export interface StartupFigures {
  runs: number;
  first: StartupSample;
  restart: StartupSample;
  /** `npm start` with the builds up to date (medians): on a fresh data folder, then again on it. */
  npmStart: { first: NpmStartSample; restart: NpmStartSample };
}

export interface NpmStartSample {
  /** Spawn of `npm start` → the API's URL printed, milliseconds. */
  apiUp: number;
  /** Spawn → every line printed (sandbox fakes up, demo seeded on first start). */
  started: number;
  /** Output lines that are warnings (bundler, Node, npm), from the slowest-to-print run. */
  warnings: string[];
}

const WARNING = /warn|deprecat|\(!\)|experimental/i;

/**
 * `npm start` on a fresh data folder when nothing changed since the last build: the build
 * step finds its stamp and goes straight to the API (scripts/build-if-changed.ts).
 */
function npmStartOnce(dataDir: string): Promise<NpmStartSample> {
  const begun = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, PORT: '0', ACCESSBRIDGE_DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  let apiUp: number | undefined;
  let sample: NpmStartSample | undefined;
  return new Promise((resolve, reject) => {
    const read = (c: Buffer) => {
      output += c.toString();
      if (apiUp === undefined && /^\s*API:\s+http/m.test(output)) apiUp = Math.round(performance.now() - begun);
      if (sample || !/Started in \d+ ms/.test(output)) return;
      const warnings = output.split('\n').filter((l) => WARNING.test(l));
      sample = { apiUp: apiUp!, started: Math.round(performance.now() - begun), warnings };
      process.kill(-child.pid!, 'SIGTERM');
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => (sample ? resolve(sample) : reject(new Error(`npm start exited (${code}) before it started:\n${output.slice(-2000)}`))));
  });
}

function startOnce(dataDir: string): Promise<StartupSample> {
  const begun = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', ACCESSBRIDGE_DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let sample: StartupSample | undefined;
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      const m = output.match(/Started in (\d+) ms \(database (\d+) ms\)/);
      if (!m || sample) return;
      sample = { process: Math.round(performance.now() - begun), server: Number(m[1]), database: Number(m[2]) };
      child.kill('SIGTERM');
    });
    // Resolves once the server has stopped, so the next start finds the data folder free.
    child.once('exit', (code) => (sample ? resolve(sample) : reject(new Error(`server exited (${code}) before it started:\n${output}`))));
  });
}

const medianSample = (s: StartupSample[]): StartupSample => ({
  process: median(s.map((x) => x.process)),
  server: median(s.map((x) => x.server)),
  database: median(s.map((x) => x.database)),
});

export async function runStartupBench(runs = 3): Promise<StartupFigures> {
  const first: StartupSample[] = [];
  const restart: StartupSample[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'ab-bench-start-'));
    try {
      first.push(await startOnce(dir));
      restart.push(await startOnce(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // The builds must be current for "nothing changed": build once (if needed) and stamp.
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-if-changed.ts'], { cwd: root, stdio: 'ignore' });
  const firstStarts: NpmStartSample[] = [];
  const restarts: NpmStartSample[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'ab-bench-npmstart-'));
    try {
      firstStarts.push(await npmStartOnce(dir));
      restarts.push(await npmStartOnce(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const medianStart = (s: NpmStartSample[]): NpmStartSample => ({
    apiUp: median(s.map((x) => x.apiUp)),
    started: median(s.map((x) => x.started)),
    warnings: s.reduce((a, x) => (x.warnings.length > a.length ? x.warnings : a), [] as string[]),
  });
  const npmStart = { first: medianStart(firstStarts), restart: medianStart(restarts) };
  return { runs, first: medianSample(first), restart: medianSample(restart), npmStart };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string' } } });
  const figures = await runStartupBench(values.runs ? Number(values.runs) : undefined);
  console.log(JSON.stringify(figures, null, 2));
}
