/**
 * Local date + time in an IANA time zone ⇄ UTC instants, with Intl only (no tz library: the
 * runtime's ICU data is already current and DST-aware). Pure, so the extension and the server
 * agree on every instant: a Keycafe booking's start and end on its SmartBox's clock
 * (server/keycafe/plan.ts, components/keycafe/*) and a Tapkey grant's day boundaries in its
 * location's zone (server/tapkey/access.ts).
 *
 * DST rules (documented in the issue report and tested):
 *  - a local time inside a spring-forward gap does not exist → `nonexistent` (the caller asks
 *    the user for another time rather than silently shifting the visitor's access);
 *  - a local time inside a fall-back overlap happens twice → the first occurrence (the earlier
 *    instant, still on summer time), as java.time and Temporal's "compatible" mode do.
 */

export interface LocalDateTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM, 24-hour clock */
  time: string;
}

export type ZonedResult =
  | { ok: true; utc: Date; ambiguous: boolean }
  | { ok: false; reason: 'invalid_date' | 'invalid_zone' | 'nonexistent' };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of `instant` in `timeZone`, as if they were a UTC timestamp (ms). */
function wallClockMs(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** UTC offset of `timeZone` at `instant` (ms since the epoch), in ms: positive east of Greenwich. */
export function offsetMs(instant: number, timeZone: string): number {
  const ms = Math.floor(instant / 1000) * 1000;
  return wallClockMs(ms, timeZone) - ms;
}

/** UTC offset of `timeZone` at `instant`, in minutes (Europe/Berlin in July: 120). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  return Math.round(offsetMs(instant.getTime(), timeZone) / 60_000);
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const timePattern = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The local fields as a UTC timestamp, or null when the date or time is not a real one. */
function localAsUtcMs({ date, time }: LocalDateTime): number | null {
  const d = datePattern.exec(date);
  const t = timePattern.exec(time);
  if (!d || !t) return null;
  const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const ms = Date.UTC(y, m - 1, day, Number(t[1]), Number(t[2]));
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== day) return null;
  return ms;
}

const HOUR = 3_600_000;

/** The instant at which the clocks in `timeZone` show `local`. */
export function zonedToUtc(local: LocalDateTime, timeZone: string): ZonedResult {
  if (!isValidTimeZone(timeZone)) return { ok: false, reason: 'invalid_zone' };
  const wall = localAsUtcMs(local);
  if (wall === null) return { ok: false, reason: 'invalid_date' };
  // Every offset in force within a day of that wall time: a transition, if any, is among them.
  const offsets = new Set([-24, -12, 0, 12, 24].map((h) => wallClockMs(wall + h * HOUR, timeZone) - (wall + h * HOUR)));
  const matches = [...offsets].map((off) => wall - off).filter((t) => wallClockMs(t, timeZone) === wall);
  const unique = [...new Set(matches)].sort((a, b) => a - b);
  if (unique.length === 0) return { ok: false, reason: 'nonexistent' };
  return { ok: true, utc: new Date(unique[0]!), ambiguous: unique.length > 1 };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** What the clocks in `timeZone` show at `instant` (seconds dropped). */
export function utcToZoned(instant: Date, timeZone: string): LocalDateTime {
  const wall = new Date(wallClockMs(instant.getTime(), timeZone));
  return {
    date: `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`,
    time: `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`,
  };
}
