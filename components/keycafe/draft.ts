/**
 * The booking form's data and its checks, apart from rendering. `validateDraft` runs the
 * shared contract schema (the same one the API runs), the shared recipient rules
 * (lib/keycafe-recipient.ts) and the SmartBox-clock rules (lib/zoned-time.ts), and puts each
 * message on the field the user must change. `fieldOfPath` does the same for the API's
 * `fieldErrors`, so a server-side message lands beside the same field.
 */
import { keycafeBookingInput, keycafeLocales, type FieldError, type KeycafeBookingInput, type KeycafeKey } from '../../lib/contract.ts';
import type { MessageKey } from '../../lib/i18n/index.ts';
import { normaliseRecipient } from '../../lib/keycafe-recipient.ts';
import { zonedToUtc, type LocalDateTime } from '../../lib/zoned-time.ts';
import type { Translate } from '../ui-context.ts';

export type KeycafeLocale = KeycafeBookingInput['locale'] & string;
export type AccessType = KeycafeBookingInput['type'];

export interface BookingDraft {
  keys: KeycafeKey[];
  allKeys: boolean;
  /** The account "apply to all keys" covers (an AccessBridge location id). */
  accountId: string | null;
  recipientMode: 'email' | 'mobile';
  email: string;
  mobile: string;
  /** ISO 3166 alpha-2 of a national mobile number; '' when it is written with +country code. */
  country: string;
  locale: KeycafeLocale;
  name: string;
  type: AccessType;
  start: LocalDateTime;
  end: LocalDateTime;
  returnReminder: boolean;
  requireVisitorId: boolean;
  /** Kept as typed, so "" and "2.5" reach the schema and get its message. */
  visitors: string;
  photoVerification: boolean;
}

/** What a host (a manager booking page, the popup, the widget) may fill in before the user. */
export interface BookingPrefill {
  /** Key ids or serial numbers, looked up when the dialog opens. */
  keyRefs?: string[];
  allKeys?: boolean;
  accountId?: string;
  email?: string;
  mobile?: string;
  country?: string;
  locale?: KeycafeLocale;
  name?: string;
  type?: AccessType;
  start?: Partial<LocalDateTime>;
  end?: Partial<LocalDateTime>;
  returnReminder?: boolean;
  requireVisitorId?: boolean;
  visitors?: number;
  photoVerification?: boolean;
}

export function initialDraft(prefill: BookingPrefill = {}): BookingDraft {
  const mobile = prefill.mobile?.trim() ?? '';
  return {
    keys: [],
    allKeys: prefill.allKeys ?? false,
    accountId: prefill.accountId ?? null,
    recipientMode: !prefill.email?.trim() && mobile ? 'mobile' : 'email',
    email: prefill.email?.trim() ?? '',
    mobile,
    country: prefill.country?.toUpperCase() ?? '',
    // A stored or page-given language Keycafe does not have falls back to English.
    locale: prefill.locale && (keycafeLocales as readonly string[]).includes(prefill.locale) ? prefill.locale : 'en',
    name: prefill.name ?? '',
    type: prefill.type ?? (prefill.allKeys ? 'ongoing' : 'one_time'),
    start: { date: prefill.start?.date ?? '', time: prefill.start?.time ?? '' },
    end: { date: prefill.end?.date ?? '', time: prefill.end?.time ?? '' },
    returnReminder: prefill.returnReminder ?? false,
    requireVisitorId: prefill.requireVisitorId ?? false,
    visitors: String(prefill.visitors ?? 1),
    photoVerification: prefill.photoVerification ?? false,
  };
}

/** Every place an error can show, in screen order: focus goes to the first with an error. */
export const FIELDS = [
  'keys',
  'account',
  'recipient',
  'country',
  'locale',
  'type',
  'start',
  'end',
  'returnReminder',
  'requireVisitorId',
  'visitors',
  'photoVerification',
  'name',
  'form',
] as const;
export type Field = (typeof FIELDS)[number];
export type FieldErrors = Partial<Record<Field, string>>;

/** The SmartBox time zones of the chosen keys (one, normally). */
export function zonesOf(keys: KeycafeKey[]): string[] {
  return [...new Set(keys.map((k) => k.timeZone).filter((z): z is string => Boolean(z)))];
}

const filled = (v: LocalDateTime) => (v.date && v.time ? v : undefined);

/** The API request for this draft; `locationId` is '' while nothing says which account. */
export function toBookingInput(d: BookingDraft): KeycafeBookingInput {
  const oneTime = d.type === 'one_time';
  const visitors = d.visitors.trim() === '' ? Number.NaN : Number(d.visitors);
  const start = oneTime ? filled(d.start) : undefined;
  const end = oneTime ? filled(d.end) : undefined;
  return {
    locationId: (d.allKeys ? d.accountId : d.keys[0]?.accountLocationId) ?? '',
    keyIds: d.allKeys ? [] : d.keys.map((k) => k.id),
    allKeys: d.allKeys,
    recipient: d.recipientMode === 'email' ? { email: d.email } : { mobile: d.mobile, ...(d.country ? { country: d.country } : {}) },
    locale: d.locale,
    ...(d.name.trim() ? { name: d.name.trim() } : {}),
    type: d.type,
    ...(start ? { start } : {}),
    ...(end ? { end } : {}),
    returnReminder: oneTime && d.returnReminder,
    requireVisitorId: d.requireVisitorId,
    visitors,
    photoVerification: d.photoVerification,
  };
}

