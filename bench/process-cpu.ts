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
