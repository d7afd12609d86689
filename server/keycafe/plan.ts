/**
 * Turns a keycafeBookingInput into what gets stored, or into field errors: the location and
 * its Keycafe account, the normalised recipient, the keys (from the cache, refreshed when a
 * key is unknown), and for one-time access the UTC instants of the local start and end in the
 * keys' SmartBox time zone, plus the return-reminder schedule.
 */
import type { z } from 'zod';
import type { FieldError, KeycafeKey, keycafeBookingInput } from '../../lib/contract.ts';
import { translate, type Language } from '../../lib/i18n/index.ts';
import { normaliseRecipient } from '../../lib/keycafe-recipient.ts';
import { returnReminderSchedule } from '../../lib/keycafe-reminder.ts';
import { zonedToUtc, type LocalDateTime } from '../../lib/zoned-time.ts';
import { ApiError } from '../errors.ts';
import { findLocation, type LocationRow } from '../resources.ts';
import { cachedKeys, syncStateOf } from './catalog.ts';
import { keycafeAccountOf } from './connection.ts';
import type { KeycafeContext } from './context.ts';
import { refreshCatalog } from './refresh.ts';

export type BookingInput = z.infer<typeof keycafeBookingInput>;

export interface BookingPlan {
  location: LocationRow;
  recipient: { email: string | null; mobile: string | null };
  keys: { id: string; name: string }[];
  timeZone: string | null;
  startLocal: LocalDateTime | null;
  endLocal: LocalDateTime | null;
  startsAt: Date | null;
  endsAt: Date | null;
  reminder: { rule: 'before_end' | 'after_pickup'; offsetMinutes: number; band: 'over_24h' | '4h_to_24h' | 'under_4h'; at: string | null } | null;
}

const invalid = (fieldErrors: FieldError[]) => new ApiError('validation_failed', 'Some fields are not valid', fieldErrors);

/** A fresh key list for "all keys" (new keys are picked up by the periodic sync later). */
const ALL_KEYS_FRESH_MS = 60_000;

export async function planBooking(ctx: KeycafeContext, organizationId: string, input: BookingInput, lang: Language): Promise<BookingPlan> {
  const db = ctx.db;
  const location = await findLocation(db, organizationId, input.locationId);
  if (!location) throw invalid([{ path: 'locationId', message: 'Location not found' }]);
  const conn = keycafeAccountOf(ctx, location);
  if (!conn.ok) throw invalid([{ path: 'locationId', message: translate(lang, conn.reason === 'no_token' ? 'keycafe.location.noToken' : 'keycafe.location.notConnected') }]);

  const errors: FieldError[] = [];
  const r = normaliseRecipient(input.recipient as { email?: string; mobile?: string; country?: string });
  if (!r.ok) errors.push({ path: r.path, message: translate(lang, r.key, r.params) });

  // Keys: from the cache; a key the cache does not know triggers one refresh before "unknown".
  const scope = { organizationId, locationId: location.id, accountEmail: conn.account.email };
  const wanted = [...new Set(input.keyIds)];
  const sync = await syncStateOf(db, scope);
  let keys = await cachedKeys(db, organizationId, { locationIds: [location.id], ...(input.allKeys ? {} : { keyIds: wanted }) });
  // A key whose SmartBox location is not cached yet needs the location list (for its zone).
  const placeMissing = !sync?.locationsSyncedAt || keys.some((k) => k.locationId !== null && k.locationName === null);
  const stale = input.allKeys
    ? !sync?.keysSyncedAt || Date.now() - sync.keysSyncedAt.getTime() > ALL_KEYS_FRESH_MS
    : !sync?.keysSyncedAt || keys.length < wanted.length;
  if (stale || placeMissing) {
    await refreshCatalog(ctx, conn.account, scope, { keys: stale, locations: placeMissing || !sync?.locationsSyncedAt }, lang);
    keys = await cachedKeys(db, organizationId, { locationIds: [location.id], ...(input.allKeys ? {} : { keyIds: wanted }) });
  }
  const byId = new Map<string, KeycafeKey>(keys.map((k) => [k.id, k]));
  const chosen = input.allKeys ? keys : wanted.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  if (!input.allKeys)
    input.keyIds.forEach((id, i) => {
      if (!byId.has(id)) errors.push({ path: `keyIds.${i}`, message: translate(lang, 'keycafe.keys.unknown', { keyId: id }) });
    });

  let timeZone: string | null = null;
  let startsAt: Date | null = null;
  let endsAt: Date | null = null;
  let reminder: BookingPlan['reminder'] = null;
  if (input.type === 'one_time' && input.start && input.end && chosen.length) {
    // Keycafe checks access times on the SmartBox's clock (seed 004): the key's location zone.
    const zones = [...new Set(chosen.map((k) => k.timeZone ?? location.timeZone))];
    if (zones.length > 1) errors.push({ path: 'keyIds', message: translate(lang, 'keycafe.keys.mixedZones', { zones: zones.join(', ') }) });
    else {
      timeZone = zones[0]!;
      const at = (which: 'start' | 'end', local: LocalDateTime) => {
        const res = zonedToUtc(local, timeZone!);
        if (res.ok) return res.utc;
        if (res.reason === 'nonexistent') errors.push({ path: `${which}.time`, message: translate(lang, 'keycafe.time.nonexistent', { ...local, timeZone: timeZone! }) });
        else if (res.reason === 'invalid_zone') errors.push({ path: 'keyIds', message: translate(lang, 'keycafe.time.unknownZone') });
        else errors.push({ path: `${which}.date`, message: translate(lang, 'keycafe.time.invalidDate') });
        return null;
      };
      startsAt = at('start', input.start);
      endsAt = at('end', input.end);
      if (startsAt && endsAt && endsAt <= startsAt) errors.push({ path: 'end', message: translate(lang, 'keycafe.time.endBeforeStart') });
      if (startsAt && endsAt && input.returnReminder) {
        const s = returnReminderSchedule(startsAt, endsAt);
        reminder = { rule: s.rule, offsetMinutes: s.offsetMinutes, band: s.band, at: s.at?.toISOString() ?? null };
      }
    }
  }
  if (errors.length || !r.ok) throw invalid(errors);

  return {
    location,
    recipient: { email: r.email, mobile: r.mobile },
    keys: chosen.map((k) => ({ id: k.id, name: k.name })),
    timeZone,
    startLocal: input.type === 'one_time' ? input.start! : null,
    endLocal: input.type === 'one_time' ? input.end! : null,
    startsAt,
    endsAt,
    reminder,
  };
}