/** An API field path (`recipient.mobile`, `keyIds.2`, `start.time`) → the field showing it. */
export function fieldOfPath(path: string, allKeys: boolean): Field {
  const head = path.split('.')[0] ?? '';
  if (path === 'recipient.country') return 'country';
  switch (head) {
    case 'keyIds':
      return 'keys';
    case 'allKeys':
      return allKeys ? 'account' : 'keys';
    case 'locationId':
      return allKeys ? 'account' : 'keys';
    case 'recipient':
      return 'recipient';
    case 'locale':
    case 'type':
    case 'start':
    case 'end':
    case 'returnReminder':
    case 'requireVisitorId':
    case 'visitors':
    case 'photoVerification':
    case 'name':
      return head;
    default:
      return 'form';
  }
}

/** The contract schema's own messages (lib/contract.ts), in the user's language. */
const schemaMessages: Record<string, MessageKey> = {
  'Choose at least one key': 'kcui.error.keysRequired',
  'Only ongoing access can apply to all keys': 'kcui.error.allKeysOngoing',
  'Start date and time are required': 'kcui.error.startRequired',
  'End date and time are required': 'kcui.error.endRequired',
  'End must be after start': 'keycafe.time.endBeforeStart',
  'Ongoing access has no start or end': 'kcui.error.ongoingNoDates',
  'Ongoing access has no end, so it has no return reminder': 'keycafe.ongoing.noReminder',
  'Photo verification needs "Require visitor ID" too': 'keycafe.photo.needsId',
  'The number of visitors counts ID uploads: turn on "Require visitor ID" too': 'keycafe.visitors.needsId',
  'Not a valid email address': 'keycafe.email.invalid',
  'Not a valid phone number': 'keycafe.mobile.invalid',
  'Enter an email address or a mobile number': 'keycafe.recipient.required',
  'Use YYYY-MM-DD': 'keycafe.time.invalidDate',
  'Use HH:MM (24-hour clock)': 'kcui.error.time',
};

function schemaIssueText(t: Translate, path: string, code: string, message: string): string {
  const key = schemaMessages[message];
  if (key) return t(key);
  if (path === 'visitors') return t('kcui.error.visitorsRange', { min: 1, max: 20 });
  if (path === 'name' && code === 'too_big') return t('kcui.error.nameTooLong', { max: 200 });
  return message;
}

/**
 * Every problem the client can see before sending, one message per field (the most useful
 * first: the recipient and clock rules say more than the schema's generic ones).
 */
export function validateDraft(d: BookingDraft, t: Translate): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: Field, text: string) => {
    errors[field] ??= text;
  };

  if (!d.allKeys && d.keys.length === 0) add('keys', t('kcui.error.keysRequired'));
  if (!d.allKeys && new Set(d.keys.map((k) => k.accountLocationId)).size > 1) add('keys', t('kcui.error.keysAccounts'));
  if (d.allKeys && !d.accountId) add('account', t('kcui.error.accountRequired'));

  const recipient = normaliseRecipient(d.recipientMode === 'email' ? { email: d.email } : { mobile: d.mobile, country: d.country || null });
  if (!recipient.ok) add(recipient.path === 'recipient.country' ? 'country' : 'recipient', t(recipient.key, recipient.params));

  if (d.type === 'one_time' && !d.allKeys) {
    const zones = zonesOf(d.keys);
    if (zones.length > 1) add('keys', t('keycafe.keys.mixedZones', { zones: zones.join(', ') }));
    else if (zones.length === 1) {
      const timeZone = zones[0]!;
      for (const which of ['start', 'end'] as const) {
        const local = filled(d[which]);
        if (!local) continue;
        const at = zonedToUtc(local, timeZone);
        if (!at.ok && at.reason === 'nonexistent') add(which, t('keycafe.time.nonexistent', { ...local, timeZone }));
        else if (!at.ok && at.reason === 'invalid_date') add(which, t('keycafe.time.invalidDate'));
      }
    }
  }

  const input = toBookingInput(d);
  const parsed = keycafeBookingInput.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      // Without keys there is no account yet: "choose a key" already says what to do.
      if (path === 'locationId' && !input.locationId) continue;
      add(fieldOfPath(path, d.allKeys), schemaIssueText(t, path, issue.code, issue.message));
    }
  }
  return errors;
}

/** The API's field errors, placed like the client's (the first message per field wins). */
export function placeApiErrors(fieldErrors: FieldError[], allKeys: boolean): FieldErrors {
  const errors: FieldErrors = {};
  for (const f of fieldErrors) errors[fieldOfPath(f.path, allKeys)] ??= f.message;
  return errors;
}

export function firstErrorField(errors: FieldErrors): Field | null {
  return FIELDS.find((f) => errors[f] !== undefined) ?? null;
}
