/**
 * PGlite is an embedded database: only one process may open its data folder at a time, or the
 * files get corrupted. The API server and the admin CLI take this lock first.
 *
 * The lock is a listening Unix socket, so the kernel releases it with the process: a SIGKILL,
 * a crash or a power cut leaves nothing that blocks the next start, and no pid is compared (a
 * pid file blocks start-up when the dead holder's pid is recycled, or while it is a zombie).
 * - Linux: a socket in the abstract namespace, named after the folder's real path. Binding it is
 *   atomic (EADDRINUSE while any process holds it) and it has no file that could be left over.
 *   Abstract names are per network namespace: containers sharing one data volume must share
 *   their network namespace too, or use PostgreSQL (DATABASE_URL).
 * - Elsewhere (macOS development): a socket file in the data folder; a file nobody listens on
 *   (connection refused) is left by a dead holder and taken over.
 * Whoever holds the lock answers a connection with its pid and role, for the "in use" message.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';

export class DataDirBusyError extends Error {}

/** The lock's socket address for a data folder (created 0700 if missing). */
export function dataLockAddress(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (platform === 'linux') return `\0accessbridge-data-lock-${createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 40)}`;
  return join(dataDir, 'pglite.lock.sock');
}

function listen(server: Server, address: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const onError = (err: NodeJS.ErrnoException) => resolve(err);
    server.once('error', onError);
    server.listen(address, () => {
      server.off('error', onError);
      resolve(null);
    });
  });
}

/** The holder's "pid role" line, or null when nobody listens (a stale socket file). */
function askHolder(address: string): Promise<{ listening: boolean; who: string }> {
  return new Promise((resolve) => {
    let text = '';
    const socket = createConnection(address);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ listening: true, who: '' });
    }, 1000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => {
      clearTimeout(timer);
      resolve({ listening: true, who: text.trim() });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ listening: !(err.code === 'ECONNREFUSED' || err.code === 'ENOENT'), who: '' });
    });
  });
}

/**
 * Takes the data folder's lock; resolves with the release function. Rejects with
 * DataDirBusyError while another live process (or this one) holds it.
 */
export async function lockDataDir(dataDir: string, role: string, platform: NodeJS.Platform = process.platform): Promise<() => Promise<void>> {
  const address = dataLockAddress(dataDir, platform);
  const identity = `${process.pid} ${role}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    const server = createServer((socket) => socket.end(identity));
    const err = await listen(server, address);
    if (!err) {
      // The lock must not keep the process alive on its own.
      server.unref();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await new Promise<void>((resolve) => server.close(() => resolve()));
      };
    }
    if (err.code !== 'EADDRINUSE') throw err;
    const holder = await askHolder(address);
    if (holder.listening) {
      const [pid, ...rest] = holder.who.split(' ');
      const who = holder.who ? `${rest.join(' ') || 'another process'} (pid ${pid})` : 'another process';
      throw new DataDirBusyError(
        `The embedded database in ${dataDir} is in use by ${who}. Stop it first, or use a PostgreSQL server (DATABASE_URL) to run several processes.`,
      );
    }
    // A socket file nobody listens on: its holder is gone (only where the lock is a file).
    if (address.startsWith('\0')) break;
    rmSync(address, { force: true });
  }
  throw new DataDirBusyError(`Could not take the lock of ${dataDir}`);
}
