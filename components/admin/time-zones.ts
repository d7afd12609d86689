/** IANA time zones for the location form: the runtime's list, the browser's own zone first. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

const FALLBACK = ['UTC', 'Europe/Berlin', 'Europe/Paris', 'Europe/Vienna', 'Europe/Zurich', 'Europe/London', 'America/New_York', 'Asia/Tokyo'];

export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (what: string) => string[] };
  const list = intl.supportedValuesOf?.('timeZone') ?? FALLBACK;
  return list.includes('UTC') ? list : ['UTC', ...list];
}

/** Whether the runtime knows `tz` (what the API checks too). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}
