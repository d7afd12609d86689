/**
 * CPU time of processes from /proc (Linux; null elsewhere), so a load figure can say where the
 * machine's time went: the API process, the PostgreSQL backends serving it.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat: 100 on Linux (USER_HZ). */
const TICK_MS = 10;

/** User + system CPU milliseconds of `pid`, or null when /proc cannot tell. */
export function processCpuMs(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces, inside parentheses).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/** CPU milliseconds of every PostgreSQL process of this machine, or null without /proc. */
export function postgresCpuMs(): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  let total = 0;
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') total += processCpuMs(Number(pid)) ?? 0;
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}

/** CPU milliseconds per request of one process and, with `postgres`, of PostgreSQL. */
export interface CpuPerRequest {
  process: number;
  postgres?: number;
}

/**
 * Starts counting the CPU of `pid` (and of PostgreSQL with `postgres`); the function returned
 * divides what was used since by `requests`, to 0.01 ms, or gives null without /proc.
 */
export function cpuMeter(pid: number, postgres: boolean): (requests: number) => CpuPerRequest | null {
  const before = { process: processCpuMs(pid), postgres: postgres ? postgresCpuMs() : null };
  return (requests) => {
    const now = processCpuMs(pid);
    if (now === null || before.process === null || !requests) return null;
    const per = (ms: number) => Math.round((ms / requests) * 100) / 100;
    const pgNow = before.postgres === null ? null : postgresCpuMs();
    return { process: per(now - before.process), ...(pgNow !== null ? { postgres: per(pgNow - before.postgres!) } : {}) };
  };
}
