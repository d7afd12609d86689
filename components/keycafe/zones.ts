/**
 * How the dialog names a SmartBox's time zone and shows instants in it. Keycafe checks
 * access times on the SmartBox's clock (seed 004), so every time on screen is that clock's,
 * and the zone is named with its offset: "Central European Summer Time (UTC+02:00)". When the
 * clocks change between start and end, both names are shown.
 */
import { offsetMinutes, utcToZoned, type LocalDateTime } from '../../lib/zoned-time.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** "UTC+02:00", "UTC−03:30", "UTC" */
export function utcOffsetLabel(instant: Date, timeZone: string): string {
  const minutes = offsetMinutes(instant, timeZone);
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '−' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The zone's long name at `instant` in `lang` ("Mitteleuropäische Sommerzeit"), else its id. */
export function zoneName(lang: string, timeZone: string, instant: Date): string {
  try {
    const part = new Intl.DateTimeFormat(lang, { timeZone, timeZoneName: 'long' }).formatToParts(instant).find((p) => p.type === 'timeZoneName');
    return part?.value ?? timeZone;
  } catch {
    return timeZone;
  }
}

/** "Central European Summer Time (UTC+02:00)" */
export function zoneLabel(lang: string, timeZone: string, instant: Date): string {
  return `${zoneName(lang, timeZone, instant)} (${utcOffsetLabel(instant, timeZone)})`;
}

/** "Tue, 14 Oct 2025, 10:00" on the clocks of `timeZone`, 24-hour like Keycafe's pickers. */
export function formatInZone(lang: string, instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(lang, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
}

function wallToLocal(ms: number): LocalDateTime {
  const d = new Date(ms);
  return { date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`, time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` };
}

/**
 * A sensible first window on the SmartBox's clock: from the next full hour to the same time
 * the next day. Wall-clock arithmetic, so "tomorrow 10:00" stays 10:00 across a DST change.
 */
export function defaultWindow(timeZone: string, now: Date = new Date()): { start: LocalDateTime; end: LocalDateTime } {
  const local = utcToZoned(now, timeZone);
  const [y, m, d] = local.date.split('-').map(Number) as [number, number, number];
  const hour = Number(local.time.slice(0, 2));
  const start = Date.UTC(y, m - 1, d, hour + 1, 0);
  return { start: wallToLocal(start), end: wallToLocal(start + 24 * 3_600_000) };
}
