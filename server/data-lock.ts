/**
 * PGlite is an embedded database: only one process may open its data folder at a time, or the
 * files get corrupted. The API server and the admin CLI take this pid file first; a file left
 * by a killed process (its pid no longer alive) is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirBusyError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Returns the release function. Throws DataDirBusyError when a live process holds the folder. */
export function lockDataDir(dataDir: string, role: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'pglite.pid');
  const content = `${process.pid} ${role}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, content, { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(file, 'utf8') === content) rmSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const text = readFileSync(file, 'utf8').trim();
      const pid = text.split(' ', 1)[0];
      const holder = text.slice(pid!.length + 1);
      if (alive(Number(pid)))
        throw new DataDirBusyError(
          `The embedded database in ${dataDir} is in use by ${holder || 'another process'} (pid ${pid}). ` +
            'Stop it first, or use a PostgreSQL server (DATABASE_URL) to run several processes.',
        );
      rmSync(file, { force: true });
    }
  }
  throw new DataDirBusyError(`Could not take ${file}`);
}
