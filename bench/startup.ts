/**
 * API start-up time on PGlite: a fresh data folder (first start: creates the database, applies
 * every migration, creates the bootstrap organization) and the same folder again (restart).
 * Each start is a real process (`node --import tsx server/main.ts`, sandbox off), measured
 * from spawn to the printed URL, next to the server's own figure (open + migrate + listen).
 *
 *   npx tsx bench/startup.ts [--runs 3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
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
  return { runs, first: medianSample(first), restart: medianSample(restart) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string' } } });
  const figures = await runStartupBench(values.runs ? Number(values.runs) : undefined);
  console.log(JSON.stringify(figures, null, 2));
}
